//! The `taizhang` command: the command-line definition plus glue around the crates. Each
//! subcommand lives in its own module with its arguments and a `run` function.

mod eval;
mod extract;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Extract quantitative facts from Chinese government planning documents.
#[derive(Debug, Parser)]
#[command(name = "taizhang", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Extract facts, outline, terms and metadata from documents.
    ///
    /// Each fact is a number with its unit (5500亿元, 62%), what it measures, whether it is
    /// a target or an actual, its qualifier and year, and its byte span in the document.
    Extract(extract::ExtractArgs),
    /// Score the extractor against gold annotations, as eval/score.py scores predictions.
    ///
    /// For every GOLD/DOC.jsonl, extracts the facts of DOCS/DOC.txt (or .html, .htm) and
    /// matches them to the gold facts: a prediction matches when the byte spans overlap and
    /// the values agree once magnitude words are folded in (5500亿元 == 550000000000元).
    ///
    /// Exits with status 1 when a score is below its minimum, 2 on an error.
    Eval(eval::EvalArgs),
}

/// The exit status of a command that could not do its work (1 is a failed check).
const ERROR_STATUS: u8 = 2;

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Extract(args) => extract::run(&args),
        Command::Eval(args) => eval::run(&args),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::from(ERROR_STATUS)
    })
}
