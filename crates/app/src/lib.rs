//! taizhang-app: the use cases. Reading files of every supported kind, ingesting them into
//! the store and the search index, re-extracting, searching. The only crate that knows
//! both the store and the index; it knows nothing of HTTP or of the terminal.
#![warn(missing_docs)]

pub mod location;
pub mod read;
