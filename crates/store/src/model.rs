//! The values going in and out of the store.

use taizhang_extract::{DocKind, Extracted, Fact, Kind, Level, Project};

/// Which database a [`crate::Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// One SQLite file: the embedded default.
    Sqlite,
    /// A PostgreSQL server: many users, several app servers.
    Postgres,
}

/// A document to store: the original bytes and what the extractor made of them.
#[derive(Debug, Clone, Copy)]
pub struct NewDocument<'a> {
    /// The file name as uploaded or found on disk.
    pub name: &'a str,
    /// Its media type (`text/plain`, `text/html`).
    pub media_type: &'a str,
    /// The bytes as received; their SHA-256 identifies the document.
    pub original: &'a [u8],
    /// The extraction of `original`.
    pub extracted: &'a Extracted,
    /// The version of the extractor that produced `extracted`; a document stored by
    /// another version is re-extracted in place.
    pub extractor_version: &'a str,
}

/// What [`crate::Store::put_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Put {
    /// The document's id, new or existing.
    pub id: i64,
    /// Whether anything was written.
    pub outcome: Outcome,
    /// The store's generation right after this put's write; `None` when it wrote nothing
    /// ([`Outcome::Unchanged`]).
    pub generation: Option<Generation>,
}

/// How far the documents of a store have come: which database, and how many writes to its
/// documents (a document stored, re-extracted or deleted) there have been.
///
/// Every write transaction raises [`Generation::writes`] by exactly one. So a search index
/// saved at one generation is up to date exactly while [`crate::Store::generation`]
/// reports the same, and a writer whose write took the store from
/// [`Generation::previous`] to its generation knows that nothing else came between.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Generation {
    /// A random number drawn when the database's schema was created, so that a database
    /// replaced by another is not mistaken for it.
    pub database: i64,
    /// How many writes to documents there have been.
    pub writes: i64,
}

impl Generation {
    /// The generation one write before this one.
    pub fn previous(self) -> Generation {
        Generation { writes: self.writes - 1, ..self }
    }
}

/// `{database as 16 hex digits}-{writes}`: the form a search index saves as its stamp.
impl std::fmt::Display for Generation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The bits of the id as they are: a negative id prints as 16 hex digits too.
        write!(f, "{:016x}-{}", self.database.cast_unsigned(), self.writes)
    }
}

/// Whether a put wrote anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// A document not seen before was stored.
    New,
    /// The same bytes were stored before by the same extractor version: nothing written.
    Unchanged,
    /// The same bytes were stored before by another extractor version: the extraction was
    /// replaced, the document kept its id.
    Reextracted,
}

/// Which documents [`crate::Store::documents`] lists, in id order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentFilter {
    /// Only documents of exactly this region.
    pub region_code: Option<String>,
    /// Only documents whose region code starts with this (`5203` is 遵义市 and its
    /// counties; see [`crate::region_prefix`]).
    pub region_prefix: Option<String>,
    /// Only documents of this kind.
    pub kind: Option<DocKind>,
    /// Only documents of this year.
    pub year: Option<i32>,
    /// At most this many rows; all when `None`.
    pub limit: Option<u32>,
    /// Skip this many rows first.
    pub offset: u32,
}

/// A document as listed: metadata, no text.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    /// The document's id.
    pub id: i64,
    /// The title, when the extractor found one.
    pub title: Option<String>,
    /// The file name.
    pub name: String,
    /// The GB/T 2260 code of the region the document speaks for.
    pub region_code: Option<String>,
    /// That region's name.
    pub region_name: Option<String>,
    /// The kind of document.
    pub kind: Option<DocKind>,
    /// The date of adoption or publication, ISO 8601.
    pub date: Option<String>,
    /// The year the document is written in.
    pub year: Option<i32>,
    /// How many facts were extracted.
    pub fact_count: i64,
    /// When it was first stored, RFC 3339 UTC.
    pub ingested_at: String,
}

/// A document with everything stored about it.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// Its listing row.
    pub row: DocumentRow,
    /// SHA-256 of the original bytes, lowercase hex.
    pub content_hash: String,
    /// The original's media type.
    pub media_type: String,
    /// The extractor version that produced [`StoredDocument::extracted`].
    pub extractor_version: String,
    /// When the extraction was last written, RFC 3339 UTC.
    pub updated_at: String,
    /// The extraction as it was stored: text, encoding, metadata (the region with its
    /// name and level from the regions table), outline, facts, terms and diagnostics.
    pub extracted: Extracted,
}

/// Which facts [`crate::Store::facts`] lists, in document and text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactFilter {
    /// Only facts of documents of exactly this region.
    pub region_code: Option<String>,
    /// Only facts of documents whose region code starts with this.
    pub region_prefix: Option<String>,
    /// Only facts of this canonical indicator (`gdp_growth`).
    pub indicator_key: Option<String>,
    /// Only facts about this year.
    pub year: Option<i32>,
    /// Only targets, or only actuals.
    pub kind: Option<Kind>,
    /// Only facts of this document.
    pub document_id: Option<i64>,
    /// The order of the rows; ties keep document and text order.
    pub sort: FactSort,
    /// Largest first (for years and values), Z to A (for names).
    pub descending: bool,
    /// At most this many rows; all when `None`.
    pub limit: Option<u32>,
    /// Skip this many rows first.
    pub offset: u32,
}

/// What [`crate::Store::facts`] orders by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum FactSort {
    /// Document, then position in its text.
    #[default]
    Document,
    /// The year the fact is about; facts without a year come last.
    Year,
    /// The value, as a number (units are not converted).
    Value,
    /// The region code.
    Region,
    /// The canonical indicator key; facts without one come last. Ties keep document
    /// order, reversed with the key when descending.
    Indicator,
}

impl FactSort {
    /// Every order, for listing the choices.
    pub const ALL: [FactSort; 5] = [
        FactSort::Document,
        FactSort::Year,
        FactSort::Value,
        FactSort::Region,
        FactSort::Indicator,
    ];

    /// The name used in URLs and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            FactSort::Document => "document",
            FactSort::Year => "year",
            FactSort::Value => "value",
            FactSort::Region => "region",
            FactSort::Indicator => "indicator",
        }
    }

    /// The order named `name`, as [`FactSort::as_str`] writes it.
    pub fn parse(name: &str) -> Option<FactSort> {
        FactSort::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How many facts there are of one value of a field, for filter choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facet {
    /// The value (`gdp_growth`, `2025`, `520304`).
    pub value: String,
    /// A name for it, where it has one (the region's name).
    pub label: Option<String>,
    /// How many facts have it.
    pub count: i64,
}

/// The values the facts take, with their counts: the choices of a ledger's filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FactFacets {
    /// Canonical indicator keys, most frequent first.
    pub indicators: Vec<Facet>,
    /// Years, latest first.
    pub years: Vec<Facet>,
    /// Regions of the documents, by code.
    pub regions: Vec<Facet>,
}

/// A fact with the document and region it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct FactRow {
    /// The fact's id; it changes when its document is re-extracted.
    pub id: i64,
    /// The document's id.
    pub document_id: i64,
    /// The document's title.
    pub document_title: Option<String>,
    /// The position of the fact in its document's facts.
    pub ord: usize,
    /// The document's region code.
    pub region_code: Option<String>,
    /// The document's region name.
    pub region_name: Option<String>,
    /// The fact itself; spans are byte offsets into the document's text.
    pub fact: Fact,
}

/// A region of the gazetteer as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionRow {
    /// GB/T 2260 code, six digits.
    pub code: String,
    /// The name (`播州区`).
    pub name: String,
    /// Province, prefecture or county.
    pub level: Level,
    /// The region one level up.
    pub parent_code: Option<String>,
}

/// A document's text and what a search index needs to filter and show it.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRow {
    /// The document's id.
    pub id: i64,
    /// The title.
    pub title: Option<String>,
    /// The file name.
    pub name: String,
    /// The stored text.
    pub text: String,
    /// The region's code.
    pub region_code: Option<String>,
    /// The region's name.
    pub region_name: Option<String>,
    /// The kind of document.
    pub kind: Option<DocKind>,
    /// The year.
    pub year: Option<i32>,
    /// The date, ISO 8601.
    pub date: Option<String>,
}

/// Which projects [`crate::Store::projects`] returns; every field narrows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectFilter {
    /// Only projects of documents of exactly this region.
    pub region_code: Option<String>,
    /// Only projects of documents whose region code starts with this.
    pub region_prefix: Option<String>,
    /// Only projects at this stage in their sentence.
    pub stage: Option<taizhang_extract::Stage>,
    /// Only projects of this category.
    pub category: Option<taizhang_extract::ProjectCategory>,
    /// Only projects whose sentence speaks of this year.
    pub year: Option<i32>,
    /// Only projects of this document.
    pub document_id: Option<i64>,
}

/// A project as one document names it, with the document it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    /// The document's id.
    pub document_id: i64,
    /// The document's title.
    pub document_title: Option<String>,
    /// The year the document is written in.
    pub document_year: Option<i32>,
    /// The document's date, ISO 8601.
    pub document_date: Option<String>,
    /// The position of the project in its document's projects.
    pub ord: usize,
    /// The document's region code.
    pub region_code: Option<String>,
    /// The document's region name.
    pub region_name: Option<String>,
    /// The sentence that names the project, copied from the text.
    pub sentence: String,
    /// The project itself; spans are byte offsets into the document's text.
    pub project: Project,
}

/// A project's stage set by hand (migration 0010): the project is a region and a
/// normalised name, the stage a key of the site's configured stages, which the store does
/// not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectOverride {
    /// The region of the project's documents; `None` for documents with no region.
    pub region_code: Option<String>,
    /// The project's normalised name.
    pub name_key: String,
    /// The key of the stage.
    pub stage: String,
    /// Why it was moved.
    pub note: String,
    /// When it was last set, RFC 3339 (set by the store).
    pub updated_at: String,
}

/// A project an office entered in the library itself (migration 0011): one no document
/// names, such as a company on the 拟招企业 list, or what the office adds to one its
/// documents name. Like [`ProjectOverride`], the project is a region and a normalised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectEntry {
    /// The project's region; `None` for none.
    pub region_code: Option<String>,
    /// The region's name, read from the regions table (ignored when writing).
    pub region_name: Option<String>,
    /// The project's normalised name.
    pub name_key: String,
    /// The name as the office writes it.
    pub name: String,
    /// The type.
    pub category: taizhang_extract::ProjectCategory,
    /// The capacity (`年产30万吨`).
    pub capacity: Option<String>,
    /// The investment (`总投资12亿元`).
    pub investment: Option<String>,
    /// On the 拟招企业 list of 一图三清单.
    pub prospect: bool,
    /// The office's note.
    pub note: String,
    /// When it was last written, RFC 3339 (set by the store).
    pub updated_at: String,
}
