//! taizhang-extract: the pure extraction engine.
//!
//! Bytes of a Chinese planning document in; its text, metadata, outline, quantitative facts
//! and coined terms out. No IO, no async runtime, no database, no HTTP: callers own all that.
#![warn(missing_docs)]

mod model;

pub use model::*;
