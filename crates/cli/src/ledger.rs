//! `taizhang ledger`: the ledger (台账) from the command line — its tasks with their lights,
//! the `.xlsx` sheet out and back in, and tasks made from a stored document's targets. The
//! command line acts as `命令行` in the audit log.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use serde::Serialize;
use taizhang_app::auth::Actor;
use taizhang_app::ledger::date::Date;
use taizhang_app::ledger::schedule::Light;
use taizhang_app::ledger::{ImportMode, LedgerFilter, LedgerRow};
use taizhang_store::{TaskFilter, TaskStatus};

use crate::library::{ListFormat, open_shared, print_rows, runtime};

/// What `taizhang ledger` does.
#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// List the tasks with their schedule and light on a day (today by default).
    List(ListArgs),
    /// Write the ledger as the .xlsx sheet offices pass around.
    Export(ExportArgs),
    /// Read a ledger sheet: new tasks, or with --update the sheet the units filled in
    /// (rows matched by 序号). All or nothing: a sheet with any cell at fault is refused
    /// with each fault's row and column.
    Import(ImportArgs),
    /// Make a task of every target of a stored document (or of one of its sections),
    /// each linked to its sentence; targets that already have one are skipped.
    FromDocument(FromDocumentArgs),
}

/// Which tasks, as of which day.
#[derive(Debug, Args)]
pub struct Which {
    /// Only tasks this unit leads or assists in.
    #[arg(long)]
    unit: Option<String>,
    /// Only tasks with this status: not_started, in_progress, done, suspended.
    #[arg(long, value_parser = status)]
    status: Option<TaskStatus>,
    /// Only tasks with this light: green, yellow, red, none.
    #[arg(long, value_parser = light)]
    light: Option<Light>,
    /// Only tasks past their deadline and not done.
    #[arg(long)]
    overdue: bool,
    /// The day the lights are taken on (2026-06-30); today by default.
    #[arg(long, value_parser = day)]
    as_of: Option<Date>,
}

impl Which {
    fn filter(&self) -> LedgerFilter {
        LedgerFilter {
            tasks: TaskFilter {
                unit: self.unit.clone(),
                status: self.status,
                ..TaskFilter::default()
            },
            light: self.light,
            overdue: self.overdue,
        }
    }

    fn day(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today)
    }
}

/// Arguments of `taizhang ledger list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    #[command(flatten)]
    which: Which,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// Arguments of `taizhang ledger export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    which: Which,
    /// The .xlsx file to write.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// Arguments of `taizhang ledger import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The .xlsx sheet.
    file: PathBuf,
    /// The year of a 完成时限 written without one (6月底); this year by default.
    #[arg(long)]
    year: Option<i32>,
    /// Update the tasks whose 序号 the rows give instead of adding every row.
    #[arg(long)]
    update: bool,
}

/// Arguments of `taizhang ledger from-document`.
#[derive(Debug, Args)]
pub struct FromDocumentArgs {
    /// The stored document's id (`taizhang documents` lists them).
    id: i64,
    /// Only the targets of this section of its outline (an index, from 0).
    #[arg(long)]
    section: Option<usize>,
    /// The unit that leads the new tasks; blank to assign later.
    #[arg(long, default_value = "")]
    lead_unit: String,
}

fn status(s: &str) -> Result<TaskStatus, String> {
    TaskStatus::parse(s)
        .ok_or_else(|| format!("no status {s:?}: not_started, in_progress, done or suspended"))
}

fn light(s: &str) -> Result<Light, String> {
    Light::parse(s).ok_or_else(|| format!("no light {s:?}: green, yellow, red or none"))
}

fn day(s: &str) -> Result<Date, String> {
    taizhang_app::ledger::date::parse_day(s).ok_or_else(|| format!("not a day: {s:?}"))
}

/// A task as `ledger list` prints it.
#[derive(Serialize)]
struct TaskOut<'a> {
    id: i64,
    ord: i64,
    title: &'a str,
    lead_unit: &'a str,
    assisting_units: &'a [String],
    deadline: Option<&'a str>,
    deadline_text: &'a str,
    status: &'static str,
    percent_done: f64,
    schedule_percent: Option<f64>,
    lag: Option<f64>,
    light: &'static str,
    overdue: bool,
    progress: &'a str,
}

impl<'a> TaskOut<'a> {
    fn new(r: &'a LedgerRow) -> TaskOut<'a> {
        let t = &r.row.task;
        TaskOut {
            id: r.row.id,
            ord: r.row.ord,
            title: &t.title,
            lead_unit: &t.lead_unit,
            assisting_units: &t.assisting_units,
            deadline: t.deadline.as_deref(),
            deadline_text: &t.deadline_text,
            status: t.status.as_str(),
            percent_done: r.schedule.done,
            schedule_percent: r.schedule.elapsed,
            lag: r.schedule.lag,
            light: r.schedule.light.as_str(),
            overdue: r.schedule.overdue,
            progress: &t.progress,
        }
    }
}

/// Runs `taizhang ledger`.
pub fn run(db: &str, command: &LedgerCommand) -> Result<ExitCode> {
    let me = Actor::command_line();
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        match command {
            LedgerCommand::List(args) => {
                let rows = app.ledger(&args.which.filter(), args.which.day()).await?;
                let out: Vec<TaskOut<'_>> = rows.iter().map(TaskOut::new).collect();
                let headers = [
                    "序号",
                    "目标任务",
                    "责任单位",
                    "完成时限",
                    "状态",
                    "完成进度",
                    "序时进度",
                    "预警",
                ];
                let percent = |p: Option<f64>| p.map_or(String::new(), |p| format!("{p:.0}%"));
                print_rows(args.format, &out, &headers, |t| {
                    vec![
                        t.ord.to_string(),
                        t.title.to_owned(),
                        t.lead_unit.to_owned(),
                        t.deadline.unwrap_or(t.deadline_text).to_owned(),
                        t.status.to_owned(),
                        percent(Some(t.percent_done)),
                        percent(t.schedule_percent),
                        if t.overdue { format!("{}(逾期)", t.light) } else { t.light.to_owned() },
                    ]
                })
            }
            LedgerCommand::Export(args) => {
                let bytes = app.export_ledger(&args.which.filter(), args.which.day()).await?;
                std::fs::write(&args.out, bytes)
                    .with_context(|| format!("writing {}", args.out.display()))?;
                eprintln!("台账已写入 {}", args.out.display());
                Ok(ExitCode::SUCCESS)
            }
            LedgerCommand::Import(args) => {
                let bytes = std::fs::read(&args.file)
                    .with_context(|| format!("reading {}", args.file.display()))?;
                let year = args.year.unwrap_or_else(|| Date::today().year());
                let mode = if args.update { ImportMode::Update } else { ImportMode::Add };
                let done = app.import_ledger(&me, &bytes, year, mode).await?;
                println!("新增 {} 项，更新 {} 项", done.added.len(), done.updated.len());
                Ok(ExitCode::SUCCESS)
            }
            LedgerCommand::FromDocument(args) => {
                let made =
                    app.tasks_from_document(&me, args.id, args.section, &args.lead_unit).await?;
                println!("新增 {} 项，已有 {} 项", made.added.len(), made.existing);
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
