//! The commands on the stored library: `ingest`, `reindex`, `documents`, `facts`, `search`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use taizhang_app::App;
use taizhang_app::auth::Actor;
use taizhang_app::ingest::FileOutcome;
use taizhang_extract::Kind;
use taizhang_index::SearchQuery;
use taizhang_store::{DocumentFilter, FactFilter};

/// How a listing is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for people.
    Table,
    /// A JSON array.
    Json,
    /// CSV with a UTF-8 BOM, so that Excel on Chinese Windows opens it right.
    Csv,
}

/// Arguments of `taizhang ingest`.
#[derive(Debug, clap::Args)]
pub struct IngestArgs {
    /// Files and folders (read recursively): .txt, .html, .htm, .docx, .pdf.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// The largest file read, in bytes; larger ones are reported and skipped.
    #[arg(long, value_name = "BYTES", default_value_t = taizhang_app::read::DEFAULT_MAX_BYTES)]
    max_bytes: u64,
}

/// Arguments of `taizhang reindex`.
#[derive(Debug, clap::Args)]
pub struct ReindexArgs {
    /// Only rebuild the search index from the database, extracting nothing again.
    #[arg(long)]
    search: bool,
}

/// Arguments of `taizhang documents`.
#[derive(Debug, clap::Args)]
pub struct DocumentsArgs {
    /// Only documents of this region (name or GB/T 2260 code) and the regions below it.
    #[arg(long)]
    region: Option<String>,
    /// Only documents of this year.
    #[arg(long)]
    year: Option<i32>,
    /// At most this many rows.
    #[arg(long, default_value_t = 1000)]
    limit: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// Arguments of `taizhang facts`.
#[derive(Debug, clap::Args)]
pub struct FactsArgs {
    /// Only facts of this region (name or GB/T 2260 code) and the regions below it.
    #[arg(long)]
    region: Option<String>,
    /// Only facts of this indicator key (gdp, gdp_growth, urbanization_rate …).
    #[arg(long)]
    indicator: Option<String>,
    /// Only facts about this year.
    #[arg(long)]
    year: Option<i32>,
    /// Only targets or only actuals.
    #[arg(long, value_enum)]
    kind: Option<FactKind>,
    /// At most this many rows.
    #[arg(long, default_value_t = 10000)]
    limit: u32,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// A fact's kind on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FactKind {
    /// Goals.
    Target,
    /// Reported results.
    Actual,
}

/// Arguments of `taizhang search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Words to find; a word without spaces matches exactly, several words must all match,
    /// "quotes" keep a phrase with spaces together.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// Only documents of this region and the regions below it (GB/T 2260 code or name).
    #[arg(long)]
    region: Option<String>,
    /// Only documents of this kind (work_report, plan_proposal, action_plan …).
    #[arg(long)]
    kind: Option<String>,
    /// Only documents of this year.
    #[arg(long)]
    year: Option<i32>,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")
}

pub(crate) async fn open(db: &str) -> Result<App> {
    App::open(db).await.with_context(|| format!("opening the database {db}"))
}

/// Opens the database for a command that only reads (or writes settings), which works
/// while `taizhang serve` holds the search index.
pub(crate) async fn open_shared(db: &str) -> Result<App> {
    App::open_shared(db).await.with_context(|| format!("opening the database {db}"))
}

/// Runs `taizhang ingest`.
pub fn ingest(db: &str, args: &IngestArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let app = open(db).await?;
        let bar = if io::stderr().is_terminal() {
            let bar = ProgressBar::new(0);
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                    .context("the progress template")?,
            );
            Some(bar)
        } else {
            None
        };
        let mut progress = |done: usize, total: usize, path: &Path, outcome: &FileOutcome| {
            if let Some(bar) = &bar {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
                bar.set_message(path.display().to_string());
            }
            if let FileOutcome::Failed(why) = outcome {
                let line = format!("failed: {}: {why}", path.display());
                match &bar {
                    Some(bar) => bar.println(line),
                    None => eprintln!("{line}"),
                }
            }
        };
        let summary =
            app.ingest(&Actor::command_line(), &args.paths, args.max_bytes, &mut progress).await?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        let mb = summary.bytes as f64 / 1e6;
        println!(
            "{} new, {} unchanged, {} re-extracted, {} failed, {} skipped ({mb:.1} MB in {:.1} s)",
            summary.new,
            summary.unchanged,
            summary.reextracted,
            summary.failed.len(),
            summary.skipped.len(),
            summary.seconds
        );
        for (path, why) in &summary.failed {
            println!("  failed   {}: {why}", path.display());
        }
        for path in &summary.skipped {
            println!("  skipped  {}: not a document taizhang reads", path.display());
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `taizhang reindex`.
pub fn reindex(db: &str, args: &ReindexArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let app = open(db).await?;
        if args.search {
            let n = app.rebuild_index().await?;
            println!("search index rebuilt: {n} documents");
        } else {
            let n = app.reextract_stale(&Actor::command_line()).await?;
            println!(
                "{n} documents re-extracted with extractor {}",
                taizhang_extract::EXTRACTOR_VERSION
            );
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// A region given by name or code, as a code prefix covering it and what lies below.
pub(crate) async fn region_prefix(app: &App, region: Option<&str>) -> Result<Option<String>> {
    let Some(region) = region else { return Ok(None) };
    let row = app
        .store()
        .find_region(region)
        .await?
        .with_context(|| format!("no region named {region}"))?;
    Ok(Some(taizhang_store::region_prefix(&row.code).to_string()))
}

#[derive(Serialize)]
struct DocumentOut {
    id: i64,
    title: Option<String>,
    name: String,
    region: Option<String>,
    region_code: Option<String>,
    kind: Option<&'static str>,
    date: Option<String>,
    year: Option<i32>,
    facts: i64,
}

/// Runs `taizhang documents`.
pub fn documents(db: &str, args: &DocumentsArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let filter = DocumentFilter {
            region_prefix: region_prefix(&app, args.region.as_deref()).await?,
            year: args.year,
            limit: Some(args.limit),
            ..DocumentFilter::default()
        };
        let rows: Vec<DocumentOut> = app
            .store()
            .documents(&filter)
            .await?
            .into_iter()
            .map(|d| DocumentOut {
                id: d.id,
                title: d.title,
                name: d.name,
                region: d.region_name,
                region_code: d.region_code,
                kind: d.kind.map(|k| k.as_str()),
                date: d.date,
                year: d.year,
                facts: d.fact_count,
            })
            .collect();
        print_rows(args.format, &rows, &["id", "date", "region", "kind", "facts", "title"], |d| {
            vec![
                d.id.to_string(),
                d.date.clone().unwrap_or_default(),
                d.region.clone().unwrap_or_default(),
                d.kind.unwrap_or("").to_string(),
                d.facts.to_string(),
                d.title.clone().unwrap_or_else(|| d.name.clone()),
            ]
        })
    })
}

#[derive(Serialize)]
struct FactOut {
    document: i64,
    document_title: Option<String>,
    region: Option<String>,
    region_code: Option<String>,
    #[serde(flatten)]
    fact: taizhang_extract::Fact,
}

/// Runs `taizhang facts`.
pub fn facts(db: &str, args: &FactsArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let filter = FactFilter {
            region_prefix: region_prefix(&app, args.region.as_deref()).await?,
            indicator_key: args.indicator.clone(),
            year: args.year,
            kind: args.kind.map(|k| match k {
                FactKind::Target => Kind::Target,
                FactKind::Actual => Kind::Actual,
            }),
            limit: Some(args.limit),
            ..FactFilter::default()
        };
        let rows: Vec<FactOut> = app
            .store()
            .facts(&filter)
            .await?
            .into_iter()
            .map(|r| FactOut {
                document: r.document_id,
                document_title: r.document_title,
                region: r.region_name,
                region_code: r.region_code,
                fact: r.fact,
            })
            .collect();
        let headers = [
            "region",
            "region_code",
            "year",
            "kind",
            "measure",
            "number",
            "value",
            "value_max",
            "unit",
            "qualifier",
            "indicator_key",
            "indicator",
            "document",
            "start",
            "end",
        ];
        print_rows(args.format, &rows, &headers, |r| {
            let f = &r.fact;
            vec![
                r.region.clone().unwrap_or_default(),
                r.region_code.clone().unwrap_or_default(),
                f.year.map(|y| y.to_string()).unwrap_or_default(),
                f.kind.as_str().to_string(),
                f.measure.as_str().to_string(),
                f.number.clone(),
                f.value.to_string(),
                f.value_max.map(|v| v.to_string()).unwrap_or_default(),
                f.unit.clone(),
                f.qualifier.as_str().to_string(),
                f.indicator_key.clone().unwrap_or_default(),
                f.indicator.clone(),
                r.document.to_string(),
                f.start.to_string(),
                f.end.to_string(),
            ]
        })
    })
}

#[derive(Serialize)]
struct HitOut {
    document: i64,
    title: String,
    score: f32,
    snippet: String,
}

/// Runs `taizhang search`.
pub fn search(db: &str, args: &SearchArgs) -> Result<ExitCode> {
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let within_region = match args.region.as_deref() {
            Some(r) => Some(
                app.store()
                    .find_region(r)
                    .await?
                    .with_context(|| format!("no region named {r}"))?
                    .code,
            ),
            None => None,
        };
        let mut query = SearchQuery::new(args.query.join(" "));
        query.within_region = within_region;
        query.kind = args.kind.clone();
        query.year = args.year;
        query.limit = args.limit;
        let hits: Vec<HitOut> = app
            .search(&query)?
            .into_iter()
            .map(|h| HitOut { document: h.id, title: h.title, score: h.score, snippet: h.snippet })
            .collect();
        print_rows(args.format, &hits, &["document", "title", "snippet"], |h| {
            vec![h.document.to_string(), h.title.clone(), h.snippet.replace('\n', " ")]
        })
    })
}

/// Prints rows as a table, a JSON array, or CSV with a BOM.
pub(crate) fn print_rows<T: Serialize>(
    format: ListFormat,
    rows: &[T],
    headers: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, rows)?;
            writeln!(out)?;
        }
        ListFormat::Csv => {
            out.write_all("\u{feff}".as_bytes())?;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(headers).context("writing CSV")?;
            for row in rows {
                w.write_record(cells(row)).context("writing CSV")?;
            }
            w.flush()?;
        }
        ListFormat::Table => {
            for row in rows {
                writeln!(out, "{}", cells(row).join("  "))?;
            }
        }
    }
    out.flush().context("writing to standard output")?;
    Ok(ExitCode::SUCCESS)
}
