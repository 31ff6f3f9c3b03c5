//! `taizhang track` and `taizhang compare`: targets linked to their results, and one
//! indicator across regions.

use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use taizhang_app::App;
use taizhang_app::auth::Actor;
use taizhang_app::track::{BenchmarkRow, Observation, Tolerances, YearRow, figure};
use taizhang_extract::Kind;

use crate::library::{FactKind, ListFormat, open_shared, print_rows, runtime};

/// Arguments of `taizhang track`.
#[derive(Debug, clap::Args)]
pub struct TrackArgs {
    /// The region (name or GB/T 2260 code).
    #[arg(long)]
    region: String,
    /// The indicator key (gdp_growth, gdp, budget_revenue …).
    #[arg(long)]
    indicator: String,
    /// How far a result may fall from an approximate target (6%左右) and still meet it, in
    /// the target's unit. By default the one set with `taizhang tolerance`, or half a point
    /// for rates and 2% of the target otherwise.
    #[arg(long)]
    tolerance: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// Arguments of `taizhang compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The indicator key (gdp_growth, budget_revenue, unemployment_rate …).
    #[arg(long)]
    indicator: String,
    /// The year; by default each region's latest year with a figure.
    #[arg(long)]
    year: Option<i32>,
    /// Targets or results; by default a row for each.
    #[arg(long, value_enum)]
    kind: Option<FactKind>,
    /// As for `taizhang track`.
    #[arg(long)]
    tolerance: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    format: ListFormat,
}

/// A target or a result as printed.
#[derive(Serialize)]
struct FigureOut {
    value: f64,
    value_max: Option<f64>,
    unit: String,
    qualifier: &'static str,
    /// The document's id.
    document: i64,
    document_title: Option<String>,
    /// The indicator as written there.
    indicator: String,
    start: usize,
    end: usize,
}

impl From<&Observation> for FigureOut {
    fn from(o: &Observation) -> FigureOut {
        FigureOut {
            value: o.value,
            value_max: o.value_max,
            unit: o.unit.clone(),
            qualifier: o.qualifier.as_str(),
            document: o.document_id,
            document_title: o.document_title.clone(),
            indicator: o.indicator.clone(),
            start: o.start,
            end: o.end,
        }
    }
}

#[derive(Serialize)]
struct YearOut {
    year: i32,
    target: Option<FigureOut>,
    actual: Option<FigureOut>,
    status: &'static str,
    reason: Option<String>,
    /// The target and the result as written, for the table.
    #[serde(skip)]
    shown: [String; 2],
}

impl From<&YearRow> for YearOut {
    fn from(r: &YearRow) -> YearOut {
        let shown = |o: &Option<Observation>| o.as_ref().map(figure).unwrap_or_default();
        YearOut {
            year: r.year,
            target: r.target.as_ref().map(FigureOut::from),
            actual: r.actual.as_ref().map(FigureOut::from),
            status: r.status.as_str(),
            reason: r.reason.clone(),
            shown: [shown(&r.target), shown(&r.actual)],
        }
    }
}

#[derive(Serialize)]
struct BenchmarkOut {
    region: String,
    region_code: String,
    year: i32,
    kind: &'static str,
    value: f64,
    value_max: Option<f64>,
    unit: String,
    qualifier: &'static str,
    document: i64,
    document_title: Option<String>,
    start: usize,
    end: usize,
    status: &'static str,
    reason: Option<String>,
    /// The figure as written, for the table.
    #[serde(skip)]
    shown: String,
}

impl From<&BenchmarkRow> for BenchmarkOut {
    fn from(r: &BenchmarkRow) -> BenchmarkOut {
        let o = &r.observation;
        BenchmarkOut {
            region: r.region_name.clone(),
            region_code: r.region_code.clone(),
            year: o.year,
            kind: o.kind.as_str(),
            value: o.value,
            value_max: o.value_max,
            unit: o.unit.clone(),
            qualifier: o.qualifier.as_str(),
            document: o.document_id,
            document_title: o.document_title.clone(),
            start: o.start,
            end: o.end,
            status: r.status.as_str(),
            reason: r.reason.clone(),
            shown: figure(o),
        }
    }
}

/// The tolerances set in the database, with `tolerance` for `indicator` over them.
async fn tolerances(app: &App, indicator: &str, tolerance: Option<f64>) -> Result<Tolerances> {
    let mut t = app.tolerances().await?;
    if let Some(v) = tolerance {
        t.by_indicator.insert(indicator.to_owned(), v);
    }
    Ok(t)
}

fn check_tolerance(tolerance: Option<f64>) -> Result<()> {
    if let Some(v) = tolerance {
        anyhow::ensure!(v.is_finite() && v >= 0.0, "the tolerance must be a number ≥ 0, not {v}");
    }
    Ok(())
}

/// Arguments of `taizhang tolerance`.
#[derive(Debug, clap::Args)]
pub struct ToleranceArgs {
    /// The indicator key; without it, every tolerance set is listed.
    indicator: Option<String>,
    /// How far a result may fall from an approximate target (6%左右) of the indicator and
    /// still meet it, in the target's unit.
    #[arg(conflicts_with = "clear")]
    tolerance: Option<f64>,
    /// Go back to the default (half a point for rates, 2% of the target otherwise).
    #[arg(long)]
    clear: bool,
}

/// Runs `taizhang tolerance`.
pub fn tolerance(db: &str, args: &ToleranceArgs) -> Result<ExitCode> {
    check_tolerance(args.tolerance)?;
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        let tolerances = match (&args.indicator, args.tolerance, args.clear) {
            (Some(indicator), Some(t), _) => {
                known_indicator(&app, indicator).await?;
                app.set_tolerance(&Actor::command_line(), indicator, Some(t)).await?
            }
            (Some(indicator), None, true) => {
                app.set_tolerance(&Actor::command_line(), indicator, None).await?
            }
            (Some(_), None, false) => {
                anyhow::bail!("give the tolerance to set, or --clear to go back to the default")
            }
            (None, _, _) => app.tolerances().await?,
        };
        for (indicator, t) in &tolerances.by_indicator {
            println!("{indicator}\t{t}");
        }
        Ok(ExitCode::SUCCESS)
    })
}

async fn known_indicator(app: &App, indicator: &str) -> Result<()> {
    if taizhang_extract::indicator::all().iter().any(|i| i.key == indicator) {
        return Ok(());
    }
    let facets = app.store().fact_facets().await?;
    anyhow::ensure!(
        facets.indicators.iter().any(|f| f.value == indicator),
        "unknown indicator {indicator:?}; `taizhang facts --format json` lists the stored ones"
    );
    Ok(())
}

/// Runs `taizhang track`.
pub fn track(db: &str, args: &TrackArgs) -> Result<ExitCode> {
    check_tolerance(args.tolerance)?;
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        known_indicator(&app, &args.indicator).await?;
        let tolerances = tolerances(&app, &args.indicator, args.tolerance).await?;
        let region = app
            .store()
            .find_region(&args.region)
            .await?
            .with_context(|| format!("no region named {}", args.region))?;
        let rows = app.track(&region.code, &args.indicator, &tolerances).await?;
        let out: Vec<YearOut> = rows.iter().map(YearOut::from).collect();
        print_rows(args.format, &out, &["year", "target", "actual", "status", "reason"], |y| {
            vec![
                y.year.to_string(),
                y.shown[0].clone(),
                y.shown[1].clone(),
                y.status.to_owned(),
                y.reason.clone().unwrap_or_default(),
            ]
        })
    })
}

/// Runs `taizhang compare`.
pub fn compare(db: &str, args: &CompareArgs) -> Result<ExitCode> {
    check_tolerance(args.tolerance)?;
    let kind = args.kind.map(|k| match k {
        FactKind::Target => Kind::Target,
        FactKind::Actual => Kind::Actual,
    });
    runtime()?.block_on(async {
        let app = open_shared(db).await?;
        known_indicator(&app, &args.indicator).await?;
        let tolerances = tolerances(&app, &args.indicator, args.tolerance).await?;
        let rows = app.benchmark(&args.indicator, args.year, kind, &tolerances).await?;
        let out: Vec<BenchmarkOut> = rows.iter().map(BenchmarkOut::from).collect();
        print_rows(
            args.format,
            &out,
            &["region", "region_code", "year", "kind", "figure", "status", "document"],
            |b| {
                vec![
                    b.region.clone(),
                    b.region_code.clone(),
                    b.year.to_string(),
                    b.kind.to_owned(),
                    b.shown.clone(),
                    b.status.to_owned(),
                    b.document_title.clone().unwrap_or_else(|| b.document.to_string()),
                ]
            },
        )
    })
}
