//! The pages, in Chinese: 文件库 (documents), 指标台账 (the ledger), 对标 (comparison),
//! 区域 (regions) and 搜索 (search). Each is rendered on the server from the same
//! functions the JSON API uses; the few scripts (upload progress, the chart) are in
//! `static/app.js`.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use taizhang_extract::Kind;
use taizhang_store::FactSort;

use crate::api::{self, FacetItem};
use crate::auth::User;
use crate::dto::{
    CompareQuery, Comparison, DocumentDetail, DocumentPage, DocumentQuery, FactItem, FactPage,
    FactQuery, SearchQueryParams, SearchResults, given,
};
use crate::extractors::{P, Q};
use crate::ledger::url;
use crate::{ApiError, Ctx, compare, export, highlight, labels};

pub(crate) fn router() -> Router<Ctx> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/documents") }))
        .route("/documents", get(documents))
        .route("/documents/{id}", get(document))
        .route("/documents/{id}/original", get(original))
        .route("/facts", get(facts))
        .route("/facts.xlsx", get(facts_xlsx))
        .route("/facts.csv", get(facts_csv))
        .route("/compare", get(compare_page))
        .route("/regions", get(regions))
        .route("/regions/{code}", get(region))
        .route("/tolerances", axum::routing::post(set_tolerance))
        .route("/search", get(search))
}

/// An error shown as a page, with the API error's status.
pub(crate) struct PageError(ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl From<taizhang_app::Error> for PageError {
    fn from(e: taizhang_app::Error) -> PageError {
        PageError(e.into())
    }
}

impl From<taizhang_store::Error> for PageError {
    fn from(e: taizhang_store::Error) -> PageError {
        PageError(e.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nav: &'static str,
    title: String,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "找不到页面".to_owned(),
            s if s.is_client_error() => "请求有误".to_owned(),
            _ => "出错了".to_owned(),
        };
        let page = ErrorPage { nav: "", title, message: self.0.message.clone() };
        match page.render() {
            Ok(html) => (self.0.status, Html(html)).into_response(),
            Err(_) => self.0.into_response(),
        }
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

pub(crate) fn render(t: &impl Template) -> PageResult {
    match t.render() {
        Ok(html) => Ok(Html(html).into_response()),
        Err(e) => Err(PageError(ApiError::internal(&e))),
    }
}

/// A form's fields, or a 400 saying what is wrong with them.
pub(crate) fn form_body<T>(
    form: Result<axum::extract::Form<T>, axum::extract::rejection::FormRejection>,
) -> Result<T, ApiError> {
    form.map(|axum::extract::Form(t)| t)
        .map_err(|e| ApiError::bad_request("bad_form", format!("表单有误：{}", e.body_text())))
}

/// The rows of a form that edits a table: its fields named `field.i` grouped by row `i`, in
/// row order, each value trimmed. Fields not so named (`_csrf`) are left out.
pub(crate) fn form_rows(body: &[u8]) -> std::collections::BTreeMap<usize, Vec<(String, String)>> {
    let mut rows: std::collections::BTreeMap<usize, Vec<(String, String)>> =
        std::collections::BTreeMap::new();
    for (k, v) in form_urlencoded::parse(body) {
        let Some((field, i)) = k.split_once('.') else { continue };
        let Ok(i) = i.parse::<usize>() else { continue };
        rows.entry(i).or_default().push((field.to_owned(), v.trim().to_owned()));
    }
    rows
}

/// The page for any path that is not a route.
pub(crate) async fn not_found() -> Response {
    PageError(ApiError::not_found("没有这个页面。")).into_response()
}

/// A choice of a `<select>`.
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

fn choices(
    items: impl IntoIterator<Item = (String, String)>,
    current: Option<&str>,
) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice { selected: current == Some(value.as_str()), value, label })
        .collect()
}

fn facet_choices(items: &[FacetItem], current: Option<&str>, with_code: bool) -> Vec<Choice> {
    choices(
        items.iter().map(|f| {
            let name = f.label.clone().unwrap_or_else(|| f.value.clone());
            let label = if with_code && f.label.is_some() {
                format!("{name}（{}）· {}", f.value, f.count)
            } else {
                format!("{name} · {}", f.count)
            };
            (f.value.clone(), label)
        }),
        current,
    )
}

/// The kinds of document, for a filter.
fn doc_kind_choices(current: Option<&str>) -> Vec<Choice> {
    let kinds = labels::DOC_KINDS.iter();
    choices(kinds.map(|k| (k.as_str().to_owned(), labels::doc_kind(*k).to_owned())), current)
}

/// Targets and actuals, for a filter.
fn fact_kind_choices(current: Option<&str>) -> Vec<Choice> {
    let kinds = [Kind::Target, Kind::Actual];
    choices(kinds.map(|k| (k.as_str().to_owned(), labels::kind(k).to_owned())), current)
}

/// The links of a paged list.
pub(crate) struct Pager {
    pub(crate) from: u32,
    pub(crate) to: u32,
    pub(crate) total: i64,
    pub(crate) prev: Option<String>,
    pub(crate) next: Option<String>,
}

impl Pager {
    /// `pairs` are the list's parameters without `offset`.
    pub(crate) fn new(
        path: &str,
        pairs: &[(&str, String)],
        total: i64,
        limit: u32,
        offset: u32,
        shown: usize,
    ) -> Pager {
        let link = |offset: u32| {
            let mut p: Vec<(&str, String)> = pairs.to_vec();
            if offset > 0 {
                p.push(("offset", offset.to_string()));
            }
            url(path, &p)
        };
        Pager {
            from: if shown == 0 { 0 } else { offset + 1 },
            to: offset + shown as u32,
            total,
            prev: (offset > 0).then(|| link(offset.saturating_sub(limit))),
            next: (i64::from(offset) + (shown as i64) < total).then(|| link(offset + limit)),
        }
    }
}

fn opt(p: &Option<String>) -> String {
    given(p).unwrap_or("").to_owned()
}

// ---- 文件库 ----

struct DocRow {
    id: i64,
    title: String,
    name: String,
    region: String,
    region_code: String,
    kind: String,
    date: String,
    fact_count: i64,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    nav: &'static str,
    rows: Vec<DocRow>,
    pager: Pager,
    regions: Vec<Choice>,
    kinds: Vec<Choice>,
    year: String,
    max_mb: u64,
}

async fn documents(State(ctx): State<Ctx>, q: Result<Q<DocumentQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let store = ctx.app.store();
    let filter = q.filter(store).await?;
    let DocumentPage { items, total, limit, offset } = api::document_page(store, filter).await?;
    let facets = api::facets_of(&ctx).await?;
    let pairs = [("region", opt(&q.region)), ("kind", opt(&q.kind)), ("year", opt(&q.year))];
    let pager = Pager::new("/documents", &pairs, total, limit, offset, items.len());
    let rows = items
        .into_iter()
        .map(|d| DocRow {
            id: d.id,
            title: d.title,
            name: d.name,
            region: d.region.as_ref().and_then(|r| r.name.clone()).unwrap_or_default(),
            region_code: d.region.map(|r| r.code).unwrap_or_default(),
            kind: d.kind_label.unwrap_or("").to_owned(),
            date: d.date.or_else(|| d.year.map(|y| y.to_string())).unwrap_or_default(),
            fact_count: d.fact_count,
        })
        .collect();
    render(&DocumentsPage {
        nav: "documents",
        rows,
        pager,
        regions: facet_choices(&facets.regions, given(&q.region), true),
        kinds: doc_kind_choices(given(&q.kind)),
        year: opt(&q.year),
        max_mb: ctx.limits.max_file_bytes >> 20,
    })
}

struct OutlineItem {
    index: usize,
    level: u8,
    label: String,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentView {
    nav: &'static str,
    d: DocumentDetail,
    text_html: String,
    outline: Vec<OutlineItem>,
    targets: usize,
    actuals: usize,
}

async fn document(State(ctx): State<Ctx>, id: Result<P<i64>, ApiError>) -> PageResult {
    let P(id) = id?;
    let store = ctx.app.store();
    let Some(stored) = store.document(id).await? else {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的文件。")).into());
    };
    let text_html = highlight::document_html(&stored.extracted, stored.row.region_code.as_deref());
    let d = DocumentDetail::new(stored.row.clone().into(), &stored);
    let outline = d
        .outline
        .iter()
        .enumerate()
        .map(|(index, s)| OutlineItem {
            index,
            level: s.level.clamp(1, 4),
            label: format!("{}{}", s.marker, s.title),
        })
        .collect();
    let targets = d.facts.iter().filter(|f| f.kind == "target").count();
    render(&DocumentView {
        nav: "documents",
        targets,
        actuals: d.facts.len() - targets,
        d,
        text_html,
        outline,
    })
}

async fn original(State(ctx): State<Ctx>, id: Result<P<i64>, ApiError>) -> PageResult {
    let P(id) = id?;
    let Some((name, media_type, bytes)) = ctx.app.store().original(id).await? else {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的文件。")).into());
    };
    let encoded: String = form_urlencoded::byte_serialize(name.as_bytes()).collect();
    Ok((
        [
            (header::CONTENT_TYPE, media_type),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response())
}

// ---- 指标台账 ----

struct FactView {
    f: FactItem,
    region: String,
    indicator: String,
    kind_label: &'static str,
    value: String,
    link: String,
}

impl FactView {
    fn new(f: FactItem) -> FactView {
        FactView {
            region: f.region.as_ref().and_then(|r| r.name.clone()).unwrap_or_default(),
            indicator: if f.indicator.is_empty() {
                f.indicator_name.unwrap_or("").to_owned()
            } else {
                f.indicator.clone()
            },
            kind_label: if f.kind == "target" { "目标" } else { "实际" },
            value: format!(
                "{}{}{}",
                labels::value(f.value, f.value_max),
                f.unit,
                labels::qualifier_named(f.qualifier)
            ),
            link: format!("/documents/{}#f{}", f.document_id, f.ord),
            f,
        }
    }
}

struct SortLink {
    label: &'static str,
    href: String,
    arrow: &'static str,
}

#[derive(Template)]
#[template(path = "facts.html")]
struct FactsPage {
    nav: &'static str,
    rows: Vec<FactView>,
    pager: Pager,
    regions: Vec<Choice>,
    indicators: Vec<Choice>,
    years: Vec<Choice>,
    kinds: Vec<Choice>,
    document: String,
    sorts: Vec<SortLink>,
    xlsx: String,
    csv: String,
}

fn fact_pairs(q: &FactQuery) -> Vec<(&'static str, String)> {
    vec![
        ("region", opt(&q.region)),
        ("indicator", opt(&q.indicator)),
        ("year", opt(&q.year)),
        ("kind", opt(&q.kind)),
        ("document", opt(&q.document)),
        ("sort", opt(&q.sort)),
        ("order", opt(&q.order)),
    ]
}

async fn facts(State(ctx): State<Ctx>, q: Result<Q<FactQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let store = ctx.app.store();
    let filter = q.filter(store).await?;
    let FactPage { items, total, limit, offset } = api::fact_page(store, &filter).await?;
    let facets = api::facets_of(&ctx).await?;
    let pairs = fact_pairs(&q);
    let pager = Pager::new("/facts", &pairs, total, limit, offset, items.len());
    let sorts = [
        (FactSort::Region, "地区"),
        (FactSort::Indicator, "指标"),
        (FactSort::Year, "年份"),
        (FactSort::Value, "数值"),
        (FactSort::Document, "文件"),
    ]
    .into_iter()
    .map(|(sort, label)| {
        let current = filter.sort == sort;
        let descending = current && !filter.descending;
        let mut p: Vec<(&str, String)> =
            pairs.iter().filter(|(k, _)| *k != "sort" && *k != "order").cloned().collect();
        p.push(("sort", sort.as_str().to_owned()));
        if descending {
            p.push(("order", "desc".to_owned()));
        }
        let arrow = match (current, filter.descending) {
            (false, _) => "",
            (true, false) => "▲",
            (true, true) => "▼",
        };
        SortLink { label, href: url("/facts", &p), arrow }
    })
    .collect();
    render(&FactsPage {
        nav: "facts",
        rows: items.into_iter().map(FactView::new).collect(),
        pager,
        regions: facet_choices(&facets.regions, given(&q.region), true),
        indicators: facet_choices(&facets.indicators, given(&q.indicator), true),
        years: facet_choices(&facets.years, given(&q.year), false),
        kinds: fact_kind_choices(given(&q.kind)),
        document: opt(&q.document),
        sorts,
        xlsx: url("/facts.xlsx", &pairs),
        csv: url("/facts.csv", &pairs),
    })
}

/// Every fact of the ledger's current view (all pages), for an export.
async fn export_rows(ctx: &Ctx, q: &FactQuery) -> Result<Vec<FactItem>, PageError> {
    let store = ctx.app.store();
    let mut filter = q.unpaged(store).await?;
    filter.limit = Some(ctx.limits.max_export_rows);
    Ok(crate::dto::fact_items(store, &filter).await?)
}

fn download(bytes: Vec<u8>, media_type: &'static str, name: &str) -> Response {
    let fallback = format!("taizhang.{}", name.rsplit('.').next().unwrap_or("bin"));
    export::download(media_type, &fallback, name, bytes)
}

async fn facts_xlsx(State(ctx): State<Ctx>, q: Result<Q<FactQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let rows = export_rows(&ctx, &q).await?;
    let bytes = export::xlsx(&rows).map_err(|e| ApiError::internal(&e))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "指标台账.xlsx",
    ))
}

async fn facts_csv(State(ctx): State<Ctx>, q: Result<Q<FactQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let rows = export_rows(&ctx, &q).await?;
    let bytes = export::csv(&rows).map_err(|e| ApiError::internal(&e))?;
    Ok(download(bytes, "text/csv; charset=utf-8", "指标台账.csv"))
}

// ---- 对标 ----

struct CompareLine {
    href: String,
    name: String,
    cells: Vec<CompareCellView>,
}

/// A cell of the comparison table: the figures, and the year's verdict (status, label,
/// reason) where a target and a result were both stated.
struct CompareCellView {
    text: String,
    verdict: Option<(&'static str, &'static str, String)>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    nav: &'static str,
    indicators: Vec<Choice>,
    kinds: Vec<Choice>,
    region: String,
    c: Option<Comparison>,
    rows: Vec<CompareLine>,
    chart_json: String,
}

async fn compare_page(State(ctx): State<Ctx>, q: Result<Q<CompareQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let facets = api::facets_of(&ctx).await?;
    let mut q = q;
    if given(&q.indicator).is_none() {
        q.indicator = facets.indicators.first().map(|f| f.value.clone());
    }
    let c = match given(&q.indicator) {
        Some(_) => Some(compare::compare(&ctx.app, &q).await?),
        None => None,
    };
    let mut rows = Vec::new();
    let mut chart_json = String::from("null");
    if let Some(c) = &c {
        for r in &c.rows {
            let cells = c
                .years
                .iter()
                .map(|&year| {
                    let cell = |kind: &str| {
                        c.cells.iter().find(|x| x.row == r.key && x.year == year && x.kind == kind)
                    };
                    let show = |x: &crate::dto::CompareCell, tag: &str| {
                        let q = labels::qualifier_named(x.qualifier);
                        format!("{tag}{}{q}", labels::value(x.value, x.value_max))
                    };
                    let text = match (cell("actual"), cell("target")) {
                        (Some(a), Some(t)) => format!("{} / {}", show(a, ""), show(t, "目标 ")),
                        (Some(a), None) => show(a, ""),
                        (None, Some(t)) => show(t, "目标 "),
                        (None, None) => String::new(),
                    };
                    // The verdict where there is one to give: both figures stated.
                    let verdict = cell("actual").or(cell("target")).and_then(|x| {
                        let shown = matches!(x.status, Some("met" | "missed" | "not_comparable"));
                        Some((x.status?, x.status_label?, x.reason.clone().unwrap_or_default()))
                            .filter(|_| shown)
                    });
                    CompareCellView { text, verdict }
                })
                .collect();
            let href = match (&r.region_code, r.document_id) {
                (Some(code), _) => format!("/regions/{code}"),
                (None, Some(id)) => format!("/documents/{id}"),
                (None, None) => String::new(),
            };
            let name = match r.region_code {
                Some(_) => r.label.clone(),
                None => format!("{}（未识别地区）", r.label),
            };
            rows.push(CompareLine { href, name, cells });
        }
        chart_json = chart_option(c);
    }
    render(&ComparePage {
        nav: "compare",
        indicators: facet_choices(&facets.indicators, given(&q.indicator), true),
        kinds: fact_kind_choices(given(&q.kind)),
        region: opt(&q.region),
        c,
        rows,
        chart_json,
    })
}

/// The chart's data as JSON, for `static/app.js` to hand to ECharts: a line per region and
/// kind over the years, each with its region's code so that a region's two lines can share
/// a colour. `<` is escaped so the JSON cannot close its `<script>` element.
fn chart_option(c: &Comparison) -> String {
    let mut series = Vec::new();
    for r in &c.rows {
        for (kind, label) in [("actual", "实际"), ("target", "目标")] {
            let data: Vec<serde_json::Value> = c
                .years
                .iter()
                .map(|&y| {
                    c.cells
                        .iter()
                        .find(|x| x.row == r.key && x.year == y && x.kind == kind)
                        .map_or(serde_json::Value::Null, |x| serde_json::json!(x.value))
                })
                .collect();
            if data.iter().all(serde_json::Value::is_null) {
                continue;
            }
            let name = format!("{}·{label}", r.label);
            series.push(
                serde_json::json!({ "name": name, "region": r.key, "kind": kind, "data": data }),
            );
        }
    }
    let title = c.indicator_name.unwrap_or(&c.indicator);
    let v = serde_json::json!({
        "title": title,
        "unit": c.unit,
        "years": c.years.iter().map(|y| y.to_string()).collect::<Vec<_>>(),
        "series": series,
    });
    v.to_string().replace('<', "\\u003c")
}

// ---- 区域 ----

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    nav: &'static str,
    regions: Vec<FacetItem>,
}

async fn regions(State(ctx): State<Ctx>) -> PageResult {
    let facets = api::facets_of(&ctx).await?;
    render(&RegionsPage { nav: "regions", regions: facets.regions.clone() })
}

struct YearView {
    year: i32,
    targets: Vec<FactView>,
    actuals: Vec<FactView>,
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    nav: &'static str,
    r: api::RegionDetail,
    /// The years any indicator has, for the overview's columns.
    track_years: Vec<i32>,
    tracks: Vec<TrackView>,
    years: Vec<YearView>,
}

/// One indicator on a region's page: its overview row, its table and its chart.
struct TrackView {
    key: String,
    name: String,
    /// The tolerance set for its approximate targets, empty for the default.
    tolerance: String,
    /// One per overview column.
    cells: Vec<Option<TrackCell>>,
    rows: Vec<TrackCell>,
    met: usize,
    missed: usize,
    chart_json: String,
}

/// A year of an indicator as shown.
#[derive(Clone)]
struct TrackCell {
    year: i32,
    status: &'static str,
    status_label: &'static str,
    reason: String,
    target: Option<(String, String, String)>,
    actual: Option<(String, String, String)>,
}

impl TrackView {
    fn new(t: &api::IndicatorTrack, columns: &[i32], tolerance: Option<f64>) -> TrackView {
        let figure = |f: &Option<api::TrackFigure>| {
            f.as_ref().map(|f| {
                let link = format!("/documents/{}#f{}", f.document_id, f.ord);
                (f.text.clone(), link, f.sentence.clone())
            })
        };
        let rows: Vec<TrackCell> = t
            .years
            .iter()
            .map(|y| TrackCell {
                year: y.year,
                status: y.status,
                status_label: y.status_label,
                reason: y.reason.clone().unwrap_or_default(),
                target: figure(&y.target),
                actual: figure(&y.actual),
            })
            .collect();
        let cells = columns.iter().map(|&c| rows.iter().find(|r| r.year == c).cloned()).collect();
        let count = |s: &str| t.years.iter().filter(|y| y.status == s).count();
        TrackView {
            key: t.indicator.clone(),
            name: t.indicator_name.map_or_else(|| t.indicator.clone(), str::to_owned),
            tolerance: tolerance.map(|t| t.to_string()).unwrap_or_default(),
            cells,
            met: count("met"),
            missed: count("missed"),
            rows,
            chart_json: track_chart(t),
        }
    }
}

/// An indicator's chart as the comparison chart's JSON: its targets dashed and its results
/// solid over the years, in the unit of its first figure.
fn track_chart(t: &api::IndicatorTrack) -> String {
    let first = t.years.iter().find_map(|y| y.target.as_ref().or(y.actual.as_ref()));
    let unit = first.map(|f| f.unit.clone());
    let value = |f: &Option<api::TrackFigure>| {
        let (Some(f), Some(unit)) = (f, &unit) else { return serde_json::Value::Null };
        taizhang_app::track::in_unit(f.value, &f.unit, unit)
            .map_or(serde_json::Value::Null, |v| serde_json::json!(v))
    };
    let series: Vec<serde_json::Value> = [("actual", "实绩"), ("target", "目标")]
        .into_iter()
        .map(|(kind, name)| {
            let data: Vec<serde_json::Value> = t
                .years
                .iter()
                .map(|y| value(if kind == "target" { &y.target } else { &y.actual }))
                .collect();
            serde_json::json!({ "name": name, "region": "", "kind": kind, "data": data })
        })
        .collect();
    let v = serde_json::json!({
        "unit": unit,
        "years": t.years.iter().map(|y| y.year.to_string()).collect::<Vec<_>>(),
        "series": series,
    });
    v.to_string().replace('<', "\\u003c")
}

async fn region(State(ctx): State<Ctx>, code: Result<P<String>, ApiError>) -> PageResult {
    let P(code) = code?;
    let mut r = api::region_detail(&ctx.app, &code).await?;
    let years = std::mem::take(&mut r.years)
        .into_iter()
        .map(|y| YearView {
            year: y.year,
            targets: y.targets.into_iter().map(FactView::new).collect(),
            actuals: y.actuals.into_iter().map(FactView::new).collect(),
        })
        .collect();
    let mut track_years: Vec<i32> =
        r.indicators.iter().flat_map(|t| t.years.iter().map(|y| y.year)).collect();
    track_years.sort_unstable();
    track_years.dedup();
    let tolerances = ctx.app.tolerances().await.map_err(ApiError::from)?;
    let tracks = r
        .indicators
        .iter()
        .map(|t| {
            let tolerance = tolerances.by_indicator.get(&t.indicator).copied();
            TrackView::new(t, &track_years, tolerance)
        })
        .collect();
    render(&RegionPage { nav: "regions", r, track_years, tracks, years })
}

/// The tolerance form of a region's indicator.
#[derive(serde::Deserialize)]
struct ToleranceForm {
    indicator: String,
    /// Blank for the default.
    tolerance: String,
    /// The region page to go back to.
    back: String,
}

async fn set_tolerance(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<axum::extract::Form<ToleranceForm>, axum::extract::rejection::FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    let tolerance = match f.tolerance.trim() {
        "" => None,
        t => Some(t.parse::<f64>().map_err(|_| {
            ApiError::bad_request("invalid", format!("允许偏差应为数字，实为“{t}”"))
        })?),
    };
    ctx.app.set_tolerance(&actor, &f.indicator, tolerance).await.map_err(ApiError::from)?;
    // Back to a region's page only: never to another site.
    let back = match f.back.strip_prefix("/regions/") {
        Some(code) if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) => {
            format!("/regions/{code}#t-{}", f.indicator.trim())
        }
        _ => "/regions".to_owned(),
    };
    Ok(Redirect::to(&back).into_response())
}

// ---- 搜索 ----

struct HitView {
    id: i64,
    title: String,
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: &'static str,
    q: String,
    regions: Vec<Choice>,
    kinds: Vec<Choice>,
    year: String,
    results: Option<SearchResults>,
    hits: Vec<HitView>,
}

async fn search(State(ctx): State<Ctx>, q: Result<Q<SearchQueryParams>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let facets = api::facets_of(&ctx).await?;
    let asked = given(&q.q).is_some() || given(&q.region).is_some() || given(&q.kind).is_some();
    let results = if asked { Some(api::run_search(&ctx, &q).await?) } else { None };
    let hits = results
        .iter()
        .flat_map(|r| &r.hits)
        .map(|h| HitView { id: h.id, title: h.title.clone(), snippet_html: h.snippet_html.clone() })
        .collect();
    render(&SearchPage {
        nav: "search",
        q: opt(&q.q),
        regions: facet_choices(&facets.regions, given(&q.region), true),
        kinds: doc_kind_choices(given(&q.kind)),
        year: opt(&q.year),
        results,
        hits,
    })
}
