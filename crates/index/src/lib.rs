//! Full-text search over taizhang's documents, in Chinese.
//!
//! The index is derived data: the store holds the documents, and the index can be
//! rebuilt from it at any time. A caller keeps them in step with a *stamp*, an opaque
//! string (the database's fingerprint) saved with the index: when it is missing or
//! differs from the database's, call [`Index::rebuild`].
//!
//! What this crate does not do: it knows nothing of the database, of HTTP or of the
//! extraction engine. Its input is [`IndexDoc`], plain values.
//!
//! Matching follows what users of a web search box expect; see [`SearchQuery::text`].
//!
//! ```
//! use taizhang_index::{Index, IndexDoc, SearchQuery};
//!
//! # fn main() -> taizhang_index::Result<()> {
//! let mut index = Index::in_memory()?;
//! index.add(&IndexDoc {
//!     id: 7,
//!     title: "某市国民经济和社会发展第十五个五年规划纲要".into(),
//!     text: "主动融入成渝地区双城经济圈建设，推动高质量发展。".into(),
//!     region_code: Some("510100".into()),
//!     ..IndexDoc::default()
//! })?;
//! index.commit()?;
//!
//! let hits = index.search(&SearchQuery::new("成渝地区双城经济圈"))?;
//! assert_eq!(hits[0].id, 7);
//! assert_eq!(
//!     hits[0].snippet_html(),
//!     "主动融入<mark>成渝地区双城经济圈</mark>建设，推动高质量发展。"
//! );
//! # Ok(())
//! # }
//! ```
#![warn(missing_docs)]

mod error;
mod query;
mod schema;
mod snippet;
mod tokenize;

use std::path::{Path, PathBuf};

use tantivy::collector::TopDocs;
use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery};
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, IndexSettings, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use crate::error::{Error, InternalError, Result, UserError};
use crate::query::Needle;
use crate::schema::Fields;
use crate::snippet::Snippets;
use crate::tokenize::{Bigram, INDEX_TOKENIZER};

/// How much more a match in the title counts than one in the body.
const TITLE_BOOST: f32 = 3.0;

/// The most hits returned by one search, whatever the caller asks for.
pub const MAX_LIMIT: usize = 1000;

/// Memory for the writer of an index on disk, shared by its indexing threads.
const WRITER_MEMORY: usize = 64_000_000;

/// How many threads a writer indexes on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Threads {
    /// One: documents added one at a time while the caller does other work (ingest
    /// stores each document in a database at the same time), which more indexing threads
    /// would only take cores from.
    One,
    /// As many as the cores (up to tantivy's limit): a rebuild, with nothing else to do.
    All,
}

/// Memory for the writer of an in-memory index (tantivy's minimum for one thread).
const IN_MEMORY_WRITER_MEMORY: usize = 15_000_000;

/// A document as the index sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexDoc {
    /// The store's document id; adding a document with the same id replaces it.
    pub id: i64,
    /// The title, weighed more than the body.
    pub title: String,
    /// The full text.
    pub text: String,
    /// GB/T 2260 code of the region (行政区), used as a filter.
    pub region_code: Option<String>,
    /// The region's name, stored for display only.
    pub region_name: Option<String>,
    /// The document's kind (plan outline, work report …), used as a filter.
    pub kind: Option<String>,
    /// The year the document belongs to, used as a filter.
    pub year: Option<i32>,
    /// The document's date as the store writes it, stored for display only.
    pub date: Option<String>,
}

/// A search: text plus optional filters, and the page of hits wanted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the user typed.
    ///
    /// - A word without spaces matches where it appears as written: `成渝地区双城经济圈`
    ///   finds documents containing exactly that string, not 成渝 here and 经济圈 there.
    /// - Words separated by spaces must all appear, anywhere in the title or the body.
    /// - `"…"` or `“…”` keep a phrase with spaces together.
    /// - Latin letters match regardless of case, and full-width letters and digits
    ///   match their ASCII forms.
    ///
    /// A blank text matches every document that passes the filters.
    pub text: String,
    /// Only documents of this region code.
    pub region_code: Option<String>,
    /// Only documents of this region or of a region below it: `520300` (遵义市) takes in
    /// `520304` (播州区).
    pub within_region: Option<String>,
    /// Only documents of this kind.
    pub kind: Option<String>,
    /// Only documents of this year.
    pub year: Option<i32>,
    /// How many hits to return at most (capped at [`MAX_LIMIT`]).
    pub limit: usize,
    /// How many of the best hits to skip, for paging.
    pub offset: usize,
}

impl SearchQuery {
    /// A query for `text` without filters, returning the first ten hits.
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery { text: text.into(), limit: 10, ..SearchQuery::default() }
    }
}

/// A document found by [`Index::search`].
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The document's id.
    pub id: i64,
    /// The document's title.
    pub title: String,
    /// The relevance score (BM25); higher is better.
    pub score: f32,
    /// A passage of the text around the best match, as plain text. It starts or ends
    /// with `…` where it does not reach the start or end of the text.
    pub snippet: String,
    /// Byte ranges of `snippet` where the query matched, sorted and disjoint.
    pub highlights: Vec<(usize, usize)>,
}

impl Hit {
    /// The snippet as HTML: escaped, with the highlights wrapped in `<mark>`.
    pub fn snippet_html(&self) -> String {
        let mut html = String::with_capacity(self.snippet.len() + 16 * self.highlights.len());
        let mut at = 0;
        for &(start, end) in &self.highlights {
            let (Some(before), Some(marked)) =
                (self.snippet.get(at..start), self.snippet.get(start..end))
            else {
                continue;
            };
            escape_html(&mut html, before);
            html.push_str("<mark>");
            escape_html(&mut html, marked);
            html.push_str("</mark>");
            at = end;
        }
        escape_html(&mut html, self.snippet.get(at..).unwrap_or_default());
        html
    }
}

/// Appends `text` to `out` escaped for HTML content and attribute values.
pub fn escape_html(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The search index: one tantivy index and its single writer.
///
/// tantivy allows one writer per index directory, so an `Index` holds the directory's
/// lock for as long as it lives; a second one on the same directory, in this process
/// or another, gets [`UserError::Locked`]. Changes ([`add`](Index::add),
/// [`delete`](Index::delete)) become visible to [`search`](Index::search) and
/// [`len`](Index::len) at the next [`commit`](Index::commit).
///
/// Added documents are indexed on one background thread, so that a caller adding them as
/// it stores them in a database keeps the other cores; [`rebuild`](Index::rebuild)
/// indexes on all of them.
pub struct Index {
    index: tantivy::Index,
    /// The writer; `None` only when it could not be taken back after a rebuild.
    writer: Option<IndexWriter>,
    reader: IndexReader,
    fields: Fields,
    stamp: Option<String>,
    /// The directory, or `None` in memory: how to make a new writer.
    dir: Option<PathBuf>,
}

impl Index {
    /// Opens the index in `dir`, creating the directory and an empty index if missing.
    ///
    /// An index written with another schema (an older version of this crate) is
    /// replaced by an empty one without a stamp, so that the caller rebuilds it.
    pub fn open(dir: &Path) -> Result<Index> {
        let directory_error = |source: Box<dyn std::error::Error + Send + Sync>| {
            Error::Internal(InternalError::Directory { dir: dir.to_path_buf(), source })
        };
        std::fs::create_dir_all(dir).map_err(|e| directory_error(Box::new(e)))?;
        let directory = MmapDirectory::open(dir).map_err(|e| directory_error(Box::new(e)))?;
        let (schema, fields) = schema::schema();
        let locked = || Error::User(UserError::Locked { dir: dir.to_path_buf() });
        let exists =
            tantivy::Index::exists(&directory).map_err(|e| directory_error(Box::new(e)))?;
        let index = if exists {
            let existing = tantivy::Index::open(directory.clone())?;
            if existing.schema() == schema {
                existing
            } else {
                // Derived data: start again rather than fail, but not under the feet
                // of a writer in another process.
                let lock = directory.acquire_lock(&INDEX_WRITER_LOCK).map_err(|_| locked())?;
                let fresh = tantivy::Index::create(directory, schema, IndexSettings::default())?;
                drop(lock);
                fresh
            }
        } else {
            tantivy::Index::create(directory, schema, IndexSettings::default())?
        };
        register_tokenizer(&index);
        let writer = new_writer(&index, Some(dir), Threads::One)?;
        Index::with_writer(index, writer, fields, Some(dir.to_path_buf()))
    }

    /// Opens the index in `dir` for searching while another process may hold its writer
    /// (`taizhang serve` running on the same database): as [`Index::open`] when the writer
    /// is free, else without it. Searches then see what the other process commits, and
    /// changes fail with [`UserError::Locked`]; [`Index::writable`] tells which.
    pub fn open_shared(dir: &Path) -> Result<Index> {
        match Index::open(dir) {
            Err(Error::User(UserError::Locked { .. })) => {}
            other => return other,
        }
        let locked = || Error::User(UserError::Locked { dir: dir.to_path_buf() });
        let index = tantivy::Index::open_in_dir(dir)?;
        // An index of another schema is being replaced by its writer: nothing to read yet.
        if index.schema() != schema::schema().0 {
            return Err(locked());
        }
        register_tokenizer(&index);
        let (_, fields) = schema::schema();
        let reader =
            index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let stamp = index.load_metas()?.payload;
        Ok(Index { index, writer: None, reader, fields, stamp, dir: Some(dir.to_path_buf()) })
    }

    /// Whether this index holds its writer: false for one opened by [`Index::open_shared`]
    /// while another process writes.
    pub fn writable(&self) -> bool {
        self.writer.is_some()
    }

    /// A fresh index in memory, for tests and one-off searches.
    pub fn in_memory() -> Result<Index> {
        let (schema, fields) = schema::schema();
        let index = tantivy::Index::create_in_ram(schema);
        register_tokenizer(&index);
        let writer = new_writer(&index, None, Threads::One)?;
        Index::with_writer(index, writer, fields, None)
    }

    fn with_writer(
        index: tantivy::Index,
        writer: IndexWriter,
        fields: Fields,
        dir: Option<PathBuf>,
    ) -> Result<Index> {
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let stamp = index.load_metas()?.payload;
        Ok(Index { index, writer: Some(writer), reader, fields, stamp, dir })
    }

    /// The writer, or the error saying why there is none.
    fn writer(&mut self) -> Result<&mut IndexWriter> {
        let dir = &self.dir;
        self.writer
            .as_mut()
            .ok_or_else(|| Error::User(UserError::Locked { dir: dir.clone().unwrap_or_default() }))
    }

    /// Adds `doc`, replacing any document with the same id (after the next commit).
    pub fn add(&mut self, doc: &IndexDoc) -> Result<()> {
        self.delete(doc.id)?;
        self.insert(doc)
    }

    /// Adds `doc` without looking for an older version of it.
    fn insert(&mut self, doc: &IndexDoc) -> Result<()> {
        let doc = self.to_tantivy(doc);
        self.writer()?.add_document(doc)?;
        Ok(())
    }

    /// Removes the document with this id, if any (after the next commit).
    pub fn delete(&mut self, id: i64) -> Result<()> {
        let term = Term::from_field_i64(self.fields.id, id);
        self.writer()?.delete_term(term);
        Ok(())
    }

    /// Makes the changes since the last commit durable and visible to searches.
    ///
    /// The stamp is kept as it was: a caller that changed the index to match a new
    /// state of the database says so with [`set_stamp`](Index::set_stamp).
    pub fn commit(&mut self) -> Result<()> {
        let stamp = self.stamp.clone();
        let mut prepared = self.writer()?.prepare_commit()?;
        if let Some(stamp) = &stamp {
            prepared.set_payload(stamp);
        }
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole content of the index with `docs` and records `stamp`, in one
    /// commit: a search sees either the old index or the new one. Returns the number of
    /// documents indexed. On error the index is left as it was.
    pub fn rebuild(&mut self, docs: impl Iterator<Item = IndexDoc>, stamp: &str) -> Result<usize> {
        self.replace_writer(Threads::All)?;
        let result = self.replace_all(docs);
        match result {
            Ok(count) => {
                self.stamp = Some(stamp.to_owned());
                self.commit()?;
                self.wait_for_merges()?;
                Ok(count)
            }
            Err(error) => {
                self.writer()?.rollback()?;
                self.replace_writer(Threads::One)?;
                Err(error)
            }
        }
    }

    /// Lets the merges started by a bulk load finish, so that searches run over a few
    /// large segments rather than dozens of small ones, and goes back to a writer on one
    /// thread. tantivy only offers this by consuming the writer, so a new one is taken;
    /// should another process grab the lock in between, later changes fail with
    /// [`UserError::Locked`].
    fn wait_for_merges(&mut self) -> Result<()> {
        if let Some(writer) = self.writer.take() {
            writer.wait_merging_threads()?;
        }
        self.writer = Some(new_writer(&self.index, self.dir.as_deref(), Threads::One)?);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the writer by one on `threads`, dropping what was not committed; the
    /// lock is released in between, as in [`Index::wait_for_merges`].
    fn replace_writer(&mut self, threads: Threads) -> Result<()> {
        drop(self.writer.take());
        self.writer = Some(new_writer(&self.index, self.dir.as_deref(), threads)?);
        Ok(())
    }

    fn replace_all(&mut self, docs: impl Iterator<Item = IndexDoc>) -> Result<usize> {
        self.writer()?.delete_all_documents()?;
        let mut count = 0;
        for doc in docs {
            // Everything was deleted above; a caller's duplicate ids would be its bug.
            self.insert(&doc)?;
            count += 1;
        }
        Ok(count)
    }

    /// The stamp saved with the last commit, if any.
    pub fn stamp(&self) -> Option<String> {
        self.stamp.clone()
    }

    /// Saves `stamp` with the index, committing any pending changes with it.
    pub fn set_stamp(&mut self, stamp: &str) -> Result<()> {
        self.stamp = Some(stamp.to_owned());
        self.commit()
    }

    /// The number of documents in the index, as of the last commit.
    pub fn len(&self) -> usize {
        usize::try_from(self.reader.searcher().num_docs()).unwrap_or(usize::MAX)
    }

    /// Whether the index holds no documents, as of the last commit.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches; see [`SearchQuery::text`] for what matches.
    ///
    /// Hits are sorted by relevance, a match in the title counting more than one in the
    /// body. A query text that cannot be understood gives [`UserError::BadQuery`].
    pub fn search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let needles = query::parse(&q.text)?;
        let limit = q.limit.min(MAX_LIMIT);
        let searcher = self.reader.searcher();
        if limit == 0 || q.offset >= self.len() {
            return Ok(Vec::new());
        }
        let query = self.to_query(&needles, q);
        let top = searcher
            .search(&query, &TopDocs::with_limit(limit).and_offset(q.offset).order_by_score())?;
        let snippets = Snippets::new(&searcher, &self.fields, &needles)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text =
                |field| doc.get_first(field).and_then(|value| value.as_str()).unwrap_or_default();
            let passage = snippets.passage(text(self.fields.text));
            hits.push(Hit {
                id: doc
                    .get_first(self.fields.id)
                    .and_then(|value| value.as_i64())
                    .unwrap_or_default(),
                title: text(self.fields.title).to_owned(),
                score,
                snippet: passage.text,
                highlights: passage.highlights,
            });
        }
        Ok(hits)
    }

    /// The tantivy query for parsed needles and the filters of `q`.
    fn to_query(&self, needles: &[Needle], q: &SearchQuery) -> Box<dyn Query> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for needle in needles {
            let title = Box::new(BoostQuery::new(
                self.needle_query(self.fields.title, needle),
                TITLE_BOOST,
            ));
            let body = self.needle_query(self.fields.text, needle);
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::new(vec![(Occur::Should, title), (Occur::Should, body)])),
            ));
        }
        let mut filters: Vec<Term> = Vec::new();
        if let Some(code) = &q.region_code {
            filters.push(Term::from_field_text(self.fields.region_code, code));
        }
        if let Some(code) = &q.within_region {
            filters.push(Term::from_field_text(self.fields.region_within, code));
        }
        if let Some(kind) = &q.kind {
            filters.push(Term::from_field_text(self.fields.kind, kind));
        }
        if let Some(year) = q.year {
            filters.push(Term::from_field_i64(self.fields.year, i64::from(year)));
        }
        for term in filters {
            // A filter decides membership only; it must not shift the ranking.
            let query = TermQuery::new(term, IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(Box::new(query), 0.0))));
        }
        if clauses.is_empty() { Box::new(AllQuery) } else { Box::new(BooleanQuery::new(clauses)) }
    }

    /// Matches `needle` in `field`: a term, or a phrase of terms at their positions.
    fn needle_query(&self, field: tantivy::schema::Field, needle: &Needle) -> Box<dyn Query> {
        let mut terms: Vec<(usize, Term)> = needle
            .terms
            .iter()
            .map(|(position, text)| (*position, Term::from_field_text(field, text)))
            .collect();
        match terms.pop() {
            Some((_, term)) if terms.is_empty() => {
                Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
            }
            Some(last) => {
                terms.push(last);
                Box::new(PhraseQuery::new_with_offset(terms))
            }
            // `query::parse` never yields an empty needle; match nothing if it did.
            None => Box::new(BooleanQuery::new(Vec::new())),
        }
    }

    fn to_tantivy(&self, doc: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut out = TantivyDocument::default();
        out.add_i64(f.id, doc.id);
        out.add_text(f.title, &doc.title);
        out.add_text(f.text, &doc.text);
        let optional = [
            (f.region_code, &doc.region_code),
            (f.region_name, &doc.region_name),
            (f.kind, &doc.kind),
            (f.date, &doc.date),
        ];
        for (field, value) in optional {
            if let Some(value) = value {
                out.add_text(field, value);
            }
        }
        if let Some(code) = &doc.region_code {
            for within in region_and_above(code) {
                out.add_text(f.region_within, within);
            }
        }
        if let Some(year) = doc.year {
            out.add_i64(f.year, i64::from(year));
        }
        out
    }
}

/// A GB/T 2260 code and the codes above it: `520304` → `520304`, `520300`, `520000`.
fn region_and_above(code: &str) -> Vec<String> {
    let mut codes = vec![code.to_owned()];
    if code.len() == 6 && code.is_ascii() {
        for keep in [4, 2] {
            let above = format!("{:0<6}", &code[..keep]);
            if !codes.contains(&above) {
                codes.push(above);
            }
        }
    }
    codes
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("directory", &self.index.directory())
            .field("stamp", &self.stamp)
            .finish_non_exhaustive()
    }
}

/// A writer for `index`, in `dir` (`None` for an index in memory, always on one thread).
fn new_writer(index: &tantivy::Index, dir: Option<&Path>, threads: Threads) -> Result<IndexWriter> {
    let Some(dir) = dir else {
        return Ok(index.writer_with_num_threads(1, IN_MEMORY_WRITER_MEMORY)?);
    };
    let writer = match threads {
        Threads::One => index.writer_with_num_threads(1, WRITER_MEMORY),
        Threads::All => index.writer(WRITER_MEMORY),
    };
    writer.map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => {
            Error::User(UserError::Locked { dir: dir.to_path_buf() })
        }
        e => e.into(),
    })
}

fn register_tokenizer(index: &tantivy::Index) {
    index.tokenizers().register(INDEX_TOKENIZER, Bigram::index());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_can_be_shared_between_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Index>();
    }
}
