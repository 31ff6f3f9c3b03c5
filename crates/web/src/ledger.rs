//! The ledger (台账) and its warnings: the pages (`/ledger`, `/ledger/{id}`, `/warnings`,
//! the `.xlsx` export and import, 生成台账 on a document) and the JSON API under
//! `/api/v1/tasks`, `/api/v1/warnings` and `/api/v1/documents/{id}/tasks`.
//!
//! Pages change things through POST forms that redirect (no script needed); each
//! mutation is one use case of `taizhang_app::ledger`, so a refused input changes nothing.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{DefaultBodyLimit, Form, Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use taizhang_app::ledger::date::Date;
use taizhang_app::ledger::schedule::{Light, Schedule, Thresholds};
use taizhang_app::ledger::{self, ImportMode, LedgerFilter, LedgerRow, UnitWarnings, status_label};
use taizhang_store::{
    AttachmentRow, NewAttachment, NewReport, ReportRow, Task, TaskFilter, TaskStatus,
};
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::dto::given;
use crate::error::ErrorBody;
use crate::extractors::{P, Q};
use crate::pages::PageError;
use crate::pages::{PageResult, form_body, render};
use crate::{ApiError, Ctx, Limits};

impl From<ledger::Error> for ApiError {
    fn from(e: ledger::Error) -> ApiError {
        match e {
            ledger::Error::Invalid(m) => ApiError::bad_request("invalid", m),
            ledger::Error::Sheet(s) => ApiError::bad_request("bad_sheet", s.to_string()),
            ledger::Error::App(e) => e.into(),
        }
    }
}

impl From<ledger::Error> for PageError {
    fn from(e: ledger::Error) -> PageError {
        ApiError::from(e).into()
    }
}

// ---- the JSON API ----

#[derive(OpenApi)]
#[openapi(tags((name = "ledger", description = "台账: tasks, progress reports and warnings")))]
struct LedgerDoc;

/// The ledger's API routes with their OpenAPI entries.
pub(crate) fn api(limits: Limits) -> OpenApiRouter<Ctx> {
    OpenApiRouter::with_openapi(LedgerDoc::openapi())
        .routes(routes!(list_tasks, create_task))
        .routes(routes!(get_task, update_task, delete_task))
        .routes(routes!(add_report))
        .routes(routes!(tasks_from_document))
        .routes(routes!(import_tasks))
        .routes(routes!(get_warnings))
        .routes(routes!(set_thresholds))
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Which tasks to list; blank parameters are no filter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TaskQuery {
    /// Tasks this unit leads or assists in.
    unit: Option<String>,
    /// `not_started`, `in_progress`, `done` or `suspended`.
    status: Option<String>,
    /// `green`, `yellow`, `red` or `none`.
    light: Option<String>,
    /// `1` (or `true`) for overdue tasks only.
    overdue: Option<String>,
    /// Tasks from this document.
    document: Option<String>,
}

impl TaskQuery {
    fn filter(&self) -> Result<LedgerFilter, ApiError> {
        let status = match given(&self.status) {
            None => None,
            Some(s) => Some(TaskStatus::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_query",
                    format!(
                        "状态（status）应为 not_started、in_progress、done 或 suspended，实为“{s}”"
                    ),
                )
            })?),
        };
        let light = match given(&self.light) {
            None => None,
            Some(s) => Some(Light::parse(s).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_query",
                    format!("预警（light）应为 green、yellow、red 或 none，实为“{s}”"),
                )
            })?),
        };
        let overdue = match given(&self.overdue) {
            None | Some("0" | "false") => false,
            Some("1" | "true" | "on") => true,
            Some(s) => {
                return Err(ApiError::bad_request(
                    "bad_query",
                    format!("逾期（overdue）应为 1 或 0，实为“{s}”"),
                ));
            }
        };
        Ok(LedgerFilter {
            tasks: TaskFilter {
                unit: given(&self.unit).map(str::to_owned),
                status,
                document_id: given(&self.document)
                    .map(|s| {
                        s.parse().map_err(|_| {
                            ApiError::bad_request(
                                "bad_query",
                                format!("文件编号（document）应为数字，实为“{s}”"),
                            )
                        })
                    })
                    .transpose()?,
            },
            light,
            overdue,
        })
    }

    fn pairs(&self) -> Vec<(&'static str, String)> {
        let v = |p: &Option<String>| given(p).unwrap_or("").to_owned();
        vec![
            ("unit", v(&self.unit)),
            ("status", v(&self.status)),
            ("light", v(&self.light)),
            ("overdue", v(&self.overdue)),
            ("document", v(&self.document)),
        ]
    }
}

/// The sentence a task comes from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct SourceItem {
    /// The document, while it exists.
    document_id: Option<i64>,
    /// Its title.
    document_title: Option<String>,
    /// Byte offset of the sentence in the document's text.
    start: Option<usize>,
    /// Byte offset of its end.
    end: Option<usize>,
    /// The sentence.
    text: String,
}

/// Where a task stands against its time (序时进度).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ScheduleItem {
    /// The share of the task's time elapsed, 0–100; none without a deadline.
    elapsed: Option<f64>,
    /// The share done, 0–100.
    done: f64,
    /// Points behind schedule (negative when ahead).
    lag: Option<f64>,
    /// `green`, `yellow`, `red` or `none`.
    light: &'static str,
    /// Past the deadline and not done.
    overdue: bool,
    /// Days to the deadline (negative once past).
    days_left: Option<i64>,
}

impl From<Schedule> for ScheduleItem {
    fn from(s: Schedule) -> ScheduleItem {
        ScheduleItem {
            elapsed: s.elapsed,
            done: s.done,
            lag: s.lag,
            light: s.light.as_str(),
            overdue: s.overdue,
            days_left: s.days_left,
        }
    }
}

/// A task (任务) of the ledger, with its schedule today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct TaskItem {
    /// The task's id.
    id: i64,
    /// 序号.
    ord: i64,
    /// 目标任务.
    title: String,
    /// 责任单位 (牵头单位).
    lead_unit: String,
    /// 配合单位.
    assisting_units: Vec<String>,
    /// When its time starts, ISO 8601.
    start_date: Option<String>,
    /// 完成时限 as a date; none for 长期坚持 and the like.
    deadline: Option<String>,
    /// 完成时限 as written.
    deadline_text: String,
    /// `not_started`, `in_progress`, `done` or `suspended`.
    status: &'static str,
    /// The status in Chinese.
    status_label: &'static str,
    /// The share done as last reported, 0–100.
    percent: Option<f64>,
    /// 进展情况.
    progress: String,
    /// 存在问题.
    problems: String,
    /// 下步打算.
    next_steps: String,
    /// The sentence it comes from.
    source: Option<SourceItem>,
    /// Where it stands today.
    schedule: ScheduleItem,
    /// When it was added.
    created_at: String,
    /// When it last changed.
    updated_at: String,
}

impl From<LedgerRow> for TaskItem {
    fn from(r: LedgerRow) -> TaskItem {
        let LedgerRow { row, schedule } = r;
        let t = row.task;
        TaskItem {
            id: row.id,
            ord: row.ord,
            title: t.title,
            lead_unit: t.lead_unit,
            assisting_units: t.assisting_units,
            start_date: t.start_date,
            deadline: t.deadline,
            deadline_text: t.deadline_text,
            status: t.status.as_str(),
            status_label: status_label(t.status),
            percent: t.percent,
            progress: t.progress,
            problems: t.problems,
            next_steps: t.next_steps,
            source: t.source.map(|s| SourceItem {
                document_id: s.document_id,
                document_title: row.document_title,
                start: s.start,
                end: s.end,
                text: s.text,
            }),
            schedule: schedule.into(),
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// The tasks of a filter, in 序号 order.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TaskList {
    /// The tasks.
    items: Vec<TaskItem>,
    /// How many there are.
    total: usize,
}

/// A file of evidence attached to a report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct AttachmentItem {
    /// The attachment's id; `/attachments/{id}` downloads it.
    id: i64,
    /// The file name.
    name: String,
    /// The media type.
    media_type: String,
    /// Its size in bytes.
    size: usize,
    /// SHA-256 of the bytes.
    sha256: String,
}

impl From<AttachmentRow> for AttachmentItem {
    fn from(a: AttachmentRow) -> AttachmentItem {
        AttachmentItem {
            id: a.id,
            name: a.name,
            media_type: a.media_type,
            size: a.size,
            sha256: a.sha256,
        }
    }
}

/// A progress report (进度填报).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ReportItem {
    /// The report's id.
    id: i64,
    /// The period reported on.
    period: String,
    /// The reporting unit.
    unit: String,
    /// The day it speaks for, ISO 8601.
    reported_on: String,
    /// A value of the task's indicator.
    value: Option<f64>,
    /// The share done, 0–100.
    percent: Option<f64>,
    /// The status it reported.
    status: &'static str,
    /// The status note.
    note: String,
    /// When it was stored.
    created_at: String,
    /// The evidence.
    attachments: Vec<AttachmentItem>,
}

impl From<ReportRow> for ReportItem {
    fn from(r: ReportRow) -> ReportItem {
        ReportItem {
            id: r.id,
            period: r.report.period,
            unit: r.report.unit,
            reported_on: r.report.reported_on,
            value: r.report.value,
            percent: r.report.percent,
            status: r.report.status.as_str(),
            note: r.report.note,
            created_at: r.created_at,
            attachments: r.attachments.into_iter().map(AttachmentItem::from).collect(),
        }
    }
}

/// A task with its progress reports, latest first.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TaskDetail {
    /// The task.
    task: TaskItem,
    /// Its reports.
    reports: Vec<ReportItem>,
}

/// A task to add or to replace. 完成时限 is read as offices write it (`2026年6月底`,
/// `长期坚持`).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct TaskBody {
    /// 序号; after the last when left out.
    ord: Option<i64>,
    /// 目标任务.
    title: String,
    /// 责任单位.
    #[serde(default)]
    lead_unit: String,
    /// 配合单位.
    #[serde(default)]
    assisting_units: Vec<String>,
    /// When its time starts, `2026-01-01`.
    start_date: Option<String>,
    /// 完成时限 as written.
    #[serde(default)]
    deadline: String,
    /// `not_started` (the default), `in_progress`, `done` or `suspended`.
    status: Option<String>,
    /// The share done, 0–100.
    percent: Option<f64>,
    /// 进展情况.
    #[serde(default)]
    progress: String,
    /// 存在问题.
    #[serde(default)]
    problems: String,
    /// 下步打算.
    #[serde(default)]
    next_steps: String,
}

impl TaskBody {
    /// The task, keeping `source` (a task's source is not edited).
    fn task(self, source: Option<taizhang_store::TaskSource>) -> Result<Task, ApiError> {
        let status = match self.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => TaskStatus::NotStarted,
            Some(s) => ledger::sheet::parse_status(s)
                .ok_or_else(|| ApiError::bad_request("invalid", format!("无法识别的状态“{s}”")))?,
        };
        Ok(Task {
            ord: self.ord,
            title: self.title,
            lead_unit: self.lead_unit,
            assisting_units: self.assisting_units,
            start_date: self.start_date.filter(|s| !s.trim().is_empty()),
            deadline: None,
            deadline_text: self.deadline,
            status,
            percent: self.percent,
            progress: self.progress,
            problems: self.problems,
            next_steps: self.next_steps,
            source,
        })
    }
}

pub(crate) fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(t)| t).map_err(|e| ApiError {
        status: e.status(),
        code: "bad_body",
        message: format!("请求体不是有效的 JSON：{}", e.body_text()),
    })
}

async fn task_item(ctx: &Ctx, id: i64) -> Result<TaskItem, ApiError> {
    match ctx.app.ledger_row(id, Date::today()).await? {
        Some(row) => Ok(row.into()),
        None => Err(ApiError::not_found(format!("no task {id}"))),
    }
}

/// The ledger's tasks in 序号 order, each with its schedule progress and light today.
#[utoipa::path(
    get, path = "/api/v1/tasks", tag = "ledger", params(TaskQuery),
    responses(
        (status = 200, body = TaskList),
        (status = 400, body = ErrorBody, description = "A malformed filter"),
    )
)]
async fn list_tasks(State(ctx): State<Ctx>, Q(q): Q<TaskQuery>) -> ApiResult<TaskList> {
    let rows = ctx.app.ledger(&q.filter()?, Date::today()).await?;
    let items: Vec<TaskItem> = rows.into_iter().map(TaskItem::from).collect();
    Ok(Json(TaskList { total: items.len(), items }))
}

/// Adds a task by hand.
#[utoipa::path(
    post, path = "/api/v1/tasks", tag = "ledger", request_body = TaskBody,
    responses(
        (status = 201, body = TaskItem),
        (status = 400, body = ErrorBody, description = "No title, or a 完成时限 that cannot be read"),
    )
)]
async fn create_task(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<TaskBody>, JsonRejection>,
) -> Result<(StatusCode, Json<TaskItem>), ApiError> {
    let task = json_body(body)?.task(None)?;
    let id = ctx.app.add_task(&actor, task, Date::today()).await?;
    Ok((StatusCode::CREATED, Json(task_item(&ctx, id).await?)))
}

/// A task with its progress reports.
#[utoipa::path(
    get, path = "/api/v1/tasks/{id}", tag = "ledger",
    params(("id" = i64, Path, description = "The task's id")),
    responses((status = 200, body = TaskDetail), (status = 404, body = ErrorBody))
)]
async fn get_task(State(ctx): State<Ctx>, P(id): P<i64>) -> ApiResult<TaskDetail> {
    let task = task_item(&ctx, id).await?;
    let reports = ctx.app.reports(id).await?.into_iter().map(ReportItem::from).collect();
    Ok(Json(TaskDetail { task, reports }))
}

/// Replaces what a task says; its source stays, and so does its share done unless the
/// body gives one.
#[utoipa::path(
    put, path = "/api/v1/tasks/{id}", tag = "ledger", request_body = TaskBody,
    params(("id" = i64, Path, description = "The task's id")),
    responses(
        (status = 200, body = TaskItem),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn update_task(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: Result<Json<TaskBody>, JsonRejection>,
) -> ApiResult<TaskItem> {
    let body = json_body(body)?;
    let Some(old) = ctx.app.store().task(id).await? else {
        return Err(ApiError::not_found(format!("no task {id}")));
    };
    let mut task = body.task(old.task.source)?;
    // The share done comes from reports; a body without one keeps it.
    task.percent = task.percent.or(old.task.percent);
    ctx.app.update_task(&actor, id, task, Date::today()).await?;
    Ok(Json(task_item(&ctx, id).await?))
}

/// Deletes a task with its reports and their evidence.
#[utoipa::path(
    delete, path = "/api/v1/tasks/{id}", tag = "ledger",
    params(("id" = i64, Path, description = "The task's id")),
    responses((status = 204, description = "Deleted"), (status = 404, body = ErrorBody))
)]
async fn delete_task(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
) -> Result<StatusCode, ApiError> {
    ctx.app.delete_task(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A progress report as a form sends it, with its files.
#[derive(Debug, Default)]
struct ReportForm {
    report: NewReport,
    files: Vec<NewAttachment>,
}

fn bad_multipart(e: MultipartError) -> ApiError {
    ApiError { status: e.status(), code: "bad_upload", message: e.body_text() }
}

/// Reads a report from `multipart/form-data`: `period`, `unit`, `reported_on`, `percent`,
/// `value`, `status`, `note` and any number of `file`s.
async fn report_form(
    form: Result<Multipart, MultipartRejection>,
    max_file_bytes: u64,
) -> Result<ReportForm, ApiError> {
    let mut form = form.map_err(|e| ApiError {
        status: e.status(),
        code: "bad_upload",
        message: format!("expected multipart/form-data: {}", e.body_text()),
    })?;
    let mut out = ReportForm::default();
    out.report.reported_on = Date::today().to_string();
    out.report.status = TaskStatus::InProgress;
    while let Some(field) = form.next_field().await.map_err(bad_multipart)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            let media_type = field.content_type().unwrap_or("application/octet-stream").to_owned();
            let bytes = field.bytes().await.map_err(bad_multipart)?;
            if file_name.is_empty() && bytes.is_empty() {
                continue; // a file input left empty
            }
            if bytes.len() as u64 > max_file_bytes {
                return Err(ApiError {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    code: "too_large",
                    message: format!("附件“{file_name}”超过{}MB的上限", max_file_bytes >> 20),
                });
            }
            let name = if file_name.is_empty() { "附件".to_owned() } else { file_name };
            out.files.push(NewAttachment { name, media_type, bytes: bytes.to_vec() });
            continue;
        }
        let value = field.text().await.map_err(bad_multipart)?;
        let value = value.trim().to_owned();
        let number = |what: &str| -> Result<Option<f64>, ApiError> {
            if value.is_empty() {
                return Ok(None);
            }
            value.trim_end_matches(['%', '％']).parse::<f64>().map(Some).map_err(|_| {
                ApiError::bad_request("invalid", format!("{what}应为数字，实为“{value}”"))
            })
        };
        match name.as_str() {
            "period" => out.report.period = value,
            "unit" => out.report.unit = value,
            "reported_on" if !value.is_empty() => {
                out.report.reported_on = match ledger::date::parse_day(&value) {
                    Some(d) => d.to_string(),
                    None => value,
                }
            }
            "percent" => out.report.percent = number("完成进度")?,
            "value" => out.report.value = number("数值")?,
            "status" if !value.is_empty() => {
                out.report.status = ledger::sheet::parse_status(&value).ok_or_else(|| {
                    ApiError::bad_request("invalid", format!("无法识别的状态“{value}”"))
                })?;
            }
            "note" => out.report.note = value,
            _ => {}
        }
    }
    Ok(out)
}

/// Reports progress on a task, as `multipart/form-data` with fields `period`, `unit`,
/// `reported_on` (today when blank), `percent`, `value`, `status`, `note` and any number
/// of `file`s (the evidence, stored with the report). The task shows the latest report.
#[utoipa::path(
    post, path = "/api/v1/tasks/{id}/reports", tag = "ledger",
    params(("id" = i64, Path, description = "The task's id")),
    request_body(content_type = "multipart/form-data", description = "The report's fields and files"),
    responses(
        (status = 201, body = TaskDetail),
        (status = 400, body = ErrorBody, description = "No period or unit, a share outside 0–100, a bad date"),
        (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "An attachment over the size limit"),
    )
)]
async fn add_report(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, Json<TaskDetail>), ApiError> {
    let form = report_form(form, ctx.limits.max_file_bytes).await?;
    ctx.app.report_progress(&actor, id, form.report, &form.files).await?;
    let task = task_item(&ctx, id).await?;
    let reports = ctx.app.reports(id).await?.into_iter().map(ReportItem::from).collect();
    Ok((StatusCode::CREATED, Json(TaskDetail { task, reports })))
}

/// How to make tasks from a document.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct FromDocumentBody {
    /// Only the targets of this section (an index into the document's outline).
    section: Option<usize>,
    /// Only this fact (an index into the document's facts), target or not.
    fact: Option<usize>,
    /// The lead unit of every new task.
    #[serde(default)]
    lead_unit: String,
}

/// What making tasks from a document did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FromDocumentResult {
    /// The new tasks.
    added: Vec<i64>,
    /// Targets skipped because their task exists already.
    existing: usize,
}

/// Makes a task of every target of a document (or of one of its sections, or of one of its
/// facts), each linked to its sentence, in one transaction. Targets that have their task
/// already are skipped.
#[utoipa::path(
    post, path = "/api/v1/documents/{id}/tasks", tag = "ledger", request_body = FromDocumentBody,
    params(("id" = i64, Path, description = "The document's id")),
    responses(
        (status = 200, body = FromDocumentResult),
        (status = 400, body = ErrorBody, description = "No such section"),
        (status = 404, body = ErrorBody),
    )
)]
async fn tasks_from_document(
    State(ctx): State<Ctx>,
    User(actor): User,
    P(id): P<i64>,
    body: Result<Json<FromDocumentBody>, JsonRejection>,
) -> ApiResult<FromDocumentResult> {
    let body = json_body(body)?;
    let made = match (body.section, body.fact) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request("invalid", "section 与 fact 只能给出其一"));
        }
        (section, None) => {
            ctx.app.tasks_from_document(&actor, id, section, &body.lead_unit).await?
        }
        (None, Some(fact)) => ctx.app.task_from_fact(&actor, id, fact, &body.lead_unit).await?,
    };
    Ok(Json(FromDocumentResult { added: made.added, existing: made.existing }))
}

/// What an import did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ImportResult {
    /// The new tasks, in the sheet's order.
    added: Vec<i64>,
    /// The tasks updated by 序号 (`mode=update`).
    updated: Vec<i64>,
}

/// Reads a sheet's upload form: the `.xlsx` in its `file` field, and its other fields as
/// text, by name.
pub(crate) async fn sheet_upload(
    form: Result<Multipart, MultipartRejection>,
) -> Result<(Vec<u8>, Vec<(String, String)>), ApiError> {
    let mut form = form.map_err(|e| ApiError {
        status: e.status(),
        code: "bad_upload",
        message: format!("expected multipart/form-data with a field `file`: {}", e.body_text()),
    })?;
    let mut bytes = None;
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.map_err(bad_multipart)? {
        match field.name().map(str::to_owned) {
            Some(name) if name == "file" => {
                let b = field.bytes().await.map_err(bad_multipart)?;
                if !b.is_empty() {
                    bytes = Some(b.to_vec());
                }
            }
            Some(name) => fields.push((name, field.text().await.map_err(bad_multipart)?)),
            None => {}
        }
    }
    let bytes = bytes.ok_or_else(|| {
        ApiError::bad_request("bad_upload", "请选择要导入的 .xlsx 文件（字段 file）")
    })?;
    Ok((bytes, fields))
}

/// Reads the `file` field, the optional `year` and the optional `mode` (`add`, the
/// default, or `update`) of an import form.
async fn sheet_form(
    form: Result<Multipart, MultipartRejection>,
) -> Result<(Vec<u8>, i32, ImportMode), ApiError> {
    let (bytes, fields) = sheet_upload(form).await?;
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.trim());
    let mode = match field("mode") {
        "" | "add" => ImportMode::Add,
        "update" => ImportMode::Update,
        other => {
            return Err(ApiError::bad_request(
                "invalid",
                format!("导入方式应为 add 或 update，实为“{other}”"),
            ));
        }
    };
    let year = match field("year") {
        "" => Date::today().year(),
        text => text.parse().ok().filter(|y| (1000..=9999).contains(y)).ok_or_else(|| {
            ApiError::bad_request("invalid", format!("年份应为四位数字，实为“{text}”"))
        })?,
    };
    Ok((bytes, year, mode))
}

/// Imports an `.xlsx` ledger (序号, 目标任务, 责任单位, 配合单位, 完成时限, 进展情况, 存在问题,
/// 下步打算, and optionally the columns taizhang adds), all or none: a sheet with any cell
/// at fault is refused with every fault's row and column. With `mode=update`, a row whose
/// 序号 is a task's updates that task (the sheet sent to the units and filled in); other
/// rows are added.
#[utoipa::path(
    post, path = "/api/v1/tasks/import", tag = "ledger",
    request_body(content_type = "multipart/form-data", description = "`file` (.xlsx), `year` for 完成时限 without one, `mode` (`add` or `update`)"),
    responses(
        (status = 200, body = ImportResult),
        (status = 400, body = ErrorBody, description = "The sheet is malformed; nothing was imported"),
    )
)]
async fn import_tasks(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<ImportResult> {
    let (bytes, year, mode) = sheet_form(form).await?;
    let done = ctx.app.import_ledger(&actor, &bytes, year, mode).await?;
    Ok(Json(ImportResult { added: done.added, updated: done.updated }))
}

/// The warning thresholds, in points behind schedule progress.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub(crate) struct ThresholdsBody {
    /// Yellow from this many points behind.
    yellow: f64,
    /// Red above this many points behind.
    red: f64,
}

impl From<Thresholds> for ThresholdsBody {
    fn from(t: Thresholds) -> ThresholdsBody {
        ThresholdsBody { yellow: t.yellow, red: t.red }
    }
}

/// One unit's tasks by light.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct UnitItem {
    /// The lead unit; empty for tasks not yet assigned.
    unit: String,
    /// Its tasks.
    total: usize,
    /// Done.
    done: usize,
    /// Green, not done.
    green: usize,
    /// Yellow.
    yellow: usize,
    /// Red.
    red: usize,
    /// Overdue.
    overdue: usize,
}

impl From<UnitWarnings> for UnitItem {
    fn from(w: UnitWarnings) -> UnitItem {
        UnitItem {
            unit: w.unit,
            total: w.total,
            done: w.done,
            green: w.green,
            yellow: w.yellow,
            red: w.red,
            overdue: w.overdue,
        }
    }
}

/// The warnings dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Warnings {
    /// The thresholds the lights use.
    thresholds: ThresholdsBody,
    /// Each lead unit's tasks by light, units with red tasks first.
    units: Vec<UnitItem>,
}

/// The warnings dashboard: every lead unit's tasks counted by light today.
#[utoipa::path(
    get, path = "/api/v1/warnings", tag = "ledger",
    responses((status = 200, body = Warnings))
)]
async fn get_warnings(State(ctx): State<Ctx>) -> ApiResult<Warnings> {
    let thresholds = ctx.app.thresholds().await?.into();
    let units = ctx.app.warnings(Date::today()).await?.into_iter().map(UnitItem::from).collect();
    Ok(Json(Warnings { thresholds, units }))
}

/// Sets the warning thresholds (`0 ≤ yellow ≤ red ≤ 100` points behind).
#[utoipa::path(
    put, path = "/api/v1/warnings/thresholds", tag = "ledger", request_body = ThresholdsBody,
    responses((status = 200, body = ThresholdsBody), (status = 400, body = ErrorBody))
)]
async fn set_thresholds(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<ThresholdsBody>, JsonRejection>,
) -> ApiResult<ThresholdsBody> {
    let b = json_body(body)?;
    Ok(Json(ctx.app.set_thresholds(&actor, b.yellow, b.red).await?.into()))
}

// ---- the pages ----

/// The ledger's pages.
pub(crate) fn pages(limits: Limits) -> Router<Ctx> {
    Router::new()
        .route("/ledger", get(ledger_page).post(create_page))
        .route("/ledger.xlsx", get(ledger_xlsx))
        .route("/ledger/import", post(import_page))
        .route("/ledger/{id}", get(task_page).post(edit_page))
        .route("/ledger/{id}/delete", post(delete_page))
        .route("/ledger/{id}/reports", post(report_page))
        .route("/attachments/{id}", get(attachment))
        .route("/documents/{id}/ledger", post(from_document_page))
        .route("/warnings", get(warnings_page).post(thresholds_page))
        .layer(DefaultBodyLimit::max(limits.max_request_bytes))
}

/// `path?k=v&…` with the values that are set, URL-encoded.
pub(crate) fn url(path: &str, pairs: &[(&str, String)]) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(_, v)| !v.trim().is_empty()) {
        q.append_pair(k, v);
    }
    let q = q.finish();
    if q.is_empty() { path.to_owned() } else { format!("{path}?{q}") }
}

/// A choice of a `<select>`.
pub(crate) struct Choice {
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) selected: bool,
}

fn status_choices(current: &str) -> Vec<Choice> {
    TaskStatus::ALL
        .into_iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: status_label(s).to_owned(),
            selected: s.as_str() == current,
        })
        .collect()
}

/// A task as a row of the ledger page.
struct TaskView {
    t: TaskItem,
    light: &'static str,
    light_label: &'static str,
    elapsed: String,
    done: String,
    deadline: String,
    link: String,
    /// `剩 12 天` before the deadline of a task not done; empty otherwise.
    left: String,
    /// How far behind schedule progress it is, in words.
    lag: String,
}

impl TaskView {
    fn new(t: TaskItem) -> TaskView {
        let light = Light::parse(t.schedule.light).unwrap_or(Light::None);
        TaskView {
            light: light.as_str(),
            light_label: if t.schedule.overdue { "逾期" } else { light.label() },
            elapsed: t.schedule.elapsed.map(|e| format!("{e:.0}%")).unwrap_or_else(|| "—".into()),
            done: format!("{:.0}%", t.schedule.done),
            deadline: if t.deadline_text.is_empty() {
                t.deadline.clone().unwrap_or_else(|| "—".into())
            } else {
                t.deadline_text.clone()
            },
            link: format!("/ledger/{}", t.id),
            left: match t.schedule.days_left {
                Some(d) if d >= 0 && t.status != "done" => format!("剩 {d} 天"),
                _ => String::new(),
            },
            lag: match t.schedule.lag {
                None => "无完成时限，不计序时进度".to_owned(),
                Some(lag) if lag > 0.0 => format!("落后序时进度 {lag:.1} 个百分点"),
                Some(_) => "不落后于序时进度".to_owned(),
            },
            t,
        }
    }
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    nav: &'static str,
    rows: Vec<TaskView>,
    unit: String,
    statuses: Vec<Choice>,
    lights: Vec<Choice>,
    overdue: bool,
    document: String,
    xlsx: String,
    notice: String,
    year: i32,
    counts: [usize; 4],
}

/// A notice shown once after a redirect (`?made=3&existing=1`, `?imported=12`).
#[derive(Debug, Default, Deserialize)]
struct Notice {
    made: Option<usize>,
    existing: Option<usize>,
    imported: Option<usize>,
    updated: Option<usize>,
    deleted: Option<String>,
}

impl Notice {
    fn text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(n) = self.made {
            parts.push(format!("已从文件生成 {n} 项任务"));
        }
        if let Some(n) = self.existing.filter(|n| *n > 0) {
            parts.push(format!("{n} 项目标已有任务，未重复生成"));
        }
        if let Some(n) = self.imported {
            parts.push(format!("已导入新任务 {n} 项"));
        }
        if let Some(n) = self.updated.filter(|n| *n > 0) {
            parts.push(format!("按序号更新任务 {n} 项"));
        }
        if self.deleted.is_some() {
            parts.push("任务已删除".to_owned());
        }
        parts.join("；")
    }
}

async fn ledger_page(
    State(ctx): State<Ctx>,
    q: Result<Q<TaskQuery>, ApiError>,
    notice: Result<Q<Notice>, ApiError>,
) -> PageResult {
    let Q(q) = q?;
    let filter = q.filter()?;
    let today = Date::today();
    let rows = ctx.app.ledger(&filter, today).await?;
    let mut counts = [0; 4];
    for r in &rows {
        match r.schedule.light {
            Light::Green => counts[0] += 1,
            Light::Yellow => counts[1] += 1,
            Light::Red => counts[2] += 1,
            Light::None => {}
        }
        if r.schedule.overdue {
            counts[3] += 1;
        }
    }
    let light = given(&q.light).unwrap_or("");
    render(&LedgerPage {
        nav: "ledger",
        rows: rows.into_iter().map(|r| TaskView::new(r.into())).collect(),
        unit: given(&q.unit).unwrap_or("").to_owned(),
        statuses: status_choices(given(&q.status).unwrap_or("")),
        lights: [Light::Green, Light::Yellow, Light::Red, Light::None]
            .into_iter()
            .map(|l| Choice {
                value: l.as_str().to_owned(),
                label: l.label().to_owned(),
                selected: l.as_str() == light,
            })
            .collect(),
        overdue: filter.overdue,
        document: given(&q.document).unwrap_or("").to_owned(),
        xlsx: url("/ledger.xlsx", &q.pairs()),
        notice: notice.map(|Q(n)| n.text()).unwrap_or_default(),
        year: today.year(),
        counts,
    })
}

async fn ledger_xlsx(State(ctx): State<Ctx>, q: Result<Q<TaskQuery>, ApiError>) -> PageResult {
    let Q(q) = q?;
    let today = Date::today();
    let bytes = ctx.app.export_ledger(&q.filter()?, today).await?;
    Ok(crate::export::download(XLSX_TYPE, "ledger.xlsx", &format!("台账-{today}.xlsx"), bytes))
}

/// The media type of an `.xlsx` workbook.
pub(crate) const XLSX_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A task as the add and edit forms send it.
#[derive(Debug, Default, Deserialize)]
struct TaskFormBody {
    ord: Option<String>,
    title: String,
    #[serde(default)]
    lead_unit: String,
    #[serde(default)]
    assisting_units: String,
    start_date: Option<String>,
    #[serde(default)]
    deadline: String,
    status: Option<String>,
    #[serde(default)]
    progress: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    next_steps: String,
}

impl TaskFormBody {
    fn body(self) -> Result<TaskBody, ApiError> {
        let ord = match self.ord.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(s.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ApiError::bad_request("invalid", format!("序号应为正整数，实为“{s}”"))
            })?),
        };
        Ok(TaskBody {
            ord,
            title: self.title,
            lead_unit: self.lead_unit,
            assisting_units: vec![self.assisting_units],
            start_date: self.start_date,
            deadline: self.deadline,
            status: self.status,
            percent: None,
            progress: self.progress,
            problems: self.problems,
            next_steps: self.next_steps,
        })
    }
}

async fn create_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<TaskFormBody>, FormRejection>,
) -> PageResult {
    let task = form_body(form)?.body()?.task(None)?;
    let id = ctx.app.add_task(&actor, task, Date::today()).await?;
    Ok(Redirect::to(&format!("/ledger/{id}")).into_response())
}

async fn edit_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    id: Result<P<i64>, ApiError>,
    form: Result<Form<TaskFormBody>, FormRejection>,
) -> PageResult {
    let P(id) = id?;
    let Some(old) = ctx.app.store().task(id).await? else {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的任务。")).into());
    };
    let mut task = form_body(form)?.body()?.task(old.task.source)?;
    // A report sets the share done; the form does not show it.
    task.percent = old.task.percent;
    ctx.app.update_task(&actor, id, task, Date::today()).await?;
    Ok(Redirect::to(&format!("/ledger/{id}")).into_response())
}

async fn delete_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    id: Result<P<i64>, ApiError>,
) -> PageResult {
    let P(id) = id?;
    ctx.app.delete_task(&actor, id).await?;
    Ok(Redirect::to("/ledger?deleted=1").into_response())
}

async fn report_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    id: Result<P<i64>, ApiError>,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let P(id) = id?;
    let form = report_form(form, ctx.limits.max_file_bytes).await?;
    ctx.app.report_progress(&actor, id, form.report, &form.files).await?;
    Ok(Redirect::to(&format!("/ledger/{id}#reports")).into_response())
}

async fn import_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Multipart, MultipartRejection>,
) -> PageResult {
    let (bytes, year, mode) = sheet_form(form).await?;
    let done = ctx.app.import_ledger(&actor, &bytes, year, mode).await?;
    let to = format!("/ledger?imported={}&updated={}", done.added.len(), done.updated.len());
    Ok(Redirect::to(&to).into_response())
}

/// 生成台账 on a document page.
#[derive(Debug, Default, Deserialize)]
struct FromDocumentForm {
    #[serde(default)]
    lead_unit: String,
    section: Option<String>,
}

async fn from_document_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    id: Result<P<i64>, ApiError>,
    form: Result<Form<FromDocumentForm>, FormRejection>,
) -> PageResult {
    let P(id) = id?;
    let form = form_body(form)?;
    let section = crate::dto::number::<usize>("section", &form.section)?;
    let made = ctx.app.tasks_from_document(&actor, id, section, &form.lead_unit).await?;
    Ok(Redirect::to(&format!(
        "/ledger?document={id}&made={}&existing={}",
        made.added.len(),
        made.existing
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "ledger_task.html")]
struct TaskPage {
    nav: &'static str,
    v: TaskView,
    assisting: String,
    source_link: Option<String>,
    reports: Vec<ReportItem>,
    statuses: Vec<Choice>,
    report_statuses: Vec<Choice>,
    today: String,
    period: String,
}

async fn task_page(State(ctx): State<Ctx>, id: Result<P<i64>, ApiError>) -> PageResult {
    let P(id) = id?;
    let today = Date::today();
    let Some(row) = ctx.app.ledger_row(id, today).await? else {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的任务。")).into());
    };
    let source_link = match row.row.task.source.as_ref() {
        Some(s) => match s.document_id {
            Some(doc) => Some(sentence_link(&ctx, doc, s.start, s.end).await?),
            None => None,
        },
        None => None,
    };
    let t: TaskItem = row.into();
    let reports = ctx.app.reports(id).await?.into_iter().map(ReportItem::from).collect();
    let status = t.status;
    let next_status = if status == "not_started" { "in_progress" } else { status };
    render(&TaskPage {
        nav: "ledger",
        assisting: t.assisting_units.join("、"),
        statuses: status_choices(status),
        report_statuses: status_choices(next_status),
        v: TaskView::new(t),
        source_link,
        reports,
        period: format!("{}年{}月", today.year(), &today.to_string()[5..7].trim_start_matches('0')),
        today: today.to_string(),
    })
}

/// The link to a task's sentence in its document: the first fact within the sentence
/// (whose marks carry anchors), else the document.
async fn sentence_link(
    ctx: &Ctx,
    doc: i64,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<String, PageError> {
    let base = format!("/documents/{doc}");
    let (Some(start), Some(end)) = (start, end) else { return Ok(base) };
    let Some(stored) = ctx.app.store().document(doc).await? else { return Ok(base) };
    let ord = stored.extracted.facts.iter().position(|f| f.start >= start && f.end <= end);
    Ok(match ord {
        Some(ord) => format!("{base}#f{ord}"),
        None => base,
    })
}

async fn attachment(State(ctx): State<Ctx>, id: Result<P<i64>, ApiError>) -> PageResult {
    let P(id) = id?;
    let Some((a, bytes)) = ctx.app.store().attachment(id).await? else {
        return Err(ApiError::not_found(format!("没有编号为 {id} 的附件。")).into());
    };
    let encoded: String = form_urlencoded::byte_serialize(a.name.as_bytes()).collect();
    // Always a download, never shown inline: an attachment is whatever a unit uploaded.
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename*=UTF-8''{encoded}")),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "warnings.html")]
struct WarningsPage {
    nav: &'static str,
    units: Vec<UnitView>,
    yellow: f64,
    red: f64,
    totals: [usize; 6],
}

struct UnitView {
    w: UnitItem,
    name: String,
    link: String,
}

async fn warnings_page(State(ctx): State<Ctx>) -> PageResult {
    let thresholds = ctx.app.thresholds().await?;
    let units: Vec<UnitItem> =
        ctx.app.warnings(Date::today()).await?.into_iter().map(UnitItem::from).collect();
    let mut totals = [0; 6];
    for u in &units {
        for (t, n) in totals.iter_mut().zip([u.total, u.done, u.green, u.yellow, u.red, u.overdue])
        {
            *t += n;
        }
    }
    render(&WarningsPage {
        nav: "warnings",
        units: units
            .into_iter()
            .map(|w| UnitView {
                name: if w.unit.is_empty() {
                    "（未指定责任单位）".into()
                } else {
                    w.unit.clone()
                },
                link: url("/ledger", &[("unit", w.unit.clone())]),
                w,
            })
            .collect(),
        yellow: thresholds.yellow,
        red: thresholds.red,
        totals,
    })
}

#[derive(Debug, Deserialize)]
struct ThresholdsForm {
    yellow: String,
    red: String,
}

async fn thresholds_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<ThresholdsForm>, FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    let number = |what: &str, s: &str| {
        s.trim().parse::<f64>().map_err(|_| {
            ApiError::bad_request("invalid", format!("{what}预警阈值应为数字，实为“{s}”"))
        })
    };
    let (yellow, red) = (number("黄色", &f.yellow)?, number("红色", &f.red)?);
    ctx.app.set_thresholds(&actor, yellow, red).await?;
    Ok(Redirect::to("/warnings").into_response())
}
