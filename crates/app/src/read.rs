//! Files to document bytes: which files are documents, what kind, and their text layer.
//!
//! `.txt`, `.html`/`.htm` and `.docx` go to the engine as they are. `.pdf` is turned into
//! text by Debian's `pdftotext` (poppler), run as a separate process with a time limit: the
//! pure-Rust PDF readers tried on this project panicked or garbled the GBK-encoded fonts
//! that government PDFs use (see `shared/CRATES.md`). Everything else is skipped and named.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use taizhang_extract::Format;

/// The default largest file read; a larger one is refused, not truncated.
pub const DEFAULT_MAX_BYTES: u64 = 64 << 20;

/// How long `pdftotext` may take on one file.
const PDF_TIMEOUT: Duration = Duration::from_secs(60);

/// What kind of document a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Text,
    /// A saved web page.
    Html,
    /// A Word document.
    Docx,
    /// A PDF with a text layer.
    Pdf,
}

impl Kind {
    /// The kind a file name says, or `None` for a file taizhang does not read.
    pub fn of(path: &Path) -> Option<Kind> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => Kind::Text,
            "html" | "htm" | "shtml" => Kind::Html,
            "docx" => Kind::Docx,
            "pdf" => Kind::Pdf,
            _ => return None,
        })
    }

    /// The kind a stored media type names.
    pub fn from_media_type(media_type: &str) -> Option<Kind> {
        [Kind::Text, Kind::Html, Kind::Docx, Kind::Pdf]
            .into_iter()
            .find(|k| k.media_type() == media_type)
    }

    /// How the engine reads this kind's engine input: a PDF is read as its text layer.
    pub fn format(self) -> Format {
        match self {
            Kind::Text | Kind::Pdf => Format::Text,
            Kind::Html => Format::Html,
            Kind::Docx => Format::Docx,
        }
    }

    /// The media type stored with the original bytes.
    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Text => "text/plain",
            Kind::Html => "text/html",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Pdf => "application/pdf",
        }
    }
}

/// A file read for ingest: its original bytes, and the bytes and format the engine reads.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given.
    pub path: PathBuf,
    /// What kind of document it is.
    pub kind: Kind,
    /// The file's bytes, kept with the document.
    pub original: Vec<u8>,
    /// What the engine reads: the original, or the text layer of a PDF.
    pub engine_input: Vec<u8>,
    /// How the engine reads `engine_input`.
    pub format: Format,
}

/// Why a file could not be read. Each is the user's to fix and says how.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The extension is not one taizhang reads.
    #[error("not a document taizhang reads (.txt, .html, .htm, .docx, .pdf)")]
    Unsupported,
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// The file is larger than the limit.
    #[error("{size} bytes is over the limit of {limit} bytes (raise it with --max-bytes)")]
    TooLarge {
        /// The file's size.
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// The content does not match the extension.
    #[error("named {named} but the content is {found}")]
    WrongName {
        /// What the name says.
        named: &'static str,
        /// What the bytes are.
        found: &'static str,
    },
    /// `pdftotext` is not installed.
    #[error("reading PDF needs pdftotext (Debian package poppler-utils), which is not installed")]
    NoPdfToText,
    /// `pdftotext` failed or found no text.
    #[error("pdftotext could not read it: {0}")]
    Pdf(String),
    /// The file system said no.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// What the first bytes of a file say it is, for the kinds that have a signature.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("a PDF")
    } else if bytes.starts_with(b"PK\x03\x04") {
        Some("a zip archive (docx, xlsx …)")
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        Some("an old Office file (.doc, .xls)")
    } else if bytes.starts_with(b"\x89PNG") || bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("an image")
    } else {
        None
    }
}

/// Reads one file, refusing what is too large, empty, misnamed or unreadable.
pub fn read(path: &Path, max_bytes: u64) -> Result<Source, ReadError> {
    let kind = Kind::of(path).ok_or(ReadError::Unsupported)?;
    let size = std::fs::metadata(path)?.len();
    if size > max_bytes {
        return Err(ReadError::TooLarge { size, limit: max_bytes });
    }
    let mut original = Vec::with_capacity(size as usize);
    // One byte more than allowed shows a file that grew since its size was read.
    std::fs::File::open(path)?.take(max_bytes.saturating_add(1)).read_to_end(&mut original)?;
    source(path, kind, original, max_bytes, Some(path))
}

/// Reads a document received as bytes, such as an upload, by the same rules as [`read`]:
/// `name` is the file name it came with and says its kind; nothing on disk is named by it.
pub fn from_bytes(name: &str, original: Vec<u8>, max_bytes: u64) -> Result<Source, ReadError> {
    let path = Path::new(name);
    let kind = Kind::of(path).ok_or(ReadError::Unsupported)?;
    source(path, kind, original, max_bytes, None)
}

/// Checks `original` against its kind and prepares the engine input. A PDF is read from
/// `on_disk` when it is there, else from a private temporary copy.
fn source(
    path: &Path,
    kind: Kind,
    original: Vec<u8>,
    max_bytes: u64,
    on_disk: Option<&Path>,
) -> Result<Source, ReadError> {
    if original.len() as u64 > max_bytes {
        return Err(ReadError::TooLarge { size: original.len() as u64, limit: max_bytes });
    }
    if original.is_empty() {
        return Err(ReadError::Empty);
    }
    let found = sniff(&original);
    let engine_input = match kind {
        Kind::Pdf => {
            if found != Some("a PDF") {
                return Err(ReadError::WrongName {
                    named: ".pdf",
                    found: found.unwrap_or("not a PDF"),
                });
            }
            match on_disk {
                Some(file) => pdf_text(file)?,
                None => {
                    let mut copy = tempfile::Builder::new().suffix(".pdf").tempfile()?;
                    std::io::Write::write_all(&mut copy, &original)?;
                    pdf_text(copy.path())?
                }
            }
        }
        Kind::Docx => {
            if !original.starts_with(b"PK\x03\x04") {
                return Err(ReadError::WrongName {
                    named: ".docx",
                    found: found.unwrap_or("not a zip archive"),
                });
            }
            original.clone()
        }
        Kind::Text | Kind::Html => {
            if let Some(found) = found {
                let named = if kind == Kind::Text { ".txt" } else { ".html" };
                return Err(ReadError::WrongName { named, found });
            }
            original.clone()
        }
    };
    Ok(Source { path: path.to_path_buf(), kind, original, engine_input, format: kind.format() })
}

/// The text layer of a PDF, by `pdftotext -enc UTF-8`, with a time limit.
fn pdf_text(path: &Path) -> Result<Vec<u8>, ReadError> {
    let mut child = match Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg("-q")
        .arg(path)
        .arg("-")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(ReadError::NoPdfToText),
        Err(e) => return Err(ReadError::Io(e)),
    };
    // Read stdout on a thread so that a large text layer cannot fill the pipe and stall.
    let mut stdout = child.stdout.take().ok_or_else(|| ReadError::Pdf("no output pipe".into()))?;
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).map(|_| out)
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > PDF_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Pdf(format!("no answer within {} s", PDF_TIMEOUT.as_secs())));
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = reader
        .join()
        .map_err(|_| ReadError::Pdf("the reader thread failed".into()))?
        .map_err(ReadError::Io)?;
    if !status.success() {
        let mut err = String::new();
        if let Some(mut e) = child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        return Err(ReadError::Pdf(format!("{status}: {}", err.trim())));
    }
    if out.iter().all(|b| b.is_ascii_whitespace() || *b == 0x0c) {
        return Err(ReadError::Pdf("no text layer (a scanned PDF needs OCR first)".into()));
    }
    Ok(out)
}

/// Every file under `paths`, folders walked recursively in name order; each file once.
pub fn walk(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        walk_into(p, &mut out);
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| seen.insert(p.clone()));
    out
}

fn walk_into(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            out.push(path.to_path_buf());
            return;
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for child in children {
            // Hidden files and folders (.git, .DS_Store) are not documents.
            let hidden =
                child.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
            if !hidden {
                walk_into(&child, out);
            }
        }
    } else {
        out.push(path.to_path_buf());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("a temp file");
        path
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(Kind::of(Path::new("a/报告.TXT")), Some(Kind::Text));
        assert_eq!(Kind::of(Path::new("page.htm")), Some(Kind::Html));
        assert_eq!(Kind::of(Path::new("plan.docx")), Some(Kind::Docx));
        assert_eq!(Kind::of(Path::new("scan.pdf")), Some(Kind::Pdf));
        assert_eq!(Kind::of(Path::new("sheet.xlsx")), None);
        assert_eq!(Kind::of(Path::new("README")), None);
    }

    #[test]
    fn stored_media_types_name_their_kind_again() {
        for kind in [Kind::Text, Kind::Html, Kind::Docx, Kind::Pdf] {
            assert_eq!(Kind::from_media_type(kind.media_type()), Some(kind));
        }
        assert_eq!(Kind::from_media_type("image/png"), None);
        assert_eq!(Kind::Pdf.format(), Format::Text, "a PDF is read as its text layer");
    }

    #[test]
    fn bad_files_are_refused_with_reasons() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let empty = file(dir.path(), "empty.txt", b"");
        assert!(matches!(read(&empty, DEFAULT_MAX_BYTES), Err(ReadError::Empty)));
        let big = file(dir.path(), "big.txt", "增长5%。".repeat(100).as_bytes());
        let err = read(&big, 64).expect_err("over the limit");
        assert!(err.to_string().contains("over the limit of 64 bytes"), "{err}");
        let misnamed = file(dir.path(), "plan.txt", b"%PDF-1.7 ...");
        let err = read(&misnamed, DEFAULT_MAX_BYTES).expect_err("a PDF named .txt");
        assert_eq!(err.to_string(), "named .txt but the content is a PDF");
        let fake_docx = file(dir.path(), "plan.docx", "一、总体要求".as_bytes());
        assert!(matches!(read(&fake_docx, DEFAULT_MAX_BYTES), Err(ReadError::WrongName { .. })));
        let other = file(dir.path(), "data.csv", b"a,b");
        assert!(matches!(read(&other, DEFAULT_MAX_BYTES), Err(ReadError::Unsupported)));
    }

    #[test]
    fn text_is_read_as_it_is() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = file(dir.path(), "report.txt", "地区生产总值增长6%左右。".as_bytes());
        let source = read(&path, DEFAULT_MAX_BYTES).expect("readable");
        assert_eq!(source.format, Format::Text);
        assert_eq!(source.original, source.engine_input);
        assert_eq!(source.kind.media_type(), "text/plain");
    }

    /// `max_bytes + 1` overflowed: a panic in a debug build, and in a release build a
    /// limit of 0 bytes that read every file as empty.
    #[test]
    fn no_limit_reads_everything() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = file(dir.path(), "report.txt", "乡村振兴".as_bytes());
        let source = read(&path, u64::MAX).expect("readable");
        assert_eq!(source.original, "乡村振兴".as_bytes());
    }

    #[test]
    fn walk_recurses_in_order_and_skips_hidden_files() {
        let dir = tempfile::tempdir().expect("a temp dir");
        std::fs::create_dir_all(dir.path().join("b/c")).expect("dirs");
        std::fs::create_dir_all(dir.path().join(".git")).expect("dirs");
        file(dir.path(), "b/c/3.txt", b"x");
        file(dir.path(), "a.txt", b"x");
        file(dir.path(), "b/2.txt", b"x");
        file(dir.path(), ".git/HEAD", b"x");
        let names: Vec<String> = walk(&[dir.path().to_path_buf(), dir.path().join("a.txt")])
            .iter()
            .map(|p| p.strip_prefix(dir.path()).expect("under the dir").display().to_string())
            .collect();
        assert_eq!(names, ["a.txt", "b/2.txt", "b/c/3.txt"]);
    }

    /// A one-page PDF showing `line` in Helvetica, with a correct cross-reference table.
    fn tiny_pdf(line: &str) -> Vec<u8> {
        let content = format!("BT /F1 12 Tf 72 720 Td ({line}) Tj ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>".to_string(),
            format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        let mut pdf = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
        }
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for off in offsets {
            pdf.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
        }
        pdf.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn pdf_text_layer_through_pdftotext() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = file(dir.path(), "plan.pdf", &tiny_pdf("GDP growth 6.5% in 2025"));
        match read(&path, DEFAULT_MAX_BYTES) {
            Ok(source) => {
                let text = String::from_utf8(source.engine_input).expect("UTF-8 from pdftotext");
                assert!(text.contains("GDP growth 6.5% in 2025"), "{text:?}");
                assert_eq!(source.format, Format::Text);
                assert!(source.original.starts_with(b"%PDF-"));
            }
            Err(ReadError::NoPdfToText) => {
                println!("skipped: pdftotext (poppler-utils) is not installed");
            }
            Err(e) => panic!("{e}"),
        }
    }
}
