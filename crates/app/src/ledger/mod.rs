//! The ledger (台账) as a planning office runs it: tasks made from a document's targets in
//! one action or by hand, progress reports with evidence, schedule-progress warnings, and
//! the `.xlsx` sheet offices exchange.
//!
//! The pure parts are modules of their own and tested there: [`date`] reads 完成时限,
//! [`mod@schedule`] computes 序时进度 and the lights, [`sheet`] writes and reads the sheet.

pub mod date;
pub mod schedule;
pub mod sheet;

use std::collections::BTreeMap;

use taizhang_extract::Kind;
use taizhang_store::{
    Generation, NewAttachment, NewReport, ReportRow, Task, TaskFilter, TaskRow, TaskSource,
    TaskStatus,
};

use self::date::{Date, parse_deadline};
use self::schedule::{Light, Schedule, Thresholds, schedule};
use self::sheet::SheetError;
use crate::App;
use crate::auth::{Action, Actor, Role};

/// The setting that holds the warning thresholds, as `{"yellow": 10, "red": 30}`.
const THRESHOLDS_KEY: &str = "warning_thresholds";

/// What can go wrong with the ledger.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the store or the index.
    #[error(transparent)]
    App(#[from] crate::Error),
    /// The input cannot make a task or a report; the message says why, in Chinese.
    #[error("{0}")]
    Invalid(String),
    /// A sheet was refused, with every cell at fault.
    #[error(transparent)]
    Sheet(#[from] SheetError),
}

impl From<taizhang_store::Error> for Error {
    fn from(e: taizhang_store::Error) -> Error {
        Error::App(e.into())
    }
}

impl Error {
    /// Whether the user can fix this (a 4xx), as opposed to a failure of the system.
    pub fn is_user(&self) -> bool {
        match self {
            Error::Invalid(_) | Error::Sheet(_) | Error::App(crate::Error::Invalid(_)) => true,
            Error::App(crate::Error::Store(e)) => e.is_user(),
            Error::App(_) => false,
        }
    }
}

/// The result of a ledger use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The Chinese name of a status.
pub fn status_label(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::NotStarted => "未启动",
        TaskStatus::InProgress => "推进中",
        TaskStatus::Done => "已完成",
        TaskStatus::Suspended => "暂缓",
    }
}

/// A task with where it stands on a given day.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    /// The task as stored.
    pub row: TaskRow,
    /// Its schedule progress and light.
    pub schedule: Schedule,
}

/// Which tasks [`App::ledger`] lists.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LedgerFilter {
    /// What the store filters: unit, status, document.
    pub tasks: TaskFilter,
    /// Only tasks with this light.
    pub light: Option<Light>,
    /// Only tasks past their deadline and not done.
    pub overdue: bool,
}

/// A unit's tasks by light: one row of the warnings dashboard.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UnitWarnings {
    /// The lead unit; empty for tasks not yet assigned.
    pub unit: String,
    /// Its tasks.
    pub total: usize,
    /// Done.
    pub done: usize,
    /// Green, not done.
    pub green: usize,
    /// Yellow.
    pub yellow: usize,
    /// Red (overdue ones included).
    pub red: usize,
    /// Past the deadline and not done.
    pub overdue: usize,
}

/// Which facts of a document become tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Every target.
    Document,
    /// The targets of a section (an index into the outline).
    Section(usize),
    /// One fact (an index into the facts), whatever its kind.
    Fact(usize),
}

/// What making tasks from a document did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FromDocument {
    /// The new tasks' ids.
    pub added: Vec<i64>,
    /// Targets skipped because a task from the same sentence and clause exists already.
    pub existing: usize,
}

/// How [`App::import_ledger`] treats a sheet's rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ImportMode {
    /// Every row is a new task.
    #[default]
    Add,
    /// A row whose 序号 is a task's updates it; the others are new.
    Update,
}

/// How often a change is authorized again when another write moved its task to another
/// unit between the authorization and the write.
const WRITE_ATTEMPTS: u32 = 3;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// The new tasks, in the sheet's order.
    pub added: Vec<i64>,
    /// The tasks updated, in the sheet's order.
    pub updated: Vec<i64>,
}

impl App {
    /// Makes a task of every target of document `id` (of its section `section` only, an
    /// index into its outline, when given), in one transaction, each linked to its
    /// sentence. A task's title is the clause that states the target; its deadline the end
    /// of the target's year (or of the document's period); its time starts with the
    /// document. Targets whose clause already has a task from this document are skipped.
    pub async fn tasks_from_document(
        &self,
        actor: &Actor,
        id: i64,
        section: Option<usize>,
        lead_unit: &str,
    ) -> Result<FromDocument> {
        let scope = section.map_or(Scope::Document, Scope::Section);
        self.tasks_from(actor, id, scope, lead_unit).await
    }

    /// Makes a task of the fact `ord` of document `id` (an index into its facts), as
    /// [`App::tasks_from_document`] makes one of each target; a fact reported as a result
    /// makes a task too when asked for by name.
    pub async fn task_from_fact(
        &self,
        actor: &Actor,
        id: i64,
        ord: usize,
        lead_unit: &str,
    ) -> Result<FromDocument> {
        self.tasks_from(actor, id, Scope::Fact(ord), lead_unit).await
    }

    async fn tasks_from(
        &self,
        actor: &Actor,
        id: i64,
        scope: Scope,
        lead_unit: &str,
    ) -> Result<FromDocument> {
        self.authorize(actor, Action::AddTask, ("task", ""), None).await?;
        let Some(doc) = self.store().document(id).await? else {
            return Err(
                taizhang_store::Error::NotFound { what: "document", id: id.to_string() }.into()
            );
        };
        let text = &doc.extracted.text;
        let span = match scope {
            Scope::Document | Scope::Fact(_) => 0..text.len(),
            Scope::Section(i) => match doc.extracted.outline.get(i) {
                Some(s) => s.start..s.end,
                None => return Err(Error::Invalid(format!("文件{id}没有第{i}个章节"))),
            },
        };
        if let Scope::Fact(ord) = scope
            && ord >= doc.extracted.facts.len()
        {
            return Err(Error::Invalid(format!("文件{id}没有第{ord}个指标")));
        }
        let existing = self
            .store()
            .tasks(&TaskFilter { document_id: Some(id), ..TaskFilter::default() })
            .await?;
        let mut seen: Vec<(String, Option<usize>)> = existing
            .iter()
            .map(|t| (t.task.title.clone(), t.task.source.as_ref().and_then(|s| s.start)))
            .collect();
        let meta = &doc.extracted.meta;
        let doc_day = meta.date.as_deref().and_then(Date::parse_iso);
        let mut tasks = Vec::new();
        let mut skipped = 0;
        for (ord, fact) in doc.extracted.facts.iter().enumerate() {
            let wanted = match scope {
                Scope::Fact(one) => ord == one,
                _ => fact.kind == Kind::Target && fact.start >= span.start && fact.end <= span.end,
            };
            if !wanted {
                continue;
            }
            let (s_start, s_end) = sentence_span(text, fact.start, fact.end);
            let mut title = clause(text, fact.start, fact.end);
            // A clause that does not say what it measures (力争突破5300亿元) is named.
            if !fact.indicator.is_empty() && !title.contains(fact.indicator.as_str()) {
                title = format!("{}：{title}", fact.indicator);
            }
            if seen.iter().any(|(t, s)| *t == title && *s == Some(s_start)) {
                skipped += 1;
                continue;
            }
            seen.push((title.clone(), Some(s_start)));
            let year = fact.year.or(meta.period.map(|(_, end)| end)).or(meta.year);
            let deadline = year.and_then(|y| Date::new(y, 12, 31));
            let start = doc_day
                .filter(|d| deadline.is_none_or(|end| *d < end))
                .or_else(|| meta.year.or(year).and_then(|y| Date::new(y, 1, 1)));
            tasks.push(Task {
                ord: None,
                title,
                lead_unit: lead_unit.trim().to_owned(),
                start_date: start.map(|d| d.to_string()),
                deadline: deadline.map(|d| d.to_string()),
                deadline_text: year.map(|y| format!("{y}年底")).unwrap_or_default(),
                source: Some(TaskSource {
                    document_id: Some(id),
                    start: Some(s_start),
                    end: Some(s_end),
                    text: text[s_start..s_end].trim().to_owned(),
                }),
                ..Task::default()
            });
        }
        if tasks.is_empty() {
            return Ok(FromDocument { added: Vec::new(), existing: skipped });
        }
        let after = serde_json::Value::Array(tasks.iter().map(task_json).collect());
        let change = actor
            .change(Action::AddTask, "task", "")
            .with_states(None, Some(after.to_string()))
            .with_detail(format!("由文件{id}生成"));
        let (added, generation) = self.store().add_tasks(&tasks, &change).await?;
        self.follow_other_write(generation);
        Ok(FromDocument { added, existing: skipped })
    }

    /// Adds a task by hand. Its deadline is read from 完成时限 as written
    /// ([`date::parse_deadline`], with the year of its start or of `today`).
    pub async fn add_task(&self, actor: &Actor, task: Task, today: Date) -> Result<i64> {
        self.authorize(actor, Action::AddTask, ("task", ""), None).await?;
        let task = checked(task, today)?;
        let change = actor
            .change(Action::AddTask, "task", "")
            .with_states(None, Some(task_json(&task).to_string()));
        let (ids, generation) =
            self.store().add_tasks(std::slice::from_ref(&task), &change).await?;
        self.follow_other_write(generation);
        Ok(ids[0])
    }

    /// Replaces what task `id` says, reading its deadline as [`App::add_task`] does.
    pub async fn update_task(&self, actor: &Actor, id: i64, task: Task, today: Date) -> Result<()> {
        let task = checked(task, today)?;
        let target = id.to_string();
        // Authorized on the task as read now; recorded with the task as the write finds it,
        // so that the audit log's "before" is exactly what is replaced. Should another write
        // have moved the task to another unit in between, it is authorized again.
        for attempt in 1.. {
            let owner = self.existing_task(id).await?.task.lead_unit;
            self.authorize(actor, Action::EditTask, ("task", &target), Some(&owner)).await?;
            let change = |before: &TaskRow| {
                (before.task.lead_unit == owner).then(|| {
                    let mut after = task_json(&task);
                    if task.ord.is_none() {
                        after["ord"] = before.ord.into();
                    }
                    actor.change(Action::EditTask, "task", &target).with_states(
                        Some(task_json(&stored_task(before)).to_string()),
                        Some(after.to_string()),
                    )
                })
            };
            match self.store().update_task(id, &task, change).await {
                Err(taizhang_store::Error::Changed { .. }) if attempt < WRITE_ATTEMPTS => {}
                written => {
                    self.follow_other_write(written?);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Deletes task `id` with its reports and their evidence.
    pub async fn delete_task(&self, actor: &Actor, id: i64) -> Result<()> {
        let target = id.to_string();
        for attempt in 1.. {
            let owner = self.existing_task(id).await?.task.lead_unit;
            self.authorize(actor, Action::DeleteTask, ("task", &target), Some(&owner)).await?;
            let change = |before: &TaskRow| {
                (before.task.lead_unit == owner).then(|| {
                    actor
                        .change(Action::DeleteTask, "task", &target)
                        .with_states(Some(task_json(&stored_task(before)).to_string()), None)
                })
            };
            match self.store().delete_task(id, change).await {
                Err(taizhang_store::Error::Changed { .. }) if attempt < WRITE_ATTEMPTS => {}
                written => {
                    self.follow_other_write(written?);
                    break;
                }
            }
        }
        Ok(())
    }

    /// Records a unit's progress report on task `id`, with its evidence, in one
    /// transaction; the task shows the latest report's status, share done and note.
    pub async fn report_progress(
        &self,
        actor: &Actor,
        id: i64,
        mut report: NewReport,
        attachments: &[NewAttachment],
    ) -> Result<i64> {
        let task = self.existing_task(id).await?;
        let target = id.to_string();
        let owner = Some(task.task.lead_unit.as_str());
        self.authorize(actor, Action::ReportProgress, ("task", &target), owner).await?;
        // A reporter reports for their own unit, whatever the form says.
        if actor.role == Role::Reporter {
            report.unit = actor.unit.clone();
        }
        if report.period.trim().is_empty() {
            return Err(Error::Invalid("请填写填报期间（如2026年5月）".into()));
        }
        if report.unit.trim().is_empty() {
            return Err(Error::Invalid("请填写填报单位".into()));
        }
        if Date::parse_iso(&report.reported_on).is_none() {
            return Err(Error::Invalid(format!("无法识别的填报日期“{}”", report.reported_on)));
        }
        if let Some(p) = report.percent
            && !(0.0..=100.0).contains(&p)
        {
            return Err(Error::Invalid(format!("完成进度应在0到100之间，实为{p}")));
        }
        if report.value.is_some_and(|v| !v.is_finite()) {
            return Err(Error::Invalid("数值无效".into()));
        }
        let report = NewReport {
            period: report.period.trim().to_owned(),
            unit: report.unit.trim().to_owned(),
            note: report.note.trim().to_owned(),
            ..report
        };
        let after = serde_json::json!({
            "period": report.period, "unit": report.unit, "reported_on": report.reported_on,
            "status": report.status.as_str(), "percent": report.percent, "value": report.value,
            "note": report.note,
            "attachments": attachments.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(),
        });
        let change = actor
            .change(Action::ReportProgress, "task", &target)
            .with_states(Some(task_json(&stored_task(&task)).to_string()), Some(after.to_string()));
        let (report_id, generation) =
            self.store().add_report(id, &report, attachments, &change).await?;
        self.follow_other_write(generation);
        Ok(report_id)
    }

    /// Task `id`, or [`taizhang_store::Error::NotFound`].
    async fn existing_task(&self, id: i64) -> Result<TaskRow> {
        self.store().task(id).await?.ok_or_else(|| {
            taizhang_store::Error::NotFound { what: "task", id: id.to_string() }.into()
        })
    }

    /// The reports on task `id`, latest first.
    pub async fn reports(&self, id: i64) -> Result<Vec<ReportRow>> {
        Ok(self.store().reports(id).await?)
    }

    /// The warning thresholds: as set, or the default (yellow 10, red 30 points behind).
    pub async fn thresholds(&self) -> Result<Thresholds> {
        let Some(json) = self.store().setting(THRESHOLDS_KEY).await? else {
            return Ok(Thresholds::default());
        };
        let v: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
        let field = |k: &str| v.get(k).and_then(serde_json::Value::as_f64);
        match (field("yellow"), field("red")) {
            (Some(y), Some(r)) => Ok(Thresholds::new(y, r).unwrap_or_default()),
            _ => Ok(Thresholds::default()),
        }
    }

    /// Sets the warning thresholds (`0 ≤ yellow ≤ red ≤ 100` points).
    pub async fn set_thresholds(&self, actor: &Actor, yellow: f64, red: f64) -> Result<Thresholds> {
        self.authorize(actor, Action::EditSettings, ("setting", THRESHOLDS_KEY), None).await?;
        let t = Thresholds::new(yellow, red).map_err(Error::Invalid)?;
        let json = serde_json::json!({ "yellow": t.yellow, "red": t.red }).to_string();
        let generation = self
            .store()
            .update_setting(THRESHOLDS_KEY, |before| {
                let change = actor
                    .change(Action::EditSettings, "setting", THRESHOLDS_KEY)
                    .with_states(before.map(str::to_owned), Some(json.clone()));
                (json, change)
            })
            .await?;
        self.follow_other_write(generation);
        Ok(t)
    }

    /// The tasks of `filter` in 序号 order, each with its schedule on `today`.
    pub async fn ledger(&self, filter: &LedgerFilter, today: Date) -> Result<Vec<LedgerRow>> {
        let thresholds = self.thresholds().await?;
        let rows = self.store().tasks(&filter.tasks).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let schedule = schedule_of(&row, today, thresholds);
                LedgerRow { row, schedule }
            })
            .filter(|r| filter.light.is_none_or(|l| r.schedule.light == l))
            .filter(|r| !filter.overdue || r.schedule.overdue)
            .collect())
    }

    /// Task `id` with its schedule on `today`, or `None`.
    pub async fn ledger_row(&self, id: i64, today: Date) -> Result<Option<LedgerRow>> {
        let thresholds = self.thresholds().await?;
        Ok(self.store().task(id).await?.map(|row| {
            let schedule = schedule_of(&row, today, thresholds);
            LedgerRow { row, schedule }
        }))
    }

    /// The warnings dashboard: each lead unit's tasks counted by light on `today`
    /// ([`unit_warnings`]).
    pub async fn warnings(&self, today: Date) -> Result<Vec<UnitWarnings>> {
        Ok(unit_warnings(&self.ledger(&LedgerFilter::default(), today).await?))
    }

    /// The tasks of `filter` as the `.xlsx` sheet offices use ([`sheet::write`]).
    pub async fn export_ledger(&self, filter: &LedgerFilter, today: Date) -> Result<Vec<u8>> {
        let rows: Vec<TaskRow> =
            self.ledger(filter, today).await?.into_iter().map(|r| r.row).collect();
        sheet::write(&rows).map_err(|e| {
            Error::App(crate::Error::Store(taizhang_store::Error::Corrupt(format!(
                "writing the ledger sheet: {e}"
            ))))
        })
    }

    /// Imports an `.xlsx` sheet ([`sheet::read`]; `year` for deadlines written without
    /// one), all in one transaction: a sheet with any cell at fault changes nothing.
    ///
    /// [`ImportMode::Add`] adds every row as a new task. [`ImportMode::Update`] is for the
    /// sheet sent out to the units and filled in: a row whose 序号 is a task's updates
    /// that task with what the sheet says (its source stays; status, share done and start
    /// only where the sheet has those columns), and the other rows are added. A source
    /// naming a document this store does not have keeps its sentence only.
    pub async fn import_ledger(
        &self,
        actor: &Actor,
        bytes: &[u8],
        year: i32,
        mode: ImportMode,
    ) -> Result<Imported> {
        self.authorize(actor, Action::ImportLedger, ("task", ""), None).await?;
        let (mut tasks, layout) = sheet::read_with_layout(bytes, year)?;
        for task in &mut tasks {
            if let Some(source) = &mut task.source
                && let Some(id) = source.document_id
                && !self.store().document_exists(id).await?
            {
                source.document_id = None;
                source.start = None;
                source.end = None;
            }
        }
        let mut updates = Vec::new();
        let mut new = Vec::new();
        if mode == ImportMode::Update {
            let existing = self.store().tasks(&TaskFilter::default()).await?;
            let mut problems = Vec::new();
            for (task, row) in tasks.into_iter().zip(&layout.rows) {
                let same: Vec<&TaskRow> = match task.ord {
                    Some(ord) => existing.iter().filter(|t| t.ord == ord).collect(),
                    None => Vec::new(),
                };
                match same.as_slice() {
                    [] => new.push(task),
                    [old] => updates.push((old.id, merged(old, task, &layout))),
                    _ => problems.push(sheet::Problem {
                        row: Some(*row),
                        column: Some(0),
                        message: format!(
                            "台账中有{}项任务的序号都是{}，无法按序号更新",
                            same.len(),
                            task.ord.unwrap_or_default()
                        ),
                    }),
                }
            }
            if !problems.is_empty() {
                return Err(SheetError { problems, more: 0 }.into());
            }
        } else {
            new = tasks;
        }
        let updated = updates.iter().map(|(id, _)| *id).collect();
        let after = serde_json::json!({
            "added": new.iter().map(task_json).collect::<Vec<_>>(),
            "updated": updates.iter().map(|(id, t)| {
                let mut t = task_json(t);
                t["id"] = (*id).into();
                t
            }).collect::<Vec<_>>(),
        });
        let mode_name = if mode == ImportMode::Update { "按序号更新" } else { "新增" };
        let change = actor
            .change(Action::ImportLedger, "task", "")
            .with_states(None, Some(after.to_string()))
            .with_detail(format!("导入台账（{mode_name}）"));
        let (added, generation) = self.store().put_tasks(&new, &updates, &change).await?;
        self.follow_other_write(generation);
        Ok(Imported { added, updated })
    }

    /// Lets the search index follow a write that is not to documents (the ledger, the
    /// settings, assessment schemes): the index holds documents only, so there is nothing to change in it but
    /// its place in the store's generations.
    pub(crate) fn follow_other_write(&self, generation: Generation) {
        if let Ok(mut search) = self.search_index() {
            search.follow(generation, |_| Ok(()));
        }
    }
}

/// Each lead unit's tasks of `rows` counted by light, units with red tasks first, then
/// yellow, then by name. A task done counts as done whatever its light.
pub fn unit_warnings(rows: &[LedgerRow]) -> Vec<UnitWarnings> {
    let mut units: BTreeMap<String, UnitWarnings> = BTreeMap::new();
    for r in rows {
        let unit = r.row.task.lead_unit.clone();
        let w = units
            .entry(unit.clone())
            .or_insert_with(|| UnitWarnings { unit, ..UnitWarnings::default() });
        w.total += 1;
        match (r.row.task.status, r.schedule.light) {
            (TaskStatus::Done, _) => w.done += 1,
            (_, Light::Red) => w.red += 1,
            (_, Light::Yellow) => w.yellow += 1,
            (_, Light::Green) => w.green += 1,
            (_, Light::None) => {}
        }
        if r.schedule.overdue {
            w.overdue += 1;
        }
    }
    let mut out: Vec<UnitWarnings> = units.into_values().collect();
    out.sort_by(|a, b| {
        (b.red, b.yellow, b.overdue).cmp(&(a.red, a.yellow, a.overdue)).then(a.unit.cmp(&b.unit))
    });
    out
}

/// The schedule of a stored task on `today`; a task without a start date starts when it
/// was added.
pub fn schedule_of(row: &TaskRow, today: Date, thresholds: Thresholds) -> Schedule {
    let t = &row.task;
    let start = t
        .start_date
        .as_deref()
        .and_then(Date::parse_iso)
        .or_else(|| row.created_at.get(..10).and_then(Date::parse_iso))
        .unwrap_or(today);
    let deadline = t.deadline.as_deref().and_then(Date::parse_iso);
    schedule(t.status, t.percent, start, deadline, today, thresholds)
}

/// Task `old` updated from a sheet's row `task`: what the sheet says replaces what it
/// said, the source stays, and status, share done and start stay unless the sheet has
/// their columns (a task not started that the sheet gives progress for is under way).
fn merged(old: &TaskRow, task: Task, layout: &sheet::Layout) -> Task {
    let o = &old.task;
    Task {
        status: match (layout.status, o.status) {
            (true, _) => task.status,
            // Progress reported on a task not started: it has started.
            (false, TaskStatus::NotStarted) if !task.progress.is_empty() => TaskStatus::InProgress,
            (false, status) => status,
        },
        percent: if layout.percent { task.percent } else { o.percent },
        start_date: if layout.start { task.start_date } else { o.start_date.clone() },
        source: o.source.clone().or(task.source),
        ..task
    }
}

/// Checks a task from a form and reads its deadline from 完成时限.
fn checked(mut task: Task, today: Date) -> Result<Task> {
    task.title = task.title.trim().to_owned();
    if task.title.is_empty() {
        return Err(Error::Invalid("目标任务不能为空".into()));
    }
    let start = match task.start_date.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            date::parse_day(s).ok_or_else(|| Error::Invalid(format!("无法识别的开始时间“{s}”")))?,
        ),
    };
    task.start_date = start.map(|d| d.to_string());
    task.deadline_text = task.deadline_text.trim().to_owned();
    if !task.deadline_text.is_empty() {
        let year = start.map_or(today.year(), Date::year);
        task.deadline = parse_deadline(&task.deadline_text, Some(year))
            .map_err(|e| Error::Invalid(format!("完成时限：{e}")))?
            .map(|d| d.to_string());
    } else if let Some(d) = &task.deadline
        && Date::parse_iso(d).is_none()
    {
        return Err(Error::Invalid(format!("无法识别的完成时限“{d}”")));
    }
    if let (Some(s), Some(d)) = (start, task.deadline.as_deref().and_then(Date::parse_iso))
        && d < s
    {
        return Err(Error::Invalid(format!("完成时限（{d}）早于开始时间（{s}）")));
    }
    if let Some(p) = task.percent
        && !(0.0..=100.0).contains(&p)
    {
        return Err(Error::Invalid(format!("完成进度应在0到100之间，实为{p}")));
    }
    task.lead_unit = task.lead_unit.trim().to_owned();
    task.assisting_units =
        task.assisting_units.iter().flat_map(|u| sheet::split_units(u)).collect();
    Ok(task)
}

/// Characters that end a sentence.
fn ends_sentence(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '\n' | '!' | '?')
}

/// Characters that end a clause.
fn ends_clause(c: char) -> bool {
    ends_sentence(c) || matches!(c, '，' | '；' | ',' | ';' | '：' | ':')
}

/// How far a task's sentence reaches on either side of its target, in characters.
const SENTENCE_REACH: usize = 150;

/// The byte span of the sentence around `start..end` of `text`, with its final stop, at
/// most [`SENTENCE_REACH`] characters on either side.
fn sentence_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut s = start;
    for (n, (i, c)) in text[..start].char_indices().rev().enumerate() {
        if ends_sentence(c) || n == SENTENCE_REACH {
            break;
        }
        s = i;
    }
    let mut e = end;
    for (n, (i, c)) in text[end..].char_indices().enumerate() {
        if c == '\n' || n == SENTENCE_REACH {
            break;
        }
        e = end + i + c.len_utf8();
        if ends_sentence(c) {
            break;
        }
    }
    (s, e)
}

/// The clause that states `start..end` of `text`, without its final punctuation: the
/// title of a task made from the target. A clause too short to stand alone (`增长6%`)
/// takes the one before it along.
fn clause(text: &str, start: usize, end: usize) -> String {
    let (s_start, s_end) = sentence_span(text, start, end);
    let sentence = &text[s_start..s_end];
    let (from, to) = (start - s_start, end - s_start);
    let mut a = clause_start(sentence, from);
    let b = sentence[to..].find(ends_clause).map_or(sentence.len(), |i| to + i);
    if sentence[a..b].chars().count() < 8 && a > 0 {
        let stop = sentence[..a].char_indices().next_back().map_or(0, |(i, _)| i);
        a = clause_start(sentence, stop);
    }
    sentence[a..b].trim().trim_start_matches(['，', '；', '、', ',', ';']).trim().to_owned()
}

/// Where the clause holding byte `at` of `s` starts.
fn clause_start(s: &str, at: usize) -> usize {
    s[..at].char_indices().rev().find(|&(_, c)| ends_clause(c)).map_or(0, |(i, c)| i + c.len_utf8())
}

/// What a task says, as the audit log keeps it.
fn task_json(task: &Task) -> serde_json::Value {
    serde_json::json!({
        "ord": task.ord,
        "title": task.title,
        "lead_unit": task.lead_unit,
        "assisting_units": task.assisting_units,
        "start_date": task.start_date,
        "deadline": task.deadline,
        "deadline_text": task.deadline_text,
        "status": task.status.as_str(),
        "percent": task.percent,
        "progress": task.progress,
        "problems": task.problems,
        "next_steps": task.next_steps,
    })
}

/// What a stored task says, with its 序号, for [`task_json`].
fn stored_task(row: &TaskRow) -> Task {
    Task { ord: Some(row.ord), ..row.task.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_becomes_its_clause_in_its_sentence() {
        let text =
            "二、2025年主要目标\n地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。下一句。";
        let at = |s: &str| {
            let i = text.find(s).expect("in the text");
            (i, i + s.len())
        };
        let (s, e) = at("6%");
        let (a, b) = sentence_span(text, s, e);
        assert_eq!(&text[a..b], "地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。");
        assert_eq!(clause(text, s, e), "地区生产总值增长6%左右");
        let (s, e) = at("5.5%");
        assert_eq!(clause(text, s, e), "城镇调查失业率控制在5.5%以内");
        let short = "全年目标：工业投资，增长8%。";
        let i = short.find("8%").expect("in the text");
        assert_eq!(clause(short, i, i + 2), "工业投资，增长8%");
    }
}
