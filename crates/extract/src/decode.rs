//! Bytes to document text: encoding detection and transcoding.
//!
//! Everything extracted later is located by byte offsets into [`Decoded::text`]. For a UTF-8
//! text file those must be the file's own offsets, so valid UTF-8 is taken byte for byte (a
//! BOM included: downstream treats U+FEFF as blank), and damage is repaired in place where the
//! repair has the same length. Other encodings are transcoded, and a diagnostic says that
//! offsets then refer to the UTF-8 text.
//!
//! Decoding never fails and never panics: what looked wrong is reported as diagnostics.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

use crate::{Diagnostic, Format, Severity};

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
    if let Some(what) = binary_signature(bytes) {
        diagnostics.push(Diagnostic::warning(
            "input.binary",
            format!("the input looks like {what}, not text; nothing was read"),
        ));
        return Decoded { text: String::new(), encoding: UTF_8.name(), diagnostics };
    }
    // FIXME: web pages are read as plain text until the HTML reader lands.
    let _ = format;
    let (text, encoding) = read_text(bytes, &mut diagnostics);
    let Some(text) = screen_controls(text, &mut diagnostics) else {
        return Decoded { text: String::new(), encoding: name_of(encoding), diagnostics };
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
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
        return (utf8_in_place(bytes, diagnostics), UTF_8);
    }
    let encoding = detect(bytes);
    (transcode(encoding, bytes, diagnostics), encoding)
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
    matches!(b, 0x00..=0x08 | 0x0b | 0x0e..=0x1f | 0x7f)
}

/// Drops text with many control characters (binary data), and otherwise replaces control
/// characters by spaces, byte for byte, so offsets do not move.
///
/// Compressed or random bytes are about 11% controls in this sense, text well under 1%.
fn screen_controls(text: String, diagnostics: &mut Vec<Diagnostic>) -> Option<String> {
    let bytes = text.as_bytes();
    let controls = bytes.iter().filter(|b| is_control_byte(**b)).count();
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
}
