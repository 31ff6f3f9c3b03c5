//! Assessment (考核): the pages under `/assess` and the JSON API under `/api/v1/schemes`. A scheme travels as the JSON
//! that `taizhang_app::assess::Scheme` reads and writes, so what the API returns for a
//! scheme is its export, and what it takes is an import.

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::assess::{self, Assessment, Gather, Input, Scheme, format_points};
use taizhang_app::ledger::date::Date;
use utoipa::{OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::error::ErrorBody;
use crate::extractors::{P, Q};
use crate::ledger::json_body;
use crate::pages::{PageError, PageResult, form_body, render};
use crate::{ApiError, Ctx};

impl From<assess::Error> for ApiError {
    fn from(e: assess::Error) -> ApiError {
        match e {
            assess::Error::Scheme(s) => ApiError::bad_request("invalid_scheme", s.to_string()),
            assess::Error::Invalid(m) => ApiError::bad_request("invalid", m),
            assess::Error::App(e) => e.into(),
            assess::Error::Ledger(e) => e.into(),
        }
    }
}

#[derive(OpenApi)]
#[openapi(tags((name = "assess", description = "考核: schemes, scores, rankings, 红黑榜")))]
struct AssessDoc;

/// The assessment API routes with their OpenAPI entries.
pub(crate) fn api() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(AssessDoc::openapi())
        .routes(routes!(list_schemes, create_scheme))
        .routes(routes!(get_scheme, update_scheme, delete_scheme))
        .routes(routes!(run_scheme))
        .routes(routes!(get_inputs, put_inputs))
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// A scheme as JSON: `name`, `year`, `indicators` (each with `key`, `name`, `weight`,
/// `method` — `{"kind": "ratio", "cap": 1.2}`, `{"kind": "bands", "on": "rate", "bands":
/// [{"threshold": 100, "points": 10}]}`, `{"kind": "deduction", "per_occurrence": 1,
/// "max": 5}`, `{"kind": "veto", "floor": 0}` — `lower_is_better` and `source`),
/// `missing` and `lists`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub(crate) struct SchemeJson(Scheme);

/// A stored scheme in a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SchemeSummary {
    /// Its id.
    id: i64,
    /// Its name.
    name: String,
    /// The year it assesses.
    year: Option<i32>,
    /// How many indicators it has.
    indicators: usize,
    /// Its full marks (满分).
    full_marks: f64,
    /// When it was last changed (RFC 3339).
    updated_at: String,
}

/// Every stored scheme.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SchemeList {
    /// The latest year first, then by name.
    items: Vec<SchemeSummary>,
}

/// The id of what was made.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Created {
    /// Its id.
    id: i64,
}

/// What a run takes: where to gather inputs, the inputs entered by hand, and whether to
/// save it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct RunBody {
    /// The year of targets and results; the scheme's when absent.
    year: Option<i32>,
    /// Only regions whose code starts with this.
    region_prefix: Option<String>,
    /// The day the ledger's lights are taken on (`2026-07-01`); today when absent.
    today: Option<String>,
    /// Inputs entered by hand (`subject`, `indicator`, `target`, `actual`, `count`, `met`,
    /// `note`); each takes the place of a gathered one for the same subject and indicator.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    inputs: Vec<Input>,
    /// A label to save the run under (`2026年第一季度`); not saved when absent.
    save: Option<String>,
}

/// A run: the inputs used, the scores and lists, and the saved run's id.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RunReply {
    /// The saved run's id, when it was saved.
    run_id: Option<i64>,
    /// The inputs, gathered and entered.
    #[schema(value_type = Vec<Object>)]
    inputs: Vec<Input>,
    /// Each subject's total, rank and items with their explanations; the red and black
    /// lists; warnings about inputs not used.
    #[schema(value_type = Object)]
    assessment: Assessment,
}

/// Every stored scheme.
#[utoipa::path(
    get, path = "/api/v1/schemes", tag = "assess",
    responses((status = 200, body = SchemeList))
)]
async fn list_schemes(State(ctx): State<Ctx>) -> ApiResult<SchemeList> {
    let items = ctx
        .app
        .schemes()
        .await?
        .into_iter()
        .map(|s| SchemeSummary {
            id: s.id,
            name: s.scheme.name.clone(),
            year: s.scheme.year,
            indicators: s.scheme.indicators.len(),
            full_marks: s.scheme.full_marks(),
            updated_at: s.updated_at,
        })
        .collect();
    Ok(Json(SchemeList { items }))
}

/// Adds a scheme: a new one, or one exported from elsewhere.
#[utoipa::path(
    post, path = "/api/v1/schemes", tag = "assess",
    request_body(content = SchemeJson, content_type = "application/json"),
    responses(
        (status = 201, body = Created),
        (status = 400, body = ErrorBody, description = "Not a scheme, or one with faults; every fault is named"),
    )
)]
async fn create_scheme(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: String,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = ctx.app.import_scheme(&actor, &body).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The inputs entered by hand for a scheme (`subject`, `indicator`, `target`, `actual`,
/// `count`, `note`), which every run of it takes over those gathered.
#[utoipa::path(
    get, path = "/api/v1/schemes/{id}/inputs", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    responses((status = 200, body = Vec<Object>), (status = 404, body = ErrorBody))
)]
async fn get_inputs(State(ctx): State<Ctx>, P(id): P<i64>) -> Result<Json<Vec<Input>>, ApiError> {
    Ok(Json(ctx.app.scheme_inputs(id).await?))
}

/// Replaces the inputs entered by hand for a scheme: each names an indicator of the scheme
/// and gives a target and an actual value (ratio, bands) or a count (deduction, veto); one
/// per subject and indicator. All or none: every fault is said.
#[utoipa::path(
    put, path = "/api/v1/schemes/{id}/inputs", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    request_body = Vec<Object>,
    responses(
        (status = 200, body = Vec<Object>),
        (status = 400, body = ErrorBody, description = "An input is at fault; nothing was kept"),
        (status = 404, body = ErrorBody),
    )
)]
async fn put_inputs(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: Result<Json<Vec<Input>>, JsonRejection>,
) -> Result<Json<Vec<Input>>, ApiError> {
    let inputs = json_body(body)?;
    Ok(Json(ctx.app.set_scheme_inputs(&actor, id, inputs).await?))
}

/// A scheme, as exported.
#[utoipa::path(
    get, path = "/api/v1/schemes/{id}", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    responses((status = 200, body = SchemeJson), (status = 404, body = ErrorBody))
)]
async fn get_scheme(State(ctx): State<Ctx>, P(id): P<i64>) -> ApiResult<SchemeJson> {
    match ctx.app.scheme(id).await? {
        Some(s) => Ok(Json(SchemeJson(s.scheme))),
        None => Err(ApiError::not_found(format!("no scheme {id}"))),
    }
}

/// Replaces a scheme; its saved runs keep the scheme they were run with.
#[utoipa::path(
    put, path = "/api/v1/schemes/{id}", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    request_body(content = SchemeJson, content_type = "application/json"),
    responses(
        (status = 204, description = "Replaced"),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn update_scheme(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: String,
) -> Result<StatusCode, ApiError> {
    let scheme = Scheme::from_json(&body).map_err(assess::Error::from)?;
    ctx.app.update_scheme(&actor, id, &scheme).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deletes a scheme with its saved runs.
#[utoipa::path(
    delete, path = "/api/v1/schemes/{id}", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody))
)]
async fn delete_scheme(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
) -> Result<StatusCode, ApiError> {
    ctx.app.delete_scheme(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Runs a scheme: inputs gathered from targets and results and from the ledger, those
/// entered by hand in their place; scores with their explanations, ranks, 红黑榜.
#[utoipa::path(
    post, path = "/api/v1/schemes/{id}/run", tag = "assess",
    params(("id" = i64, Path, description = "The scheme's id")),
    request_body = RunBody,
    responses(
        (status = 200, body = RunReply),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn run_scheme(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: Result<Json<RunBody>, JsonRejection>,
) -> ApiResult<RunReply> {
    let body = json_body(body)?;
    let today = match body.today.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Date::parse_iso(s)
                .ok_or_else(|| ApiError::bad_request("invalid", format!("无法识别的日期“{s}”")))?,
        ),
    };
    let gather = Gather {
        year: body.year,
        region_prefix: body.region_prefix.filter(|p| !p.trim().is_empty()),
        today,
    };
    let run = ctx.app.run_scheme(id, &gather, &body.inputs).await?;
    let run_id = match body.save.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(label) => Some(ctx.app.save_run(&actor, id, label, &run).await?),
        None => None,
    };
    Ok(Json(RunReply { run_id, inputs: run.inputs, assessment: run.assessment }))
}

// ---- the pages ----

impl From<assess::Error> for PageError {
    fn from(e: assess::Error) -> PageError {
        ApiError::from(e).into()
    }
}

/// The pages: `/assess` (the schemes, an import form) and `/assess/{id}` (a scheme, its
/// JSON to edit, and a run on the gathered inputs), as POST forms that redirect.
pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/assess", get(schemes_page).post(import_page))
        .route("/assess/{id}", get(scheme_page).post(edit_page))
        .route("/assess/{id}/delete", post(delete_page))
        .route("/assess/{id}/runs", post(save_run_page))
        .route("/assess/{id}/scores.xlsx", get(scores_xlsx))
        .route("/assess/{id}/inputs", get(inputs_page).post(save_inputs_page))
}

#[derive(Template)]
#[template(path = "assess.html")]
struct SchemesPage {
    nav: &'static str,
    schemes: Vec<SchemeView>,
}

struct SchemeView {
    id: i64,
    name: String,
    year: String,
    indicators: usize,
    full_marks: String,
    updated_at: String,
}

async fn schemes_page(State(ctx): State<Ctx>) -> PageResult {
    let schemes = ctx
        .app
        .schemes()
        .await?
        .into_iter()
        .map(|s| SchemeView {
            id: s.id,
            year: s.scheme.year.map(|y| y.to_string()).unwrap_or_default(),
            indicators: s.scheme.indicators.len(),
            full_marks: format_points(s.scheme.full_marks()),
            name: s.scheme.name,
            updated_at: s.updated_at.chars().take(10).collect(),
        })
        .collect();
    render(&SchemesPage { nav: "assess", schemes })
}

/// A scheme's JSON as a form sends it.
#[derive(Debug, Deserialize)]
struct JsonForm {
    json: String,
}

async fn import_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<JsonForm>, FormRejection>,
) -> PageResult {
    let id = ctx.app.import_scheme(&actor, &form_body(form)?.json).await?;
    Ok(Redirect::to(&format!("/assess/{id}")).into_response())
}

async fn edit_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    form: Result<Form<JsonForm>, FormRejection>,
) -> PageResult {
    let scheme = Scheme::from_json(&form_body(form)?.json).map_err(assess::Error::from)?;
    ctx.app.update_scheme(&actor, id, &scheme).await?;
    Ok(Redirect::to(&format!("/assess/{id}")).into_response())
}

async fn delete_page(State(ctx): State<Ctx>, User(actor): User, P(id): P<i64>) -> PageResult {
    ctx.app.delete_scheme(&actor, id).await?;
    Ok(Redirect::to("/assess").into_response())
}

/// Where a page's run gathers its inputs; blank is unset.
#[derive(Debug, Default, Deserialize)]
struct RunQuery {
    year: Option<String>,
    region: Option<String>,
    /// After a run is saved: its label.
    #[serde(default)]
    saved: Option<String>,
    /// After the inputs entered by hand are saved.
    #[serde(default)]
    inputs: Option<String>,
}

impl RunQuery {
    /// The notice after a form came back here.
    fn notice(&self) -> String {
        match (given(self.saved.as_deref()), given(self.inputs.as_deref())) {
            (Some(label), _) => format!("已保存本次结果“{label}”"),
            (None, Some(_)) => "已保存手工录入数据，以下结果已采用".to_owned(),
            (None, None) => String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "assess_scheme.html")]
struct SchemePage {
    nav: &'static str,
    id: i64,
    notice: String,
    name: String,
    json: String,
    indicators: Vec<IndicatorView>,
    year: String,
    region: String,
    xlsx: String,
    headers: Vec<String>,
    rows: Vec<RowView>,
    red: Vec<EntryView>,
    black: Vec<EntryView>,
    exempted: Vec<EntryView>,
    warnings: Vec<String>,
    full_marks: String,
}

struct IndicatorView {
    name: String,
    weight: String,
    method: String,
}

struct RowView {
    rank: usize,
    subject: String,
    total: String,
    points: Vec<String>,
    met: &'static str,
    vetoes: String,
    explanations: Vec<String>,
}

struct EntryView {
    subject: String,
    reason: String,
}

fn method_label(ind: &assess::Indicator) -> String {
    let lower = if ind.lower_is_better { "（越低越好）" } else { "" };
    let m = match &ind.method {
        assess::Method::Ratio { cap } => format!("完成率计分，封顶{}倍", format_points(*cap)),
        assess::Method::Bands { bands, .. } => format!("分档计分，{}档", bands.len()),
        assess::Method::Deduction { per_occurrence, max } => {
            format!("每次扣{}分，最多扣{}分", format_points(*per_occurrence), format_points(*max))
        }
        assess::Method::Veto { floor } => {
            format!("一票否决，总分不高于{}分", format_points(*floor))
        }
    };
    format!("{m}{lower}")
}

fn entries(list: &[assess::ListEntry]) -> Vec<EntryView> {
    list.iter()
        .map(|e| EntryView { subject: e.subject.clone(), reason: e.reason.clone() })
        .collect()
}

/// The run a page shows: scheme `id` on the inputs gathered as `q` says.
async fn page_run(ctx: &Ctx, id: i64, q: &RunQuery) -> Result<assess::Run, PageError> {
    if ctx.app.scheme(id).await?.is_none() {
        return Err(ApiError::not_found(format!("没有编号为{id}的考核方案。")).into());
    }
    let year = match q.year() {
        None => None,
        Some(y) => Some(y.parse::<i32>().map_err(|_| {
            ApiError::bad_request("invalid", format!("考核年度应为整数，实为“{y}”"))
        })?),
    };
    let gather = Gather { year, region_prefix: q.region(), today: None };
    Ok(ctx.app.run_scheme(id, &gather, &[]).await?)
}

/// The run a page shows, saved under a label (a 督查通报 takes the latest saved run).
#[derive(Deserialize)]
struct SaveRunForm {
    year: Option<String>,
    region: Option<String>,
    label: String,
}

async fn save_run_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    form: Result<Form<SaveRunForm>, FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    if f.label.trim().is_empty() {
        return Err(
            ApiError::bad_request("invalid", "请填写本次结果的名称（如2026年第二季度）").into()
        );
    }
    let q = RunQuery { year: f.year, region: f.region, ..RunQuery::default() };
    let run = page_run(&ctx, id, &q).await?;
    ctx.app.save_run(&actor, id, &f.label, &run).await?;
    let mut back = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [("year", q.year()), ("region", q.region())] {
        if let Some(v) = v {
            back.append_pair(k, &v);
        }
    }
    back.append_pair("saved", f.label.trim());
    Ok(Redirect::to(&format!("/assess/{id}?{}", back.finish())).into_response())
}

impl RunQuery {
    fn year(&self) -> Option<String> {
        given(self.year.as_deref())
    }

    fn region(&self) -> Option<String> {
        given(self.region.as_deref())
    }
}

/// A form field, blank being unset.
fn given(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The page's run as a workbook: scores, explanations, 红黑榜.
async fn scores_xlsx(State(ctx): State<Ctx>, P(id): P<i64>, Q(q): Q<RunQuery>) -> PageResult {
    let run = page_run(&ctx, id, &q).await?;
    let bytes = assess::sheet::write(&run.assessment).map_err(|e| ApiError::internal(&e))?;
    let name = format!("{}-得分.xlsx", run.scheme.name);
    Ok(crate::export::download(crate::ledger::XLSX_TYPE, "scores.xlsx", &name, bytes))
}

async fn scheme_page(State(ctx): State<Ctx>, P(id): P<i64>, Q(q): Q<RunQuery>) -> PageResult {
    let run = page_run(&ctx, id, &q).await?;
    let year_text = q.year();
    let region = q.region();
    let scheme = &run.scheme;
    let a = &run.assessment;
    let rows = a
        .subjects
        .iter()
        .map(|s| RowView {
            rank: s.rank,
            subject: s.subject.clone(),
            total: format_points(s.total),
            points: s.items.iter().map(|i| format_points(i.points)).collect(),
            met: match s.met {
                Some(true) => "完成",
                Some(false) => "未完成",
                None => "—",
            },
            vetoes: s.vetoes.join("；"),
            explanations: s
                .items
                .iter()
                .map(|i| format!("{}：{}", i.name, i.explanation))
                .collect(),
        })
        .collect();
    render(&SchemePage {
        nav: "assess",
        id,
        notice: q.notice(),
        name: scheme.name.clone(),
        json: scheme.to_json(),
        indicators: scheme
            .indicators
            .iter()
            .map(|i| IndicatorView {
                name: i.name.clone(),
                weight: format_points(i.weight),
                method: method_label(i),
            })
            .collect(),
        xlsx: {
            let mut pairs = form_urlencoded::Serializer::new(String::new());
            if let Some(y) = &year_text {
                pairs.append_pair("year", y);
            }
            if let Some(r) = &region {
                pairs.append_pair("region", r);
            }
            format!("/assess/{id}/scores.xlsx?{}", pairs.finish())
        },
        year: year_text.unwrap_or_default(),
        region: region.unwrap_or_default(),
        headers: scheme.indicators.iter().map(|i| i.name.clone()).collect(),
        rows,
        red: entries(&a.red),
        black: entries(&a.black),
        exempted: entries(&a.exempted),
        warnings: a.warnings.clone(),
        full_marks: format_points(a.full_marks),
    })
}

// ---- inputs entered by hand ----

/// One row of the inputs form.
struct InputRow {
    subject: String,
    indicator: String,
    target: String,
    actual: String,
    count: String,
    note: String,
}

#[derive(Template)]
#[template(path = "assess_inputs.html")]
struct InputsPage {
    nav: &'static str,
    id: i64,
    name: String,
    /// The scheme's indicators: key, name, and whether it takes a value (else a count).
    indicators: Vec<(String, String, bool)>,
    rows: Vec<InputRow>,
}

/// Blank rows the inputs form offers.
const NEW_INPUT_ROWS: usize = 5;

async fn inputs_page(State(ctx): State<Ctx>, P(id): P<i64>) -> PageResult {
    let Some(stored) = ctx.app.scheme(id).await? else {
        return Err(ApiError::not_found(format!("没有编号为{id}的考核方案。")).into());
    };
    let number = |v: Option<f64>| v.map(format_points).unwrap_or_default();
    let mut rows: Vec<InputRow> = ctx
        .app
        .scheme_inputs(id)
        .await?
        .into_iter()
        .map(|i| InputRow {
            subject: i.subject,
            indicator: i.indicator,
            target: number(i.target),
            actual: number(i.actual),
            count: i.count.map(|c| c.to_string()).unwrap_or_default(),
            note: i.note.unwrap_or_default(),
        })
        .collect();
    for _ in 0..NEW_INPUT_ROWS {
        rows.push(InputRow {
            subject: String::new(),
            indicator: String::new(),
            target: String::new(),
            actual: String::new(),
            count: String::new(),
            note: String::new(),
        });
    }
    render(&InputsPage {
        nav: "assess",
        id,
        name: stored.scheme.name.clone(),
        indicators: stored
            .scheme
            .indicators
            .iter()
            .map(|i| (i.key.clone(), i.name.clone(), i.takes_value()))
            .collect(),
        rows,
    })
}

/// Reads the inputs form: per row `i`, `subject.i`, `indicator.i`, `target.i`, `actual.i`,
/// `count.i` and `note.i`. A row without a subject and without figures is dropped; a number
/// that is not one is refused with its row.
fn inputs_form(body: &[u8]) -> Result<Vec<Input>, ApiError> {
    let mut inputs = Vec::new();
    for (n, (_, fields)) in crate::pages::form_rows(body).into_iter().enumerate() {
        let get = |name: &str| {
            fields.iter().find(|(f, _)| f == name).map(|(_, v)| v.as_str()).unwrap_or("")
        };
        let figures = ["target", "actual", "count"].iter().all(|f| get(f).is_empty());
        if get("subject").is_empty() && figures && get("note").is_empty() {
            continue;
        }
        let bad = |what: &str, v: &str| {
            ApiError::bad_request("invalid", format!("第{}行：{what}应为数字，实为“{v}”", n + 1))
        };
        let real = |name: &str, what: &str| -> Result<Option<f64>, ApiError> {
            match get(name) {
                "" => Ok(None),
                v => v
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .map(Some)
                    .ok_or_else(|| bad(what, v)),
            }
        };
        let count = match get("count") {
            "" => None,
            v => Some(v.parse::<u32>().map_err(|_| bad("次数", v))?),
        };
        inputs.push(Input {
            subject: get("subject").to_owned(),
            indicator: get("indicator").to_owned(),
            target: real("target", "目标值")?,
            actual: real("actual", "实际值")?,
            count,
            met: None,
            note: Some(get("note").to_owned()).filter(|n| !n.is_empty()),
        });
    }
    Ok(inputs)
}

async fn save_inputs_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: axum::body::Bytes,
) -> PageResult {
    let inputs = inputs_form(&body)?;
    ctx.app.set_scheme_inputs(&actor, id, inputs).await?;
    Ok(Redirect::to(&format!("/assess/{id}?inputs=saved")).into_response())
}
