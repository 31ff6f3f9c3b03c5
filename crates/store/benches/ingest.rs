//! Ingest throughput: puts ≥ 3,000 extracted documents into SQLite and into PostgreSQL
//! and prints documents/s and MB/s (of original bytes) for each.
//!
//! `cargo bench -p taizhang-store --bench ingest`. The documents are the shared corpus's
//! `docs` and `extra` texts (`TAIZHANG_CORPUS`, or the first `shared/corpus` above the
//! crate), each repeated with a numbered suffix so that every copy is a new document; with
//! no corpus, generated text. Extraction happens before the clock starts. PostgreSQL is the
//! server of `TAIZHANG_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`),
//! in a database created for the run and dropped after it; it is skipped with a message if
//! unreachable. `TAIZHANG_BENCH_DOCS` sets the number of documents.
//!
//! The bench asserts what it stored, so it cannot measure a wrong answer fast.

#[path = "support/corpus.rs"]
mod corpus;

use std::time::Instant;

use sqlx::{Connection, Executor};
use taizhang_extract::{Extracted, Format, extract};
use taizhang_store::{DocumentFilter, NewDocument, Outcome, Store};

const DEFAULT_DOCS: usize = 3_000;

/// The base texts: the corpus, or generated work reports.
fn base_texts() -> Vec<(String, String)> {
    let mut texts = corpus::texts();
    if texts.is_empty() {
        println!("corpus: none; generated text");
        for i in 0..20 {
            let mut text = format!("{}年遵义市播州区政府工作报告\n一、工作回顾\n", 2010 + i);
            for j in 0..300 {
                text.push_str(&format!(
                    "第{j}项重点工作完成投资{}.{}亿元，增长{}.5%，城镇化率达到{}%左右。\n",
                    j % 90 + 1,
                    j % 10,
                    j % 12,
                    40 + j % 30
                ));
            }
            texts.push((format!("generated_{i}.txt"), text));
        }
    }
    texts
}

struct Doc {
    name: String,
    text: String,
    extracted: Extracted,
}

fn documents(n: usize) -> Vec<Doc> {
    let base = base_texts();
    (0..n)
        .map(|i| {
            let (name, text) = &base[i % base.len()];
            let text = format!("{text}\n（第{i}份副本）\n");
            let extracted = extract(text.as_bytes(), Format::Text);
            Doc { name: format!("{i}_{name}"), text, extracted }
        })
        .collect()
}

/// Puts every document with `tasks` concurrent writers; returns the seconds taken.
async fn ingest(store: &Store, docs: &'static [Doc], tasks: usize) -> f64 {
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                for doc in docs.iter().skip(t).step_by(tasks) {
                    let put = store
                        .put_document(
                            NewDocument {
                                name: &doc.name,
                                media_type: "text/plain",
                                original: doc.text.as_bytes(),
                                extracted: &doc.extracted,
                                extractor_version: "bench",
                            },
                            &by(),
                        )
                        .await
                        .expect("put_document");
                    assert_eq!(put.outcome, Outcome::New);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("ingest task");
    }
    started.elapsed().as_secs_f64()
}

async fn measure(label: &str, store: &Store, docs: &'static [Doc], tasks: usize) {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let facts: usize = docs.iter().map(|d| d.extracted.facts.len()).sum();
    let secs = ingest(store, docs, tasks).await;
    println!(
        "{label:<28} {:>6} documents {:>8} facts {:>7.2} s {:>8.0} documents/s {:>6.1} MB/s",
        docs.len(),
        facts,
        secs,
        docs.len() as f64 / secs,
        bytes as f64 / 1e6 / secs
    );
    assert_eq!(store.document_count().await.expect("count"), docs.len() as i64);
    let listed = store.documents(&DocumentFilter::default()).await.expect("documents");
    let stored: i64 = listed.iter().map(|d| d.fact_count).sum();
    assert_eq!(stored, facts as i64, "every fact stored");
}

async fn postgres_admin() -> Option<(sqlx::AnyConnection, String)> {
    sqlx::any::install_default_drivers();
    let admin = std::env::var("TAIZHANG_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
    match sqlx::AnyConnection::connect(&admin).await {
        Ok(conn) => Some((conn, admin)),
        Err(e) => {
            println!("postgres: skipped, {admin} is unreachable ({e})");
            None
        }
    }
}

fn main() {
    let n = std::env::var("TAIZHANG_BENCH_DOCS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_DOCS);
    let started = Instant::now();
    let docs: &'static [Doc] = Vec::leak(documents(n));
    let mb: f64 = docs.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "extracted {n} documents ({mb:.1} MB) in {:.1} s (not counted below)",
        started.elapsed().as_secs_f64()
    );

    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(&dir.path().join("bench.db").display().to_string())
            .await
            .expect("opening SQLite");
        measure("sqlite, 1 writer", &store, docs, 1).await;
        store.close().await;
        let store = Store::open(&dir.path().join("bench4.db").display().to_string())
            .await
            .expect("opening SQLite");
        measure("sqlite, 4 tasks", &store, docs, 4).await;
        store.close().await;

        if std::env::var_os("TAIZHANG_BENCH_SQLITE_ONLY").is_some() {
            return;
        }
        if let Some((mut admin, url)) = postgres_admin().await {
            for tasks in [1, 4] {
                let name = format!("tz_bench_{}_{tasks}", std::process::id());
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("creating the bench database");
                let base = url.rsplit_once('/').map_or(url.as_str(), |(base, _)| base);
                let store =
                    Store::open(&format!("{base}/{name}")).await.expect("opening PostgreSQL");
                measure(&format!("postgres, {tasks} task(s)"), &store, docs, tasks).await;
                store.close().await;
                admin
                    .execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
                    .await
                    .expect("dropping the bench database");
            }
        }
    });
}

/// A change by the bench, for the audit log.
fn by() -> taizhang_store::Change {
    taizhang_store::Change::new("bench", "document.upload", "document", "")
}
