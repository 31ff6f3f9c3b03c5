//! A bulletin as a `.docx` in the layout of a 公文 (GB/T 9704): A4 with its margins, the
//! issuing office in red above a red rule, the issue number, the title centred in a large
//! 宋体, the recipients, then the sections in 仿宋_GB2312 三号 with 黑体 headings
//! (一、总体情况 … 五、下步要求), tables for the warnings and the scores, the sign-off, and
//! page numbers (— 1 —) in the footer.
//!
//! The WordprocessingML is written by hand: a handful of parts, every run naming its
//! East Asian font (`w:eastAsia`) so that Word and WPS pick the Chinese face.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::{Bulletin, UnitSection, chinese_number};
use crate::assess::format_points;

/// The faces a 公文 uses.
#[derive(Debug, Clone, Copy)]
enum Face {
    /// The body: 仿宋_GB2312.
    FangSong,
    /// The title and the masthead: 宋体.
    Song,
    /// First-level headings: 黑体.
    Hei,
    /// Second-level headings: 楷体_GB2312.
    Kai,
}

impl Face {
    fn name(self) -> &'static str {
        match self {
            Face::FangSong => "仿宋_GB2312",
            Face::Song => "宋体",
            Face::Hei => "黑体",
            Face::Kai => "楷体_GB2312",
        }
    }
}

/// Sizes in half-points: 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt; the masthead 30pt.
const MASTHEAD: u32 = 60;
const ERHAO: u32 = 44;
const SANHAO: u32 = 32;
const XIAOSI: u32 = 24;

/// The width between the margins of an A4 page with the 公文 margins (210 mm less 28 mm
/// and 26 mm), in twentieths of a point.
const TEXT_WIDTH: u32 = 8844;

/// How a run looks.
#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: u32,
    bold: bool,
    red: bool,
}

impl Style {
    const BODY: Style = Style { face: Face::FangSong, size: SANHAO, bold: false, red: false };
    const CELL: Style = Style { face: Face::FangSong, size: XIAOSI, bold: false, red: false };
}

/// How a paragraph sits.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Align {
    /// Justified, the first line indented two characters: body text.
    Indented,
    /// Justified, no indent.
    Flush,
    Center,
    /// Right-aligned, four characters in from the margin (the sign-off).
    Right,
}

/// Escapes `s` for XML text and attributes, dropping characters XML 1.0 forbids.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn run_properties(style: Style) -> String {
    let font = style.face.name();
    let mut p = format!(
        "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" \
         w:eastAsia=\"{font}\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/>"
    );
    if style.bold {
        p.push_str("<w:b/><w:bCs/>");
    }
    if style.red {
        p.push_str("<w:color w:val=\"FF0000\"/>");
    }
    p.push_str(&format!("<w:sz w:val=\"{0}\"/><w:szCs w:val=\"{0}\"/></w:rPr>", style.size));
    p
}

fn run(text: &str, style: Style) -> String {
    format!(
        "<w:r>{}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        run_properties(style),
        escape(text)
    )
}

/// The document body, built paragraph by paragraph.
#[derive(Default)]
struct Body {
    xml: String,
}

impl Body {
    /// A paragraph of `text` in `style`, on the 28-point grid of a 公文 page.
    fn para(&mut self, text: &str, style: Style, align: Align) {
        self.para_with(text, style, align, "");
    }

    fn para_with(&mut self, text: &str, style: Style, align: Align, extra: &str) {
        let (jc, ind) = match align {
            Align::Indented => ("both", "<w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/>"),
            Align::Flush => ("both", ""),
            Align::Center => ("center", ""),
            Align::Right => ("right", "<w:ind w:rightChars=\"400\" w:right=\"1280\"/>"),
        };
        self.xml.push_str(&format!(
            "<w:p><w:pPr>{extra}<w:spacing w:line=\"560\" w:lineRule=\"exact\"/>{ind}\
             <w:jc w:val=\"{jc}\"/>{}</w:pPr>{}</w:p>",
            run_properties(style),
            run(text, style)
        ));
    }

    /// A first-level heading (一、总体情况).
    fn heading(&mut self, n: u32, text: &str) {
        let style = Style { face: Face::Hei, ..Style::BODY };
        self.para(&format!("{}、{text}", chinese_number(n)), style, Align::Indented);
    }

    /// A second-level heading (（一）…) followed by its text in the body face.
    fn subheading(&mut self, n: u32, head: &str, text: &str) {
        let kai = Style { face: Face::Kai, ..Style::BODY };
        self.xml.push_str(&format!(
            "<w:p><w:pPr><w:spacing w:line=\"560\" w:lineRule=\"exact\"/>\
             <w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/><w:jc w:val=\"both\"/></w:pPr>{}{}</w:p>",
            run(&format!("（{}）{head}", chinese_number(n)), kai),
            run(text, Style::BODY)
        ));
    }

    /// A table with a repeated header row: `widths` in twips, `right` the columns set
    /// flush right (numbers).
    fn table(&mut self, headers: &[&str], widths: &[u32], right: &[usize], rows: &[Vec<String>]) {
        let border = |side: &str| {
            format!("<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>")
        };
        let borders: String =
            ["top", "left", "bottom", "right", "insideH", "insideV"].map(border).concat();
        self.xml.push_str(&format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{TEXT_WIDTH}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
             <w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar>\
             </w:tblPr><w:tblGrid>"
        ));
        for w in widths {
            self.xml.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        self.xml.push_str("</w:tblGrid>");
        let head = Style { face: Face::Hei, ..Style::CELL };
        let cells = headers.iter().map(|h| (h.to_string(), head, "center"));
        self.row(cells, widths, true);
        for row in rows {
            let cells = row.iter().enumerate().map(|(i, text)| {
                let jc = if right.contains(&i) { "right" } else { "left" };
                (text.clone(), Style::CELL, jc)
            });
            self.row(cells, widths, false);
        }
        self.xml.push_str("</w:tbl>");
        // Word needs a paragraph between a table and what follows.
        self.para("", Style::CELL, Align::Flush);
    }

    fn row(
        &mut self,
        cells: impl Iterator<Item = (String, Style, &'static str)>,
        widths: &[u32],
        header: bool,
    ) {
        self.xml.push_str("<w:tr>");
        if header {
            self.xml.push_str("<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>");
        } else {
            self.xml.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for ((text, style, jc), w) in cells.zip(widths) {
            self.xml.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>\
                 <w:p><w:pPr><w:spacing w:before=\"40\" w:after=\"40\" w:line=\"300\" w:lineRule=\"auto\"/>\
                 <w:jc w:val=\"{jc}\"/>{}</w:pPr>{}</w:p></w:tc>",
                run_properties(style),
                run(&text, style)
            ));
        }
        self.xml.push_str("</w:tr>");
    }
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The main part, `word/document.xml`, of `b`.
pub fn document_xml(b: &Bulletin) -> String {
    let mut body = Body::default();
    // 版头: the office in red, the issue number, a red rule.
    let masthead = Style { face: Face::Song, size: MASTHEAD, bold: true, red: true };
    body.para(&b.office, masthead, Align::Center);
    body.para_with(
        &b.number,
        Style::BODY,
        Align::Center,
        "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"18\" w:space=\"6\" w:color=\"FF0000\"/></w:pBdr>",
    );
    body.para("", Style::BODY, Align::Flush);
    body.para(
        &b.title,
        Style { face: Face::Song, size: ERHAO, bold: true, red: false },
        Align::Center,
    );
    body.para("", Style::BODY, Align::Flush);
    body.para(&format!("{}：", b.recipients), Style::BODY, Align::Flush);
    body.para(
        &format!(
            "为推动{}重点任务落地见效，{}依托督查台账对重点任务推进情况进行了跟踪督查。现将有关情况通报如下。",
            b.period.label, b.office
        ),
        Style::BODY,
        Align::Indented,
    );

    body.heading(1, "总体情况");
    body.para(&b.overview(), Style::BODY, Align::Indented);

    body.heading(2, "预警情况");
    body.para(&b.warnings_intro(), Style::BODY, Align::Indented);
    for (i, u) in b.units.iter().enumerate() {
        unit_table(&mut body, i as u32 + 1, u);
    }

    body.heading(3, "考核得分与排名");
    body.para(&b.assessment_intro(), Style::BODY, Align::Indented);
    if let Some(a) = &b.assessment
        && !a.scores.is_empty()
    {
        let rows: Vec<Vec<String>> = a
            .scores
            .iter()
            .map(|s| {
                vec![
                    s.rank.to_string(),
                    s.subject.clone(),
                    format_points(s.total),
                    s.met_shown().to_owned(),
                    s.vetoes.join("；"),
                ]
            })
            .collect();
        body.table(
            &["名次", "对象", "总分", "目标完成情况", "一票否决"],
            &[900, 2800, 1300, 1500, 2344],
            &[0, 2],
            &rows,
        );
    }

    body.heading(4, "红黑榜");
    for text in b.lists_text() {
        body.para(&text, Style::BODY, Align::Indented);
    }

    body.heading(5, "下步要求");
    for text in &b.requirements {
        body.para(text, Style::BODY, Align::Indented);
    }

    // 落款: two blank lines, the office and the day, right-aligned.
    body.para("", Style::BODY, Align::Flush);
    body.para("", Style::BODY, Align::Flush);
    body.para(&b.office, Style::BODY, Align::Right);
    body.para(&b.date_line(), Style::BODY, Align::Right);

    format!(
        "{XML_DECL}<w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:body>{}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1588\" \
         w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
         <w:docGrid w:type=\"lines\" w:linePitch=\"579\"/></w:sectPr></w:body></w:document>",
        body.xml
    )
}

fn unit_table(body: &mut Body, n: u32, u: &UnitSection) {
    let line = Bulletin::unit_line(u);
    let text = line.strip_prefix(u.name()).unwrap_or(&line);
    body.subheading(n, u.name(), text);
    let rows: Vec<Vec<String>> = u
        .tasks
        .iter()
        .map(|t| {
            vec![
                t.ord.to_string(),
                t.title.clone(),
                t.deadline_shown(),
                t.elapsed.map(|e| format!("{}%", format_points(e))).unwrap_or_default(),
                format!("{}%", format_points(t.done)),
                t.light_label.to_owned(),
                t.lag_shown(),
            ]
        })
        .collect();
    body.table(
        &["序号", "目标任务", "完成时限", "序时进度", "完成进度", "预警", "说明"],
        &[700, 3000, 1300, 900, 900, 744, 1300],
        &[0, 3, 4],
        &rows,
    );
}

fn styles_xml() -> String {
    format!(
        "{XML_DECL}<w:styles xmlns:w=\"{W_NS}\"><w:docDefaults><w:rPrDefault>{}</w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>\
         </w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">\
         <w:name w:val=\"Normal\"/><w:qFormat/></w:style></w:styles>",
        run_properties(Style::BODY)
            .replace("</w:rPr>", "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr>")
    )
}

fn footer_xml() -> String {
    let style = Style { face: Face::Song, size: 28, bold: false, red: false };
    let field = |instr: &str| format!("<w:r>{}{instr}</w:r>", run_properties(style));
    format!(
        "{XML_DECL}<w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>\
         {}{}{}{}{}{}{}</w:p></w:ftr>",
        run("— ", style),
        field("<w:fldChar w:fldCharType=\"begin\"/>"),
        field("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"),
        field("<w:fldChar w:fldCharType=\"separate\"/>"),
        run("1", style),
        field("<w:fldChar w:fldCharType=\"end\"/>"),
        run(" —", style),
    )
}

const CONTENT_TYPES: &str = "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
    <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
    <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
    <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
    <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
    <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
    <Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
    <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
    <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
    </Types>";

const PACKAGE_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
    <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
    <Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
    </Relationships>";

const DOCUMENT_RELS: &str = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    <Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
    <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
    <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
    </Relationships>";

fn settings_xml() -> String {
    format!(
        "{XML_DECL}<w:settings xmlns:w=\"{W_NS}\"><w:defaultTabStop w:val=\"420\"/>\
         <w:characterSpacingControl w:val=\"compressPunctuation\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>"
    )
}

fn core_xml(b: &Bulletin) -> String {
    format!(
        "{XML_DECL}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>zh-CN</dc:language>\
         </cp:coreProperties>",
        escape(&b.title),
        escape(&b.office)
    )
}

const APP_XML: &str = "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
    <Application>taizhang</Application></Properties>";

/// The `.docx` of `b`.
pub fn write_docx(b: &Bulletin) -> Vec<u8> {
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", format!("{XML_DECL}{CONTENT_TYPES}")),
        ("_rels/.rels", format!("{XML_DECL}{PACKAGE_RELS}")),
        ("docProps/core.xml", core_xml(b)),
        ("docProps/app.xml", format!("{XML_DECL}{APP_XML}")),
        ("word/document.xml", document_xml(b)),
        ("word/_rels/document.xml.rels", format!("{XML_DECL}{DOCUMENT_RELS}")),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
    ];
    let footer = footer_xml();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts =
        parts.iter().map(|(n, x)| (*n, x.as_str())).chain([("word/footer1.xml", footer.as_str())]);
    for (name, xml) in parts {
        // Writing to memory fails only when memory does.
        zip.start_file(name, options).expect("a zip entry in memory");
        zip.write_all(xml.as_bytes()).expect("writing to memory");
    }
    zip.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_what_xml_forbids_is_dropped() {
        assert_eq!(escape("甲<乙>&“丙”\"\u{1}\n丁"), "甲&lt;乙&gt;&amp;“丙”&quot; 丁");
    }

    #[test]
    fn every_run_names_its_east_asian_font() {
        let p = run_properties(Style { face: Face::Hei, size: SANHAO, bold: true, red: true });
        assert_eq!(
            p,
            "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" \
             w:eastAsia=\"黑体\" w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/><w:b/><w:bCs/>\
             <w:color w:val=\"FF0000\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>"
        );
    }
}
