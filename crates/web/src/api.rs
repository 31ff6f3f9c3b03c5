//! The JSON API under `/api/v1`. Each handler's `#[utoipa::path]` is its entry in the
//! OpenAPI document, and `routes!` registers handler and entry together, so the document
//! cannot list a route that does not exist or miss one that does.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use serde::Serialize;
use taizhang_app::App;
use taizhang_app::ingest::FileOutcome;
use taizhang_index::SearchQuery;
use taizhang_store::{DocumentFilter, FactFilter, Store};
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::dto::{
    CompareQuery, Comparison, DocumentDetail, DocumentPage, DocumentQuery, DocumentSummary,
    FactItem, FactPage, FactQuery, SearchHit, SearchQueryParams, SearchResults, UploadResult,
    UploadedFile, fact_items, given, number, paging,
};
use crate::error::ErrorBody;
use crate::extractors::{P, Q};
use crate::{ApiError, Ctx, Limits, compare};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "taizhang",
        description = "台账: commitments extracted from Chinese government planning documents. \
                       Errors are `{\"error\": {\"code\", \"message\"}}` with a 4xx status for \
                       the client's mistakes and 5xx for the server's."
    ),
    tags((name = "documents"), (name = "facts"), (name = "search"), (name = "regions"))
)]
struct ApiDoc;

/// The API's routes with their OpenAPI entries.
pub(crate) fn router(limits: Limits) -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_documents, upload))
        .routes(routes!(get_document, delete_document))
        .routes(routes!(list_facts))
        .routes(routes!(facets))
        .routes(routes!(get_compare))
        .routes(routes!(search))
        .routes(routes!(get_region))
        .routes(routes!(get_tolerances))
        .routes(routes!(put_tolerance))
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Documents in the order they were stored, filtered and paged.
#[utoipa::path(
    get, path = "/api/v1/documents", tag = "documents", params(DocumentQuery),
    responses(
        (status = 200, body = DocumentPage),
        (status = 400, body = ErrorBody, description = "A parameter is malformed or names no region"),
    )
)]
async fn list_documents(State(ctx): State<Ctx>, Q(q): Q<DocumentQuery>) -> ApiResult<DocumentPage> {
    let store = ctx.app.store();
    let filter = q.filter(store).await?;
    Ok(Json(document_page(store, filter).await?))
}

pub(crate) async fn document_page(
    store: &Store,
    filter: DocumentFilter,
) -> Result<DocumentPage, ApiError> {
    let total = store.count_documents(&filter).await?;
    let items = store.documents(&filter).await?.into_iter().map(DocumentSummary::from).collect();
    Ok(DocumentPage { items, total, limit: filter.limit.unwrap_or(0), offset: filter.offset })
}

/// Uploads one or more documents (`.txt`, `.html`, `.docx`, `.pdf`) as `multipart/form-data`
/// fields named `file`. Each is stored unless the same bytes are stored already; each gets
/// its own result, and a failing file does not stop the others.
#[utoipa::path(
    post, path = "/api/v1/documents", tag = "documents",
    request_body(content_type = "multipart/form-data", description = "Fields named `file`"),
    responses(
        (status = 200, body = UploadResult, description = "One result per file"),
        (status = 400, body = ErrorBody, description = "Not a multipart body, or no file in it"),
        (status = 413, description = "The body is over the size limit"),
    )
)]
async fn upload(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<UploadResult> {
    let mut form = form.map_err(|e| ApiError {
        status: e.status(),
        code: "bad_upload",
        message: format!(
            "expected multipart/form-data with fields named `file`: {}",
            e.body_text()
        ),
    })?;
    let mut files = Vec::new();
    let bad = |e: axum::extract::multipart::MultipartError| ApiError {
        status: e.status(),
        code: "bad_upload",
        message: e.body_text(),
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let Some(name) = field.file_name().map(str::to_owned) else { continue };
        let bytes = field.bytes().await.map_err(bad)?;
        let outcome =
            ctx.app.ingest_bytes(&actor, &name, bytes.to_vec(), ctx.limits.max_file_bytes).await?;
        files.push(uploaded(name, outcome));
    }
    if files.is_empty() {
        return Err(ApiError::bad_request("bad_upload", "no file in the upload (field `file`)"));
    }
    Ok(Json(UploadResult { files }))
}

fn uploaded(name: String, outcome: FileOutcome) -> UploadedFile {
    let (status, id, facts, message) = match outcome {
        FileOutcome::New { id, facts } => ("new", Some(id), Some(facts), None),
        FileOutcome::Unchanged { id } => ("unchanged", Some(id), None, None),
        FileOutcome::Reextracted { id, facts } => ("reextracted", Some(id), Some(facts), None),
        FileOutcome::Skipped => (
            "skipped",
            None,
            None,
            Some(
                "不支持的文件类型 (not a document taizhang reads: .txt, .html, .docx, .pdf)".into(),
            ),
        ),
        FileOutcome::Failed(why) => ("failed", None, None, Some(why)),
    };
    UploadedFile { name, status, id, facts, message }
}

/// A document with its text, outline, facts (each with its sentence), terms and the
/// extractor's diagnostics.
#[utoipa::path(
    get, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 200, body = DocumentDetail),
        (status = 404, body = ErrorBody),
    )
)]
async fn get_document(State(ctx): State<Ctx>, P(id): P<i64>) -> ApiResult<DocumentDetail> {
    Ok(Json(document_detail(ctx.app.store(), id).await?))
}

/// Deletes a document with everything extracted from it, and takes it out of the search
/// index.
#[utoipa::path(
    delete, path = "/api/v1/documents/{id}", tag = "documents",
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, body = ErrorBody),
    )
)]
async fn delete_document(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
) -> Result<StatusCode, ApiError> {
    ctx.app.delete_document(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn document_detail(store: &Store, id: i64) -> Result<DocumentDetail, ApiError> {
    let Some(stored) = store.document(id).await? else {
        return Err(ApiError::not_found(format!("no document {id}")));
    };
    Ok(DocumentDetail::new(DocumentSummary::from(stored.row.clone()), &stored))
}

/// The ledger: facts across documents, filtered, sorted and paged, each with its sentence.
#[utoipa::path(
    get, path = "/api/v1/facts", tag = "facts", params(FactQuery),
    responses(
        (status = 200, body = FactPage),
        (status = 400, body = ErrorBody),
    )
)]
async fn list_facts(State(ctx): State<Ctx>, Q(q): Q<FactQuery>) -> ApiResult<FactPage> {
    let store = ctx.app.store();
    let filter = q.filter(store).await?;
    Ok(Json(fact_page(store, &filter).await?))
}

pub(crate) async fn fact_page(store: &Store, filter: &FactFilter) -> Result<FactPage, ApiError> {
    let total = store.fact_count(filter).await?;
    let items = fact_items(store, filter).await?;
    Ok(FactPage { items, total, limit: filter.limit.unwrap_or(0), offset: filter.offset })
}

/// How many facts there are of one value of a field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct FacetItem {
    /// The value (`gdp_growth`, `2025`, `520304`).
    pub value: String,
    /// Its name, where it has one.
    pub label: Option<String>,
    /// How many facts have it.
    pub count: i64,
}

/// The choices of the ledger's filters.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Facets {
    /// Indicator keys, most frequent first, labelled with their Chinese names.
    pub indicators: Vec<FacetItem>,
    /// Years, latest first.
    pub years: Vec<FacetItem>,
    /// Regions, by code, labelled with their names.
    pub regions: Vec<FacetItem>,
}

/// The indicators, years and regions the stored facts have, with counts.
#[utoipa::path(
    get, path = "/api/v1/facets", tag = "facts",
    responses((status = 200, body = Facets))
)]
async fn facets(State(ctx): State<Ctx>) -> ApiResult<Facets> {
    Ok(Json(facets_of(&ctx).await?.as_ref().clone()))
}

/// The facets, counted again only when the store has changed since they were last counted.
pub(crate) async fn facets_of(ctx: &Ctx) -> Result<Arc<Facets>, ApiError> {
    let generation = ctx.app.store().generation().await?.to_string();
    let cached = |c: &Option<(String, Arc<Facets>)>| {
        c.as_ref().filter(|(g, _)| *g == generation).map(|(_, f)| Arc::clone(f))
    };
    if let Some(f) = cached(&ctx.facets.lock().unwrap_or_else(|e| e.into_inner())) {
        return Ok(f);
    }
    let facets = Arc::new(load_facets(ctx.app.store()).await?);
    *ctx.facets.lock().unwrap_or_else(|e| e.into_inner()) = Some((generation, Arc::clone(&facets)));
    Ok(facets)
}

async fn load_facets(store: &Store) -> Result<Facets, ApiError> {
    let f = store.fact_facets().await?;
    let items = |v: Vec<taizhang_store::Facet>, name: &dyn Fn(&str) -> Option<String>| {
        v.into_iter()
            .map(|f| FacetItem {
                label: f.label.or_else(|| name(&f.value)),
                value: f.value,
                count: f.count,
            })
            .collect()
    };
    Ok(Facets {
        indicators: items(f.indicators, &|k| crate::labels::indicator(k).map(str::to_owned)),
        years: items(f.years, &|_| None),
        regions: items(f.regions, &|_| None),
    })
}

/// 对标: one indicator across regions and years. Each cell is what a region's own latest
/// document says of a year, in the unit most of the facts use.
#[utoipa::path(
    get, path = "/api/v1/compare", tag = "facts", params(CompareQuery),
    responses(
        (status = 200, body = Comparison),
        (status = 400, body = ErrorBody, description = "No indicator, or a malformed parameter"),
    )
)]
async fn get_compare(State(ctx): State<Ctx>, Q(q): Q<CompareQuery>) -> ApiResult<Comparison> {
    Ok(Json(compare::compare(&ctx.app, &q).await?))
}

/// Full-text search over the documents, with highlighted snippets.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "search", params(SearchQueryParams),
    responses(
        (status = 200, body = SearchResults),
        (status = 400, body = ErrorBody, description = "A malformed query or parameter"),
    )
)]
async fn search(State(ctx): State<Ctx>, Q(q): Q<SearchQueryParams>) -> ApiResult<SearchResults> {
    Ok(Json(run_search(&ctx, &q).await?))
}

pub(crate) async fn run_search(
    ctx: &Ctx,
    q: &SearchQueryParams,
) -> Result<SearchResults, ApiError> {
    let (limit, offset) = paging(&q.limit, &q.offset, 20, 100)?;
    let within_region = match given(&q.region) {
        None => None,
        Some(name) => match ctx.app.store().find_region(name).await? {
            Some(r) => Some(r.code),
            None => {
                return Err(ApiError::bad_request(
                    "unknown_region",
                    format!("no region named {name:?}"),
                ));
            }
        },
    };
    let query = SearchQuery {
        text: given(&q.q).unwrap_or("").to_owned(),
        within_region,
        kind: given(&q.kind).map(str::to_owned),
        year: number("year", &q.year)?,
        limit: limit as usize,
        offset: offset as usize,
        ..SearchQuery::default()
    };
    let app = ctx.app.clone();
    let hits = tokio::task::spawn_blocking(move || app.search(&query))
        .await
        .map_err(|e| ApiError::internal(&e))??;
    Ok(SearchResults {
        query: given(&q.q).unwrap_or("").to_owned(),
        hits: hits
            .into_iter()
            .map(|h| SearchHit {
                snippet_html: h.snippet_html(),
                id: h.id,
                title: h.title,
                score: h.score,
                snippet: h.snippet,
                highlights: h.highlights.into_iter().map(|(a, b)| [a, b]).collect(),
            })
            .collect(),
    })
}

/// A region with what its own documents say, year by year.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegionDetail {
    /// GB/T 2260 code.
    pub code: String,
    /// The name.
    pub name: String,
    /// `province`, `prefecture` or `county`.
    pub level: &'static str,
    /// The region one level up.
    pub parent: Option<crate::dto::RegionRef>,
    /// The regions one level down that have documents.
    pub children: Vec<crate::dto::RegionRef>,
    /// The region's own documents.
    pub documents: Vec<DocumentSummary>,
    /// Each indicator's targets beside the results reported later, by year; by key.
    pub indicators: Vec<IndicatorTrack>,
    /// Its facts by year, latest first; facts without a year are left out.
    pub years: Vec<RegionYear>,
}

/// One indicator of a region: each year's target and result and how they compare.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct IndicatorTrack {
    /// The indicator key (`gdp_growth`).
    pub indicator: String,
    /// Its Chinese name.
    pub indicator_name: Option<&'static str>,
    /// The years, in order.
    pub years: Vec<TrackYear>,
}

/// A year of an [`IndicatorTrack`].
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TrackYear {
    /// The year.
    pub year: i32,
    /// The target set for the year (in that year's document, or the latest earlier one).
    pub target: Option<TrackFigure>,
    /// The result first reported for it in a later document.
    pub actual: Option<TrackFigure>,
    /// `met`, `missed`, `no_result`, `no_target` or `not_comparable`.
    pub status: &'static str,
    /// The status in Chinese.
    pub status_label: &'static str,
    /// Why: the comparison made, or why none could be.
    pub reason: Option<String>,
}

/// A target or a result, with where it is stated.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TrackFigure {
    /// The value; the lower bound of a range.
    pub value: f64,
    /// The upper bound of a range.
    pub value_max: Option<f64>,
    /// The unit as written.
    pub unit: String,
    /// `exact`, `approx`, `at_least` or `at_most`.
    pub qualifier: &'static str,
    /// The figure as written back (`6%左右`).
    pub text: String,
    /// The indicator as written there.
    pub indicator: String,
    /// The document.
    pub document_id: i64,
    /// Its title.
    pub document_title: Option<String>,
    /// The fact's position among the document's facts; `/documents/{id}#f{ord}`.
    pub ord: usize,
    /// The sentence it stands in.
    pub sentence: String,
}

impl From<&taizhang_app::track::Observation> for TrackFigure {
    fn from(o: &taizhang_app::track::Observation) -> TrackFigure {
        TrackFigure {
            value: o.value,
            value_max: o.value_max,
            unit: o.unit.clone(),
            qualifier: o.qualifier.as_str(),
            text: taizhang_app::track::figure(o),
            indicator: o.indicator.clone(),
            document_id: o.document_id,
            document_title: o.document_title.clone(),
            ord: o.ord,
            sentence: o.sentence.clone(),
        }
    }
}

impl From<taizhang_app::track::Linked> for IndicatorTrack {
    fn from(l: taizhang_app::track::Linked) -> IndicatorTrack {
        IndicatorTrack {
            indicator_name: crate::labels::indicator(&l.indicator),
            indicator: l.indicator,
            years: l
                .years
                .iter()
                .map(|y| TrackYear {
                    year: y.year,
                    target: y.target.as_ref().map(TrackFigure::from),
                    actual: y.actual.as_ref().map(TrackFigure::from),
                    status: y.status.as_str(),
                    status_label: y.status.label(),
                    reason: y.reason.clone(),
                })
                .collect(),
        }
    }
}

/// A region's targets and results for one year.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RegionYear {
    /// The year.
    pub year: i32,
    /// Targets set for the year.
    pub targets: Vec<FactItem>,
    /// Results reported for the year.
    pub actuals: Vec<FactItem>,
}

/// A region (by GB/T 2260 code or name): its documents, each indicator's targets beside
/// the results reported later, and all its facts by year.
#[utoipa::path(
    get, path = "/api/v1/regions/{code}", tag = "regions",
    params(("code" = String, Path, description = "GB/T 2260 code (520304) or name (播州区)")),
    responses(
        (status = 200, body = RegionDetail),
        (status = 400, body = ErrorBody, description = "An ambiguous name"),
        (status = 404, body = ErrorBody),
    )
)]
async fn get_region(State(ctx): State<Ctx>, P(code): P<String>) -> ApiResult<RegionDetail> {
    Ok(Json(region_detail(&ctx.app, &code).await?))
}

pub(crate) async fn region_detail(app: &App, code: &str) -> Result<RegionDetail, ApiError> {
    let store = app.store();
    let Some(region) = store.find_region(code).await? else {
        return Err(ApiError::not_found(format!("no region {code:?}")));
    };
    let parent = match &region.parent_code {
        Some(p) => store
            .region(p)
            .await?
            .map(|r| crate::dto::RegionRef { code: r.code, name: Some(r.name) }),
        None => None,
    };
    let own =
        DocumentFilter { region_code: Some(region.code.clone()), ..DocumentFilter::default() };
    let documents = store.documents(&own).await?.into_iter().map(DocumentSummary::from).collect();
    let below = DocumentFilter {
        region_prefix: Some(taizhang_store::region_prefix(&region.code).to_owned()),
        ..DocumentFilter::default()
    };
    let mut children: Vec<crate::dto::RegionRef> = Vec::new();
    for d in store.documents(&below).await? {
        if let Some(c) = d.region_code.filter(|c| *c != region.code)
            && !children.iter().any(|r| r.code == c)
        {
            children.push(crate::dto::RegionRef { code: c, name: d.region_name });
        }
    }
    children.sort_by(|a, b| a.code.cmp(&b.code));
    let filter = FactFilter {
        region_code: Some(region.code.clone()),
        sort: taizhang_store::FactSort::Year,
        descending: true,
        ..FactFilter::default()
    };
    let mut years: Vec<RegionYear> = Vec::new();
    for fact in fact_items(store, &filter).await? {
        let Some(year) = fact.year else { continue };
        if years.last().is_none_or(|y| y.year != year) {
            years.push(RegionYear { year, targets: Vec::new(), actuals: Vec::new() });
        }
        let Some(y) = years.last_mut() else { continue };
        if fact.kind == "target" { y.targets.push(fact) } else { y.actuals.push(fact) }
    }
    let tracks = app.track_region(&region.code, &app.tolerances().await?).await?;
    let indicators = tracks.into_iter().map(IndicatorTrack::from).collect();
    Ok(RegionDetail {
        code: region.code,
        name: region.name,
        level: match region.level {
            taizhang_extract::Level::Province => "province",
            taizhang_extract::Level::Prefecture => "prefecture",
            taizhang_extract::Level::County => "county",
        },
        parent,
        children,
        documents,
        indicators,
        years,
    })
}

/// The tolerances set per indicator.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TolerancesBody {
    /// By indicator key: how far a result may fall from an approximate target (6%左右) and
    /// still meet it, in the target's unit. Indicators not listed take the default: half a
    /// point for rates, 2% of the target otherwise.
    pub tolerances: std::collections::BTreeMap<String, f64>,
}

/// A tolerance to set.
#[derive(Debug, serde::Deserialize, ToSchema)]
pub(crate) struct ToleranceBody {
    /// In the target's unit, zero or more; `null` goes back to the default.
    pub tolerance: Option<f64>,
}

/// The tolerances for approximate targets, set per indicator.
#[utoipa::path(
    get, path = "/api/v1/tolerances", tag = "regions",
    responses((status = 200, body = TolerancesBody))
)]
async fn get_tolerances(State(ctx): State<Ctx>) -> ApiResult<TolerancesBody> {
    Ok(Json(TolerancesBody { tolerances: ctx.app.tolerances().await?.by_indicator }))
}

/// Sets the tolerance for an indicator's approximate targets, or clears it with `null`.
#[utoipa::path(
    put, path = "/api/v1/tolerances/{indicator}", tag = "regions", request_body = ToleranceBody,
    params(("indicator" = String, Path, description = "The indicator key (gdp_growth)")),
    responses((status = 200, body = TolerancesBody), (status = 400, body = ErrorBody))
)]
async fn put_tolerance(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(indicator): P<String>,
    body: Result<Json<ToleranceBody>, axum::extract::rejection::JsonRejection>,
) -> ApiResult<TolerancesBody> {
    let body = crate::ledger::json_body(body)?;
    let tolerances = ctx.app.set_tolerance(&actor, &indicator, body.tolerance).await?;
    Ok(Json(TolerancesBody { tolerances: tolerances.by_indicator }))
}
