//! Opening stores: URLs, migrations, the gazetteer.

use taizhang_extract::region;
use taizhang_store::{Backend, Error, Store};

use crate::util::TestDb;

storetest!(migrations_apply_twice_without_harm);
async fn migrations_apply_twice_without_harm(db: TestDb) {
    crate::util::put(&db.store, "a.txt", crate::util::REPORT_2025, "1").await;
    db.store.migrate().await.expect("migrating again");
    db.store.close().await;
    let again = Store::open(&db.url).await.expect("reopening");
    again.migrate().await.expect("migrating a third time");
    assert_eq!(again.document_count().await.expect("count"), 1);
    assert_eq!(
        again.regions().await.expect("regions").len(),
        region::all().count(),
        "reopening neither loses nor duplicates regions"
    );
}

storetest!(backend_is_the_one_asked_for);
async fn backend_is_the_one_asked_for(db: TestDb) {
    let expected = if db.url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite };
    assert_eq!(db.store.backend(), expected);
}

#[tokio::test]
async fn sqlite_file_and_directories_are_created() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("a/b/taizhang.db");
    let relative = format!("target/tz-test-{}/Rel Dir/t.db", std::process::id());
    for url in [
        path.display().to_string(),
        relative.clone(),
        format!("sqlite://{}", relative.replace(' ', "%20")),
        format!("sqlite:{}", dir.path().join("c/t.db").display()),
        format!("sqlite://{}", dir.path().join("d/t.db").display()),
    ] {
        let store = Store::open(&url).await.expect("opening");
        assert_eq!(store.backend(), Backend::Sqlite);
        store.close().await;
    }
    assert!(path.is_file());
    assert!(dir.path().join("c/t.db").is_file());
    assert!(dir.path().join("d/t.db").is_file());
    // Relative to the working directory (the crate's, under `cargo test`), case kept.
    assert!(std::path::Path::new(&relative).is_file());
    std::fs::remove_dir_all(format!("target/tz-test-{}", std::process::id()))
        .expect("removing the relative test directory");
}

#[tokio::test]
async fn sqlite_in_memory_is_one_database() {
    let store = Store::open("sqlite::memory:").await.expect("opening");
    crate::util::put(&store, "a.txt", crate::util::REPORT_2025, "1").await;
    // A second connection to `:memory:` would see an empty database.
    for _ in 0..3 {
        assert_eq!(store.document_count().await.expect("count"), 1);
    }
}

#[tokio::test]
async fn bad_urls_are_user_errors() {
    for url in ["mysql://localhost/x", "sqlite:", "http://example.com/db"] {
        let err = Store::open(url).await.expect_err(url);
        assert!(matches!(err, Error::BadUrl { .. }), "{url}: {err}");
        assert!(err.is_user(), "{url}");
    }
}
