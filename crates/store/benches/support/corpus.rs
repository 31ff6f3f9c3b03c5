//! The shared corpus, for the ingest benches of the store and of the app, the index's
//! search bench and its corpus test (which include this file by its path).

use std::path::{Path, PathBuf};

/// `TAIZHANG_CORPUS`, or the first `shared/corpus` above the crate, if it has `docs`.
fn dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TAIZHANG_CORPUS") {
        return Some(PathBuf::from(dir)).filter(|d| d.join("docs").is_dir());
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|a| a.join("shared/corpus"))
        .find(|d| d.join("docs").is_dir())
}

/// The `.txt` documents of the corpus's `docs` and `extra`, as (file name, text), each
/// folder in name order; none without a corpus. Says which corpus it read.
pub fn texts() -> Vec<(String, String)> {
    let mut texts = Vec::new();
    let Some(corpus) = dir() else { return texts };
    for sub in ["docs", "extra"] {
        let Ok(entries) = std::fs::read_dir(corpus.join(sub)) else { continue };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| Some(e.ok()?.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("corpus texts are UTF-8");
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            texts.push((name.unwrap_or_default(), text));
        }
    }
    println!("corpus: {} ({} texts)", corpus.display(), texts.len());
    texts
}
