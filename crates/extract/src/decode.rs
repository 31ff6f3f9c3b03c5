//! Bytes to document text: encoding detection, transcoding, and web pages to article text.
//!
//! Everything extracted later is located by byte offsets into [`Decoded::text`]. For a UTF-8
//! text file those must be the file's own offsets, so valid UTF-8 is taken byte for byte (a
//! BOM included: downstream treats U+FEFF as blank), and damage is repaired in place where the
//! repair has the same length. Other encodings are transcoded, and a diagnostic says that
//! offsets then refer to the UTF-8 text. A web page becomes the text of its article.
//!
//! Decoding never fails and never panics: what looked wrong is reported as diagnostics.

mod docx;
mod entities;
mod furniture;
mod html;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8, WINDOWS_1252};

use crate::{Diagnostic, Format, Severity};

pub(crate) use furniture::is_furniture_line;

/// Document text and how it was read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Decoded {
    /// The text all later offsets refer to.
    pub(crate) text: String,
    /// The encoding the input was read in, as the Encoding Standard names it (`UTF-8`,
    /// `GB18030`, `UTF-16LE`, `Big5`, …).
    pub(crate) encoding: &'static str,
    /// What looked wrong or worth knowing.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// How much input the encoding detector looks at: enough for any real document to show its
/// encoding, little enough to stay fast on a gigantic file.
const DETECT_LIMIT: usize = 1 << 20;

/// At most this many `decode.lossy` diagnostics carry a span; one more counts the rest.
const MAX_LOSSY_SPANS: usize = 8;

/// The name an encoding is reported by: the Encoding Standard's, but `GB18030` as the
/// standard for it is written.
fn name_of(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 { "GB18030" } else { encoding.name() }
}

/// Reads `bytes` as a document of the given format.
pub(crate) fn decode(bytes: &[u8], format: Format) -> Decoded {
    let mut diagnostics = Vec::new();
    if bytes.is_empty() {
        diagnostics.push(Diagnostic::warning("input.empty", "the input is empty"));
        return Decoded { text: String::new(), encoding: UTF_8.name(), diagnostics };
    }
    if format == Format::Docx {
        return match docx::read(bytes) {
            Ok(text) => Decoded { text, encoding: UTF_8.name(), diagnostics },
            Err(d) => {
                diagnostics.push(d);
                Decoded { text: String::new(), encoding: UTF_8.name(), diagnostics }
            }
        };
    }
    if let Some(what) = binary_signature(bytes) {
        diagnostics.push(Diagnostic::warning(
            "input.binary",
            format!("the input looks like {what}, not text; nothing was read"),
        ));
        return Decoded { text: String::new(), encoding: UTF_8.name(), diagnostics };
    }
    let (text, encoding) = match format {
        Format::Text | Format::Docx => read_text(bytes, &mut diagnostics),
        Format::Html => read_page(bytes, &mut diagnostics),
    };
    let Some(text) = screen_controls(text, &mut diagnostics) else {
        return Decoded { text: String::new(), encoding: name_of(encoding), diagnostics };
    };
    let text = match format {
        Format::Text | Format::Docx => text,
        Format::Html => {
            let page = html::page_text(&text);
            if page.kept_furniture_blocks {
                diagnostics.push(Diagnostic::info(
                    "html.furniture_kept",
                    "navigation-like blocks (class or id nav, menu, footer…) held the article, \
                     so they were kept",
                ));
            }
            if !page.has_body {
                diagnostics.push(Diagnostic::warning(
                    "html.no_body",
                    "the page has no text outside its head, scripts and page furniture",
                ));
            }
            page.text
        }
    };
    Decoded { text, encoding: name_of(encoding), diagnostics }
}

/// A plain-text file: UTF-8 as is, UTF-16 by its BOM, anything else detected.
fn read_text(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        if encoding == UTF_8 {
            // The BOM stays, so offsets stay those of the file.
            return (utf8_in_place(bytes, diagnostics), UTF_8);
        }
        let rest = bytes.get(bom_len..).unwrap_or_default();
        return (transcode(encoding, rest, diagnostics), encoding);
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        return (transcode(encoding, bytes, diagnostics), encoding);
    }
    // Valid UTF-8 is copied as it is, without the second validation `utf8_in_place` would
    // make: checking a whole file twice was a measurable share of extraction.
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (text.to_owned(), UTF_8);
    }
    if mostly_utf8(bytes) {
        return (utf8_in_place(bytes, diagnostics), UTF_8);
    }
    let encoding = detect(bytes);
    (transcode(encoding, bytes, diagnostics), encoding)
}

/// A web page: the charset from a BOM, then from the page's own declaration, then detected.
///
/// One check comes before the declaration: bytes that are valid UTF-8 with non-ASCII in them
/// are read as UTF-8 whatever the page says. Pages re-saved by scripts and editors keep their
/// old `charset=gb2312` while the bytes became UTF-8, and GBK text is practically never valid
/// UTF-8, so the bytes are the better witness.
fn read_page(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> (String, &'static Encoding) {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let rest = bytes.get(bom_len..).unwrap_or_default();
        if encoding == UTF_8 {
            return (utf8_in_place(rest, diagnostics), UTF_8);
        }
        return (transcode(encoding, rest, diagnostics), encoding);
    }
    let declared = html::declared_charset(bytes).and_then(|label| {
        let encoding =
            Encoding::for_label(label.trim().as_bytes()).filter(|e| *e != encoding_rs::REPLACEMENT);
        if encoding.is_none() {
            diagnostics.push(Diagnostic::info(
                "html.charset",
                format!("the page declares an unknown charset {label:?}; it was ignored"),
            ));
        }
        encoding.map(page_encoding)
    });
    if let Ok(text) = std::str::from_utf8(bytes) {
        return match declared {
            // Pure ASCII reads the same in any encoding the page can declare.
            Some(declared) if text.is_ascii() => (text.to_owned(), declared),
            Some(declared) if declared != UTF_8 => {
                diagnostics.push(Diagnostic::info(
                    "html.charset",
                    format!(
                        "the page declares {} but its bytes are valid UTF-8; read as UTF-8",
                        name_of(declared)
                    ),
                ));
                (text.to_owned(), UTF_8)
            }
            _ => (text.to_owned(), UTF_8),
        };
    }
    if mostly_utf8(bytes) {
        return (utf8_in_place(bytes, diagnostics), UTF_8);
    }
    let encoding = match declared {
        Some(declared) if declared != UTF_8 => declared,
        declared => {
            if declared.is_some() {
                diagnostics.push(Diagnostic::info(
                    "html.charset",
                    "the page declares UTF-8 but its bytes are not; the encoding was detected",
                ));
            }
            detect(bytes)
        }
    };
    (transcode(encoding, bytes, diagnostics), encoding)
}

/// What a page's declared encoding means, as the HTML standard has it (a page cannot declare
/// UTF-16 in its own bytes; `x-user-defined` is windows-1252), with GBK widened to GB18030.
fn page_encoding(encoding: &'static Encoding) -> &'static Encoding {
    if encoding.output_encoding() == UTF_8 {
        UTF_8
    } else if encoding == encoding_rs::X_USER_DEFINED {
        WINDOWS_1252
    } else {
        widen(encoding)
    }
}

/// GBK (and `gb2312`, which names it) is a subset of GB18030; decoding as the superset loses
/// nothing and reads the four-byte characters some GBK-labelled files contain.
fn widen(encoding: &'static Encoding) -> &'static Encoding {
    if encoding == GBK { GB18030 } else { encoding }
}

/// Guesses the encoding of bytes that are not UTF-8, preferring Chinese encodings.
fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let sample = bytes.get(..DETECT_LIMIT).unwrap_or(bytes);
    detector.feed(sample, sample.len() == bytes.len());
    widen(detector.guess(Some(b"cn"), Utf8Detection::Deny))
}

/// Decodes from a legacy encoding or UTF-16; the offsets then refer to the new text.
fn transcode(
    encoding: &'static Encoding,
    bytes: &[u8],
    diagnostics: &mut Vec<Diagnostic>,
) -> String {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    let text = text.into_owned();
    let code = if encoding == GB18030 { "decode.gb18030" } else { "decode.transcoded" };
    diagnostics.push(Diagnostic::info(
        code,
        format!(
            "decoded from {}; byte offsets refer to the decoded UTF-8 text, not to the file",
            name_of(encoding)
        ),
    ));
    if had_errors {
        let count = text.matches('\u{fffd}').count();
        let span = text.find('\u{fffd}').map(|at| (at, at + '\u{fffd}'.len_utf8()));
        diagnostics.push(Diagnostic {
            span,
            ..Diagnostic::warning(
                "decode.lossy",
                format!(
                    "{count} byte sequence(s) are not valid {}; replaced by U+FFFD",
                    name_of(encoding)
                ),
            )
        });
    }
    text
}

/// UTF-8 with any invalid bytes repaired so that offsets still equal the input's.
///
/// A damaged sequence of three bytes becomes U+FFFD, which is three bytes too. One or two
/// damaged bytes in the middle become as many `?`, since a U+FFFD would shift every later
/// offset; at the very end (a file cut inside a character) nothing follows, so they become
/// U+FFFD and only the text's length differs from the file's.
fn utf8_in_place(bytes: &[u8], diagnostics: &mut Vec<Diagnostic>) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    let mut text = String::with_capacity(bytes.len() + 2);
    let mut damage: Vec<(usize, usize)> = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        if invalid.is_empty() {
            continue;
        }
        let start = text.len();
        let at_end = start + invalid.len() == bytes.len();
        if invalid.len() == 3 || at_end {
            text.push('\u{fffd}');
        } else {
            text.extend(std::iter::repeat_n('?', invalid.len()));
        }
        match damage.last_mut() {
            Some(last) if last.1 == start => last.1 = text.len(),
            _ => damage.push((start, text.len())),
        }
    }
    let total: usize = damage.len();
    for &(start, end) in damage.iter().take(MAX_LOSSY_SPANS) {
        diagnostics.push(Diagnostic {
            span: Some((start, end)),
            ..Diagnostic::warning(
                "decode.lossy",
                format!("invalid UTF-8 at byte {start}, replaced in place"),
            )
        });
    }
    if total > MAX_LOSSY_SPANS {
        diagnostics.push(Diagnostic::warning(
            "decode.lossy",
            format!(
                "{} more stretches of invalid UTF-8, replaced in place",
                total - MAX_LOSSY_SPANS
            ),
        ));
    }
    text
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8 (damaged, truncated or with a
/// stray legacy character), rather than text in another encoding.
///
/// Text in GBK or Big5 read as UTF-8 is mostly invalid, with some of its byte pairs forming
/// UTF-8 by accident (`规划` in GBK holds a valid three-byte sequence). So the valid multi-byte
/// content must outweigh the damaged stretches many times over.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_non_ascii = 0usize;
    let mut damaged = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        valid_non_ascii += valid.len() - valid.bytes().filter(u8::is_ascii).count();
        damaged += usize::from(!chunk.invalid().is_empty());
    }
    bytes.starts_with(b"\xef\xbb\xbf") || (damaged > 0 && valid_non_ascii >= 8 * damaged)
}

/// UTF-16 saved without a BOM, recognised by its zero bytes in every other position (as ASCII
/// text has in UTF-16). Chinese UTF-16 without a BOM has no such pattern and is not recognised.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = bytes.get(..4096.min(bytes.len() & !1))?;
    let pairs = sample.len() / 2;
    if pairs < 4 {
        return None;
    }
    let zeros_at =
        |parity: usize| sample.iter().skip(parity).step_by(2).filter(|b| **b == 0).count();
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let encoding = if odd * 10 >= pairs * 3 && even * 20 < pairs {
        encoding_rs::UTF_16LE
    } else if even * 10 >= pairs * 3 && odd * 20 < pairs {
        encoding_rs::UTF_16BE
    } else {
        return None;
    };
    // Accept only if the whole input decodes cleanly; binary data can have the same pattern.
    let (_, had_errors) = encoding.decode_without_bom_handling(bytes);
    (!had_errors).then_some(encoding)
}

/// Formats that are certainly not text, by their magic numbers.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF file"),
        (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX, …)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (DOC, XLS, …)"),
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF87a", "a GIF image"),
        (b"GIF89a", "a GIF image"),
        (b"\x1f\x8b", "gzip data"),
        (b"Rar!\x1a\x07", "a RAR archive"),
        (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
        (b"\x7fELF", "an executable"),
    ];
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, what)| *what)
}

/// C0 controls other than tab, line feed, form feed and carriage return, and DEL.
fn is_control_byte(b: u8) -> bool {
    // Written with `&` and `|`, not a `matches!` of ranges: comparisons without branches,
    // which the compiler vectorises when it counts them over the whole text.
    (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != 0x0c) & (b != b'\r') | (b == 0x7f)
}

/// Drops text with many control characters (binary data), and otherwise replaces control
/// characters by spaces, byte for byte, so offsets do not move.
///
/// Compressed or random bytes are about 11% controls in this sense, text well under 1%.
fn screen_controls(text: String, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = text.as_bytes();
    // The whole text passes through here. Counted in bytes over chunks short enough not to
    // overflow one, which the compiler vectorises many bytes a step.
    let controls: usize = bytes
        .chunks(u8::MAX as usize)
        .map(|chunk| usize::from(chunk.iter().fold(0u8, |n, &b| n + u8::from(is_control_byte(b)))))
        .sum();
    if controls == 0 {
        return Some(text);
    }
    let nuls = memchr::memchr_iter(0, bytes).count();
    if controls >= 16 && controls * 20 > bytes.len() {
        diagnostics.push(Diagnostic::warning(
            "input.binary",
            format!(
                "{controls} of {} bytes are control characters ({nuls} NUL); this is binary data, \
                 not text, and nothing was read",
                bytes.len()
            ),
        ));
        return None;
    }
    let first = bytes.iter().position(|b| is_control_byte(*b)).unwrap_or_default();
    let (severity, code, message) = if nuls > 0 {
        (
            Severity::Warning,
            "input.binary",
            format!(
                "{nuls} NUL byte(s) and {controls} control character(s) in all were replaced by spaces; the input may not be plain text"
            ),
        )
    } else {
        (
            Severity::Info,
            "input.control",
            format!("{controls} control character(s) were replaced by spaces"),
        )
    };
    diagnostics.push(Diagnostic {
        severity,
        code: code.into(),
        message,
        span: Some((first, first + 1)),
    });
    let mut bytes = text.into_bytes();
    for b in bytes.iter_mut().filter(|b| is_control_byte(**b)) {
        *b = b' ';
    }
    // Replacing ASCII bytes by ASCII keeps UTF-8 valid; the fallback is never taken.
    Some(
        String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use proptest::prelude::*;

    use super::*;

    /// Decodes `input` and checks the text, the encoding and the diagnostic codes, in order.
    #[track_caller]
    fn check(input: &[u8], format: Format, text: &str, encoding: &str, codes: &[&str]) -> Decoded {
        let decoded = decode(input, format);
        assert_eq!(decoded.text, text, "text; diagnostics: {:#?}", decoded.diagnostics);
        assert_eq!(decoded.encoding, encoding, "encoding");
        let got: Vec<&str> = decoded.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(got, codes, "diagnostic codes: {:#?}", decoded.diagnostics);
        decoded
    }

    #[track_caller]
    fn check_html(page: &str, text: &str) {
        check(page.as_bytes(), Format::Html, text, "UTF-8", &[]);
    }

    const SENTENCE: &str = "一、总体要求\n到2025年，全市地区生产总值年均增长6%左右。\n";

    #[test]
    fn utf8_is_kept_byte_for_byte() {
        check(SENTENCE.as_bytes(), Format::Text, SENTENCE, "UTF-8", &[]);
        check(b"Plan 2025\r\n", Format::Text, "Plan 2025\r\n", "UTF-8", &[]);
    }

    #[test]
    fn utf8_bom_is_kept_so_offsets_equal_file_offsets() {
        let file = format!("\u{feff}{SENTENCE}");
        let decoded = check(file.as_bytes(), Format::Text, &file, "UTF-8", &[]);
        let at = file.as_bytes().windows(3).position(|w| w == "总".as_bytes());
        assert_eq!(decoded.text.find('总'), at);
    }

    #[test]
    fn gb18030_and_gbk_are_transcoded() {
        let (bytes, _, _) = GB18030.encode(SENTENCE);
        check(&bytes, Format::Text, SENTENCE, "GB18030", &["decode.gb18030"]);
        let (bytes, _, _) = GBK.encode(SENTENCE);
        check(&bytes, Format::Text, SENTENCE, "GB18030", &["decode.gb18030"]);
        // Four-byte GB18030 sequences, which GBK lacks.
        let rare = "𠮷野家在“十四五”期间新增门店€20个，占比提高3.5个百分点。\n";
        let (bytes, _, _) = GB18030.encode(rare);
        check(&bytes, Format::Text, rare, "GB18030", &["decode.gb18030"]);
    }

    #[test]
    fn utf16_with_bom_is_transcoded_without_the_bom() {
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(SENTENCE.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        check(&le, Format::Text, SENTENCE, "UTF-16LE", &["decode.transcoded"]);
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(SENTENCE.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        check(&be, Format::Text, SENTENCE, "UTF-16BE", &["decode.transcoded"]);
    }

    #[test]
    fn ascii_heavy_utf16_without_bom_is_recognised() {
        let text = "GDP growth 6% (2025)\n十四五\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        check(&le, Format::Text, text, "UTF-16LE", &["decode.transcoded"]);
    }

    #[test]
    fn utf16_unpaired_surrogate_is_lossy() {
        let le: Vec<u8> = [0xff, 0xfe, 0x2d, 0x4e, 0x00, 0xd8, 0x41, 0x00].to_vec();
        let decoded = check(
            &le,
            Format::Text,
            "中\u{fffd}A",
            "UTF-16LE",
            &["decode.transcoded", "decode.lossy"],
        );
        assert_eq!(decoded.diagnostics[1].span, Some((3, 6)));
    }

    #[test]
    fn utf8_cut_inside_a_character_ends_in_a_replacement() {
        let full = "增长5%。规划";
        let cut = &full.as_bytes()[..full.len() - 1];
        let decoded = check(cut, Format::Text, "增长5%。规\u{fffd}", "UTF-8", &["decode.lossy"]);
        let at = full.len() - 3;
        assert_eq!(decoded.diagnostics[0].span, Some((at, at + 3)));
        assert_eq!(decoded.diagnostics[0].severity, Severity::Warning);
    }

    #[test]
    fn invalid_utf8_inside_text_is_replaced_without_moving_offsets() {
        let mut bytes = "规划目标：增长".as_bytes().to_vec();
        bytes.push(0xff);
        bytes.extend_from_slice("5%，投资".as_bytes());
        bytes.extend_from_slice(b"\xe4\xb8");
        bytes.extend_from_slice("1.2万亿元。".as_bytes());
        bytes.extend_from_slice(b"\xf0\x9f\x98");
        bytes.extend_from_slice("完".as_bytes());
        let decoded = check(
            &bytes,
            Format::Text,
            "规划目标：增长?5%，投资??1.2万亿元。\u{fffd}完",
            "UTF-8",
            &["decode.lossy", "decode.lossy", "decode.lossy"],
        );
        assert_eq!(decoded.text.len(), bytes.len());
        let file_at = bytes.windows(4).position(|w| w == b"1.2\xe4").unwrap_or_default();
        assert_eq!(decoded.text.find("1.2万"), Some(file_at));
        let spans: Vec<_> = decoded.diagnostics.iter().map(|d| d.span).collect();
        assert_eq!(spans, [Some((21, 22)), Some((33, 35)), Some((50, 53))]);
    }

    #[test]
    fn many_invalid_stretches_are_summarised() {
        let bytes: Vec<u8> = "中文".repeat(20).bytes().chain(b"a\xffb".repeat(12)).collect();
        let decoded = decode(&bytes, Format::Text);
        assert_eq!(decoded.diagnostics.len(), MAX_LOSSY_SPANS + 1);
        assert_eq!(decoded.text.len(), bytes.len());
    }

    #[test]
    fn empty_input_warns() {
        check(b"", Format::Text, "", "UTF-8", &["input.empty"]);
        check(b"", Format::Html, "", "UTF-8", &["input.empty"]);
    }

    #[test]
    fn binary_input_is_not_read() {
        check(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", Format::Text, "", "UTF-8", &["input.binary"]);
        check(b"PK\x03\x04\x14\x00\x06\x00", Format::Html, "", "UTF-8", &["input.binary"]);
        let noise: Vec<u8> =
            (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        let decoded = decode(&noise, Format::Text);
        assert_eq!(decoded.text, "");
        assert!(decoded.diagnostics.iter().any(|d| d.code == "input.binary"));
        let nuls = vec![0u8; 1000];
        check(&nuls, Format::Text, "", "UTF-8", &["input.binary"]);
    }

    #[test]
    fn stray_controls_become_spaces_in_place() {
        let decoded = check(b"abc\0def\n", Format::Text, "abc def\n", "UTF-8", &["input.binary"]);
        assert_eq!(decoded.diagnostics[0].span, Some((3, 4)));
        let dos = format!("{SENTENCE}\x1a");
        check(dos.as_bytes(), Format::Text, &format!("{SENTENCE} "), "UTF-8", &["input.control"]);
    }

    #[test]
    fn a_gigantic_single_line_is_fast() {
        let line = "全市地区生产总值增长5.5%，".repeat(10 * 1024 * 1024 / 38);
        assert!(line.len() > 10_000_000);
        let started = Instant::now();
        let decoded = decode(line.as_bytes(), Format::Text);
        assert_eq!(decoded.text.len(), line.len());
        assert!(decoded.diagnostics.is_empty());
        let page = format!("<html><body><p>{line}</p></body></html>");
        let decoded = decode(page.as_bytes(), Format::Html);
        assert_eq!(decoded.text.len(), line.len() + 1);
        // Generous, for unoptimised test builds on a busy machine; a release build takes a
        // small fraction of this.
        assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    }

    #[test]
    fn a_gigantic_legacy_file_is_transcoded() {
        let text = "全市地区生产总值增长5.5%，".repeat(200_000);
        let (bytes, _, _) = GB18030.encode(&text);
        check(&bytes, Format::Text, &text, "GB18030", &["decode.gb18030"]);
    }

    /// The first lines of a saved page, with its furniture, as a `.txt`.
    const SAVED_PAGE: &str = "注册 | 登录\n筛选地域\n一级目录\n报告年份\n官网原文 导出笔记 打印 分享\n0/0\n\n\
        2025年某区政府工作报告\n\n2025年1月11日在某区人民代表大会上\n\n各位代表：\n";

    #[test]
    fn text_keeps_furniture_and_only_reports_it() {
        check(SAVED_PAGE.as_bytes(), Format::Text, SAVED_PAGE, "UTF-8", &[]);
        let furniture: Vec<&str> = SAVED_PAGE.lines().filter(|l| is_furniture_line(l)).collect();
        assert_eq!(
            furniture,
            [
                "注册 | 登录",
                "筛选地域",
                "一级目录",
                "报告年份",
                "官网原文 导出笔记 打印 分享",
                "0/0"
            ]
        );
        let crumbs = "您当前所在的位置\n\n: 首页 > 五公开推进情况 > 决策公开 > 正文\n\n某县关于某事的建议\n\n\
            文章来源:某县 发布时间: 2021-01-27 15:45 浏览量:\n\n打印 分享到 :\n";
        let furniture: Vec<&str> = crumbs.lines().filter(|l| is_furniture_line(l)).collect();
        assert_eq!(
            furniture,
            ["您当前所在的位置", ": 首页 > 五公开推进情况 > 决策公开 > 正文", "打印 分享到 :"]
        );
    }

    /// A page as government sites serve them: navigation, a breadcrumb, a tool bar, the
    /// article, a sign-off, a footer and a share widget.
    const PAGE: &str = r#"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta charset="utf-8">
<title>关于印发某市“十四五”规划的通知_政策文件_某市人民政府</title>
<script type="text/javascript">var s = "<p>不是正文</p>"; if (a < b) {}</script>
<style>p { color: red }</style></head>
<body>
<div class="top-nav"><a href="/">首页</a> | <a>政务公开</a></div>
<div class="login">注册 | 登录</div>
<div class="breadcrumb">您当前所在的位置：<a>首页</a> &gt; <a>政务公开</a> &gt; 正文</div>
<div class="article">
<h1>关于印发某市“十四五”规划的通知</h1>
<div class="info">来源：市发展改革委&nbsp;&nbsp;发布时间：2021-03-01  浏览次数：<span id="count">123</span></div>
<div class="tools">【字号：<a>大</a> <a>中</a> <a>小</a>】【<a href="javascript:print()">打印</a>】【<a>关闭</a>】</div>
<p>　　各区县人民政府：</p>
<p>　　到2025年，全市地区生产总值达到
1.2万亿元，年均增长6%左右。</p>
<noscript>请启用JavaScript</noscript>
<!-- 正文结束 -->
<p>责任编辑：张三</p>
<p style="display: none">隐藏的文字</p>
</div>
<div id="footer">版权所有：某市人民政府办公室 ICP备12345号</div>
<div class="bdsharebuttonbox">分享到：<a>微信</a></div>
<div class="position">当前位置：首页</div>
<p>扫一扫在手机打开当前页</p>
</body></html>"#;

    #[test]
    fn html_keeps_the_article_and_drops_furniture() {
        check_html(
            PAGE,
            "关于印发某市“十四五”规划的通知\n来源：市发展改革委 发布时间：2021-03-01\n\
             各区县人民政府：\n到2025年，全市地区生产总值达到1.2万亿元，年均增长6%左右。\n",
        );
    }

    /// An older page: GB2312, upper-case tags, layout tables, a navigation row without a class.
    const TABLE_PAGE: &str = r#"<HTML><HEAD><META http-equiv=Content-Type content="text/html; charset=gb2312">
<TITLE>某县人民政府关于印发2021年重点工作的通知</TITLE>
<LINK href="/css/style.css" rel=stylesheet>
<SCRIPT language=javascript src="/js/menu.js"></SCRIPT></HEAD>
<BODY leftMargin=0 topMargin=0>
<TABLE width=1000 align=center><TR><TD><IMG src="/images/banner.jpg"></TD></TR>
<TR><TD class=dh><A href="/">首页</A>&nbsp;|&nbsp;<A>政务公开</A>&nbsp;|&nbsp;<A>新闻中心</A>&nbsp;|&nbsp;<A>办事服务</A></TD></TR></TABLE>
<TABLE width=1000 align=center><TR><TD>当前位置：<A href="/">首页</A> &gt;&gt; <A>通知公告</A></TD></TR>
<TR><TD align=center class=bt><FONT size=4><B>某县人民政府关于印发2021年重点工作的通知</B></FONT></TD></TR>
<TR><TD align=center>发布时间：2021-03-05&nbsp;&nbsp;&nbsp;来源：县政府办&nbsp;&nbsp;&nbsp;点击数：<SCRIPT>document.write(hits)</SCRIPT>358</TD></TR>
<TR><TD class=content><P>各乡镇人民政府，县直各部门：</P>
<P>　　2021年全县地区生产总值增长8%左右，固定资产投资增长10%。<BR>　　现将有关事项通知如下。</P></TD></TR>
<TR><TD align=right>【<A href="javascript:window.print()">打印本页</A>】【<A href="javascript:window.close()">关闭窗口</A>】</TD></TR></TABLE>
<TABLE><TR><TD>版权所有：某县人民政府 &nbsp; 技术支持：某某网络公司 &nbsp; 蜀ICP备05000000号</TD></TR></TABLE>
</BODY></HTML>"#;

    #[test]
    fn html_old_layout_table_page_in_gb2312() {
        let (bytes, _, _) = GBK.encode(TABLE_PAGE);
        check(
            &bytes,
            Format::Html,
            "某县人民政府关于印发2021年重点工作的通知\n发布时间：2021-03-05 来源：县政府办\n\
             各乡镇人民政府，县直各部门：\n\
             2021年全县地区生产总值增长8%左右，固定资产投资增长10%。\n现将有关事项通知如下。\n",
            "GB18030",
            &["decode.gb18030"],
        );
    }

    #[test]
    fn html_title_is_added_when_the_body_lacks_it() {
        check_html(
            "<html><head><title>某县2024年政府工作报告 - 某县人民政府</title></head>\
             <body><p>各位代表：</p></body></html>",
            "某县2024年政府工作报告\n各位代表：\n",
        );
        // Not twice when a heading other than h1 already shows it.
        check_html(
            "<title>某县2024年政府工作报告_某县人民政府</title>\
             <div class=\"title\">某县2024年政府工作报告</div><p>各位代表：</p>",
            "某县2024年政府工作报告\n各位代表：\n",
        );
    }

    #[test]
    fn html_blocks_become_lines() {
        check_html(
            "<body><h2>一、总体要求</h2><div>第一段<br>第二行<br/><br></div>\n\n\n<ul><li>甲<li>乙</ul>\
             <section><article><p>丙</p></article></section>文<span>字</span><b>连</b>在一起</body>",
            "一、总体要求\n第一段\n第二行\n甲\n乙\n丙\n文字连在一起\n",
        );
    }

    #[test]
    fn html_whitespace_is_normalised() {
        check_html(
            "<p>  Planning \t\n  text&nbsp;&nbsp; here  </p><p>\u{3000}\u{3000}缩进\u{200b}的段落</p>\
             <pre>第一行\n  第二行</pre>",
            "Planning text here\n缩进的段落\n第一行\n第二行\n",
        );
    }

    #[test]
    fn html_entities_are_decoded() {
        check_html(
            "<p>A&amp;B &lt;规划&gt; &#x4E00;&#19968; &ldquo;十四五&rdquo;&nbsp中 &unknown; &copy 2021 &#150; &amp</p>",
            "A&B <规划> 一一 “十四五” 中 &unknown; © 2021 – &\n",
        );
    }

    #[test]
    fn html_tables_become_rows_of_cells() {
        check_html(
            "<table><tr><th>指标</th><th>2020年</th><th>2025年</th></tr>\
             <tr><td>地区生产总值（亿元）</td><td>5000</td><td><table><tr><td>7000</td></tr>\
             <tr><td>左右</td></tr></table></td></tr>\
             <tr><td></td><td>  </td><td>空格后</td></tr></table>",
            "指标\t2020年\t2025年\n地区生产总值（亿元）\t5000\n7000\n左右\n空格后\n",
        );
        // Unclosed cells and rows, as old editors write them.
        check_html("<table><tr><td>a<td>b<tr><td>c</table>after", "a\tb\nc\nafter\n");
    }

    #[test]
    fn html_malformed_markup_keeps_its_text() {
        check_html("<p <b>粗体</b> 内容</p>", "粗体 内容\n");
        check_html("<p>a < b 且 3<5，<中文></p>", "a < b 且 3<5，<中文>\n");
        check_html("<p>前文</p><!-- 注释 -> <p>后文</p>", "前文\n后文\n");
        check_html("<p>前文</p><!--> <p>后文</p><!---> 再后", "前文\n后文\n再后\n");
        check_html("<p>前文</p><!-- 注释 --!> 后文", "前文\n后文\n");
        check_html("<div class=\"nav\"/>文本", "文本\n");
        check_html("<a href=\"x>链接</a><p>内容</p>", "链接\n内容\n");
        // `</ p>` is a bogus comment, not an end tag, as in browsers.
        check_html("前</>文</ p>后<?php echo 1 ?>记", "前文后记\n");
        check_html("内容<p class=\"x", "内容\n");
        check_html("内容</", "内容</\n");
        check_html(
            "<head><title>标题</title><meta x=1><p>内容没有body标签。</p>",
            "标题\n内容没有body标签。\n",
        );
        check_html(
            "<div><table><tr><td><div>单元格</div></td></tr></table></div>后",
            "单元格\n后\n",
        );
        check_html("<script>document.write('</scr' + 'ipt>')</script>内容", "内容\n");
        // A browser ends the script at the first `</script>`, even inside a string.
        check_html("<script>document.write('</script>')</script>内容", "')内容\n");
        check_html("<p>内容</p><script>var x = 1;", "内容\n");
        check_html("<p>内容</p></body></html><p>尾部</p>", "内容\n尾部\n");
        check_html("<DIV CLASS=\"Footer\">页脚</DIV><P>内容</P>", "内容\n");
    }

    #[test]
    fn html_declared_gbk_is_honoured() {
        let page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                    <title>标题</title></head><body><p>增长6%</p></body></html>";
        let (bytes, _, _) = GBK.encode(page);
        check(&bytes, Format::Html, "标题\n增长6%\n", "GB18030", &["decode.gb18030"]);
        let page = page.replace(
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">",
            "<meta charset='GBK' />",
        );
        let (bytes, _, _) = GBK.encode(&page);
        check(&bytes, Format::Html, "标题\n增长6%\n", "GB18030", &["decode.gb18030"]);
        let (bytes, _, _) = GBK.encode("<?xml version=\"1.0\" encoding=\"gb2312\"?><p>规划</p>");
        check(&bytes, Format::Html, "规划\n", "GB18030", &["decode.gb18030"]);
    }

    #[test]
    fn html_undeclared_gbk_is_detected() {
        let page = "<html><body><p>到2025年，全市地区生产总值达到1.2万亿元，年均增长6%左右。</p></body></html>";
        let (bytes, _, _) = GBK.encode(page);
        check(
            &bytes,
            Format::Html,
            "到2025年，全市地区生产总值达到1.2万亿元，年均增长6%左右。\n",
            "GB18030",
            &["decode.gb18030"],
        );
    }

    #[test]
    fn html_utf8_bytes_win_over_a_stale_declaration() {
        check(
            "<meta charset=gb2312><p>规划</p>".as_bytes(),
            Format::Html,
            "规划\n",
            "UTF-8",
            &["html.charset"],
        );
        check(b"<meta charset=gb2312><p>plan</p>", Format::Html, "plan\n", "GB18030", &[]);
        let (bytes, _, _) = GBK.encode("<meta charset=utf-8><p>规划纲要</p>");
        check(&bytes, Format::Html, "规划纲要\n", "GB18030", &["html.charset", "decode.gb18030"]);
    }

    #[test]
    fn html_without_article_text_warns() {
        check(
            "<html><head><title>标题</title></head><body><nav>首页</nav></body></html>".as_bytes(),
            Format::Html,
            "标题\n",
            "UTF-8",
            &["html.no_body"],
        );
    }

    #[test]
    fn html_furniture_classes_give_way_when_they_hold_the_article() {
        let paragraph = "到2025年，全市地区生产总值达到1.2万亿元，年均增长6%左右，城镇新增就业人数保持在每年5万人以上，居民人均可支配收入增长与经济增长基本同步。";
        let page = format!(
            "<body><div id=\"mainmenu-wrapper\"><p>{paragraph}</p></div><nav>导航</nav></body>"
        );
        check(
            page.as_bytes(),
            Format::Html,
            &format!("{paragraph}\n"),
            "UTF-8",
            &["html.furniture_kept"],
        );
    }

    fn html_soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("<"),
            Just(">"),
            Just("</"),
            Just("/>"),
            Just("<!--"),
            Just("-->"),
            Just("<!"),
            Just("&"),
            Just("&#x"),
            Just("&#"),
            Just(";"),
            Just("nbsp"),
            Just("\""),
            Just("'"),
            Just("="),
            Just(" "),
            Just("\n"),
            Just("p"),
            Just("div"),
            Just("td"),
            Just("tr"),
            Just("table"),
            Just("script"),
            Just("title"),
            Just("head"),
            Just("body"),
            Just("h1"),
            Just("class=nav"),
            Just("style=display:none"),
            Just("中"),
            Just("。"),
            Just("，"),
            Just("\u{3000}"),
            Just("\u{feff}"),
            Just("0"),
            Just("9"),
            Just("\0"),
        ];
        prop::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn decode_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
            for format in [Format::Text, Format::Html] {
                let decoded = decode(&bytes, format);
                if format == Format::Text && decoded.encoding == "UTF-8" {
                    prop_assert!(decoded.text.len() <= bytes.len() + 2);
                }
            }
        }

        #[test]
        fn decode_never_panics_on_markup(page in html_soup()) {
            for format in [Format::Text, Format::Html] {
                decode(page.as_bytes(), format);
            }
            let (gbk, _, _) = GBK.encode(&page);
            decode(&gbk, Format::Html);
        }

        #[test]
        fn clean_utf8_text_is_returned_as_is(text in "\\PC*") {
            prop_assume!(!text.bytes().any(is_control_byte) && !text.is_empty());
            let decoded = decode(text.as_bytes(), Format::Text);
            prop_assert!(decoded.encoding == "UTF-8" && decoded.text == text);
        }

        #[test]
        fn damaged_utf8_keeps_its_offsets(text in "[一-龥a-z0-9，。%]{1,80}", at in any::<prop::sample::Index>(), junk in 0x80u8..=0xff) {
            let mut bytes = text.clone().into_bytes();
            let at = at.index(bytes.len());
            bytes.insert(at, junk);
            let decoded = decode(&bytes, Format::Text);
            if decoded.encoding == "UTF-8" {
                let intact = std::str::from_utf8(&bytes).map_or_else(|e| e.valid_up_to(), str::len);
                prop_assert_eq!(&decoded.text.as_bytes()[..intact], &bytes[..intact]);
                prop_assert!(decoded.text.len() >= bytes.len() && decoded.text.len() <= bytes.len() + 2);
            }
        }
    }
}
