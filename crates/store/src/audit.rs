//! The audit log: every change, written in the same transaction as the change itself, and
//! every refused attempt. Append-only: the store has no statement that changes or removes
//! a row, and triggers in the schema refuse any that another client might send.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::documents::advance_generation;
use crate::sql::{self, Where};
use crate::{Generation, Result, Store};

/// Who changes what, for the audit log. Every write of the store takes one and records it
/// in the write's transaction: the change and its record are stored together or not at
/// all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// Who: a user name, or `命令行` / `系统` for the command line and the server itself.
    pub actor: String,
    /// The actor's role (`admin`, `planner`, …), empty for the system.
    pub role: String,
    /// The actor's unit, where it has one.
    pub unit: String,
    /// What is done: `task.update`, `report.add`, `document.upload`.
    pub action: String,
    /// What it is done to: `task`, `document`, `scheme`, `user`, `setting`.
    pub target_kind: String,
    /// Its id or key. Empty for an insert: the store writes the new row's id.
    pub target_id: String,
    /// The thing before the change, as JSON.
    pub before: Option<String>,
    /// The thing after the change, as JSON.
    pub after: Option<String>,
    /// Anything else worth keeping: a file name, a reason.
    pub detail: String,
}

impl Change {
    /// A change by `actor` (with its role and unit) of the `target_kind` with `target_id`.
    pub fn new(actor: &str, action: &str, target_kind: &str, target_id: &str) -> Change {
        Change {
            actor: actor.to_owned(),
            action: action.to_owned(),
            target_kind: target_kind.to_owned(),
            target_id: target_id.to_owned(),
            ..Change::default()
        }
    }

    /// The same change with its before and after.
    pub fn with_states(mut self, before: Option<String>, after: Option<String>) -> Change {
        self.before = before;
        self.after = after;
        self
    }

    /// The same change with a detail.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Change {
        self.detail = detail.into();
        self
    }
}

/// Whether the change was made or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditOutcome {
    /// Made.
    Done,
    /// Refused: the actor may not, or the credentials were wrong.
    Refused,
}

impl AuditOutcome {
    /// The name stored and used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Done => "done",
            AuditOutcome::Refused => "refused",
        }
    }

    /// The outcome named `name`.
    pub fn parse(name: &str) -> Option<AuditOutcome> {
        [AuditOutcome::Done, AuditOutcome::Refused].into_iter().find(|o| o.as_str() == name)
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// Its id; entries are numbered in the order they were written.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// What was done or refused, by whom, to what.
    pub change: Change,
    /// Done or refused.
    pub outcome: AuditOutcome,
}

/// Which entries [`Store::audit_log`] lists, latest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor's.
    pub actor: Option<String>,
    /// Only actions starting with this (`task` takes in `task.add` and `task.update`).
    pub action: Option<String>,
    /// Only changes to this kind of thing.
    pub target_kind: Option<String>,
    /// Only changes to the thing with this id (with `target_kind`).
    pub target_id: Option<String>,
    /// Only done, or only refused.
    pub outcome: Option<AuditOutcome>,
    /// Only from this time on (RFC 3339, or a date `2026-06-01`).
    pub since: Option<String>,
    /// Only before this time (RFC 3339, or a date: before that day).
    pub until: Option<String>,
    /// At most this many; all when `None`.
    pub limit: Option<u32>,
    /// Skip this many first.
    pub offset: u32,
}

const COLUMNS: &str = "id, at, actor, role, unit, action, target_kind, target_id, outcome, \
     before_json, after_json, detail";

impl Store {
    /// Records an attempt that was refused, in a transaction of its own.
    pub async fn record_refusal(&self, change: &Change) -> Result<()> {
        let mut conn = self.writer.acquire().await?;
        record(&mut conn, change, AuditOutcome::Refused, &[]).await
    }

    /// The audit log entries `filter` selects, latest first.
    pub async fn audit_log(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let mut w = audit_where(filter)?;
        let page = w.page(filter.limit, filter.offset)?;
        let sql = format!("SELECT {COLUMNS} FROM audit_log{} ORDER BY id DESC{page}", w.sql());
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter().map(audit_row).collect()
    }

    /// How many entries `filter` selects, its page aside.
    pub async fn count_audit_log(&self, filter: &AuditFilter) -> Result<i64> {
        let w = audit_where(filter)?;
        let sql = format!("SELECT COUNT(*) FROM audit_log{}", w.sql());
        let row = sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }
}

fn audit_where(filter: &AuditFilter) -> Result<Where> {
    let mut w = Where::default();
    w.and("actor = $?", filter.actor.as_deref())?;
    let action = filter.action.as_deref().map(|a| format!("{}%", escape_like(a)));
    w.and("action LIKE $? ESCAPE '\\'", action)?;
    w.and("target_kind = $?", filter.target_kind.as_deref())?;
    w.and("target_id = $?", filter.target_id.as_deref())?;
    w.and("outcome = $?", filter.outcome.map(AuditOutcome::as_str))?;
    w.and("at >= $?", filter.since.as_deref())?;
    // A bare date means the whole day: "until 2026-06-01" takes in that day.
    let until = filter
        .until
        .as_deref()
        .map(|u| if u.len() == 10 { format!("{u}T99") } else { u.to_owned() });
    w.and("at < $?", until)?;
    Ok(w)
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn audit_row(row: &AnyRow) -> Result<AuditRow> {
    let outcome: String = row.try_get(8)?;
    Ok(AuditRow {
        id: row.try_get(0)?,
        at: row.try_get(1)?,
        change: Change {
            actor: row.try_get(2)?,
            role: row.try_get(3)?,
            unit: row.try_get(4)?,
            action: row.try_get(5)?,
            target_kind: row.try_get(6)?,
            target_id: row.try_get(7)?,
            before: row.try_get(9)?,
            after: row.try_get(10)?,
            detail: row.try_get(11)?,
        },
        outcome: AuditOutcome::parse(&outcome)
            .ok_or_else(|| crate::Error::corrupt(format!("unknown audit outcome {outcome:?}")))?,
    })
}

/// The last steps of every write: records `change` as done (`ids` are an insert's new
/// rows), advances the generation and commits `tx`.
pub(crate) async fn commit_change(
    mut tx: sqlx::Transaction<'static, sqlx::Any>,
    change: &Change,
    ids: &[i64],
) -> Result<Generation> {
    record(&mut tx, change, AuditOutcome::Done, ids).await?;
    let generation = advance_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(generation)
}

/// Writes `change` to the log on `conn`, inside the caller's transaction. `ids` are the
/// ids of the rows an insert made; they stand for the target's id when the change has
/// none.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    change: &Change,
    outcome: AuditOutcome,
    ids: &[i64],
) -> Result<()> {
    let target_id = if change.target_id.is_empty() {
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    } else {
        change.target_id.clone()
    };
    sqlx::query(
        "INSERT INTO audit_log (at, actor, role, unit, action, target_kind, target_id, outcome, \
         before_json, after_json, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(sql::now())
    .bind(change.actor.as_str())
    .bind(change.role.as_str())
    .bind(change.unit.as_str())
    .bind(change.action.as_str())
    .bind(change.target_kind.as_str())
    .bind(target_id)
    .bind(outcome.as_str())
    .bind(change.before.as_deref())
    .bind(change.after.as_deref())
    .bind(change.detail.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}
