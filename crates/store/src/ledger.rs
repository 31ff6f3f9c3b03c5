//! The ledger (台账): tasks, progress reports with their attachments, and the ledger's
//! settings. Every write is one transaction that advances the store's generation.
//!
//! The store checks what the schema needs (a title, a share between 0 and 100, a document
//! that exists) and keeps dates as the ISO 8601 text it is given; reading deadlines as
//! offices write them, schedule progress and warnings are the business of `app`.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

use crate::audit::{Change, commit_change};
use crate::sql::{self, Binder, Where};
use crate::{Error, Generation, Result, Store};

/// The largest attachment the store accepts: 32 MiB.
pub const MAX_ATTACHMENT_BYTES: usize = 32 << 20;

/// Where a task stands (状态).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// 未启动.
    #[default]
    NotStarted,
    /// 推进中.
    InProgress,
    /// 已完成.
    Done,
    /// 暂缓: stopped on purpose; it lights no warning.
    Suspended,
}

impl TaskStatus {
    /// Every status, in the order a form lists them.
    pub const ALL: [TaskStatus; 4] =
        [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done, TaskStatus::Suspended];

    /// The name stored and used in URLs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::NotStarted => "not_started",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Suspended => "suspended",
        }
    }

    /// The status named `name`, as [`TaskStatus::as_str`] writes it.
    pub fn parse(name: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// What a task says: everything about it that a user edits or a sheet carries.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Task {
    /// 序号; `None` when adding puts the task after the last one.
    pub ord: Option<i64>,
    /// 目标任务.
    pub title: String,
    /// 责任单位 (牵头单位); empty until assigned.
    pub lead_unit: String,
    /// 配合单位.
    pub assisting_units: Vec<String>,
    /// When the task's time starts, ISO 8601 (`2026-01-01`).
    pub start_date: Option<String>,
    /// 完成时限 as a date, ISO 8601; `None` for a task without an end (长期坚持).
    pub deadline: Option<String>,
    /// 完成时限 as written (`2026年6月底`); empty when only the date is known.
    pub deadline_text: String,
    /// Where it stands.
    pub status: TaskStatus,
    /// The share done, 0–100, as last reported.
    pub percent: Option<f64>,
    /// 进展情况.
    pub progress: String,
    /// 存在问题.
    pub problems: String,
    /// 下步打算.
    pub next_steps: String,
    /// The sentence the task comes from, if it comes from a document.
    pub source: Option<TaskSource>,
}

/// The sentence a task was made from: a span of a document's text, with the sentence
/// copied in so that it outlives re-extraction and the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskSource {
    /// The document; `None` once it is deleted, or when a sheet named one this store
    /// does not have.
    pub document_id: Option<i64>,
    /// Byte offset of the sentence in the document's text.
    pub start: Option<usize>,
    /// Byte offset of its end (exclusive).
    pub end: Option<usize>,
    /// The sentence.
    pub text: String,
}

/// A task as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// The task's id; never reused.
    pub id: i64,
    /// 序号.
    pub ord: i64,
    /// What it says ([`Task::ord`] is `Some`).
    pub task: Task,
    /// The title of the source document, while it exists.
    pub document_title: Option<String>,
    /// When it was added, RFC 3339 UTC.
    pub created_at: String,
    /// When it last changed, RFC 3339 UTC.
    pub updated_at: String,
}

/// Which tasks [`Store::tasks`] lists, in 序号 order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Only tasks this unit leads or assists in.
    pub unit: Option<String>,
    /// Only tasks with this status.
    pub status: Option<TaskStatus>,
    /// Only tasks from this document.
    pub document_id: Option<i64>,
}

/// A progress report (进度填报) to add.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewReport {
    /// The period reported on (`2026-05`, `2026年第二季度`).
    pub period: String,
    /// The reporting unit.
    pub unit: String,
    /// The day the report speaks for, ISO 8601.
    pub reported_on: String,
    /// A value of the task's indicator, where it has one.
    pub value: Option<f64>,
    /// The share done, 0–100.
    pub percent: Option<f64>,
    /// Where the task stands after this report.
    pub status: TaskStatus,
    /// The status note (进展情况).
    pub note: String,
}

/// A file of evidence (佐证材料) to attach to a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttachment {
    /// The file name as uploaded.
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A progress report as stored, with its attachments (without their bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    /// The report's id.
    pub id: i64,
    /// The task reported on.
    pub task_id: i64,
    /// What was reported.
    pub report: NewReport,
    /// When it was stored, RFC 3339 UTC.
    pub created_at: String,
    /// The evidence.
    pub attachments: Vec<AttachmentRow>,
}

/// An attachment as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentRow {
    /// The attachment's id.
    pub id: i64,
    /// The report it belongs to.
    pub report_id: i64,
    /// The file name.
    pub name: String,
    /// The media type.
    pub media_type: String,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    /// The size in bytes.
    pub size: usize,
}

/// The columns of [`task_row`], in order.
const TASK_COLUMNS: &str = "t.id, t.ord, t.title, t.lead_unit, t.assisting_units, t.start_date, \
     t.deadline, t.deadline_text, t.status, t.percent, t.progress, t.problems, t.next_steps, \
     t.document_id, t.source_start, t.source_end, t.source_text, d.title, t.created_at, \
     t.updated_at";

impl Store {
    /// Adds `tasks` in one transaction: all of them or, when one is refused, none. A task
    /// without a 序号 comes after the last. Returns their ids, in order, and the
    /// generation the write took the store to.
    pub async fn add_tasks(
        &self,
        tasks: &[Task],
        change: &Change,
    ) -> Result<(Vec<i64>, Generation)> {
        self.put_tasks(tasks, &[], change).await
    }

    /// Adds `new` tasks and replaces what the tasks `updates` name by id say, all in one
    /// transaction: an import that adds some rows and updates others writes all or
    /// nothing. [`Error::NotFound`] if an updated task does not exist; a `None` 序号 keeps
    /// an updated task's. Returns the new tasks' ids and the generation.
    pub async fn put_tasks(
        &self,
        new: &[Task],
        updates: &[(i64, Task)],
        change: &Change,
    ) -> Result<(Vec<i64>, Generation)> {
        for task in new.iter().chain(updates.iter().map(|(_, t)| t)) {
            check_task(task)?;
        }
        let mut tx = self.begin_write().await?;
        for (id, task) in updates {
            check_document(&mut tx, task).await?;
            if !update_in(&mut tx, *id, task).await? {
                tx.rollback().await?;
                return Err(task_not_found(*id));
            }
        }
        let mut next: i64 = sqlx::query("SELECT COALESCE(MAX(ord), 0) + 1 FROM tasks")
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        let mut ids = Vec::with_capacity(new.len());
        let now = sql::now();
        for task in new {
            check_document(&mut tx, task).await?;
            let ord = task.ord.unwrap_or(next);
            next = next.max(ord + 1);
            let mut b = Binder::default();
            bind_task(&mut b, task, ord)?;
            b.add(now.as_str())?.add(now.as_str())?;
            let row = sqlx::query_with(
                "INSERT INTO tasks (ord, title, lead_unit, assisting_units, start_date, deadline, \
                 deadline_text, status, percent, progress, problems, next_steps, document_id, \
                 source_start, source_end, source_text, created_at, updated_at) VALUES ($1, $2, \
                 $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
                 RETURNING id",
                b.args,
            )
            .fetch_one(&mut *tx)
            .await?;
            ids.push(row.try_get(0)?);
        }
        let touched: Vec<i64> =
            updates.iter().map(|(id, _)| *id).chain(ids.iter().copied()).collect();
        let generation = commit_change(tx, change, &touched).await?;
        Ok((ids, generation))
    }

    /// Replaces what task `id` says. [`Error::NotFound`] if there is no such task. A
    /// `None` 序号 keeps the task's. The change to record is made by `change` from the
    /// task as this write finds it, read in its own transaction (locked on PostgreSQL), so
    /// that the change's "before" is exactly what is replaced; `change` returning `None`
    /// (the task is no longer what the caller authorized) refuses with [`Error::Changed`].
    pub async fn update_task<F>(&self, id: i64, task: &Task, change: F) -> Result<Generation>
    where
        F: FnOnce(&TaskRow) -> Option<Change> + Send,
    {
        check_task(task)?;
        let mut tx = self.begin_write().await?;
        check_document(&mut tx, task).await?;
        let before = self.task_for_write(&mut tx, id).await?;
        let Some(change) = change(&before) else {
            tx.rollback().await?;
            return Err(Error::Changed { what: "task", id: id.to_string() });
        };
        if !update_in(&mut tx, id, task).await? {
            tx.rollback().await?;
            return Err(task_not_found(id));
        }
        let generation = commit_change(tx, &change, &[id]).await?;
        Ok(generation)
    }

    /// Deletes task `id` with its reports and their attachments. [`Error::NotFound`] if
    /// there is no such task; the change to record is made by `change` from the task as
    /// this write finds it, as for [`Store::update_task`].
    pub async fn delete_task<F>(&self, id: i64, change: F) -> Result<Generation>
    where
        F: FnOnce(&TaskRow) -> Option<Change> + Send,
    {
        let mut tx = self.begin_write().await?;
        let before = self.task_for_write(&mut tx, id).await?;
        let Some(change) = change(&before) else {
            tx.rollback().await?;
            return Err(Error::Changed { what: "task", id: id.to_string() });
        };
        // The children first, explicitly, as for documents: ON DELETE CASCADE works on
        // SQLite only while `foreign_keys` is on.
        sqlx::query(
            "DELETE FROM attachments WHERE report_id IN \
             (SELECT id FROM progress_reports WHERE task_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM progress_reports WHERE task_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM tasks WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let generation = commit_change(tx, &change, &[id]).await?;
        Ok(generation)
    }

    /// Task `id` read inside a write transaction: SQLite's write transaction holds the
    /// database already; PostgreSQL locks the row until the transaction ends.
    async fn task_for_write(&self, conn: &mut AnyConnection, id: i64) -> Result<TaskRow> {
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE OF t",
            crate::Backend::Sqlite => "",
        };
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN documents d ON d.id = t.document_id \
             WHERE t.id = $1{lock}"
        );
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
        row.as_ref().map(task_row).transpose()?.ok_or_else(|| task_not_found(id))
    }

    /// Task `id`, or `None`.
    pub async fn task(&self, id: i64) -> Result<Option<TaskRow>> {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN documents d ON d.id = t.document_id \
             WHERE t.id = $1"
        );
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(task_row).transpose()
    }

    /// The tasks matching `filter`, in 序号 order (then id order).
    pub async fn tasks(&self, filter: &TaskFilter) -> Result<Vec<TaskRow>> {
        let mut w = Where::default();
        if let Some(unit) = &filter.unit {
            let quoted = serde_json::to_string(unit)
                .map_err(|e| Error::corrupt(format!("a unit name as JSON: {e}")))?;
            w.and_all(
                "(t.lead_unit = $? OR t.assisting_units LIKE $? ESCAPE '\\')",
                vec![unit.clone(), format!("%{}%", escape_like(&quoted))],
            )?;
        }
        w.and("t.status = $?", filter.status.map(TaskStatus::as_str))?;
        w.and("t.document_id = $?", filter.document_id)?;
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks t LEFT JOIN documents d ON d.id = t.document_id{} \
             ORDER BY t.ord, t.id",
            w.sql()
        );
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter().map(task_row).collect()
    }

    /// Adds a progress report on task `task_id` with its attachments, in one transaction.
    ///
    /// Unless a report for a later day is stored already, the task takes the report's
    /// status, its share done (when it gives one) and its note as 进展情况 (when it has
    /// one): the ledger shows the latest report. [`Error::NotFound`] if there is no such
    /// task. Returns the report's id and the generation.
    pub async fn add_report(
        &self,
        task_id: i64,
        report: &NewReport,
        attachments: &[NewAttachment],
        change: &Change,
    ) -> Result<(i64, Generation)> {
        check_percent(report.percent)?;
        if report.period.trim().is_empty() || report.unit.trim().is_empty() {
            return Err(Error::Invalid {
                what: "report",
                reason: "a report names its period and its unit".into(),
            });
        }
        if report.value.is_some_and(|v| !v.is_finite()) {
            return Err(Error::Invalid { what: "value", reason: "not a finite number".into() });
        }
        for a in attachments {
            if a.bytes.len() > MAX_ATTACHMENT_BYTES {
                return Err(Error::TooLarge {
                    what: "attachment",
                    size: a.bytes.len(),
                    limit: MAX_ATTACHMENT_BYTES,
                });
            }
        }
        let mut tx = self.begin_write().await?;
        let exists = sqlx::query("SELECT 1 FROM tasks WHERE id = $1")
            .bind(task_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            tx.rollback().await?;
            return Err(task_not_found(task_id));
        }
        let now = sql::now();
        let mut b = Binder::default();
        b.add(task_id)?
            .add(report.period.as_str())?
            .add(report.unit.as_str())?
            .add(report.reported_on.as_str())?
            .add(report.value)?
            .add(report.percent)?
            .add(report.status.as_str())?
            .add(report.note.as_str())?
            .add(now.as_str())?;
        let id: i64 = sqlx::query_with(
            "INSERT INTO progress_reports (task_id, period, unit, reported_on, value, percent, \
             status, note, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            b.args,
        )
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        for a in attachments {
            let digest = Sha256::digest(&a.bytes);
            let sha256: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            sqlx::query(
                "INSERT INTO attachments (report_id, name, media_type, bytes, sha256, size) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(a.name.as_str())
            .bind(a.media_type.as_str())
            .bind(a.bytes.as_slice())
            .bind(sha256)
            .bind(sql::int(a.bytes.len())?)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE tasks SET status = $1, percent = COALESCE($2, percent), \
             progress = CASE WHEN $3 = '' THEN progress ELSE $3 END, updated_at = $4 \
             WHERE id = $5 AND NOT EXISTS (SELECT 1 FROM progress_reports r \
             WHERE r.task_id = $5 AND r.reported_on > $6)",
        )
        .bind(report.status.as_str())
        .bind(report.percent)
        .bind(report.note.as_str())
        .bind(now.as_str())
        .bind(task_id)
        .bind(report.reported_on.as_str())
        .execute(&mut *tx)
        .await?;
        let generation = commit_change(tx, change, &[task_id]).await?;
        Ok((id, generation))
    }

    /// The reports on task `task_id`, latest first (by the day they speak for, then as
    /// stored), each with its attachments.
    pub async fn reports(&self, task_id: i64) -> Result<Vec<ReportRow>> {
        let rows = sqlx::query(
            "SELECT id, task_id, period, unit, reported_on, value, percent, status, note, \
             created_at FROM progress_reports WHERE task_id = $1 \
             ORDER BY reported_on DESC, id DESC",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        let mut reports: Vec<ReportRow> = rows.iter().map(report_row).collect::<Result<_>>()?;
        let files = sqlx::query(
            "SELECT a.id, a.report_id, a.name, a.media_type, a.sha256, a.size \
             FROM attachments a JOIN progress_reports r ON r.id = a.report_id \
             WHERE r.task_id = $1 ORDER BY a.id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        for row in &files {
            let a = AttachmentRow {
                id: row.try_get(0)?,
                report_id: row.try_get(1)?,
                name: row.try_get(2)?,
                media_type: row.try_get(3)?,
                sha256: row.try_get(4)?,
                size: sql::uint(row, 5)?,
            };
            if let Some(r) = reports.iter_mut().find(|r| r.id == a.report_id) {
                r.attachments.push(a);
            }
        }
        Ok(reports)
    }

    /// Attachment `id` with its bytes, or `None`.
    pub async fn attachment(&self, id: i64) -> Result<Option<(AttachmentRow, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT id, report_id, name, media_type, sha256, size, bytes FROM attachments \
             WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let a = AttachmentRow {
                id: row.try_get(0)?,
                report_id: row.try_get(1)?,
                name: row.try_get(2)?,
                media_type: row.try_get(3)?,
                sha256: row.try_get(4)?,
                size: sql::uint(&row, 5)?,
            };
            Ok((a, row.try_get(6)?))
        })
        .transpose()
    }

    /// Whether document `id` exists.
    pub async fn document_exists(&self, id: i64) -> Result<bool> {
        let row = sqlx::query("SELECT 1 FROM documents WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// The ledger setting `key` (a JSON value as text), or `None` when it was never set.
    pub async fn setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok(r.try_get(0)?)).transpose()
    }

    /// Sets the setting `key` to the value `update` makes of its current one (JSON as
    /// text), read in this write's own transaction (the row locked on PostgreSQL), so that
    /// a read-modify-write loses no concurrent change and the change `update` returns to
    /// record has the value it replaces as its "before".
    pub async fn update_setting<F>(&self, key: &str, update: F) -> Result<Generation>
    where
        F: FnOnce(Option<&str>) -> (String, Change) + Send,
    {
        let lock = match self.backend {
            crate::Backend::Postgres => " FOR UPDATE",
            crate::Backend::Sqlite => "",
        };
        let mut tx = self.begin_write().await?;
        let sql = format!("SELECT value FROM settings WHERE key = $1{lock}");
        let current: Option<String> = sqlx::query(AssertSqlSafe(sql))
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let (value, change) = update(current.as_deref());
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(&value)
        .execute(&mut *tx)
        .await?;
        commit_change(tx, &change, &[]).await
    }
}

fn task_not_found(id: i64) -> Error {
    Error::NotFound { what: "task", id: id.to_string() }
}

fn check_percent(percent: Option<f64>) -> Result<()> {
    match percent {
        Some(p) if !(0.0..=100.0).contains(&p) => Err(Error::Invalid {
            what: "percent",
            reason: format!("{p} is not a share between 0 and 100"),
        }),
        _ => Ok(()),
    }
}

fn check_task(task: &Task) -> Result<()> {
    if task.title.trim().is_empty() {
        return Err(Error::Invalid { what: "title", reason: "a task needs a title".into() });
    }
    check_percent(task.percent)?;
    if let Some(s) = &task.source
        && let (Some(start), Some(end)) = (s.start, s.end)
        && start > end
    {
        return Err(Error::Invalid { what: "source", reason: format!("span {start}..{end}") });
    }
    Ok(())
}

/// Refuses a task whose source names a document that does not exist.
async fn check_document(conn: &mut AnyConnection, task: &Task) -> Result<()> {
    let Some(id) = task.source.as_ref().and_then(|s| s.document_id) else { return Ok(()) };
    let found = sqlx::query("SELECT 1 FROM documents WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match found {
        Some(_) => Ok(()),
        None => Err(Error::NotFound { what: "document", id: id.to_string() }),
    }
}

/// Replaces what task `id` says inside a write transaction; false if there is no such
/// task.
async fn update_in(conn: &mut AnyConnection, id: i64, task: &Task) -> Result<bool> {
    let ord: Option<i64> = sqlx::query("SELECT ord FROM tasks WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
    let Some(ord) = ord else { return Ok(false) };
    let mut b = Binder::default();
    bind_task(&mut b, task, task.ord.unwrap_or(ord))?;
    b.add(sql::now())?.add(id)?;
    sqlx::query_with(
        "UPDATE tasks SET ord = $1, title = $2, lead_unit = $3, assisting_units = $4, \
         start_date = $5, deadline = $6, deadline_text = $7, status = $8, percent = $9, \
         progress = $10, problems = $11, next_steps = $12, document_id = $13, \
         source_start = $14, source_end = $15, source_text = $16, updated_at = $17 \
         WHERE id = $18",
        b.args,
    )
    .execute(&mut *conn)
    .await?;
    Ok(true)
}

/// Binds the 16 columns from `ord` to `source_text`.
fn bind_task(b: &mut Binder, task: &Task, ord: i64) -> Result<()> {
    let units = serde_json::to_string(&task.assisting_units)
        .map_err(|e| Error::corrupt(format!("assisting units as JSON: {e}")))?;
    let source = task.source.as_ref();
    b.add(ord)?
        .add(task.title.trim())?
        .add(task.lead_unit.trim())?
        .add(units)?
        .add(task.start_date.as_deref())?
        .add(task.deadline.as_deref())?
        .add(task.deadline_text.trim())?
        .add(task.status.as_str())?
        .add(task.percent)?
        .add(task.progress.as_str())?
        .add(task.problems.as_str())?
        .add(task.next_steps.as_str())?
        .add(source.and_then(|s| s.document_id))?
        .add(source.and_then(|s| s.start).map(sql::int).transpose()?)?
        .add(source.and_then(|s| s.end).map(sql::int).transpose()?)?
        .add(source.map(|s| s.text.as_str()))?;
    Ok(())
}

fn task_row(row: &AnyRow) -> Result<TaskRow> {
    let id: i64 = row.try_get(0)?;
    let ord: i64 = row.try_get(1)?;
    let units: String = row.try_get(4)?;
    let assisting_units: Vec<String> = serde_json::from_str(&units)
        .map_err(|e| Error::corrupt(format!("assisting units of task {id}: {e}")))?;
    let status: String = row.try_get(8)?;
    let document_id: Option<i64> = row.try_get(13)?;
    let source_text: Option<String> = row.try_get(16)?;
    let start = sql::opt_uint(row, 14)?;
    let end = sql::opt_uint(row, 15)?;
    let source = match (document_id, source_text) {
        (None, None) => None,
        (document_id, text) => {
            Some(TaskSource { document_id, start, end, text: text.unwrap_or_default() })
        }
    };
    Ok(TaskRow {
        id,
        ord,
        task: Task {
            ord: Some(ord),
            title: row.try_get(2)?,
            lead_unit: row.try_get(3)?,
            assisting_units,
            start_date: row.try_get(5)?,
            deadline: row.try_get(6)?,
            deadline_text: row.try_get(7)?,
            status: TaskStatus::parse(&status)
                .ok_or_else(|| Error::corrupt(format!("unknown task status {status:?}")))?,
            percent: row.try_get(9)?,
            progress: row.try_get(10)?,
            problems: row.try_get(11)?,
            next_steps: row.try_get(12)?,
            source,
        },
        document_title: row.try_get(17)?,
        created_at: row.try_get(18)?,
        updated_at: row.try_get(19)?,
    })
}

fn report_row(row: &AnyRow) -> Result<ReportRow> {
    let status: String = row.try_get(7)?;
    Ok(ReportRow {
        id: row.try_get(0)?,
        task_id: row.try_get(1)?,
        report: NewReport {
            period: row.try_get(2)?,
            unit: row.try_get(3)?,
            reported_on: row.try_get(4)?,
            value: row.try_get(5)?,
            percent: row.try_get(6)?,
            status: TaskStatus::parse(&status)
                .ok_or_else(|| Error::corrupt(format!("unknown report status {status:?}")))?,
            note: row.try_get(8)?,
        },
        created_at: row.try_get(9)?,
        attachments: Vec::new(),
    })
}

/// `s` with the `LIKE` wildcards and the escape character escaped by `\`.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
