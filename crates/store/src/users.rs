//! Users, their sessions and failed logins. The store keeps what it is given: password
//! hashes (never passwords) and token hashes (never tokens); hashing, checking and who may
//! do what are the business of `app`.

use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use crate::audit::{AuditOutcome, Change, record};
use crate::sql;
use crate::{Error, Result, Store};

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 管理员: everything, users included.
    Admin,
    /// 规划人员: the ledger, schemes, assessment, documents; not users.
    Planner,
    /// 填报人员: progress reports on the tasks their unit leads.
    Reporter,
    /// 查看人员: reads only.
    Viewer,
}

impl Role {
    /// Every role, from the most to the least allowed.
    pub const ALL: [Role; 4] = [Role::Admin, Role::Planner, Role::Reporter, Role::Viewer];

    /// The name stored and used in URLs, JSON and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Planner => "planner",
            Role::Reporter => "reporter",
            Role::Viewer => "viewer",
        }
    }

    /// The role named `name`, as [`Role::as_str`] writes it.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The role's name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Planner => "规划人员",
            Role::Reporter => "填报人员",
            Role::Viewer => "查看人员",
        }
    }
}

/// A user to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The login name; unique.
    pub username: String,
    /// The name shown (`张三`); the login name when empty.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// The unit a reporter reports for; empty for the other roles.
    pub unit: String,
    /// An argon2 PHC string.
    pub password_hash: String,
}

/// A user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The user's id; never reused.
    pub id: i64,
    /// The login name.
    pub username: String,
    /// The name shown.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// The unit a reporter reports for.
    pub unit: String,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// A disabled user cannot log in, and their sessions end.
    pub disabled: bool,
    /// When added, RFC 3339 UTC.
    pub created_at: String,
    /// When last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// What an administrator changes about a user; `None` keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserUpdate {
    /// A new display name.
    pub display_name: Option<String>,
    /// A new role.
    pub role: Option<Role>,
    /// A new unit.
    pub unit: Option<String>,
    /// A new password hash; every session of the user ends.
    pub password_hash: Option<String>,
    /// Disable or enable; disabling ends every session of the user.
    pub disabled: Option<bool>,
}

/// A live session with its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRow {
    /// The user, as stored now: a role changed since login applies at once.
    pub user: UserRow,
    /// The token forms and scripts must echo.
    pub csrf_token: String,
    /// When it ends, RFC 3339 UTC.
    pub expires_at: String,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.unit, u.password_hash, \
     u.disabled, u.created_at, u.updated_at";

impl Store {
    /// Adds a user and records `change`, in one transaction. [`Error::Invalid`] when the
    /// name is empty or taken.
    pub async fn add_user(&self, user: &NewUser, change: &Change) -> Result<i64> {
        let username = user.username.trim();
        if username.is_empty() {
            return Err(invalid_username("用户名不能为空"));
        }
        let mut tx = self.begin_write().await?;
        let taken = sqlx::query("SELECT 1 FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            tx.rollback().await?;
            return Err(invalid_username(&format!("用户名 {username} 已存在")));
        }
        let now = sql::now();
        let row = sqlx::query(
            "INSERT INTO users (username, display_name, role, unit, password_hash, disabled, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6) RETURNING id",
        )
        .bind(username)
        .bind(user.display_name.trim())
        .bind(user.role.as_str())
        .bind(user.unit.trim())
        .bind(user.password_hash.as_str())
        .bind(now.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        record(&mut tx, change, AuditOutcome::Done, &[id]).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes user `id` and records `change`, in one transaction. A new password or a
    /// disabled user ends the user's sessions. [`Error::NotFound`] if there is no such user;
    /// [`Error::Invalid`] if the change would leave no active administrator where there was
    /// one, which holds
    /// against concurrent changes too (the administrators' rows are locked on PostgreSQL;
    /// SQLite's write transaction holds the database).
    pub async fn update_user(&self, id: i64, update: &UserUpdate, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let admins_before = sqlx::query(AssertSqlSafe(format!(
            "SELECT id FROM users WHERE role = 'admin' AND disabled = 0{lock}"
        )))
        .fetch_all(&mut *tx)
        .await?
        .len();
        let now = sql::now();
        let updated = sqlx::query(
            "UPDATE users SET display_name = COALESCE($1, display_name), \
             role = COALESCE($2, role), unit = COALESCE($3, unit), \
             password_hash = COALESCE($4, password_hash), disabled = COALESCE($5, disabled), \
             updated_at = $6 WHERE id = $7",
        )
        .bind(update.display_name.as_deref().map(str::trim))
        .bind(update.role.map(Role::as_str))
        .bind(update.unit.as_deref().map(str::trim))
        .bind(update.password_hash.as_deref())
        .bind(update.disabled.map(i64::from))
        .bind(now.as_str())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(Error::NotFound { what: "user", id: id.to_string() });
        }
        let admins: i64 =
            sqlx::query("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0")
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
        if admins == 0 && admins_before > 0 {
            tx.rollback().await?;
            return Err(Error::Invalid {
                what: "user",
                reason: "the last active administrator cannot be demoted or disabled".into(),
            });
        }
        if update.password_hash.is_some() || update.disabled == Some(true) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        record(&mut tx, change, AuditOutcome::Done, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user named `username`, or `None`.
    pub async fn user_by_name(&self, username: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.username = $1");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(username.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_row).transpose()
    }

    /// User `id`, or `None`.
    pub async fn user(&self, id: i64) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(user_row).transpose()
    }

    /// Every user, by login name.
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.username");
        let rows = sqlx::query(AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(user_row).collect()
    }

    /// How many users there are.
    pub async fn user_count(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }

    /// Starts a session of user `user_id`, held by the token whose SHA-256 is `token_hash`,
    /// until `expires_at`; the login is recorded as `change`. Sessions that have ended are
    /// cleared on the way.
    pub async fn add_session(
        &self,
        token_hash: &str,
        user_id: i64,
        csrf_token: &str,
        expires_at: &str,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = sql::now();
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now.as_str())
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now.as_str())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        record(&mut tx, change, AuditOutcome::Done, &[user_id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live session held by the token whose SHA-256 is `token_hash`, with its user, or
    /// `None` when there is none, it has ended, or its user is disabled.
    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRow>> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, s.csrf_token, s.expires_at FROM sessions s \
             JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
        );
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(sql::now())
            .persistent(true)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(SessionRow {
                user: user_row(&row)?,
                csrf_token: row.try_get(9)?,
                expires_at: row.try_get(10)?,
            })
        })
        .transpose()
    }

    /// Ends the session held by the token whose SHA-256 is `token_hash`, if it exists.
    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Records a failed login under each of `keys` (`user:NAME`, `addr:IP`), with `change`
    /// in the audit log, in one transaction.
    pub async fn add_login_failure(&self, keys: &[&str], change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = sql::now();
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                .bind(*key)
                .bind(now.as_str())
                .execute(&mut *tx)
                .await?;
        }
        record(&mut tx, change, AuditOutcome::Refused, &[]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many failed logins `key` has since `since` (RFC 3339).
    pub async fn login_failures(&self, key: &str, since: &str) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) FROM login_failures WHERE key = $1 AND at >= $2")
            .bind(key)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    /// Forgets the failed logins of `key` (after a successful login) and every failure
    /// older than `before`.
    pub async fn clear_login_failures(&self, key: &str, before: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1 OR at < $2")
            .bind(key)
            .bind(before)
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

fn invalid_username(reason: &str) -> Error {
    Error::Invalid { what: "username", reason: reason.to_owned() }
}

fn user_row(row: &AnyRow) -> Result<UserRow> {
    let role: String = row.try_get(3)?;
    let disabled: i64 = row.try_get(6)?;
    Ok(UserRow {
        id: row.try_get(0)?,
        username: row.try_get(1)?,
        display_name: row.try_get(2)?,
        role: Role::parse(&role).ok_or_else(|| Error::corrupt(format!("unknown role {role:?}")))?,
        unit: row.try_get(4)?,
        password_hash: row.try_get(5)?,
        disabled: disabled != 0,
        created_at: row.try_get(7)?,
        updated_at: row.try_get(8)?,
    })
}
