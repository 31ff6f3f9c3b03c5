//! `taizhang extract`: reads documents and prints what the engine extracts from them.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde::Serialize;
use taizhang_extract::{
    Diagnostic, DocumentMeta, Extracted, Fact, Format, Project, Section, Term, extract,
};

/// Arguments of `taizhang extract`.
#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// The documents: .txt (UTF-8 or GB18030) or .html/.htm pages.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,

    /// jsonl: one fact per line, in the fields of the gold files (what eval/score.py reads);
    /// json: each whole document (metadata, outline, facts, terms, projects, diagnostics);
    /// table: the facts for people.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

/// How the extraction is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// One fact a line as JSON.
    Jsonl,
    /// One JSON object per document; an array when several files are given.
    Json,
    /// Aligned columns.
    Table,
}

/// A fact as the gold files write it, with the document it came from.
#[derive(Serialize)]
struct FactLine<'a> {
    document: &'a str,
    #[serde(flatten)]
    fact: &'a Fact,
}

/// A whole document as `--format json` prints it: everything but the text itself, which
/// the spans refer to and which the caller already has.
#[derive(Serialize)]
struct DocumentJson<'a> {
    document: &'a str,
    bytes: usize,
    meta: &'a DocumentMeta,
    outline: &'a [Section],
    facts: &'a [Fact],
    terms: &'a [Term],
    projects: &'a [Project],
    diagnostics: &'a [Diagnostic],
}

/// Runs `taizhang extract`.
pub fn run(args: &ExtractArgs) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut docs = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let name = path.display().to_string();
        let extracted = extract(&bytes, Format::from_name(&name));
        for d in &extracted.diagnostics {
            eprintln!("{name}: {}: {}", d.code, d.message);
        }
        match args.format {
            OutputFormat::Jsonl => write_jsonl(&mut out, &name, &extracted)?,
            OutputFormat::Table => write_table(&mut out, &name, &extracted)?,
            OutputFormat::Json => docs.push((name, extracted)),
        }
    }
    if args.format == OutputFormat::Json {
        let views: Vec<DocumentJson<'_>> = docs
            .iter()
            .map(|(name, x)| DocumentJson {
                document: name,
                bytes: x.text.len(),
                meta: &x.meta,
                outline: &x.outline,
                facts: &x.facts,
                terms: &x.terms,
                projects: &x.projects,
                diagnostics: &x.diagnostics,
            })
            .collect();
        if let [one] = views.as_slice() {
            serde_json::to_writer_pretty(&mut out, one)?;
        } else {
            serde_json::to_writer_pretty(&mut out, &views)?;
        }
        writeln!(out)?;
    }
    out.flush().context("writing to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn write_jsonl(out: &mut impl Write, name: &str, x: &Extracted) -> Result<()> {
    for fact in &x.facts {
        serde_json::to_writer(&mut *out, &FactLine { document: name, fact })?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_table(out: &mut impl Write, name: &str, x: &Extracted) -> Result<()> {
    let m = &x.meta;
    writeln!(out, "{name}")?;
    writeln!(
        out,
        "  {} | {} | {:?} | {} | {} facts, {} terms, {} sections",
        m.title.as_deref().unwrap_or("(no title)"),
        m.region
            .as_ref()
            .map_or("(region unknown)".to_string(), |r| format!("{} {}", r.name, r.code)),
        m.kind.unwrap_or(taizhang_extract::DocKind::Other),
        m.date.as_deref().unwrap_or("(no date)"),
        x.facts.len(),
        x.terms.len(),
        x.outline.len(),
    )?;
    for f in &x.facts {
        let value = match f.value_max {
            Some(max) => format!("{}–{}", f.value, max),
            None => f.value.to_string(),
        };
        writeln!(
            out,
            "  {:>8}  {:<14} {:>10} {:<8} {:<6} {:<6} {:<8} {:<4}  {}",
            f.start,
            f.number,
            value,
            f.unit,
            f.kind.as_str(),
            f.measure.as_str(),
            f.qualifier.as_str(),
            f.year.map_or("-".to_string(), |y| y.to_string()),
            f.indicator,
        )?;
    }
    for t in &x.terms {
        writeln!(
            out,
            "  术语 “{}”×{}  {}",
            t.name,
            t.occurrences,
            t.definition.as_deref().unwrap_or("")
        )?;
    }
    Ok(())
}
