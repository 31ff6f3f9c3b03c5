//! `taizhang projects`: the project library (项目库) from the stored documents.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use taizhang_app::auth::Actor;
use taizhang_app::projects::{LibraryFilter, ProjectList, write_sheet};
use taizhang_extract::ProjectCategory;

use crate::library::{ListFormat, open_shared, print_rows, region_prefix, runtime};

/// How `taizhang projects` prints the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProjectsFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON array; each project with its milestones and their sentences.
    Json,
    /// CSV with a UTF-8 BOM, so that Excel on Chinese Windows opens it right.
    Csv,
    /// An Excel sheet (项目库), one row a project with its timeline; needs --out.
    Xlsx,
}

/// Arguments of `taizhang projects`.
#[derive(Debug, clap::Args)]
pub struct ProjectsArgs {
    /// Only projects of this region (name or GB/T 2260 code) and the regions below it.
    #[arg(long)]
    region: Option<String>,
    /// Only projects in this stage: a key of the site's stages (by default the 五库: dream,
    /// rational, design, landed, statistics), or the documents' stage of projects not moved
    /// by hand (planned, preparation, started, under_construction, completed).
    #[arg(long)]
    stage: Option<String>,
    /// Only projects of this type: reservoir, road, rail, airport, power, mine, park,
    /// school, hospital, plant, water, other.
    #[arg(long = "type")]
    category: Option<String>,
    /// Only projects with a milestone in this year (their whole timeline is printed).
    #[arg(long)]
    year: Option<i32>,
    /// Only the projects of one list of 一图三清单: building (在建项目), pipeline
    /// (在谈/谋划项目) or prospects (拟招企业, entered by --import).
    #[arg(long)]
    list: Option<String>,
    /// Only projects whose name contains this.
    #[arg(long)]
    name: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ProjectsFormat::Table)]
    format: ProjectsFormat,
    /// The file to write (for --format xlsx).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Import a project library sheet (.xlsx) instead of listing: projects the library
    /// lacks (拟招企业 among them) are entered, 所在阶段 moves projects, blank cells change
    /// nothing. All or nothing.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["format", "out"])]
    import: Option<PathBuf>,
}

/// Runs `taizhang projects`.
pub fn run(db: &str, args: &ProjectsArgs) -> Result<ExitCode> {
    let category = args
        .category
        .as_deref()
        .map(|s| ProjectCategory::parse(s).with_context(|| format!("no project type named {s}")))
        .transpose()?;
    let list = args
        .list
        .as_deref()
        .map(|s| ProjectList::parse(s).with_context(|| format!("no list named {s}")))
        .transpose()?;
    if args.format == ProjectsFormat::Xlsx && args.out.is_none() {
        bail!("--format xlsx writes a file: give it with --out");
    }
    if let Some(path) = &args.import {
        return import(db, path);
    }
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let filter = LibraryFilter {
            region_prefix: region_prefix(&app, args.region.as_deref()).await?,
            stage: args.stage.clone(),
            category,
            year: args.year,
            list,
            name: args.name.clone(),
        };
        let projects = app.project_library(&filter).await?;
        let format = match args.format {
            ProjectsFormat::Table => ListFormat::Table,
            ProjectsFormat::Json => ListFormat::Json,
            ProjectsFormat::Csv => ListFormat::Csv,
            ProjectsFormat::Xlsx => {
                let out = args.out.as_ref().context("--out is required")?;
                let stages = app.project_stages().await?;
                let bytes = write_sheet(&projects, &stages).context("writing the sheet")?;
                std::fs::write(out, bytes).with_context(|| format!("writing {}", out.display()))?;
                eprintln!("{} projects written to {}", projects.len(), out.display());
                return Ok(ExitCode::SUCCESS);
            }
        };
        let headers = [
            "region",
            "name",
            "type",
            "stage",
            "site_stage",
            "years",
            "capacity",
            "investment",
            "mentions",
        ];
        print_rows(format, &projects, &headers, |p| {
            let years: Vec<String> = p
                .milestones
                .iter()
                .filter_map(|m| m.year)
                .map(|y| y.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let site = p.site_stage.as_ref().map_or(String::new(), |s| {
                if s.manual { format!("{}(手动)", s.label) } else { s.label.clone() }
            });
            vec![
                p.region_name.clone().or_else(|| p.region_code.clone()).unwrap_or_default(),
                p.name.clone(),
                p.category.as_str().to_string(),
                p.stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
                site,
                years.join(","),
                p.capacity.clone().unwrap_or_default(),
                p.investment.clone().unwrap_or_default(),
                p.milestones.len().to_string(),
            ]
        })
    })
}

/// `taizhang projects --import FILE`.
fn import(db: &str, path: &std::path::Path) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let done = app.import_project_sheet(&Actor::command_line(), &bytes).await?;
        let names = |v: &[String]| {
            if v.is_empty() { String::new() } else { format!("：{}", v.join("、")) }
        };
        println!("新增 {} 个{}", done.added.len(), names(&done.added));
        println!("更新 {} 个{}", done.updated.len(), names(&done.updated));
        println!("调整阶段 {} 个{}", done.moved.len(), names(&done.moved));
        println!("未改动 {} 行", done.unchanged);
        Ok(ExitCode::SUCCESS)
    })
}
