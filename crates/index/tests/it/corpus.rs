//! The real documents of the shared corpus, when present.

use taizhang_index::{Index, IndexDoc, SearchQuery};

#[path = "../../../store/benches/support/corpus.rs"]
mod support;

#[test]
fn a_phrase_finds_exactly_the_corpus_documents_containing_it() {
    let texts = support::texts();
    if texts.is_empty() {
        eprintln!("skipped: no shared/corpus with docs/*.txt or extra/*.txt (set TAIZHANG_CORPUS)");
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
