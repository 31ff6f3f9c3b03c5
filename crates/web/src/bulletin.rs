//! 督查通报: the page `/bulletin` (a form and a preview), its downloads `/bulletin.docx`
//! and `/bulletin.xlsx`, and the API `GET /api/v1/bulletin`. All read only: the same query
//! gives the same bulletin in each form.

use askama::Template;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::assess::format_points;
use taizhang_app::bulletin::docx::write_docx;
use taizhang_app::bulletin::sheet::write_xlsx;
use taizhang_app::bulletin::{self, Bulletin, BulletinParams, Period, RunChoice};
use taizhang_app::ledger::date::{Date, parse_day};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::given;
use crate::error::ErrorBody;
use crate::extractors::Q;
use crate::ledger::Choice;
use crate::pages::PageError;
use crate::pages::{PageResult, render};
use crate::{ApiError, Ctx};

impl From<bulletin::Error> for ApiError {
    fn from(e: bulletin::Error) -> ApiError {
        match e {
            bulletin::Error::Invalid(m) => ApiError::bad_request("invalid", m),
            bulletin::Error::Ledger(e) => e.into(),
            bulletin::Error::Assess(e) => e.into(),
        }
    }
}

impl From<bulletin::Error> for PageError {
    fn from(e: bulletin::Error) -> PageError {
        ApiError::from(e).into()
    }
}

#[derive(OpenApi)]
#[openapi(tags((name = "bulletin", description = "督查通报: warnings, scores, rankings and 红黑榜 for a period")))]
struct BulletinDoc;

/// The bulletin's API route with its OpenAPI entry.
pub(crate) fn api() -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(BulletinDoc::openapi()).routes(routes!(get_bulletin))
}

/// The page and its downloads.
pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/bulletin", get(bulletin_page))
        .route("/bulletin.docx", get(bulletin_docx))
        .route("/bulletin.xlsx", get(bulletin_xlsx))
}

/// What a bulletin is for; blank parameters take their default.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct BulletinQuery {
    /// `2026年第二季度`, `2026Q2`, `2026-06`, `2026年上半年`, `2026年`; the current quarter
    /// by default.
    period: Option<String>,
    /// The day the ledger's lights are taken on (`2026-06-30`); the period's last day, or
    /// today while it runs.
    as_of: Option<String>,
    /// A scheme whose latest saved run gives the scores.
    scheme: Option<String>,
    /// A saved run that gives the scores (over `scheme`).
    run: Option<String>,
    /// The issuing office (`示例县人民政府督查室`).
    office: Option<String>,
    /// The issue number, the N of 〔2026〕N号; the period's ordinal by default.
    number: Option<String>,
}

impl BulletinQuery {
    fn params(&self, today: Date) -> Result<BulletinParams, ApiError> {
        let bad = |m: String| ApiError::bad_request("bad_query", m);
        let period = match given(&self.period) {
            None => Period::quarter_of(today),
            Some(p) => Period::parse(p).map_err(bad)?,
        };
        let mut params = BulletinParams::new(period, today);
        if let Some(d) = given(&self.as_of) {
            params.as_of =
                parse_day(d).ok_or_else(|| bad(format!("无法识别的截止日期（as_of）“{d}”")))?;
        }
        let id = |name: &str, v: &Option<String>| -> Result<Option<i64>, ApiError> {
            given(v)
                .map(|s| s.parse().map_err(|_| bad(format!("{name}应为数字，实为“{s}”"))))
                .transpose()
        };
        params.run =
            match (id("考核结果（run）", &self.run)?, id("考核方案（scheme）", &self.scheme)?)
            {
                (Some(run), _) => RunChoice::Run(run),
                (None, Some(scheme)) => RunChoice::LatestOf(scheme),
                (None, None) => RunChoice::None,
            };
        params.office = given(&self.office).unwrap_or("").to_owned();
        params.number = given(&self.number)
            .map(|s| {
                s.parse()
                    .ok()
                    .filter(|&n: &u32| n > 0)
                    .ok_or_else(|| bad(format!("文号（number）应为正整数，实为“{s}”")))
            })
            .transpose()?;
        Ok(params)
    }

    /// The query string that asks for the same bulletin.
    fn query_string(&self) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("period", &self.period),
            ("as_of", &self.as_of),
            ("scheme", &self.scheme),
            ("run", &self.run),
            ("office", &self.office),
            ("number", &self.number),
        ] {
            if let Some(v) = given(v) {
                q.append_pair(k, v);
            }
        }
        q.finish()
    }
}

/// A bulletin: title, office, number, period, as-of day, summary counts, the warned units
/// with their tasks, the run's scores and lists, the requirements.
#[derive(Debug, Serialize, ToSchema)]
#[schema(value_type = Object)]
pub(crate) struct BulletinJson(Bulletin);

/// The bulletin of a period.
#[utoipa::path(
    get, path = "/api/v1/bulletin", tag = "bulletin", params(BulletinQuery),
    responses(
        (status = 200, body = BulletinJson),
        (status = 400, body = ErrorBody, description = "A period, day or id that cannot be read"),
        (status = 404, body = ErrorBody, description = "No such scheme or run"),
    )
)]
async fn get_bulletin(
    State(ctx): State<Ctx>,
    Q(q): Q<BulletinQuery>,
) -> Result<Json<BulletinJson>, ApiError> {
    let b = ctx.app.bulletin(&q.params(Date::today())?).await?;
    Ok(Json(BulletinJson(b)))
}

async fn bulletin_docx(
    State(ctx): State<Ctx>,
    q: Result<Q<BulletinQuery>, ApiError>,
) -> PageResult {
    let Q(q) = q?;
    let b = ctx.app.bulletin(&q.params(Date::today())?).await?;
    Ok(crate::export::download(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "bulletin.docx",
        &b.file_name("docx"),
        write_docx(&b),
    ))
}

async fn bulletin_xlsx(
    State(ctx): State<Ctx>,
    q: Result<Q<BulletinQuery>, ApiError>,
) -> PageResult {
    let Q(q) = q?;
    let b = ctx.app.bulletin(&q.params(Date::today())?).await?;
    let bytes = write_xlsx(&b).map_err(|e| ApiError::internal(&e))?;
    Ok(crate::export::download(
        crate::ledger::XLSX_TYPE,
        "bulletin.xlsx",
        &b.file_name("xlsx"),
        bytes,
    ))
}

struct UnitView {
    /// （一）, （二）… as the document numbers them.
    number: String,
    line: String,
    tasks: Vec<TaskView>,
}

struct TaskView {
    ord: i64,
    id: i64,
    title: String,
    deadline: String,
    elapsed: String,
    done: String,
    light: &'static str,
    light_label: &'static str,
    note: String,
}

struct ScoreView {
    rank: usize,
    subject: String,
    total: String,
    met: &'static str,
    vetoes: String,
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct BulletinPage {
    nav: &'static str,
    period: String,
    as_of: String,
    office: String,
    /// The issue number as asked for; blank for the default.
    number: String,
    schemes: Vec<Choice>,
    runs: Vec<Choice>,
    docx: String,
    xlsx: String,
    b: Bulletin,
    overview: String,
    warnings_intro: String,
    units: Vec<UnitView>,
    assessment_intro: String,
    scores: Vec<ScoreView>,
    lists: Vec<String>,
    date_line: String,
}

async fn bulletin_page(
    State(ctx): State<Ctx>,
    q: Result<Q<BulletinQuery>, ApiError>,
) -> PageResult {
    let Q(q) = q?;
    let params = q.params(Date::today())?;
    let b = ctx.app.bulletin(&params).await?;
    let (scheme_id, run_id) = match params.run {
        RunChoice::None => (None, None),
        RunChoice::LatestOf(s) => (Some(s), None),
        RunChoice::Run(r) => (b.assessment.as_ref().map(|a| a.scheme_id), Some(r)),
    };
    let mut schemes = vec![Choice {
        value: String::new(),
        label: "不含考核".into(),
        selected: scheme_id.is_none(),
    }];
    let mut runs = vec![Choice {
        value: String::new(),
        label: "所选方案的最新结果".into(),
        selected: run_id.is_none(),
    }];
    for s in ctx.app.schemes().await.map_err(ApiError::from)? {
        schemes.push(Choice {
            value: s.id.to_string(),
            label: s.scheme.name.clone(),
            selected: scheme_id == Some(s.id),
        });
        for r in ctx.app.saved_runs(s.id).await.map_err(ApiError::from)? {
            let label = if r.label.is_empty() { r.created_at.clone() } else { r.label.clone() };
            runs.push(Choice {
                value: r.id.to_string(),
                label: format!("{} · {label}", s.scheme.name),
                selected: run_id == Some(r.id),
            });
        }
    }
    let units = b
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| UnitView {
            number: bulletin::chinese_number(i as u32 + 1),
            line: Bulletin::unit_line(u),
            tasks: u
                .tasks
                .iter()
                .map(|t| TaskView {
                    ord: t.ord,
                    id: t.id,
                    title: t.title.clone(),
                    deadline: t.deadline_shown(),
                    elapsed: t
                        .elapsed
                        .map(|e| format!("{}%", format_points(e)))
                        .unwrap_or_default(),
                    done: format!("{}%", format_points(t.done)),
                    light: t.light,
                    light_label: t.light_label,
                    note: t.lag_shown(),
                })
                .collect(),
        })
        .collect();
    let scores = b
        .assessment
        .iter()
        .flat_map(|a| &a.scores)
        .map(|s| ScoreView {
            rank: s.rank,
            subject: s.subject.clone(),
            total: format_points(s.total),
            met: s.met_shown(),
            vetoes: s.vetoes.join("；"),
        })
        .collect();
    let query = q.query_string();
    let suffix = if query.is_empty() { String::new() } else { format!("?{query}") };
    render(&BulletinPage {
        nav: "bulletin",
        period: b.period.label.clone(),
        as_of: b.as_of.to_string(),
        office: b.office.clone(),
        number: given(&q.number).unwrap_or("").to_owned(),
        schemes,
        runs,
        docx: format!("/bulletin.docx{suffix}"),
        xlsx: format!("/bulletin.xlsx{suffix}"),
        overview: b.overview(),
        warnings_intro: b.warnings_intro(),
        units,
        assessment_intro: b.assessment_intro(),
        scores,
        lists: b.lists_text(),
        date_line: b.date_line(),
        b,
    })
}
