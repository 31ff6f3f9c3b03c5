//! taizhang-extract: the pure extraction engine.
//!
//! Bytes of a Chinese planning document in; its text, metadata, outline, quantitative facts
//! and coined terms out. No IO, no async runtime, no database, no HTTP: callers own all that.
#![warn(missing_docs)]

mod model;
pub mod score;

pub use model::*;

/// How the input bytes are to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text in UTF-8 (with or without BOM) or GB18030/GBK.
    #[default]
    Text,
    /// A web page saved from a government site.
    Html,
}

impl Format {
    /// The format a file name implies: `.html`/`.htm` are HTML, everything else text.
    pub fn from_name(name: &str) -> Format {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
            Format::Html
        } else {
            Format::Text
        }
    }
}

/// Extracts everything from one document. Never fails and never panics: what could not be
/// read is reported in [`Extracted::diagnostics`].
pub fn extract(bytes: &[u8], format: Format) -> Extracted {
    let _ = format;
    let text = String::from_utf8_lossy(bytes).into_owned();
    Extracted { text, ..Extracted::default() }
}
