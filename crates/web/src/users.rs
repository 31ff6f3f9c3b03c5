//! Users (`/users`, administrators only), one's own account (`/account`) and the audit
//! log (`/audit`, administrators and planners), as pages and under `/api/v1`.

use askama::Template;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::auth::{
    Actor, AuditFilter, AuditOutcome, AuditRow, NewUserRequest, Role, UserChange, UserView,
    action_label,
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::User;
use crate::error::ErrorBody;
use crate::extractors::{P, Q};
use crate::ledger::json_body;
use crate::pages::{PageError, PageResult, form_body, render};
use crate::{ApiError, Ctx};

/// The most audit entries a page shows.
const AUDIT_PAGE: u32 = 50;

/// The most audit entries an export writes.
const AUDIT_EXPORT: u32 = 100_000;

// ---- pages ----

pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/users", get(users_page).post(add_user_page))
        .route("/users/{username}", post(edit_user_page))
        .route("/account", get(account_page))
        .route("/account/password", post(password_page))
        .route("/audit", get(audit_page))
        .route("/audit.csv", get(audit_csv))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    nav: &'static str,
    users: Vec<UserView>,
    roles: Vec<(&'static str, &'static str)>,
    notice: String,
}

fn roles() -> Vec<(&'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.as_str(), r.label())).collect()
}

#[derive(Deserialize)]
struct Notice {
    notice: Option<String>,
}

async fn users_page(State(ctx): State<Ctx>, User(actor): User, Q(q): Q<Notice>) -> PageResult {
    let users = ctx.app.users(&actor).await.map_err(ApiError::from)?;
    let notice = match q.notice.as_deref() {
        Some("added") => "已新增用户。",
        Some("saved") => "已保存。",
        _ => "",
    };
    render(&UsersPage { nav: "users", users, roles: roles(), notice: notice.into() })
}

/// A user to add, from the form or as JSON.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewUserBody {
    /// The login name.
    username: String,
    /// The name shown.
    #[serde(default)]
    display_name: String,
    /// `admin`, `planner`, `reporter` or `viewer`.
    role: String,
    /// The unit a reporter reports for (a task's 责任单位).
    #[serde(default)]
    unit: String,
    /// The first password (at least 8 characters).
    password: String,
}

impl NewUserBody {
    fn request(self) -> Result<NewUserRequest, ApiError> {
        Ok(NewUserRequest {
            role: parse_role(&self.role)?,
            username: self.username,
            display_name: self.display_name,
            unit: self.unit,
            password: self.password,
        })
    }
}

fn parse_role(name: &str) -> Result<Role, ApiError> {
    Role::parse(name.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "invalid",
            format!("未知角色“{name}”：应为 admin、planner、reporter 或 viewer"),
        )
    })
}

async fn add_user_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<NewUserBody>, FormRejection>,
) -> PageResult {
    let request = form_body(form)?.request()?;
    ctx.app.add_user(&actor, &request).await.map_err(ApiError::from)?;
    Ok(Redirect::to("/users?notice=added").into_response())
}

/// What to change about a user; absent fields stay.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct UserChangeBody {
    /// A new display name.
    display_name: Option<String>,
    /// A new role.
    role: Option<String>,
    /// A new unit.
    unit: Option<String>,
    /// A new password; ends the user's sessions. Empty keeps the password.
    password: Option<String>,
    /// `true` disables the user (ending their sessions), `false` enables them.
    disabled: Option<bool>,
}

impl UserChangeBody {
    fn change(self) -> Result<UserChange, ApiError> {
        Ok(UserChange {
            display_name: self.display_name,
            role: self.role.as_deref().map(parse_role).transpose()?,
            unit: self.unit,
            password: self.password.filter(|p| !p.is_empty()),
            disabled: self.disabled,
        })
    }
}

/// The edit form: a checkbox is absent when unticked.
#[derive(Debug, Deserialize)]
struct UserEditForm {
    display_name: String,
    role: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    disabled: Option<String>,
}

async fn edit_user_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    username: Result<P<String>, ApiError>,
    form: Result<Form<UserEditForm>, FormRejection>,
) -> PageResult {
    let P(username) = username?;
    let f = form_body(form)?;
    let change = UserChangeBody {
        display_name: Some(f.display_name),
        role: Some(f.role),
        unit: Some(f.unit),
        password: Some(f.password),
        disabled: Some(f.disabled.is_some()),
    }
    .change()?;
    ctx.app.update_user(&actor, &username, &change).await.map_err(ApiError::from)?;
    Ok(Redirect::to("/users?notice=saved").into_response())
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    nav: &'static str,
    me: Actor,
    notice: String,
}

async fn account_page(User(actor): User, Q(q): Q<Notice>) -> PageResult {
    let notice = match q.notice.as_deref() {
        Some("password") => "密码已修改，请用新密码重新登录。",
        _ => "",
    };
    render(&AccountPage { nav: "", me: actor, notice: notice.into() })
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
    repeat: String,
}

async fn password_page(
    State(ctx): State<Ctx>,
    User(actor): User,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> PageResult {
    let f = form_body(form)?;
    if f.new != f.repeat {
        return Err(ApiError::bad_request("invalid", "两次输入的新密码不一致").into());
    }
    ctx.app.change_own_password(&actor, &f.current, &f.new).await.map_err(ApiError::from)?;
    // The new password ended every session, this one too.
    Ok(Redirect::to("/login?next=%2Faccount%3Fnotice%3Dpassword").into_response())
}

/// Filters of the audit log, for the page, its export and the API.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Only this user's (login name).
    actor: Option<String>,
    /// Only actions starting with this: `task`, `report.add`, `login`.
    action: Option<String>,
    /// Only changes to this kind of thing: `task`, `document`, `scheme`, `user`, `setting`.
    target: Option<String>,
    /// With `target`: only the thing with this id.
    id: Option<String>,
    /// `done` or `refused`.
    outcome: Option<String>,
    /// From this day (`2026-06-01`) or time on.
    since: Option<String>,
    /// Up to and including this day, or before this time.
    until: Option<String>,
    /// Page number, from 1.
    page: Option<u32>,
}

impl AuditQuery {
    fn filter(&self, limit: u32) -> Result<AuditFilter, ApiError> {
        let set = |v: &Option<String>| {
            v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned)
        };
        let outcome = match set(&self.outcome) {
            Some(o) => Some(AuditOutcome::parse(&o).ok_or_else(|| {
                ApiError::bad_request(
                    "bad_query",
                    format!("outcome 应为 done 或 refused，而不是 {o}"),
                )
            })?),
            None => None,
        };
        let page = self.page.unwrap_or(1).max(1);
        Ok(AuditFilter {
            actor: set(&self.actor),
            action: set(&self.action),
            target_kind: set(&self.target),
            target_id: set(&self.id),
            outcome,
            since: set(&self.since),
            until: set(&self.until),
            limit: Some(limit),
            offset: (page - 1).saturating_mul(limit),
        })
    }

    /// The query string of these filters, without the page.
    fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("target", &self.target),
            ("id", &self.id),
            ("outcome", &self.outcome),
            ("since", &self.since),
            ("until", &self.until),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.finish()
    }
}

/// An audit log entry as the page, the export and the API show it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditItem {
    /// The entry's number.
    id: i64,
    /// When, RFC 3339 UTC.
    at: String,
    /// Who: a login name, or 命令行 / 系统.
    actor: String,
    /// Their role.
    role: String,
    /// Their unit.
    unit: String,
    /// What, as recorded: `task.update`.
    action: String,
    /// What, in Chinese.
    action_label: String,
    /// To what kind of thing.
    target_kind: String,
    /// To which.
    target_id: String,
    /// `done` or `refused`.
    outcome: String,
    /// The thing before, as JSON.
    before: Option<String>,
    /// The thing after, as JSON.
    after: Option<String>,
    /// What changed, field by field (`字段：旧 → 新`), where both sides are objects.
    changes: Vec<String>,
    /// Anything else recorded: a file name, the reason for a refusal.
    detail: String,
}

impl From<AuditRow> for AuditItem {
    fn from(r: AuditRow) -> AuditItem {
        let c = r.change;
        let changes = field_changes(c.before.as_deref(), c.after.as_deref());
        AuditItem {
            id: r.id,
            at: r.at,
            action_label: action_label(&c.action).to_owned(),
            actor: c.actor,
            role: c.role,
            unit: c.unit,
            action: c.action,
            target_kind: c.target_kind,
            target_id: c.target_id,
            outcome: r.outcome.as_str().to_owned(),
            before: c.before,
            after: c.after,
            changes,
            detail: c.detail,
        }
    }
}

impl AuditItem {
    /// The time to the second, as the page shows it: `2026-06-01 08:30:00`.
    fn short_time(&self) -> String {
        self.at.get(..19).unwrap_or(&self.at).replace('T', " ")
    }
}

/// The fields whose values differ between two JSON objects, as `field：old → new`.
pub(crate) fn field_changes(before: Option<&str>, after: Option<&str>) -> Vec<String> {
    let parse = |s: Option<&str>| {
        s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            .and_then(|v| v.as_object().cloned())
    };
    let (Some(before), Some(after)) = (parse(before), parse(after)) else { return Vec::new() };
    let show = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => "（空）".to_owned(),
        Some(serde_json::Value::String(s)) if s.is_empty() => "（空）".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| format!("{k}：{} → {}", show(before.get(k)), show(after.get(k))))
        .collect()
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    nav: &'static str,
    q: AuditForm,
    items: Vec<AuditItem>,
    total: i64,
    page: u32,
    pages: u32,
    query: String,
}

/// The filters as the form shows them.
struct AuditForm {
    actor: String,
    action: String,
    target: String,
    id: String,
    outcome: String,
    since: String,
    until: String,
}

impl From<&AuditQuery> for AuditForm {
    fn from(q: &AuditQuery) -> AuditForm {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        AuditForm {
            actor: s(&q.actor),
            action: s(&q.action),
            target: s(&q.target),
            id: s(&q.id),
            outcome: s(&q.outcome),
            since: s(&q.since),
            until: s(&q.until),
        }
    }
}

async fn audit_page(State(ctx): State<Ctx>, User(actor): User, Q(q): Q<AuditQuery>) -> PageResult {
    let filter = q.filter(AUDIT_PAGE)?;
    let (rows, total) = ctx.app.audit_log(&actor, &filter).await.map_err(ApiError::from)?;
    let pages = u32::try_from(total.max(1)).unwrap_or(u32::MAX).div_ceil(AUDIT_PAGE);
    render(&AuditPage {
        nav: "audit",
        q: AuditForm::from(&q),
        items: rows.into_iter().map(AuditItem::from).collect(),
        total,
        page: q.page.unwrap_or(1).max(1),
        pages,
        query: q.query_string(),
    })
}

async fn audit_csv(
    State(ctx): State<Ctx>,
    User(actor): User,
    Q(q): Q<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = AuditFilter { offset: 0, ..q.filter(AUDIT_EXPORT)? };
    let (rows, _) = ctx.app.audit_log(&actor, &filter).await.map_err(ApiError::from)?;
    let mut out = csv::Writer::from_writer(Vec::from("\u{FEFF}".as_bytes()));
    let header = [
        "编号",
        "时间",
        "用户",
        "角色",
        "单位",
        "操作",
        "动作代码",
        "对象",
        "对象编号",
        "结果",
        "变化",
        "说明",
        "之前",
        "之后",
    ];
    let internal = |e: &dyn std::fmt::Display| PageError::from(ApiError::internal(e));
    out.write_record(header).map_err(|e| internal(&e))?;
    for r in rows {
        let i = AuditItem::from(r);
        let outcome = if i.outcome == "done" { "完成" } else { "拒绝" };
        out.write_record([
            i.id.to_string().as_str(),
            &i.at,
            &i.actor,
            &i.role,
            &i.unit,
            &i.action_label,
            &i.action,
            &i.target_kind,
            &i.target_id,
            outcome,
            &i.changes.join("；"),
            &i.detail,
            i.before.as_deref().unwrap_or(""),
            i.after.as_deref().unwrap_or(""),
        ])
        .map_err(|e| internal(&e))?;
    }
    let bytes = out.into_inner().map_err(|e| internal(&e))?;
    Ok(crate::export::download("text/csv; charset=utf-8", "audit.csv", "操作日志.csv", bytes))
}

// ---- the JSON API ----

pub(crate) fn api() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(patch_user))
        .routes(routes!(list_audit))
}

/// A user as the API lists them; never the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserItem {
    /// The login name.
    username: String,
    /// The name shown.
    display_name: String,
    /// `admin`, `planner`, `reporter` or `viewer`.
    role: String,
    /// The role in Chinese.
    role_label: String,
    /// A reporter's unit.
    unit: String,
    /// Whether the user is disabled.
    disabled: bool,
    /// When added, RFC 3339 UTC.
    created_at: String,
}

impl From<UserView> for UserItem {
    fn from(u: UserView) -> UserItem {
        UserItem {
            username: u.username,
            display_name: u.display_name,
            role: u.role.to_owned(),
            role_label: u.role_label.to_owned(),
            unit: u.unit,
            disabled: u.disabled,
            created_at: u.created_at,
        }
    }
}

/// Every user (administrators only).
#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, body = Vec<UserItem>), (status = 403, body = ErrorBody)))]
async fn list_users(
    State(ctx): State<Ctx>,
    User(actor): User,
) -> Result<Json<Vec<UserItem>>, ApiError> {
    Ok(Json(ctx.app.users(&actor).await?.into_iter().map(UserItem::from).collect()))
}

/// Adds a user (administrators only).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserBody,
    responses((status = 201, description = "Added"), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn create_user(
    State(ctx): State<Ctx>,
    User(actor): User,
    body: Result<Json<NewUserBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let request = json_body(body)?.request()?;
    let id = ctx.app.add_user(&actor, &request).await?;
    Ok((axum::http::StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response())
}

/// Changes a user: role, unit, name, password, disabled (administrators only).
#[utoipa::path(patch, path = "/api/v1/users/{username}", tag = "users", request_body = UserChangeBody,
    params(("username" = String, Path, description = "The login name")),
    responses((status = 204, description = "Changed"), (status = 400, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
async fn patch_user(
    State(ctx): State<Ctx>,
    User(actor): User,
    username: Result<P<String>, ApiError>,
    body: Result<Json<UserChangeBody>, JsonRejection>,
) -> Result<Response, ApiError> {
    let P(username) = username?;
    let change = json_body(body)?.change()?;
    ctx.app.update_user(&actor, &username, &change).await?;
    Ok(axum::http::StatusCode::NO_CONTENT.into_response())
}

/// A page of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditList {
    /// How many entries the filters select.
    total: i64,
    /// This page's, latest first.
    items: Vec<AuditItem>,
}

/// The audit log, latest first, 50 entries a page (administrators and planners).
#[utoipa::path(get, path = "/api/v1/audit", tag = "users", params(AuditQuery),
    responses((status = 200, body = AuditList), (status = 403, body = ErrorBody)))]
async fn list_audit(
    State(ctx): State<Ctx>,
    User(actor): User,
    Q(q): Q<AuditQuery>,
) -> Result<Json<AuditList>, ApiError> {
    let (rows, total) = ctx.app.audit_log(&actor, &q.filter(AUDIT_PAGE)?).await?;
    Ok(Json(AuditList { total, items: rows.into_iter().map(AuditItem::from).collect() }))
}

#[cfg(test)]
mod tests {
    use super::field_changes;

    #[test]
    fn changes_name_the_fields_that_differ() {
        let before = r#"{"title":"修路","percent":20,"unit":"交通局","note":""}"#;
        let after = r#"{"title":"修路","percent":60,"unit":"交通局","note":"已完成路基"}"#;
        assert_eq!(
            field_changes(Some(before), Some(after)),
            ["note：（空） → 已完成路基", "percent：20 → 60"]
        );
        assert!(field_changes(None, Some(after)).is_empty());
    }
}
