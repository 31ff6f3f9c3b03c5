//! Integration tests of the `taizhang` binary, in one test binary for link time.

mod eval;
mod ledger;
mod library;
mod projects;
mod track;

use std::path::{Path, PathBuf};

/// The shared corpus (`docs`, `gold`, `extra`): `TAIZHANG_CORPUS`, or the first
/// `shared/corpus` above this crate.
fn corpus() -> Option<PathBuf> {
    let complete = |d: &PathBuf| ["docs", "gold", "extra"].iter().all(|s| d.join(s).is_dir());
    if let Some(dir) = std::env::var_os("TAIZHANG_CORPUS") {
        return Some(PathBuf::from(dir)).filter(complete);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(complete)
}
