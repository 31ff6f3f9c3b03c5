//! The use cases end to end, on SQLite files in temporary directories.

mod assess;
mod bulletin;
mod index;
mod ledger;
