//! taizhang-extract: the pure extraction engine.
//!
//! Bytes of a Chinese planning document in; its text, metadata, outline, quantitative facts
//! and coined terms out. No IO, no async runtime, no database, no HTTP: callers own all that.
#![warn(missing_docs)]

mod decode;
mod fact;
pub mod indicator;
mod meta;
mod model;
mod numeral;
mod outline;
mod project;
pub mod region;
pub mod score;
mod term;

pub use model::*;

/// The version of the extraction rules. Stored with every document: when it changes,
/// `taizhang reindex` re-extracts what was stored under an older one. Bump the revision
/// with any change that alters what is extracted.
pub const EXTRACTOR_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+rules.8");

/// How the input bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text in UTF-8 (with or without BOM) or GB18030/GBK.
    #[default]
    Text,
    /// A web page saved from a government site.
    Html,
    /// A Word document (`.docx`); its text is the paragraphs of the main part, a line each.
    Docx,
}

impl Format {
    /// The format a file name implies: `.html`/`.htm` are HTML, `.docx` Word, everything else
    /// text.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
            Format::Html
        } else if lower.ends_with(".docx") {
            Format::Docx
        } else {
            Format::Text
        }
    }
}

/// Extracts everything from one document. Never fails and never panics: what could not be
/// read is reported in [`Extracted::diagnostics`].
///
/// A UTF-8 text file is kept byte for byte, so offsets in the result are offsets in the file;
/// other encodings are transcoded. A web page is reduced to the text of its article.
///
/// ```
/// use taizhang_extract::{extract, Format};
///
/// let file = "\u{feff}一、总体要求\n到2025年，地区生产总值增长6%。\n";
/// let extracted = extract(file.as_bytes(), Format::Text);
/// assert_eq!(extracted.text, file);
/// assert_eq!(extracted.text.find("6%"), file.find("6%"));
/// assert_eq!(extracted.encoding, "UTF-8");
///
/// let page = "<html><head><title>关于做好春耕工作的通知_某市人民政府</title></head>\
///             <body><nav>首页 | 政务公开</nav><p>各区&nbsp;县：</p></body></html>";
/// let extracted = extract(page.as_bytes(), Format::Html);
/// assert_eq!(extracted.text, "关于做好春耕工作的通知\n各区 县：\n");
/// ```
pub fn extract(bytes: &[u8], format: Format) -> Extracted {
    let mut decoded = decode::decode(bytes, format);
    if let Some(d) = long_line(&decoded.text) {
        decoded.diagnostics.push(d);
    }
    let text = decoded.text;
    let mut meta = meta::meta(&text);
    meta.region = region_of(&text, &meta);
    meta.title = full_title(&meta);
    // One character index serves the passes that read characters.
    let chars = fact::Text::new(&text);
    let outline = outline::outline_of(&chars, &text, meta.year);
    let cx = fact::Context { meta: &meta, outline: &outline };
    let facts = fact::facts_of(&chars, &text, &cx);
    let terms = term::terms(&chars, &text, &outline);
    let projects = project::projects(&chars, &cx);
    Extracted {
        text,
        encoding: decoded.encoding.to_owned(),
        meta,
        outline,
        facts,
        terms,
        projects,
        diagnostics: decoded.diagnostics,
    }
}

/// Lines this long are not prose: scraped text that lost its line breaks, or not a
/// document at all. Extraction still reads them, with bounded look-behind.
const LONG_LINE: usize = 100_000;

fn long_line(text: &str) -> Option<Diagnostic> {
    let (start, len) = text
        .split_inclusive('\n')
        .scan(0usize, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line.len()))
        })
        .max_by_key(|&(_, len)| len)?;
    (len > LONG_LINE).then(|| Diagnostic {
        span: Some((start, start + len)),
        ..Diagnostic::warning(
            "input.long_line",
            format!("a line of {len} bytes: headings and paragraphs may be merged, years and kinds less reliable"),
        )
    })
}

/// A work report headed only 政府工作报告 (or with no heading at all) is titled by its
/// region and year, as such reports are cited: 海拉尔区2016年政府工作报告.
fn full_title(meta: &DocumentMeta) -> Option<String> {
    let generic = meta.title.as_deref().is_none_or(|t| t == "政府工作报告");
    match (&meta.region, meta.year, meta.kind) {
        (Some(region), Some(year), Some(DocKind::WorkReport)) if generic => {
            Some(format!("{}{year}年政府工作报告", region.name))
        }
        _ => meta.title.clone(),
    }
}

/// The region a document speaks for: named in its title, else in its opening lines.
fn region_of(text: &str, meta: &DocumentMeta) -> Option<RegionRef> {
    if let Some(r) = meta.title.as_deref().and_then(region::find_in_text) {
        return Some(r);
    }
    let head: String = text.chars().take(600).collect();
    region::find_in_text(&head)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_work_report_headed_only_by_its_kind_is_titled_by_region_and_year() {
        let headed = "政 府 工 作 报 告\n——2016年2月19日在海拉尔区第十四届人民代表大会第五次会议上\n各位代表：\n";
        let title = |text: &str| extract(text.as_bytes(), Format::Text).meta.title;
        assert_eq!(title(headed).as_deref(), Some("海拉尔区2016年政府工作报告"));
        let unheaded = "—2017年2月11日在海拉尔区第十四届人民代表大会第六次会议上\n各位代表:\n现在，我代表区人民政府向大会报告政府工作。\n";
        assert_eq!(title(unheaded).as_deref(), Some("海拉尔区2017年政府工作报告"));
        // A title as written stays.
        let full = "2025年遵义市政府工作报告\n各位代表：\n";
        assert_eq!(title(full).as_deref(), Some("2025年遵义市政府工作报告"));
    }
}
