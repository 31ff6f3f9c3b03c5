//! What the JSON API sends and accepts, with their OpenAPI schemas, and the parsing of
//! query parameters into store filters shared by the API and the pages.

use serde::{Deserialize, Serialize};
use taizhang_extract::{Extracted, Fact, Kind};
use taizhang_store::{DocumentFilter, DocumentRow, FactFilter, FactRow, FactSort, Store};
use utoipa::{IntoParams, ToSchema};

use crate::{ApiError, highlight, labels};

/// The page size when none is asked for.
pub(crate) const DEFAULT_LIMIT: u32 = 50;
/// The largest page.
pub(crate) const MAX_LIMIT: u32 = 500;

/// A region of the gazetteer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct RegionRef {
    /// GB/T 2260 code, six digits.
    pub code: String,
    /// The name.
    pub name: Option<String>,
}

impl RegionRef {
    fn of(code: Option<String>, name: Option<String>) -> Option<RegionRef> {
        code.map(|code| RegionRef { code, name })
    }
}

/// A document as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DocumentSummary {
    /// The document's id.
    pub id: i64,
    /// The title found in the text, else the file name.
    pub title: String,
    /// The file name.
    pub name: String,
    /// The region the document speaks for.
    pub region: Option<RegionRef>,
    /// `work_report`, `plan_proposal`, `plan_outline`, `decision`, `action_plan`,
    /// `press_release` or `other`.
    pub kind: Option<&'static str>,
    /// The kind in Chinese.
    pub kind_label: Option<&'static str>,
    /// The date of adoption or publication, ISO 8601.
    pub date: Option<String>,
    /// The year the document is written in.
    pub year: Option<i32>,
    /// How many facts were extracted.
    pub fact_count: i64,
    /// When it was first stored, RFC 3339 UTC.
    pub ingested_at: String,
}

impl From<DocumentRow> for DocumentSummary {
    fn from(d: DocumentRow) -> DocumentSummary {
        DocumentSummary {
            id: d.id,
            title: d.title.unwrap_or_else(|| d.name.clone()),
            name: d.name,
            region: RegionRef::of(d.region_code, d.region_name),
            kind: d.kind.map(|k| k.as_str()),
            kind_label: d.kind.map(labels::doc_kind),
            date: d.date,
            year: d.year,
            fact_count: d.fact_count,
            ingested_at: d.ingested_at,
        }
    }
}

/// A page of documents.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DocumentPage {
    /// The documents of this page.
    pub items: Vec<DocumentSummary>,
    /// How many documents match, over all pages.
    pub total: i64,
    /// The page size.
    pub limit: u32,
    /// How many matching documents come before this page.
    pub offset: u32,
}

/// A fact with where it comes from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FactItem {
    /// The fact's id (it changes when its document is re-extracted).
    pub id: Option<i64>,
    /// The document's id.
    pub document_id: i64,
    /// The document's title.
    pub document_title: Option<String>,
    /// The position of the fact among its document's facts; `/documents/{id}#f{ord}`.
    pub ord: usize,
    /// The region of the document.
    pub region: Option<RegionRef>,
    /// Byte offset of the fact in the document's text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The number as written (`5500`, `6-6.5`, `三`).
    pub number: String,
    /// The value; the lower bound of a range.
    pub value: f64,
    /// The upper bound of a range.
    pub value_max: Option<f64>,
    /// The unit as written (`亿元`, `%`).
    pub unit: String,
    /// What the number measures, as written.
    pub indicator: String,
    /// The canonical indicator key (`gdp_growth`).
    pub indicator_key: Option<String>,
    /// The canonical indicator's Chinese name.
    pub indicator_name: Option<&'static str>,
    /// `growth` or `level`.
    pub measure: &'static str,
    /// `target` or `actual`.
    pub kind: &'static str,
    /// `exact`, `approx`, `at_least` or `at_most`.
    pub qualifier: &'static str,
    /// The year the fact is about.
    pub year: Option<i32>,
    /// The index of the fact's section in the document's outline.
    pub section: Option<usize>,
    /// The sentence the fact stands in, trimmed to about a hundred characters around it.
    pub sentence: Option<String>,
}

impl FactItem {
    pub(crate) fn new(row: FactRow, text: Option<&str>) -> FactItem {
        let mut item = FactItem::of(row.document_id, row.ord, &row.fact, text);
        item.id = Some(row.id);
        item.document_title = row.document_title;
        item.region = RegionRef::of(row.region_code, row.region_name);
        item
    }

    /// A fact of a document read whole.
    pub(crate) fn of(document_id: i64, ord: usize, f: &Fact, text: Option<&str>) -> FactItem {
        FactItem {
            id: None,
            document_id,
            document_title: None,
            ord,
            region: None,
            start: f.start,
            end: f.end,
            number: f.number.clone(),
            value: f.value,
            value_max: f.value_max,
            unit: f.unit.clone(),
            indicator: f.indicator.clone(),
            indicator_key: f.indicator_key.clone(),
            indicator_name: f.indicator_key.as_deref().and_then(labels::indicator),
            measure: f.measure.as_str(),
            kind: f.kind.as_str(),
            qualifier: f.qualifier.as_str(),
            year: f.year,
            section: f.section,
            sentence: text.map(|t| highlight::sentence(t, f.start, f.end)),
        }
    }
}

/// A page of facts.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FactPage {
    /// The facts of this page.
    pub items: Vec<FactItem>,
    /// How many facts match, over all pages.
    pub total: i64,
    /// The page size.
    pub limit: u32,
    /// How many matching facts come before this page.
    pub offset: u32,
}

/// A heading of a document's outline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SectionItem {
    /// 1 for the top level.
    pub level: u8,
    /// The numbering as written (`一、`, `（二）`).
    pub marker: String,
    /// The heading.
    pub title: String,
    /// Byte offset of the section's start in the text.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The index of the enclosing section.
    pub parent: Option<usize>,
    /// Whether it reviews past work (its facts are actuals).
    pub review: bool,
}

/// A coined term (`“三库”`) and its definition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TermItem {
    /// The term.
    pub name: String,
    /// Its definition, from the text or its glossary.
    pub definition: Option<String>,
    /// Byte offset of its first occurrence or definition.
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// How often it occurs.
    pub occurrences: usize,
}

/// A warning or note of the extractor about the document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct DiagnosticItem {
    /// `warning` or `info`.
    pub severity: &'static str,
    /// A stable code (`input.long_line`).
    pub code: String,
    /// What it means.
    pub message: String,
}

/// A document with its text and everything extracted from it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct DocumentDetail {
    /// Its listing.
    pub document: DocumentSummary,
    /// The original's media type.
    pub media_type: String,
    /// SHA-256 of the original bytes.
    pub content_hash: String,
    /// The extractor version that read it.
    pub extractor_version: String,
    /// The plan period (`[2021, 2025]`).
    pub period: Option<[i32; 2]>,
    /// The text; spans are byte offsets into it.
    pub text: String,
    /// The outline.
    pub outline: Vec<SectionItem>,
    /// The facts, in text order.
    pub facts: Vec<FactItem>,
    /// The coined terms.
    pub terms: Vec<TermItem>,
    /// The extractor's warnings and notes.
    pub diagnostics: Vec<DiagnosticItem>,
}

impl DocumentDetail {
    pub(crate) fn new(document: DocumentSummary, stored: &taizhang_store::StoredDocument) -> Self {
        let x: &Extracted = &stored.extracted;
        DocumentDetail {
            media_type: stored.media_type.clone(),
            content_hash: stored.content_hash.clone(),
            extractor_version: stored.extractor_version.clone(),
            period: x.meta.period.map(|(a, b)| [a, b]),
            outline: x
                .outline
                .iter()
                .map(|s| SectionItem {
                    level: s.level,
                    marker: s.marker.clone(),
                    title: s.title.clone(),
                    start: s.start,
                    end: s.end,
                    parent: s.parent,
                    review: s.review,
                })
                .collect(),
            facts: x
                .facts
                .iter()
                .enumerate()
                .map(|(ord, f)| {
                    let mut item = FactItem::of(document.id, ord, f, Some(&x.text));
                    item.document_title = Some(document.title.clone());
                    item.region = document.region.clone();
                    item
                })
                .collect(),
            terms: x
                .terms
                .iter()
                .map(|t| TermItem {
                    name: t.name.clone(),
                    definition: t.definition.clone(),
                    start: t.start,
                    end: t.end,
                    occurrences: t.occurrences,
                })
                .collect(),
            diagnostics: x
                .diagnostics
                .iter()
                .map(|d| DiagnosticItem {
                    severity: match d.severity {
                        taizhang_extract::Severity::Warning => "warning",
                        taizhang_extract::Severity::Info => "info",
                    },
                    code: d.code.clone(),
                    message: d.message.clone(),
                })
                .collect(),
            text: x.text.clone(),
            document,
        }
    }
}

/// A search hit.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SearchHit {
    /// The document's id.
    pub id: i64,
    /// The document's title.
    pub title: String,
    /// Relevance (BM25); higher is better.
    pub score: f32,
    /// A passage around the best match, plain text.
    pub snippet: String,
    /// Byte ranges of `snippet` that matched.
    pub highlights: Vec<[usize; 2]>,
    /// The snippet as HTML: escaped, the matches in `<mark>`.
    pub snippet_html: String,
}

/// The hits of a search.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SearchResults {
    /// The query as understood.
    pub query: String,
    /// The hits, best first.
    pub hits: Vec<SearchHit>,
}

/// What happened to one uploaded file.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UploadedFile {
    /// The file name as sent.
    pub name: String,
    /// `new`, `unchanged`, `reextracted`, `skipped` or `failed`.
    pub status: &'static str,
    /// The document's id, when stored.
    pub id: Option<i64>,
    /// How many facts were extracted, when extracted.
    pub facts: Option<usize>,
    /// Why it was skipped or failed.
    pub message: Option<String>,
}

/// The result of an upload, file by file.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UploadResult {
    /// One entry per file, in the order sent.
    pub files: Vec<UploadedFile>,
}

/// One cell of a comparison: what a region's documents say of an indicator in a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CompareCell {
    /// The key of the cell's row.
    pub row: String,
    /// The region's code, when the row is a region.
    pub region_code: Option<String>,
    /// The year.
    pub year: i32,
    /// `target` or `actual`.
    pub kind: &'static str,
    /// The value, in `unit`.
    pub value: f64,
    /// The upper bound of a range, in `unit`.
    pub value_max: Option<f64>,
    /// The unit after conversion to the comparison's unit.
    pub unit: String,
    /// `exact`, `approx`, `at_least` or `at_most`.
    pub qualifier: &'static str,
    /// The document it comes from: the latest one that states it.
    pub document_id: i64,
    /// The fact's position in that document.
    pub ord: usize,
    /// How many facts state this cell (across documents); the latest is shown.
    pub sources: usize,
    /// For a region: how the year's result stands against its target (`met`, `missed`,
    /// `no_result`, `no_target`, `not_comparable`), judged on the target set in that year's
    /// document and the result first reported after it.
    pub status: Option<&'static str>,
    /// The status in Chinese.
    pub status_label: Option<&'static str>,
    /// Why.
    pub reason: Option<String>,
}

/// A row of a comparison: a region, or a document whose region was not recognised (its
/// facts still belong together, and hiding them would hide what the user uploaded).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct CompareRow {
    /// What cells name the row by: the region code, or `document:{id}`.
    pub key: String,
    /// The region's name, or the document's title.
    pub label: String,
    /// The region's code, for a region.
    pub region_code: Option<String>,
    /// The document's id, for a document without a region.
    pub document_id: Option<i64>,
}

/// One indicator across regions and years.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Comparison {
    /// The indicator key.
    pub indicator: String,
    /// Its Chinese name.
    pub indicator_name: Option<&'static str>,
    /// The unit every cell is in, when they share one.
    pub unit: Option<String>,
    /// The rows: regions by code, then documents whose region was not recognised.
    pub rows: Vec<CompareRow>,
    /// The years, ascending.
    pub years: Vec<i32>,
    /// The cells.
    pub cells: Vec<CompareCell>,
}

/// Parameters of fact lists: the ledger, its exports and the API.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FactQuery {
    /// A region code or name; its documents and those of the regions below it.
    pub region: Option<String>,
    /// A canonical indicator key (`gdp_growth`).
    pub indicator: Option<String>,
    /// The year the facts are about.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// `target` or `actual`.
    pub kind: Option<String>,
    /// Only the facts of this document.
    #[param(value_type = Option<i64>)]
    pub document: Option<String>,
    /// `document` (the default), `year`, `value`, `region` or `indicator`.
    pub sort: Option<String>,
    /// `asc` (the default) or `desc`.
    pub order: Option<String>,
    /// The page size, 1 to 500 (50 by default).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// How many facts to skip.
    #[param(value_type = Option<u32>)]
    pub offset: Option<String>,
}

/// Parameters of document lists.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DocumentQuery {
    /// A region code or name; its documents and those of the regions below it.
    pub region: Option<String>,
    /// The kind of document (`work_report` …).
    pub kind: Option<String>,
    /// The year the document is written in.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// The page size, 1 to 500 (50 by default).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// How many documents to skip.
    #[param(value_type = Option<u32>)]
    pub offset: Option<String>,
}

/// Parameters of a search.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQueryParams {
    /// The words to find; `"…"` for a phrase.
    pub q: Option<String>,
    /// A region code or name; its documents and those of the regions below it.
    pub region: Option<String>,
    /// The kind of document.
    pub kind: Option<String>,
    /// The year the document is written in.
    #[param(value_type = Option<i32>)]
    pub year: Option<String>,
    /// The most hits, 1 to 100 (20 by default).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// How many hits to skip.
    #[param(value_type = Option<u32>)]
    pub offset: Option<String>,
}

/// Parameters of a comparison.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct CompareQuery {
    /// The indicator key (`gdp_growth`); required.
    pub indicator: Option<String>,
    /// `target` or `actual`; both by default.
    pub kind: Option<String>,
    /// Only regions within this region (code or name).
    pub region: Option<String>,
}

/// A set parameter: `None` for absent or blank (an HTML form sends empty selects).
pub(crate) fn given(p: &Option<String>) -> Option<&str> {
    p.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A number parameter, or a 400 naming it.
pub(crate) fn number<T: std::str::FromStr>(
    name: &str,
    p: &Option<String>,
) -> Result<Option<T>, ApiError> {
    given(p)
        .map(|s| {
            s.parse().map_err(|_| {
                ApiError::bad_request("bad_query", format!("{name} must be a number, not {s:?}"))
            })
        })
        .transpose()
}

/// The page size and offset, within bounds.
pub(crate) fn paging(
    limit: &Option<String>,
    offset: &Option<String>,
    default: u32,
    max: u32,
) -> Result<(u32, u32), ApiError> {
    let limit = number::<u32>("limit", limit)?.unwrap_or(default);
    if limit == 0 || limit > max {
        return Err(ApiError::bad_request("bad_query", format!("limit must be 1 to {max}")));
    }
    Ok((limit, number::<u32>("offset", offset)?.unwrap_or(0)))
}

/// A fact kind parameter.
pub(crate) fn fact_kind(p: &Option<String>) -> Result<Option<Kind>, ApiError> {
    Ok(match given(p) {
        None => None,
        Some("target") => Some(Kind::Target),
        Some("actual") => Some(Kind::Actual),
        Some(other) => {
            return Err(ApiError::bad_request(
                "bad_query",
                format!("kind must be target or actual, not {other:?}"),
            ));
        }
    })
}

/// The region prefix a region parameter (a code or a name) stands for.
pub(crate) async fn region_prefix(
    store: &Store,
    p: &Option<String>,
) -> Result<Option<String>, ApiError> {
    let Some(name) = given(p) else { return Ok(None) };
    match store.find_region(name).await? {
        Some(row) => Ok(Some(taizhang_store::region_prefix(&row.code).to_owned())),
        None => Err(ApiError::bad_request("unknown_region", format!("no region named {name:?}"))),
    }
}

impl FactQuery {
    /// The store filter for these parameters, paged.
    pub(crate) async fn filter(&self, store: &Store) -> Result<FactFilter, ApiError> {
        let (limit, offset) = paging(&self.limit, &self.offset, DEFAULT_LIMIT, MAX_LIMIT)?;
        let mut filter = self.unpaged(store).await?;
        filter.limit = Some(limit);
        filter.offset = offset;
        Ok(filter)
    }

    /// The store filter for these parameters, every row.
    pub(crate) async fn unpaged(&self, store: &Store) -> Result<FactFilter, ApiError> {
        let sort = match given(&self.sort) {
            None => FactSort::Document,
            Some(s) => FactSort::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_query",
                    format!("sort must be document, year, value, region or indicator, not {s:?}"),
                )
            })?,
        };
        let descending = match given(&self.order) {
            None | Some("asc") => false,
            Some("desc") => true,
            Some(o) => {
                return Err(ApiError::bad_request(
                    "bad_query",
                    format!("order must be asc or desc, not {o:?}"),
                ));
            }
        };
        Ok(FactFilter {
            region_prefix: region_prefix(store, &self.region).await?,
            indicator_key: given(&self.indicator).map(str::to_owned),
            year: number("year", &self.year)?,
            kind: fact_kind(&self.kind)?,
            document_id: number("document", &self.document)?,
            sort,
            descending,
            ..FactFilter::default()
        })
    }
}

impl DocumentQuery {
    /// The store filter for these parameters, paged.
    pub(crate) async fn filter(&self, store: &Store) -> Result<DocumentFilter, ApiError> {
        let (limit, offset) = paging(&self.limit, &self.offset, DEFAULT_LIMIT, MAX_LIMIT)?;
        let kind = given(&self.kind)
            .map(|k| {
                labels::parse_doc_kind(k).ok_or_else(|| {
                    ApiError::bad_request("bad_query", format!("no kind of document {k:?}"))
                })
            })
            .transpose()?;
        Ok(DocumentFilter {
            region_prefix: region_prefix(store, &self.region).await?,
            kind,
            year: number("year", &self.year)?,
            limit: Some(limit),
            offset,
            ..DocumentFilter::default()
        })
    }
}

/// The facts of `filter` with their sentences, reading the texts of their documents in one
/// query.
pub(crate) async fn fact_items(
    store: &Store,
    filter: &FactFilter,
) -> Result<Vec<FactItem>, ApiError> {
    let rows = store.facts(filter).await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| r.document_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let texts = store.texts_of(&ids).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let text = texts.get(&row.document_id).map(String::as_str);
            FactItem::new(row, text)
        })
        .collect())
}
