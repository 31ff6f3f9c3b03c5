//! Who may do what: users with roles, password login with sessions, and the rule every
//! change passes through.
//!
//! Every use case that changes something takes the [`Actor`] doing it, asks
//! [`App::authorize`] first, and hands the store a [`Change`] that the store records in
//! the audit log within the same transaction as the change. A refusal is recorded too.
//! The command line acts as [`Actor::command_line`]: whoever runs it can open the
//! database file anyway.
//!
//! | role | may |
//! |---|---|
//! | admin 管理员 | everything |
//! | planner 规划人员 | everything but users |
//! | reporter 填报人员 | progress reports on the tasks their own unit leads |
//! | viewer 查看人员 | nothing: reads only |

use std::time::{Duration, SystemTime};

use argon2::password_hash::PasswordVerifier;
use argon2::password_hash::phc::PasswordHash;
use argon2::{Argon2, PasswordHasher};
use serde::Serialize;
use sha2::{Digest, Sha256};
use taizhang_store::{Change, NewUser, UserRow, UserUpdate, timestamp};

pub use taizhang_store::{AuditFilter, AuditOutcome, AuditRow, Role};

use crate::{App, Error, Result};

/// How long a session lasts from login: a working day and then some. Absolute rather than
/// sliding, so that serving a request never writes.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// The window failed logins are counted in.
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Failed logins of one user name in [`FAILURE_WINDOW`] before further attempts are
/// refused unheard.
pub const MAX_FAILURES_PER_USER: i64 = 5;

/// Failed logins from one address in [`FAILURE_WINDOW`] before further attempts are
/// refused unheard: enough for an office behind one NAT address.
pub const MAX_FAILURES_PER_ADDRESS: i64 = 30;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Who does something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Actor {
    /// The user's id; `None` for the command line and the server itself.
    pub user_id: Option<i64>,
    /// The login name, or `命令行` / `系统`.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// What the actor may do.
    #[serde(serialize_with = "role_name")]
    pub role: Role,
    /// A reporter's unit.
    pub unit: String,
}

fn role_name<S: serde::Serializer>(role: &Role, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(role.as_str())
}

impl Actor {
    /// Whoever runs the command line: an administrator, since they can open the database
    /// file anyway; audited as `命令行`.
    pub fn command_line() -> Actor {
        Actor::machine("命令行")
    }

    /// The server acting on its own (re-extracting stale documents on open).
    pub fn system() -> Actor {
        Actor::machine("系统")
    }

    fn machine(name: &str) -> Actor {
        Actor {
            user_id: None,
            username: name.to_owned(),
            display_name: name.to_owned(),
            role: Role::Admin,
            unit: String::new(),
        }
    }

    /// The actor a stored user is.
    pub fn of(user: &UserRow) -> Actor {
        Actor {
            user_id: Some(user.id),
            username: user.username.clone(),
            display_name: if user.display_name.is_empty() {
                user.username.clone()
            } else {
                user.display_name.clone()
            },
            role: user.role,
            unit: user.unit.clone(),
        }
    }

    /// A change by this actor, for the store to record.
    pub fn change(&self, action: Action, target_kind: &str, target_id: &str) -> Change {
        Change {
            role: self.role.as_str().to_owned(),
            unit: self.unit.clone(),
            ..Change::new(&self.username, action.as_str(), target_kind, target_id)
        }
    }

    /// Whether the actor may do `action` to a thing of `owner_unit` (a task's 责任单位;
    /// `None` for things no unit owns).
    pub fn may(&self, action: Action, owner_unit: Option<&str>) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Planner => action != Action::ManageUsers,
            Role::Reporter => {
                action == Action::ReportProgress
                    && !self.unit.trim().is_empty()
                    && owner_unit.is_some_and(|u| u.trim() == self.unit.trim())
            }
            Role::Viewer => false,
        }
    }
}

/// Everything that changes what is stored, each checked by [`Actor::may`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Store a document (upload, import from a folder).
    UploadDocument,
    /// Delete a document.
    DeleteDocument,
    /// Re-extract stored documents.
    Reextract,
    /// Add tasks to the ledger (by hand, from a document, from a fact).
    AddTask,
    /// Change what a task says.
    EditTask,
    /// Delete a task.
    DeleteTask,
    /// Import a ledger sheet.
    ImportLedger,
    /// Report progress on a task.
    ReportProgress,
    /// Change the warning thresholds or the approximate-target tolerances.
    EditSettings,
    /// Add, change, import or delete an assessment scheme.
    EditScheme,
    /// Run and save an assessment.
    RunAssessment,
    /// Move a project of the library to a stage by hand, change the stages, or remove a
    /// project entered by hand.
    EditProjects,
    /// Import the project library's sheet (stages, projects entered by hand, 拟招企业).
    ImportProjects,
    /// Add users, change their roles, reset their passwords.
    ManageUsers,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 14] = [
        Action::UploadDocument,
        Action::DeleteDocument,
        Action::Reextract,
        Action::AddTask,
        Action::EditTask,
        Action::DeleteTask,
        Action::ImportLedger,
        Action::ReportProgress,
        Action::EditSettings,
        Action::EditScheme,
        Action::RunAssessment,
        Action::EditProjects,
        Action::ImportProjects,
        Action::ManageUsers,
    ];

    /// The name the audit log records.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::UploadDocument => "document.upload",
            Action::DeleteDocument => "document.delete",
            Action::Reextract => "document.reextract",
            Action::AddTask => "task.add",
            Action::EditTask => "task.update",
            Action::DeleteTask => "task.delete",
            Action::ImportLedger => "task.import",
            Action::ReportProgress => "report.add",
            Action::EditSettings => "setting.update",
            Action::EditScheme => "scheme.update",
            Action::RunAssessment => "assessment.run",
            Action::EditProjects => "project.update",
            Action::ImportProjects => "project.import",
            Action::ManageUsers => "user.update",
        }
    }

    /// The action in Chinese, for refusals and the audit page.
    pub fn label(self) -> &'static str {
        match self {
            Action::UploadDocument => "上传文件",
            Action::DeleteDocument => "删除文件",
            Action::Reextract => "重新抽取",
            Action::AddTask => "新增任务",
            Action::EditTask => "修改任务",
            Action::DeleteTask => "删除任务",
            Action::ImportLedger => "导入台账",
            Action::ReportProgress => "填报进度",
            Action::EditSettings => "修改设置",
            Action::EditScheme => "修改考核方案",
            Action::RunAssessment => "运行考核",
            Action::EditProjects => "修改项目库",
            Action::ImportProjects => "导入项目库",
            Action::ManageUsers => "管理用户",
        }
    }
}

/// The Chinese name of an audit log action as recorded (`task.update` → 修改任务).
pub fn action_label(recorded: &str) -> &str {
    match recorded {
        "login" => "登录",
        "logout" => "退出",
        "user.add" => "新增用户",
        "user.password" => "修改密码",
        "scheme.add" => "新增考核方案",
        "scheme.delete" => "删除考核方案",
        // Before entries by hand, moving a stage was the library's one change.
        "project.stage" => "调整项目阶段",
        _ => match Action::ALL.into_iter().find(|a| a.as_str() == recorded) {
            Some(action) => action.label(),
            None => recorded,
        },
    }
}

/// A login: the token the browser keeps (in a cookie, or as a bearer token) and the CSRF
/// token its forms and scripts echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// The session token. Only its SHA-256 is stored.
    pub token: String,
    /// The token that requests which change something must carry.
    pub csrf_token: String,
    /// When the session ends, RFC 3339 UTC.
    pub expires_at: String,
    /// Who logged in.
    pub actor: Actor,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Who it is.
    pub actor: Actor,
    /// The token requests that change something must carry.
    pub csrf_token: String,
}

/// A user as an administrator sees them: everything but the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserView {
    /// The user's id.
    pub id: i64,
    /// The login name.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// `admin`, `planner`, `reporter` or `viewer`.
    pub role: &'static str,
    /// The role in Chinese.
    pub role_label: &'static str,
    /// A reporter's unit.
    pub unit: String,
    /// Whether the user is disabled.
    pub disabled: bool,
    /// When added.
    pub created_at: String,
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> UserView {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str(),
            role_label: u.role.label(),
            unit: u.unit.clone(),
            disabled: u.disabled,
            created_at: u.created_at.clone(),
        }
    }
}

/// What an administrator changes about a user; `None` keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new role.
    pub role: Option<Role>,
    /// A new unit.
    pub unit: Option<String>,
    /// A new password (ends the user's sessions).
    pub password: Option<String>,
    /// Disable (ends the user's sessions) or enable.
    pub disabled: Option<bool>,
}

impl App {
    /// Refuses with [`Error::Forbidden`], and records the refusal, unless `actor` may do
    /// `action` to the `target_kind` `target_id` owned by `owner_unit`.
    pub async fn authorize(
        &self,
        actor: &Actor,
        action: Action,
        target: (&str, &str),
        owner_unit: Option<&str>,
    ) -> Result<()> {
        if actor.may(action, owner_unit) {
            return Ok(());
        }
        let why = match (actor.role, owner_unit) {
            (Role::Reporter, Some(unit)) if action == Action::ReportProgress => {
                format!(
                    "该任务由{unit}牵头，{}只能填报本单位（{}）的任务",
                    actor.display_name, actor.unit
                )
            }
            _ => format!("{}（{}）无权{}", actor.display_name, actor.role.label(), action.label()),
        };
        let change = actor.change(action, target.0, target.1).with_detail(why.clone());
        self.store().record_refusal(&change).await?;
        Err(Error::Forbidden(why))
    }

    /// Adds a user. Only an administrator may; the first administrator is added from the
    /// command line.
    pub async fn add_user(&self, actor: &Actor, user: &NewUserRequest) -> Result<i64> {
        self.authorize(actor, Action::ManageUsers, ("user", &user.username), None).await?;
        let username = user.username.trim();
        if username.is_empty() || username.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Error::Invalid("用户名不能为空，也不能含空格".into()));
        }
        if user.role == Role::Reporter && user.unit.trim().is_empty() {
            return Err(Error::Invalid("填报人员须指定所在单位（责任单位）".into()));
        }
        let password_hash = hash_password(&user.password).await?;
        let new = NewUser {
            username: username.to_owned(),
            display_name: user.display_name.clone(),
            role: user.role,
            unit: user.unit.clone(),
            password_hash,
        };
        let after = serde_json::json!({
            "username": new.username, "display_name": new.display_name,
            "role": new.role.as_str(), "unit": new.unit,
        });
        let change =
            Change { action: "user.add".into(), ..actor.change(Action::ManageUsers, "user", "") }
                .with_states(None, Some(after.to_string()));
        Ok(self.store().add_user(&new, &change).await?)
    }

    /// Changes user `username`. Only an administrator may, except that every user may
    /// change their own password ([`App::change_own_password`]).
    pub async fn update_user(
        &self,
        actor: &Actor,
        username: &str,
        update: &UserChange,
    ) -> Result<()> {
        self.authorize(actor, Action::ManageUsers, ("user", username), None).await?;
        let user = self.user_named(username).await?;
        let role = update.role.unwrap_or(user.role);
        let unit = update.unit.as_deref().unwrap_or(&user.unit);
        if role == Role::Reporter && unit.trim().is_empty() {
            return Err(Error::Invalid("填报人员须指定所在单位（责任单位）".into()));
        }
        if user.role == Role::Admin
            && (role != Role::Admin || update.disabled == Some(true))
            && self.active_admins().await? <= 1
        {
            return Err(Error::Invalid("这是唯一的管理员，不能降级或停用".into()));
        }
        let password_hash = match &update.password {
            Some(p) => Some(hash_password(p).await?),
            None => None,
        };
        let before = user_json(&user);
        let store_update = UserUpdate {
            display_name: update.display_name.clone(),
            role: update.role,
            unit: update.unit.clone(),
            password_hash,
            disabled: update.disabled,
        };
        let mut after = before.clone();
        if let Some(d) = &update.display_name {
            after["display_name"] = d.trim().into();
        }
        after["role"] = role.as_str().into();
        after["unit"] = unit.trim().into();
        if let Some(d) = update.disabled {
            after["disabled"] = d.into();
        }
        let mut change = actor.change(Action::ManageUsers, "user", &user.id.to_string());
        if update.password.is_some() {
            change = change.with_detail("重置密码");
        }
        let change = change.with_states(Some(before.to_string()), Some(after.to_string()));
        match self.store().update_user(user.id, &store_update, &change).await {
            // Another change took the other administrators away meanwhile.
            Err(taizhang_store::Error::Invalid { what: "user", .. }) => {
                Err(Error::Invalid("这是唯一的管理员，不能降级或停用".into()))
            }
            done => Ok(done?),
        }
    }

    /// Changes the actor's own password, given the current one. Ends their sessions.
    pub async fn change_own_password(&self, actor: &Actor, current: &str, new: &str) -> Result<()> {
        let Some(id) = actor.user_id else {
            return Err(Error::Invalid("命令行没有密码；请用 taizhang user passwd".into()));
        };
        let user =
            self.store().user(id).await?.ok_or_else(|| Error::Invalid("用户不存在".into()))?;
        if !verify_password(current, &user.password_hash).await {
            let change = actor.change(Action::ManageUsers, "user", &id.to_string());
            let change =
                Change { action: "user.password".into(), ..change }.with_detail("原密码不正确");
            self.store().record_refusal(&change).await?;
            return Err(Error::Forbidden("原密码不正确".into()));
        }
        let update =
            UserUpdate { password_hash: Some(hash_password(new).await?), ..UserUpdate::default() };
        let change = Change {
            action: "user.password".into(),
            ..actor.change(Action::ManageUsers, "user", &id.to_string())
        };
        Ok(self.store().update_user(id, &update, &change).await?)
    }

    /// Every user, for an administrator.
    pub async fn users(&self, actor: &Actor) -> Result<Vec<UserView>> {
        if actor.role != Role::Admin {
            return Err(Error::Forbidden("只有管理员可以查看用户".into()));
        }
        Ok(self.store().users().await?.iter().map(UserView::from).collect())
    }

    /// Whether any user exists: until one does, nobody can log in.
    pub async fn has_users(&self) -> Result<bool> {
        Ok(self.store().user_count().await? > 0)
    }

    /// Logs `username` in with `password` from `address`. Refuses with
    /// [`Error::LoginFailed`] (the same for an unknown name and a wrong password), or with
    /// [`Error::RateLimited`] after too many failures of the name or the address, without
    /// looking at the password. Every attempt is in the audit log.
    pub async fn login(&self, username: &str, password: &str, address: &str) -> Result<Login> {
        let username = username.trim();
        let now = SystemTime::now();
        let since = timestamp(now - FAILURE_WINDOW);
        let user_key = format!("user:{username}");
        let address_key = format!("addr:{address}");
        let store = self.store();
        let refused = |detail: &str| Change {
            actor: username.to_owned(),
            action: "login".into(),
            target_kind: "user".into(),
            target_id: username.to_owned(),
            detail: detail.to_owned(),
            ..Change::default()
        };
        if store.login_failures(&user_key, &since).await? >= MAX_FAILURES_PER_USER
            || store.login_failures(&address_key, &since).await? >= MAX_FAILURES_PER_ADDRESS
        {
            store
                .record_refusal(&refused(&format!("尝试过多，已暂停登录（来自 {address}）")))
                .await?;
            return Err(Error::RateLimited { retry_after: FAILURE_WINDOW });
        }
        let user = store.user_by_name(username).await?;
        // An unknown name costs as much as a wrong password, so that timing does not tell
        // which names exist.
        let hash = user.as_ref().map_or(DUMMY_HASH, |u| u.password_hash.as_str());
        let verified = verify_password(password, hash).await;
        let user = match user {
            Some(u) if verified && !u.disabled => u,
            other => {
                let why = match other {
                    Some(u) if u.disabled => "用户已停用",
                    Some(_) => "密码错误",
                    None => "用户不存在",
                };
                store
                    .add_login_failure(
                        &[&user_key, &address_key],
                        &refused(&format!("{why}（来自 {address}）")),
                    )
                    .await?;
                return Err(Error::LoginFailed);
            }
        };
        store.clear_login_failures(&user_key, &since).await?;
        let token = random_token();
        let csrf_token = random_token();
        let expires_at = timestamp(now + SESSION_LIFETIME);
        let actor = Actor::of(&user);
        let change =
            Change { action: "login".into(), ..actor.change(Action::ManageUsers, "user", "") }
                .with_detail(format!("来自 {address}"));
        store.add_session(&token_hash(&token), user.id, &csrf_token, &expires_at, &change).await?;
        Ok(Login { token, csrf_token, expires_at, actor })
    }

    /// The live session of `token`, or `None` when it is unknown, has ended, or its user is
    /// disabled. The user is read afresh: a changed role applies at once.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        if token.is_empty() || token.len() > 128 {
            return Ok(None);
        }
        Ok(self
            .store()
            .session(&token_hash(token))
            .await?
            .map(|s| Session { actor: Actor::of(&s.user), csrf_token: s.csrf_token }))
    }

    /// Ends the session of `token`.
    pub async fn logout(&self, token: &str) -> Result<()> {
        Ok(self.store().delete_session(&token_hash(token)).await?)
    }

    /// The audit log entries `filter` selects, latest first, with how many there are in
    /// all. Administrators and planners may read it.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<(Vec<AuditRow>, i64)> {
        if !matches!(actor.role, Role::Admin | Role::Planner) {
            return Err(Error::Forbidden("只有管理员和规划人员可以查看操作日志".into()));
        }
        let rows = self.store().audit_log(filter).await?;
        let total = self.store().count_audit_log(filter).await?;
        Ok((rows, total))
    }

    async fn user_named(&self, username: &str) -> Result<UserRow> {
        self.store()
            .user_by_name(username)
            .await?
            .ok_or_else(|| Error::Invalid(format!("没有用户 {username}")))
    }

    async fn active_admins(&self) -> Result<usize> {
        Ok(self
            .store()
            .users()
            .await?
            .iter()
            .filter(|u| u.role == Role::Admin && !u.disabled)
            .count())
    }
}

/// A user to add, with the password in clear (it is hashed before it is stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUserRequest {
    /// The login name.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// A reporter's unit.
    pub unit: String,
    /// The password.
    pub password: String,
}

fn user_json(u: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "username": u.username, "display_name": u.display_name, "role": u.role.as_str(),
        "unit": u.unit, "disabled": u.disabled,
    })
}

/// A hash of a password nobody has, checked against when the user name is unknown.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Hkzw+Nc7aBAgqsYnqwEgXB3Hy6Av25nM8bPdA60ZeaE";

/// Hashes `password` with argon2id (the crate's defaults: 19 MiB, 2 passes), off the
/// async threads. [`Error::Invalid`] when it is shorter than [`MIN_PASSWORD_CHARS`].
pub async fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Error::Invalid(format!("密码至少{MIN_PASSWORD_CHARS}个字符")));
    }
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| Error::Invalid(format!("无法处理该密码：{e}")))
    })
    .await
    .map_err(|e| Error::Invalid(format!("无法处理该密码：{e}")))?
}

/// Whether `password` matches the PHC string `hash`, checked off the async threads.
async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash)
            .is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

/// A fresh password of 14 letters and digits, without the ones easily mistaken for each
/// other (0/O, 1/l/I), for a first login.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 14];
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    // 256 is not a multiple of 56: the first 32 letters come up a little more often,
    // which still leaves over 80 bits.
    bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect()
}

/// 32 random bytes, as 64 hex digits.
fn random_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not something to serve requests through.
    getrandom::fill(&mut bytes).expect("the operating system's random source works");
    hex(&bytes)
}

/// The SHA-256 of a token, as stored.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, unit: &str) -> Actor {
        Actor {
            user_id: Some(1),
            username: "u".into(),
            display_name: "u".into(),
            role,
            unit: unit.into(),
        }
    }

    #[test]
    fn a_reporter_reports_only_for_their_own_unit() {
        let r = actor(Role::Reporter, "发展改革局");
        assert!(r.may(Action::ReportProgress, Some("发展改革局")));
        assert!(!r.may(Action::ReportProgress, Some("财政局")));
        assert!(!r.may(Action::ReportProgress, None));
        assert!(!r.may(Action::EditTask, Some("发展改革局")));
        // A reporter without a unit owns nothing, not even tasks without one.
        assert!(!actor(Role::Reporter, "").may(Action::ReportProgress, Some("")));
    }

    #[test]
    fn planners_do_everything_but_users_and_viewers_nothing() {
        for action in Action::ALL {
            assert!(actor(Role::Admin, "").may(action, None));
            assert_eq!(actor(Role::Planner, "").may(action, None), action != Action::ManageUsers);
            assert!(!actor(Role::Viewer, "").may(action, Some("")));
        }
    }

    #[test]
    fn the_dummy_hash_parses() {
        // Otherwise an unknown user name would answer faster than a wrong password.
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn audit_actions_have_chinese_names() {
        for action in Action::ALL {
            assert_ne!(action_label(action.as_str()), action.as_str());
        }
        assert_eq!(action_label("login"), "登录");
        assert_eq!(action_label("unknown.thing"), "unknown.thing");
    }
}
