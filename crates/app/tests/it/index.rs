//! The search index follows the store: ingest adds to it, delete removes from it, a write
//! it did not see makes it rebuild, and an index that is up to date is kept at open.

use crate::actor;
use std::path::{Path, PathBuf};

use taizhang_app::App;
use taizhang_app::ingest::{FileOutcome, Summary};
use taizhang_extract::{EXTRACTOR_VERSION, Format, extract};
use taizhang_index::SearchQuery;
use taizhang_store::{NewDocument, Store};

/// A work report that names `county` in its title and in one sentence.
fn report(county: &str) -> String {
    format!(
        "2025年{county}政府工作报告\n二、2025年工作安排\n{county}地区生产总值增长6%左右，\
         全面推进乡村振兴。\n"
    )
}

/// `names` written as work reports into `dir`; their paths.
fn write_reports(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|name| {
            let path = dir.join(format!("{name}.txt"));
            std::fs::write(&path, report(name)).expect("a file is written");
            path
        })
        .collect()
}

async fn ingest(app: &App, paths: &[PathBuf]) -> (Summary, Vec<i64>) {
    let mut ids = Vec::new();
    let summary = app
        .ingest(&actor(), paths, 1 << 20, &mut |_, _, _, outcome| {
            if let FileOutcome::New { id, .. } = outcome {
                ids.push(*id);
            }
        })
        .await
        .expect("ingest runs");
    (summary, ids)
}

/// The ids of the documents found for `text`, sorted.
#[track_caller]
fn found(app: &App, text: &str) -> Vec<i64> {
    let query = SearchQuery { limit: 100, ..SearchQuery::new(text) };
    let mut ids: Vec<i64> = app.search(&query).expect("searches").iter().map(|h| h.id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test]
async fn ingest_then_delete_keeps_search_consistent_and_reopening_keeps_the_index() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let files = write_reports(dir.path(), &["甲县", "乙县", "丙县"]);

    let app = App::open(&db).await.expect("the app opens");
    assert_eq!(app.rebuilt_on_open(), Some(0), "a new index is built, empty");
    let (summary, ids) = ingest(&app, &files).await;
    assert_eq!(summary.new, 3);
    assert_eq!(summary.reindexed, None, "the index followed the batch");
    assert_eq!(app.sync_index().await.expect("syncs"), None, "its stamp is the generation");
    assert_eq!(found(&app, "乡村振兴"), ids);
    assert_eq!(found(&app, "乙县"), [ids[1]]);

    app.delete_document(&actor(), ids[1]).await.expect("deletes");
    assert_eq!(found(&app, "乙县"), Vec::<i64>::new(), "gone from search at once");
    assert_eq!(found(&app, "乡村振兴"), [ids[0], ids[2]]);
    assert_eq!(app.store().document_count().await.expect("counts"), 2);
    assert_eq!(app.sync_index().await.expect("syncs"), None, "the delete was followed");
    let err = app.delete_document(&actor(), ids[1]).await.expect_err("deleted already");
    assert!(matches!(err, taizhang_app::Error::Store(taizhang_store::Error::NotFound { .. })));

    // Ingesting the batch again stores the deleted document anew, under a new id.
    let (again, new_ids) = ingest(&app, &files).await;
    assert_eq!((again.new, again.unchanged, again.reindexed), (1, 2, None));
    assert!(new_ids[0] > ids[2]);
    assert_eq!(found(&app, "乙县"), new_ids);
    drop(app);

    let app = App::open(&db).await.expect("the app opens again");
    assert_eq!(app.rebuilt_on_open(), None, "an index that is up to date is kept");
    assert_eq!(found(&app, "乡村振兴"), [ids[0], ids[2], new_ids[0]]);
    drop(app);

    // A missing index is rebuilt at open.
    std::fs::remove_dir_all(taizhang_app::location::index_dir(&db)).expect("removes the index");
    let app = App::open(&db).await.expect("the app opens a third time");
    assert_eq!(app.rebuilt_on_open(), Some(3));
    assert_eq!(found(&app, "乡村振兴"), [ids[0], ids[2], new_ids[0]]);
}

#[tokio::test]
async fn a_write_the_index_did_not_follow_makes_it_rebuild() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    let (_, first) = ingest(&app, &write_reports(dir.path(), &["甲县"])).await;

    // Another writer (another process, or another server on the same PostgreSQL database)
    // stores a document behind the app's back.
    let other = Store::open(&db).await.expect("a second handle on the database");
    let text = report("丁县");
    let extracted = extract(text.as_bytes(), Format::Text);
    let put = other
        .put_document(
            NewDocument {
                name: "丁县.txt",
                media_type: "text/plain",
                original: text.as_bytes(),
                extracted: &extracted,
                extractor_version: EXTRACTOR_VERSION,
            },
            &taizhang_store::Change::new("另一个进程", "document.upload", "document", ""),
        )
        .await
        .expect("stored");
    other.close().await;
    assert_eq!(found(&app, "丁县"), Vec::<i64>::new(), "not seen yet");

    let (summary, second) = ingest(&app, &write_reports(dir.path(), &["乙县"])).await;
    assert_eq!(summary.new, 1);
    assert_eq!(summary.reindexed, Some(3), "the index could not follow, so it was rebuilt");
    assert_eq!(found(&app, "乡村振兴"), [first[0], put.id, second[0]]);
    assert_eq!(app.sync_index().await.expect("syncs"), None);
}
