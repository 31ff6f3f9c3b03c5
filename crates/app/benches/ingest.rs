//! Ingest through the whole path (read, extract, store, index) into SQLite and into
//! PostgreSQL, then search latency over the index that ingest built.
//!
//! `cargo bench -p taizhang-app --bench ingest` writes the shared corpus's `docs` and
//! `extra` texts (`TAIZHANG_CORPUS`, or the first `shared/corpus` above this crate; without
//! one, the demo document) as at least 3,000 files, each copy changed a little (a line
//! with its number, no figure in it) so that every file is a new document. Then, for each
//! backend, `App::ingest` takes the folder into a fresh database: a SQLite file, and a
//! PostgreSQL database created for the run on the server of `TAIZHANG_TEST_POSTGRES`
//! (default `postgres://postgres@127.0.0.1:5432/test`) and dropped after it, skipped with
//! a message when the server is unreachable or `TAIZHANG_SKIP_POSTGRES=1`. It prints
//! documents/s and MB/s (of file bytes), the time of a second ingest of the same folder
//! (all unchanged), and the latency of 1,000 searches (realistic phrases and two-word
//! queries, ten hits with snippets) over the index: p50, p90, p99, against the goal of a
//! p99 under 20 ms. `TAIZHANG_BENCH_DOCS` sets the number of documents.
//!
//! Run by `cargo test --benches` (no `--bench` argument), it ingests 60 documents on SQLite
//! only, as a smoke test. It asserts what it stored and found, so it cannot time a wrong
//! answer fast.

#[path = "../../store/benches/support/corpus.rs"]
mod corpus;

use std::path::Path;
use std::time::{Duration, Instant};

use sqlx::{Connection, Executor};
use taizhang_app::App;
use taizhang_extract::{Format, extract};
use taizhang_index::{MAX_LIMIT, SearchQuery};
use taizhang_store::DocumentFilter;

const DEFAULT_DOCS: usize = 3_000;
const SMOKE_DOCS: usize = 60;
const QUERIES: usize = 1_000;
const GOAL_P99_MS: f64 = 20.0;

/// What people look for in these documents.
const SEARCHES: &[&str] = &[
    "成渝地区双城经济圈",
    "乡村振兴",
    "地区生产总值",
    "高质量发展",
    "新质生产力",
    "营商环境",
    "人工智能",
    "数字经济",
    "碳达峰",
    "城镇化率",
    "一般公共预算收入",
    "现代化产业体系",
    "人工智能 产业",
    "乡村振兴 农业",
    "城乡 居民收入",
    "固定资产投资 增长",
];

/// The phrase whose hits are counted exactly.
const CHECKED: &str = "成渝地区双城经济圈";

/// The base texts: the corpus's, or the demo document.
fn base_texts() -> Vec<(String, String)> {
    let mut texts = corpus::texts();
    if texts.is_empty() {
        let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../demo/shili_gwr_2025.txt");
        println!("corpus: none found (set TAIZHANG_CORPUS); the demo document {}", demo.display());
        let text = std::fs::read_to_string(&demo).expect("the demo document reads");
        texts.push(("shili_gwr_2025.txt".to_owned(), text));
    }
    texts
}

/// The folder of files to ingest and what ingesting it must give.
struct Batch {
    dir: tempfile::TempDir,
    documents: usize,
    bytes: usize,
    facts: i64,
    /// Documents containing [`CHECKED`].
    checked: usize,
}

fn write_batch(n: usize) -> Batch {
    let base = base_texts();
    let facts: Vec<i64> = base
        .iter()
        .map(|(_, text)| extract(text.as_bytes(), Format::Text).facts.len() as i64)
        .collect();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let (mut bytes, mut total_facts, mut checked) = (0, 0, 0);
    for i in 0..n {
        let (name, text) = &base[i % base.len()];
        // A line without a figure: the copy has the facts of its original.
        let copy = format!("{text}\n附：第{i}份副本。\n");
        std::fs::write(dir.path().join(format!("{i:05}_{name}")), &copy).expect("writes");
        bytes += copy.len();
        total_facts += facts[i % base.len()];
        checked += usize::from(copy.contains(CHECKED));
    }
    Batch { dir, documents: n, bytes, facts: total_facts, checked }
}

/// Ingests the batch into `db` (index in `index_dir`) twice, checks what was stored and
/// found, and times searches.
async fn run(label: &str, db: &str, index_dir: &Path, batch: &Batch, searches: usize) {
    let app = App::open_at(db, index_dir).await.expect("the app opens");
    let paths = [batch.dir.path().to_path_buf()];
    let started = Instant::now();
    let summary =
        app.ingest(&actor(), &paths, u64::MAX, &mut |_, _, _, _| {}).await.expect("ingest");
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(summary.failed, Vec::new());
    assert_eq!(summary.new, batch.documents);
    assert_eq!(summary.bytes, batch.bytes as u64);
    assert_eq!(summary.reindexed, None, "the index followed the batch");
    println!(
        "{label:<9} ingest {:>6} documents {:>7.1} MB {:>7.2} s {:>6.0} documents/s {:>5.1} MB/s",
        batch.documents,
        batch.bytes as f64 / 1e6,
        secs,
        batch.documents as f64 / secs,
        batch.bytes as f64 / 1e6 / secs
    );
    let listed = app.store().documents(&DocumentFilter::default()).await.expect("documents");
    assert_eq!(listed.len(), batch.documents);
    assert_eq!(listed.iter().map(|d| d.fact_count).sum::<i64>(), batch.facts, "every fact");

    let started = Instant::now();
    let again = app.ingest(&actor(), &paths, u64::MAX, &mut |_, _, _, _| {}).await.expect("ingest");
    let secs = started.elapsed().as_secs_f64();
    assert_eq!((again.new, again.unchanged), (0, batch.documents));
    println!(
        "{label:<9} again  {:>6} documents, all unchanged {:>7.2} s {:>6.0} documents/s",
        batch.documents,
        secs,
        batch.documents as f64 / secs
    );

    let all = SearchQuery { limit: MAX_LIMIT, ..SearchQuery::new(CHECKED) };
    let hits = app.search(&all).expect("a valid query");
    assert_eq!(hits.len(), batch.checked.min(MAX_LIMIT), "every document with {CHECKED}");
    assert!(hits.iter().all(|h| !h.highlights.is_empty()));
    search_latency(label, &app, searches);
}

fn search_latency(label: &str, app: &App, n: usize) {
    let queries: Vec<SearchQuery> =
        (0..n).map(|i| SearchQuery::new(SEARCHES[i % SEARCHES.len()])).collect();
    for q in queries.iter().take(50) {
        app.search(q).expect("a valid query");
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(queries.len());
    let mut empty = 0;
    for q in &queries {
        let started = Instant::now();
        let hits = app.search(q).expect("a valid query");
        latencies.push(started.elapsed());
        empty += usize::from(hits.is_empty());
    }
    assert!(empty < queries.len() / 4, "most searches find something ({empty} found nothing)");
    latencies.sort_unstable();
    let ms = |p: f64| {
        let i = ((latencies.len() as f64 - 1.0) * p).round() as usize;
        latencies[i].as_secs_f64() * 1000.0
    };
    let verdict = if ms(0.99) < GOAL_P99_MS { "met" } else { "MISSED" };
    println!(
        "{label:<9} search {} queries (10 hits, snippets): p50 {:.2} ms, p90 {:.2} ms, \
         p99 {:.2} ms, max {:.2} ms; goal p99 < {GOAL_P99_MS} ms {verdict}",
        queries.len(),
        ms(0.5),
        ms(0.9),
        ms(0.99),
        ms(1.0)
    );
}

/// A fresh PostgreSQL database for the run: its URL, and the admin connection and name to
/// drop it with. `None`, with a message, when PostgreSQL is to be skipped.
async fn postgres_database() -> Option<(String, sqlx::AnyConnection, String)> {
    if std::env::var("TAIZHANG_SKIP_POSTGRES").as_deref() == Ok("1") {
        println!("postgres: skipped (TAIZHANG_SKIP_POSTGRES=1)");
        return None;
    }
    sqlx::any::install_default_drivers();
    let admin = std::env::var("TAIZHANG_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    let mut conn = match sqlx::AnyConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(e) => {
            println!("postgres: skipped, {admin} is unreachable ({e})");
            return None;
        }
    };
    let name = format!("tz_bench_app_{}", std::process::id());
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("creating the bench database");
    let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
    Some((format!("{base}/{name}"), conn, name))
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` does not.
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full {
        std::env::var("TAIZHANG_BENCH_DOCS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(DEFAULT_DOCS)
    } else {
        SMOKE_DOCS
    };
    let batch = write_batch(n);
    println!(
        "{} files, {:.1} MB, {} facts; read, extract, store and index, one document at a time",
        batch.documents,
        batch.bytes as f64 / 1e6,
        batch.facts
    );
    let searches = if full { QUERIES } else { SEARCHES.len() };
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let db = dir.path().join("bench.sqlite").display().to_string();
        run("sqlite", &db, &dir.path().join("sqlite.index"), &batch, searches).await;
        if !full {
            return;
        }
        if let Some((url, mut admin, name)) = postgres_database().await {
            run("postgres", &url, &dir.path().join("postgres.index"), &batch, searches).await;
            admin
                .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
                .await
                .expect("dropping the bench database");
        }
    });
}

/// The bench acts as the command line.
fn actor() -> taizhang_app::auth::Actor {
    taizhang_app::auth::Actor::command_line()
}
