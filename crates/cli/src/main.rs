//! The `taizhang` command: the command-line definition plus glue around the crates. Each
//! subcommand lives in its own module with its arguments and a `run` function.

mod bulletin;
mod eval;
mod extract;
mod ledger;
mod library;
mod projects;
mod serve;
mod track;
mod user;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Extract quantitative facts from Chinese government planning documents.
#[derive(Debug, Parser)]
#[command(name = "taizhang", version)]
struct Cli {
    /// The database: a SQLite file (PATH or sqlite:PATH), or postgres://… for PostgreSQL.
    /// The default is taizhang.sqlite in the user's data directory
    /// ($XDG_DATA_HOME/taizhang or ~/.local/share/taizhang).
    #[arg(long, global = true, env = "TAIZHANG_DB", value_name = "URL")]
    db: Option<String>,

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
    /// Store documents with everything extracted from them, and index them for search.
    ///
    /// Files and folders (recursively): .txt, .html, .htm, .docx and .pdf with a text
    /// layer (read with poppler's pdftotext). The same content is never stored twice; each
    /// document is stored in one transaction, so an interrupted run leaves no half-stored
    /// document and running it again completes the batch.
    Ingest(library::IngestArgs),
    /// Re-extract stored documents whose extractor version is older than this one, or with
    /// --search rebuild the search index from the database.
    Reindex(library::ReindexArgs),
    /// List stored documents.
    Documents(library::DocumentsArgs),
    /// List stored facts, filtered by region, indicator, year and kind.
    Facts(library::FactsArgs),
    /// The project library: named projects merged across documents, filtered by region,
    /// stage, type, year and list, as a table, JSON, CSV or an Excel sheet.
    Projects(projects::ProjectsArgs),
    /// Full-text search over stored documents, with highlighted snippets.
    Search(library::SearchArgs),
    /// Each year's target for a region and indicator beside the result reported later.
    ///
    /// The target is the one set in that year's document (or in the latest earlier plan);
    /// the result is the one first reported in a later document. Status: met, missed,
    /// no_result (not reported yet), no_target, or not_comparable with the reason (the
    /// indicator's definition changed, the figure was revised, the units differ).
    Track(track::TrackArgs),
    /// One indicator across regions: each region's target or result for a year, with how
    /// it stands against the other.
    Compare(track::CompareArgs),
    /// List or set how far a result may fall from an approximate target (6%左右) of an
    /// indicator and still meet it: `taizhang tolerance gdp_growth 0.3`, `--clear`.
    Tolerance(track::ToleranceArgs),
    /// The ledger (台账): list the tasks with their lights, export or import the .xlsx
    /// sheet, make tasks of a stored document's targets.
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// The supervision bulletin (督查通报) of a period, as .docx or .xlsx.
    ///
    /// 一、总体情况 (the ledger counted on the as-of day), 二、预警情况 (each unit's red and
    /// yellow tasks), 三、考核得分与排名 and 四、红黑榜 (from a saved assessment run, with
    /// --scheme or --run), 五、下步要求.
    Bulletin(bulletin::BulletinArgs),
    /// Serve the web workspace: 文件库, 指标台账, 对标, 区域, 搜索 and the JSON API.
    ///
    /// Prints the address to open. Every page and asset is served by this binary, so it
    /// works on an intranet without internet.
    Serve(serve::ServeArgs),
    /// Users of the web workspace: `user add NAME --role admin` makes the first
    /// administrator; `user passwd NAME` sets a password; `user list`.
    ///
    /// Roles: admin (everything), planner (the ledger, schemes, assessment and documents,
    /// not users), reporter (progress reports on the tasks of their --unit), viewer (reads
    /// only). The password is asked for on the terminal, or read as one line from standard
    /// input when that is not a terminal.
    #[command(subcommand)]
    User(user::UserCommand),
}

/// The exit status of a command that could not do its work (1 is a failed check).
const ERROR_STATUS: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli.db.clone().unwrap_or_else(taizhang_app::location::default_db);
    let result = match cli.command {
        Command::Extract(args) => extract::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Ingest(args) => library::ingest(&db, &args),
        Command::Reindex(args) => library::reindex(&db, &args),
        Command::Documents(args) => library::documents(&db, &args),
        Command::Facts(args) => library::facts(&db, &args),
        Command::Projects(args) => projects::run(&db, &args),
        Command::Search(args) => library::search(&db, &args),
        Command::Track(args) => track::track(&db, &args),
        Command::Compare(args) => track::compare(&db, &args),
        Command::Tolerance(args) => track::tolerance(&db, &args),
        Command::Ledger(command) => ledger::run(&db, &command),
        Command::Bulletin(args) => bulletin::run(&db, &args),
        Command::Serve(args) => serve::run(&db, &args),
        Command::User(command) => user::run(&db, &command),
    };
    result.unwrap_or_else(|error| {
        eprintln!("error: {error:#}");
        ExitCode::from(ERROR_STATUS)
    })
}
