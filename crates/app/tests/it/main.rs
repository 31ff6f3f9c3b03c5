//! The use cases end to end, on SQLite files in temporary directories.

mod assess;
mod index;
mod ledger;
