//! Integration tests of the search index, in one binary for link time.

mod corpus;
mod lifecycle;
mod search;

use taizhang_index::{Index, IndexDoc, SearchQuery};

/// A document with only an id, a title and a text.
fn doc(id: i64, title: &str, text: &str) -> IndexDoc {
    IndexDoc { id, title: title.to_owned(), text: text.to_owned(), ..IndexDoc::default() }
}

/// An in-memory index holding `docs`, committed.
fn index_of(docs: &[IndexDoc]) -> Index {
    let mut index = Index::in_memory().expect("an in-memory index opens");
    for d in docs {
        index.add(d).expect("adding to an in-memory index works");
    }
    index.commit().expect("committing an in-memory index works");
    index
}

/// The ids found for `query`, sorted.
#[track_caller]
fn ids(index: &Index, query: &SearchQuery) -> Vec<i64> {
    let mut ids: Vec<i64> =
        index.search(query).expect("the query is valid").iter().map(|hit| hit.id).collect();
    ids.sort_unstable();
    ids
}

/// The ids found for `text` without filters, sorted.
#[track_caller]
fn find(index: &Index, text: &str) -> Vec<i64> {
    ids(index, &SearchQuery { limit: 100, ..SearchQuery::new(text) })
}
