//! `ingest`, `documents`, `facts` and `search` on a fresh SQLite database, as a user runs
//! them, including a process killed in the middle of a batch.

use std::path::{Path, PathBuf};

use crate::corpus;
use std::process::{Command, Output};
use std::time::Duration;

const DEMO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../demo/shili_gwr_2025.txt");

pub(crate) fn taizhang(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("taizhang runs")
}

#[track_caller]
pub(crate) fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("UTF-8 output")
}

/// A folder with the demo report, a variant of it, a misnamed PDF, an empty file and a
/// file that is not a document.
fn batch(dir: &Path) -> PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir_all(docs.join("sub")).expect("folders");
    let demo = std::fs::read_to_string(DEMO).expect("the demo document");
    std::fs::write(docs.join("demo.txt"), &demo).expect("write");
    std::fs::write(docs.join("sub/demo_2.txt"), demo.replace("示例市", "样例县")).expect("write");
    std::fs::write(docs.join("report.pdf"), "不是PDF").expect("write");
    std::fs::write(docs.join("empty.txt"), "").expect("write");
    std::fs::write(docs.join("notes.csv"), "a,b").expect("write");
    docs
}

#[test]
fn ingest_is_idempotent_and_reports_every_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite");
    let docs = batch(dir.path());
    let first = ok(&taizhang(&db, &["ingest", docs.to_str().expect("path")]));
    assert!(
        first.starts_with("2 new, 0 unchanged, 0 re-extracted, 2 failed, 1 skipped"),
        "{first}"
    );
    assert!(first.contains("report.pdf: named .pdf but the content is not a PDF"), "{first}");
    assert!(first.contains("empty.txt: the file is empty"), "{first}");
    assert!(first.contains("notes.csv: not a document taizhang reads"), "{first}");
    let second = ok(&taizhang(&db, &["ingest", docs.to_str().expect("path")]));
    assert!(second.starts_with("0 new, 2 unchanged"), "{second}");

    let listed: serde_json::Value =
        serde_json::from_str(&ok(&taizhang(&db, &["documents", "--format", "json"])))
            .expect("JSON");
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["title"], "2025年示例市政府工作报告");
    assert_eq!(listed[0]["kind"], "work_report");
    assert_eq!(listed[0]["date"], "2025-01-15");

    let facts: serde_json::Value = serde_json::from_str(&ok(&taizhang(
        &db,
        &["facts", "--indicator", "gdp_growth", "--kind", "target", "--format", "json"],
    )))
    .expect("JSON");
    let facts = facts.as_array().expect("an array");
    // Each report sets one GDP growth target: 6% 左右 for 2025.
    assert_eq!(facts.len(), 2, "{facts:?}");
    assert!(
        facts
            .iter()
            .all(|f| f["number"] == "6%" && f["qualifier"] == "approx" && f["year"] == 2025)
    );

    let csv = ok(&taizhang(&db, &["facts", "--year", "2024", "--format", "csv"]));
    assert!(csv.starts_with('\u{feff}'), "CSV starts with a BOM for Excel");
    assert!(csv.contains("1286.5亿元"), "{csv}");
}

#[test]
fn search_finds_the_phrase_with_a_snippet() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite");
    let docs = batch(dir.path());
    ok(&taizhang(&db, &["ingest", docs.to_str().expect("path")]));
    let hits: serde_json::Value =
        serde_json::from_str(&ok(&taizhang(&db, &["search", "样例县", "--format", "json"])))
            .expect("JSON");
    let hits = hits.as_array().expect("an array");
    assert_eq!(hits.len(), 1, "only the variant names 样例县: {hits:?}");
    assert!(hits[0]["snippet"].as_str().is_some_and(|s| s.contains("样例县")));
    let none: serde_json::Value =
        serde_json::from_str(&ok(&taizhang(&db, &["search", "示例县", "--format", "json"])))
            .expect("JSON");
    assert_eq!(none.as_array().map(Vec::len), Some(0), "示例 and 县 apart are not the phrase");
}

/// Kills `taizhang ingest` mid-batch, then checks that every stored document is whole and
/// that a second run completes the batch.
#[test]
fn a_killed_ingest_leaves_whole_documents_and_a_rerun_completes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite");
    let docs = dir.path().join("many");
    std::fs::create_dir_all(&docs).expect("a folder");
    let demo = std::fs::read_to_string(DEMO).expect("the demo document");
    let total = 400;
    for i in 0..total {
        // Distinct content, the same facts: each copy differs in a line of no figures.
        std::fs::write(docs.join(format!("{i:04}.txt")), format!("{demo}\n附：第{i}份。\n"))
            .expect("write");
    }
    let expected_facts = {
        let x = taizhang_extract::extract(demo.as_bytes(), taizhang_extract::Format::Text);
        x.facts.len() as i64
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_taizhang"))
        .arg("--db")
        .arg(&db)
        .args(["ingest", docs.to_str().expect("path")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("taizhang starts");
    // Wait until some documents are stored, then kill without warning. Commits go to the
    // write-ahead log; the database file itself only grows at a checkpoint, after some
    // 350 of these documents, which left a fast ingest little room to finish first.
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    let wal = dir.path().join("tz.sqlite-wal");
    let started = std::time::Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let stored = size(&db) + size(&wal) > 4_000_000;
        if stored || started.elapsed() > Duration::from_secs(20) {
            break;
        }
    }
    child.kill().expect("kill");
    child.wait().expect("reaped");

    let listed: serde_json::Value = serde_json::from_str(&ok(&taizhang(
        &db,
        &["documents", "--format", "json", "--limit", "10000"],
    )))
    .expect("JSON");
    let listed = listed.as_array().expect("an array");
    assert!(listed.len() < total, "the kill came before the end ({} stored)", listed.len());
    assert!(!listed.is_empty(), "the kill came after some documents were stored");
    for d in listed {
        assert_eq!(d["facts"].as_i64(), Some(expected_facts), "a stored document is whole: {d}");
    }
    let rerun = ok(&taizhang(&db, &["ingest", docs.to_str().expect("path")]));
    assert!(
        rerun.starts_with(&format!("{} new, {} unchanged", total - listed.len(), listed.len())),
        "{rerun}"
    );
    let all: serde_json::Value = serde_json::from_str(&ok(&taizhang(
        &db,
        &["documents", "--format", "json", "--limit", "10000"],
    )))
    .expect("JSON");
    assert_eq!(all.as_array().map(Vec::len), Some(total));
}

/// Issue 3's acceptance: the corpus ingested twice is stored once, 30 documents, and the
/// phrase 成渝地区双城经济圈 is found in exactly the documents that contain it.
#[test]
fn the_corpus_ingested_twice_is_stored_once_and_searchable() {
    let Some(corpus) = corpus() else {
        println!("skipped: no corpus (set TAIZHANG_CORPUS or put shared/corpus above the tree)");
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("corpus.sqlite");
    let (docs, extra) = (corpus.join("docs"), corpus.join("extra"));
    let args = ["ingest", docs.to_str().expect("UTF-8"), extra.to_str().expect("UTF-8")];
    ok(&taizhang(&db, &args));
    ok(&taizhang(&db, &args));
    let listed: serde_json::Value =
        serde_json::from_str(&ok(&taizhang(&db, &["documents", "--format", "json"])))
            .expect("JSON");
    let documents = listed.as_array().expect("an array").len();
    // What a document is: a file of a kind taizhang reads, counted once per content.
    let mut contents = std::collections::BTreeSet::new();
    for folder in [&docs, &extra] {
        for entry in std::fs::read_dir(folder).expect("the corpus lists") {
            let path = entry.expect("an entry").path();
            let readable = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["txt", "html", "htm", "docx", "pdf"].contains(&e));
            if readable {
                contents.insert(std::fs::read(&path).expect("readable"));
            }
        }
    }
    assert_eq!(documents, contents.len(), "each content stored once");
    assert_eq!(documents, 30, "the issue's count");

    let phrase = "成渝地区双城经济圈";
    let with_phrase =
        contents.iter().filter(|c| String::from_utf8_lossy(c).contains(phrase)).count();
    let hits: serde_json::Value = serde_json::from_str(&ok(&taizhang(
        &db,
        &["search", phrase, "--format", "json", "--limit", "50"],
    )))
    .expect("JSON");
    assert_eq!(hits.as_array().expect("hits").len(), with_phrase, "{hits:#}");
    assert_eq!(with_phrase, 5, "the issue's count");
}
