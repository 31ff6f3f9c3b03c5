//! `taizhang bulletin`: the supervision bulletin (督查通报) of a period as `.docx` or
//! `.xlsx`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use taizhang_app::bulletin::docx::write_docx;
use taizhang_app::bulletin::sheet::write_xlsx;
use taizhang_app::bulletin::{BulletinParams, Period, RunChoice};
use taizhang_app::ledger::date::{Date, parse_day};

use crate::library::{open_shared, runtime};

/// Arguments of `taizhang bulletin`.
#[derive(Debug, clap::Args)]
pub struct BulletinArgs {
    /// The period: 2026年第二季度 (2026Q2), 2026-06 (2026年6月), 2026年上半年, 2026年.
    #[arg(long)]
    period: String,
    /// The day the ledger's lights are taken on; by default the period's last day, or
    /// today while the period runs.
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// Scores from the latest saved run of this assessment scheme.
    #[arg(long, value_name = "ID", conflicts_with = "run")]
    scheme: Option<i64>,
    /// Scores from this saved assessment run.
    #[arg(long, value_name = "ID")]
    run: Option<i64>,
    /// The issuing office (发文单位); 市人民政府督查室 by default.
    #[arg(long, value_name = "NAME")]
    office: Option<String>,
    /// The issue number, the N of 督查通报〔2026〕N号; the period's ordinal (2 for the second
    /// quarter) by default.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    number: Option<u32>,
    /// Who it is addressed to (主送); 各责任单位 by default.
    #[arg(long, value_name = "NAME")]
    recipients: Option<String>,
    /// The file to write: .docx for the document, .xlsx for the workbook.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

/// What the file's extension asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Xlsx,
}

fn kind(out: &std::path::Path) -> Result<Kind> {
    match out.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("docx") => Ok(Kind::Docx),
        Some("xlsx") => Ok(Kind::Xlsx),
        _ => anyhow::bail!("--out must end in .docx or .xlsx, not {}", out.display()),
    }
}

/// Runs `taizhang bulletin`.
pub fn run(db: &str, args: &BulletinArgs) -> Result<ExitCode> {
    let kind = kind(&args.out)?;
    let period = Period::parse(&args.period).map_err(anyhow::Error::msg)?;
    let mut params = BulletinParams::new(period, Date::today());
    if let Some(d) = &args.as_of {
        params.as_of = parse_day(d).with_context(|| format!("cannot read the day {d}"))?;
    }
    params.run = match (args.run, args.scheme) {
        (Some(run), _) => RunChoice::Run(run),
        (None, Some(scheme)) => RunChoice::LatestOf(scheme),
        (None, None) => RunChoice::None,
    };
    params.office = args.office.clone().unwrap_or_default();
    params.recipients = args.recipients.clone().unwrap_or_default();
    params.number = args.number;
    let bulletin = runtime()?.block_on(async {
        let app = open_shared(db).await?;
        app.bulletin(&params).await.context("gathering the bulletin")
    })?;
    let bytes = match kind {
        Kind::Docx => write_docx(&bulletin),
        Kind::Xlsx => write_xlsx(&bulletin).context("writing the workbook")?,
    };
    std::fs::write(&args.out, bytes).with_context(|| format!("writing {}", args.out.display()))?;
    let s = &bulletin.summary;
    println!(
        "{}: {} tasks, {} red, {} yellow; {} → {}",
        bulletin.title,
        s.total,
        s.red,
        s.yellow,
        bulletin
            .assessment
            .as_ref()
            .map_or("no scores".to_owned(), |a| format!("scores of run {}", a.run_id)),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_chooses_the_format() {
        assert_eq!(kind("a/通报.docx".as_ref()).ok(), Some(Kind::Docx));
        assert_eq!(kind("B.XLSX".as_ref()).ok(), Some(Kind::Xlsx));
        assert!(kind("b.pdf".as_ref()).is_err());
    }
}
