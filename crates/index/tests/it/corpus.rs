//! The real documents of the shared corpus, when present.

use std::path::{Path, PathBuf};

use taizhang_index::{Index, IndexDoc, SearchQuery};

/// The shared corpus: `TAIZHANG_CORPUS`, or the first `shared/corpus` above the crate.
pub fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TAIZHANG_CORPUS") {
        return Some(PathBuf::from(dir));
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared").join("corpus"))
        .find(|dir| dir.is_dir())
}

/// The `.txt` files of `docs/` and `extra/`, sorted, as (file name, text).
pub fn corpus_texts(dir: &Path) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for sub in ["docs", "extra"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("corpus files are UTF-8");
            let name = path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default();
            texts.push((name, text));
        }
    }
    texts
}

#[test]
fn a_phrase_finds_exactly_the_corpus_documents_containing_it() {
    let Some(dir) = corpus_dir() else {
        eprintln!("skipped: no shared/corpus found (set TAIZHANG_CORPUS)");
        return;
    };
    let texts = corpus_texts(&dir);
    if texts.is_empty() {
        eprintln!("skipped: {} has no docs/*.txt or extra/*.txt", dir.display());
        return;
    }
    let mut index = Index::in_memory().expect("opens");
    let docs = texts.iter().enumerate().map(|(i, (name, text))| IndexDoc {
        id: i64::try_from(i).expect("few files"),
        title: name.clone(),
        text: text.clone(),
        ..IndexDoc::default()
    });
    assert_eq!(index.rebuild(docs, "corpus").expect("indexes"), texts.len());

    for phrase in ["成渝地区双城经济圈", "高质量发展", "新质生产力", "碳达峰", "乡村振兴"]
    {
        let mut expected: Vec<&str> = texts
            .iter()
            .filter(|(_, text)| text.contains(phrase))
            .map(|(name, _)| name.as_str())
            .collect();
        expected.sort_unstable();
        let hits = index
            .search(&SearchQuery { limit: 1000, ..SearchQuery::new(phrase) })
            .expect("valid query");
        let mut found: Vec<&str> = hits
            .iter()
            .map(|hit| texts[usize::try_from(hit.id).expect("ids are indices")].0.as_str())
            .collect();
        found.sort_unstable();
        assert_eq!(found, expected, "documents containing {phrase}");
        for hit in &hits {
            let marked: Vec<&str> =
                hit.highlights.iter().map(|&(s, e)| &hit.snippet[s..e]).collect();
            assert!(
                !marked.is_empty() && marked.iter().all(|m| m.contains(phrase)),
                "{phrase} highlighted in {}: {marked:?} in {}",
                hit.title,
                hit.snippet
            );
        }
        if phrase == "成渝地区双城经济圈" {
            assert_eq!(found.len(), 5, "the corpus has five such documents: {found:?}");
        }
    }
}
