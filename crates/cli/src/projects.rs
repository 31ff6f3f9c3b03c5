//! `taizhang projects`: the project library (项目库) from the stored documents.

use std::process::ExitCode;

use anyhow::{Context, Result};
use taizhang_app::projects::library;
use taizhang_extract::{ProjectCategory, Stage};
use taizhang_store::ProjectFilter;

use crate::library::{ListFormat, open_shared, print_rows, region_prefix, runtime};

/// Arguments of `taizhang projects`.
#[derive(Debug, clap::Args)]
pub struct ProjectsArgs {
    /// Only projects of this region (name or GB/T 2260 code) and the regions below it.
    #[arg(long)]
    region: Option<String>,
    /// Only projects whose latest stage is this one: planned, preparation, started,
    /// under_construction, completed.
    #[arg(long)]
    stage: Option<String>,
    /// Only projects of this type: reservoir, road, rail, airport, power, mine, park,
    /// school, hospital, plant, water, other.
    #[arg(long = "type")]
    category: Option<String>,
    /// Output format; json gives each project's milestones with their sentences.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// Runs `taizhang projects`.
pub fn run(db: &str, args: &ProjectsArgs) -> Result<ExitCode> {
    let stage = args
        .stage
        .as_deref()
        .map(|s| Stage::parse(s).with_context(|| format!("no stage named {s}")))
        .transpose()?;
    let category = args
        .category
        .as_deref()
        .map(|s| ProjectCategory::parse(s).with_context(|| format!("no project type named {s}")))
        .transpose()?;
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let filter = ProjectFilter {
            region_prefix: region_prefix(&app, args.region.as_deref()).await?,
            category,
            ..ProjectFilter::default()
        };
        let rows = app.store().projects(&filter).await?;
        let projects: Vec<_> = library(&rows)
            .into_iter()
            .filter(|p| stage.is_none_or(|s| p.stage == Some(s)))
            .collect();
        let headers =
            ["region", "name", "type", "stage", "years", "capacity", "investment", "mentions"];
        print_rows(args.format, &projects, &headers, |p| {
            let years: Vec<String> = p
                .milestones
                .iter()
                .filter_map(|m| m.year)
                .map(|y| y.to_string())
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            vec![
                p.region_name.clone().or_else(|| p.region_code.clone()).unwrap_or_default(),
                p.name.clone(),
                p.category.as_str().to_string(),
                p.stage.map(|s| s.as_str().to_string()).unwrap_or_default(),
                years.join(","),
                p.capacity.clone().unwrap_or_default(),
                p.investment.clone().unwrap_or_default(),
                p.milestones.len().to_string(),
            ]
        })
    })
}
