//! Word documents (`.docx`): the text of `word/document.xml`, a paragraph a line.
//!
//! A hand-written reader over `zip` and `quick-xml` rather than a full DOCX model: we need
//! the words in reading order, and the known failure modes of DOCX crates (panics on
//! Strict OOXML, a hang on non-DOCX zips) are easier to rule out in 100 lines we own. The
//! zip is checked for a Word main part first, and every size is capped, so a zip bomb or a
//! spreadsheet renamed `.docx` gives a diagnostic, not a hang.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::Diagnostic;

/// The largest `word/document.xml` read, uncompressed. Real plans are a few megabytes.
const MAX_XML: u64 = 256 << 20;

/// Reads the text of a `.docx` file, or says why it could not.
pub(crate) fn read(bytes: &[u8]) -> Result<String, Diagnostic> {
    let not_docx = |why: String| Diagnostic::warning("docx.unreadable", why);
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| not_docx(format!("not a Word document (not a readable zip: {e})")))?;
    let main = ["word/document.xml", "word/document2.xml"]
        .into_iter()
        .find(|name| zip.by_name(name).is_ok())
        .ok_or_else(|| not_docx("a zip without word/document.xml: not a Word document".into()))?;
    let mut xml = Vec::new();
    let entry = zip.by_name(main).map_err(|e| not_docx(format!("cannot open {main}: {e}")))?;
    entry
        .take(MAX_XML + 1)
        .read_to_end(&mut xml)
        .map_err(|e| not_docx(format!("cannot inflate {main}: {e}")))?;
    if xml.len() as u64 > MAX_XML {
        return Err(not_docx(format!("{main} is larger than {} MiB uncompressed", MAX_XML >> 20)));
    }
    paragraphs(&xml).map_err(|e| not_docx(format!("{main} is not well-formed XML: {e}")))
}

/// Walks WordprocessingML: `w:t` is text, `w:tab` a tab, `w:br` and `w:p` end lines, table
/// cells are separated by tabs and rows end lines.
fn paragraphs(xml: &[u8]) -> Result<String, quick_xml::Error> {
    let mut reader = Reader::from_reader(xml);
    let mut out = String::with_capacity(xml.len() / 4);
    let mut in_text = false;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf)? {
            Event::Start(e) => match e.local_name().into_inner() {
                "t" => in_text = true,
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::Empty(e) => match e.local_name().into_inner() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => match e.local_name().into_inner() {
                "t" => in_text = false,
                "p" if !out.ends_with('\t') => out.push('\n'),
                "tc" => {
                    while out.ends_with('\n') {
                        out.pop();
                    }
                    out.push('\t');
                }
                "tr" => {
                    while out.ends_with('\t') {
                        out.pop();
                    }
                    out.push('\n');
                }
                _ => {}
            },
            // Entities come as their own events; text between them is plain.
            Event::Text(t) if in_text => out.push_str(&t),
            Event::GeneralRef(r) if in_text => match &*r {
                "amp" => out.push('&'),
                "lt" => out.push('<'),
                "gt" => out.push('>'),
                "quot" => out.push('"'),
                "apos" => out.push('\''),
                _ => {
                    if let Some(c) = r.resolve_char_ref().ok().flatten() {
                        out.push(c);
                    }
                }
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// A minimal Word document with the given body XML.
    fn docx(body: &str) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("[Content_Types].xml", options).expect("zip entry");
        zip.write_all(b"<Types/>").expect("zip write");
        zip.start_file("word/document.xml", options).expect("zip entry");
        let xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip.write_all(xml.as_bytes()).expect("zip write");
        zip.finish().expect("zip finish").into_inner()
    }

    #[test]
    fn paragraphs_runs_and_tables() {
        let bytes = docx(
            "<w:p><w:r><w:t>一、总体要求</w:t></w:r></w:p>\
             <w:p><w:r><w:t>地区生产总值增长</w:t></w:r><w:r><w:t>6%左右&amp;更好</w:t></w:r></w:p>\
             <w:tbl><w:tr><w:tc><w:p><w:r><w:t>指标</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>目标</w:t></w:r></w:p></w:tc></w:tr></w:tbl>",
        );
        assert_eq!(
            read(&bytes).expect("a Word document"),
            "一、总体要求\n地区生产总值增长6%左右&更好\n指标\t目标\n"
        );
    }

    #[test]
    fn other_zips_and_garbage_are_refused_with_a_reason() {
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("xl/workbook.xml", zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(b"<workbook/>").expect("zip write");
        let xlsx = zip.finish().expect("zip finish").into_inner();
        let err = read(&xlsx).expect_err("a spreadsheet is not a Word document");
        assert!(err.message.contains("word/document.xml"), "{}", err.message);
        let err = read(b"PK\x03\x04 truncated").expect_err("garbage");
        assert_eq!(err.code, "docx.unreadable");
    }
}
