//! `taizhang eval`: runs the extractor on annotated documents and scores it with
//! [`taizhang_extract::score`], printing what `eval/score.py` prints.

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use taizhang_extract::score::{Report, ScoredFact, parse_jsonl, score_document};
use taizhang_extract::{Format, extract};

/// Extensions tried, in order, for the document of a gold file.
const DOCUMENT_EXTENSIONS: [&str; 3] = ["txt", "html", "htm"];

/// Arguments of `taizhang eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Directory of gold annotations, one DOC.jsonl per document.
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,

    /// Directory of the documents, DOC.txt, DOC.html or DOC.htm.
    #[arg(long, value_name = "DIR")]
    docs: PathBuf,

    /// Output format: text is score.py's report, json what `score.py --json` prints.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,

    /// List the misses and false positives of each document (text format only).
    #[arg(long)]
    show_errors: bool,

    /// Exit with status 1 when the micro F1 is below X.
    #[arg(long, value_name = "X")]
    min_f1: Option<f64>,

    /// Exit with status 1 when the strict F1 (every attribute right too) is below X.
    #[arg(long, value_name = "X")]
    min_strict_f1: Option<f64>,

    /// Also write the predictions to DIR/DOC.jsonl in the gold format, for score.py or
    /// for reading.
    #[arg(long, value_name = "DIR")]
    save_predictions: Option<PathBuf>,
}

/// How the report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum OutputFormat {
    /// A line per document, then attribute accuracy, micro and strict scores.
    Text,
    /// One JSON object.
    Json,
}

/// Runs `taizhang eval`; the exit code is 1 when a score is below its minimum.
pub fn run(args: &EvalArgs) -> Result<ExitCode> {
    if let Some(dir) = &args.save_predictions {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut documents = Vec::new();
    for name in gold_names(&args.gold)? {
        let gold_path = args.gold.join(format!("{name}.jsonl"));
        let content = std::fs::read_to_string(&gold_path)
            .with_context(|| format!("reading {}", gold_path.display()))?;
        let gold =
            parse_jsonl(&content).with_context(|| format!("parsing {}", gold_path.display()))?;
        let pred = predict(&args.docs, &name)?;
        if let Some(dir) = &args.save_predictions {
            save(&dir.join(format!("{name}.jsonl")), &pred)?;
        }
        documents.push(score_document(&name, &gold, &pred));
    }
    let report = Report::from_documents(documents);

    let output = match args.format {
        OutputFormat::Text => render_text(&report, args.show_errors),
        OutputFormat::Json => render_json(&report)?,
    };
    io::stdout().lock().write_all(output.as_bytes()).context("writing the report")?;

    let below = |minimum: Option<f64>, score: f64| minimum.is_some_and(|m| score < m);
    if below(args.min_f1, report.f1) || below(args.min_strict_f1, report.strict.f1) {
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// The documents of a gold directory: its `*.jsonl` files without the extension, sorted by
/// file name as `score.py` sorts them.
fn gold_names(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        if let Some(name) = entry.file_name().to_str()
            && name.ends_with(".jsonl")
        {
            files.push(name.to_owned());
        }
    }
    if files.is_empty() {
        bail!("no gold files (*.jsonl) in {}", dir.display());
    }
    files.sort();
    Ok(files.into_iter().filter_map(|f| f.strip_suffix(".jsonl").map(str::to_owned)).collect())
}

/// Extracts the facts of document `name` from `docs`.
fn predict(docs: &Path, name: &str) -> Result<Vec<ScoredFact>> {
    let Some(path) = DOCUMENT_EXTENSIONS
        .iter()
        .map(|ext| docs.join(format!("{name}.{ext}")))
        .find(|path| path.is_file())
    else {
        bail!("no document {name}.txt, .html or .htm in {}", docs.display());
    };
    let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let extracted = extract(&bytes, Format::from_name(file_name));
    Ok(extracted.facts.iter().map(ScoredFact::from).collect())
}

fn save(path: &Path, facts: &[ScoredFact]) -> Result<()> {
    let mut content = String::new();
    for fact in facts {
        content += &serde_json::to_string(fact).context("serialising a prediction")?;
        content.push('\n');
    }
    std::fs::write(path, content).with_context(|| format!("writing {}", path.display()))
}

/// The report as `score.py` prints it without `--json`.
fn render_text(report: &Report, show_errors: bool) -> String {
    let mut out = String::new();
    for doc in &report.documents {
        let prf = doc.prf();
        // Writing to a String cannot fail.
        let _ = writeln!(
            out,
            "{}: tp {} fp {} fn {}  P {:.3} R {:.3} F1 {:.3}",
            doc.name,
            doc.true_positives,
            doc.false_positives(),
            doc.false_negatives(),
            prf.precision,
            prf.recall,
            prf.f1
        );
        if show_errors {
            for g in &doc.missed {
                let number = g.number.as_deref().unwrap_or("None");
                let _ = writeln!(out, "  miss  {}-{} {number} [{}]", g.start, g.end, indicator(g));
            }
            for p in &doc.spurious {
                let number = match (&p.number, p.value) {
                    (Some(number), _) => number.clone(),
                    (None, Some(value)) => value.to_string(),
                    (None, None) => "None".to_owned(),
                };
                let _ = writeln!(out, "  extra {}-{} {number} [{}]", p.start, p.end, indicator(p));
            }
        }
    }
    let accuracy: Vec<String> =
        report.accuracy.known().iter().map(|(name, value)| format!("{name} {value:.3}")).collect();
    let _ = writeln!(out, "attribute accuracy on matched facts: {}", accuracy.join(", "));
    let _ =
        writeln!(out, "micro P {:.3} R {:.3} F1 {:.3}", report.precision, report.recall, report.f1);
    let strict = report.strict;
    let _ = writeln!(
        out,
        "strict (all attributes right) P {:.3} R {:.3} F1 {:.3}",
        strict.precision, strict.recall, strict.f1
    );
    out
}

fn indicator(fact: &ScoredFact) -> &str {
    fact.indicator.as_deref().unwrap_or("None")
}

/// The report as `score.py --json` prints it, down to Python's `", "` and `": "`.
fn render_json(report: &Report) -> Result<String> {
    let mut bytes = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut bytes, PythonFormatter);
    serde::Serialize::serialize(report, &mut serializer).context("serialising the report")?;
    bytes.push(b'\n');
    String::from_utf8(bytes).context("serialising the report")
}

/// Separators as Python's `json.dumps` writes them by default.
struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use taizhang_extract::score::{parse_jsonl, score_documents};

    use super::*;

    /// The expected texts are what score.py printed for the same files.
    #[test]
    fn text_and_json_are_score_py_s() {
        let gold = parse_jsonl(concat!(
            r#"{"start": 0, "end": 4, "number": "5个", "value": 5, "unit": "个", "#,
            r#""indicator": "甲乙", "measure": "level", "kind": "target", "year": 2025}"#,
            "\n",
            r#"{"start": 10, "end": 14, "number": "2%", "value": 2, "unit": "%", "#,
            r#""indicator": "丙丁", "measure": "growth", "kind": "actual", "year": null}"#,
        ))
        .expect("valid gold");
        let pred = parse_jsonl(concat!(
            r#"{"start": 0, "end": 4, "number": "5个", "value": 5, "unit": "个", "#,
            r#""indicator": "甲乙", "measure": "level", "kind": "actual", "year": 2025}"#,
            "\n",
            r#"{"start": 20, "end": 24, "value": 7.5, "unit": "个", "indicator": "戊"}"#,
        ))
        .expect("valid predictions");
        let report = score_documents(&[("b".to_owned(), gold, pred)]);
        assert_eq!(
            render_text(&report, true),
            "b: tp 1 fp 1 fn 1  P 0.500 R 0.500 F1 0.500
  miss  10-14 2% [丙丁]
  extra 20-24 7.5 [戊]
attribute accuracy on matched facts: kind 0.000, measure 1.000, qualifier 1.000, \
indicator 1.000, year 1.000, all 0.000
micro P 0.500 R 0.500 F1 0.500
strict (all attributes right) P 0.000 R 0.000 F1 0.000
"
        );
        assert_eq!(
            render_json(&report).expect("a report serialises"),
            r#"{"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 1, "fp": 1, "fn": 1, "#
                .to_owned()
                + r#""strict": {"precision": 0.0, "recall": 0.0, "f1": 0.0}, "#
                + r#""accuracy": {"kind": 0.0, "measure": 1.0, "qualifier": 1.0, "#
                + r#""indicator": 1.0, "year": 1.0, "all": 0.0}, "#
                + r#""documents": {"b": {"precision": 0.5, "recall": 0.5, "f1": 0.5}}}"#
                + "\n"
        );
    }
}
