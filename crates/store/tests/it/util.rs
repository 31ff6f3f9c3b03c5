//! The harness behind `storetest!`: fresh databases, fixtures, cleanup.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{Connection, Executor};
use taizhang_extract::{Extracted, Format, extract};
use taizhang_store::{Backend, NewDocument, Put, Store};

/// Defines `mod $name { sqlite, postgres }` running `async fn $name(db: TestDb)` on each
/// backend.
macro_rules! storetest {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                crate::util::run(taizhang_store::Backend::Sqlite, super::$name).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                crate::util::run(taizhang_store::Backend::Postgres, super::$name).await
            }
        }
    };
}

/// A fresh, empty store and the URL it was opened with.
pub struct TestDb {
    /// The store, opened and migrated.
    pub store: Store,
    /// The URL, to open the same database again.
    pub url: String,
}

/// The server the PostgreSQL tests create their databases on.
fn admin_url() -> String {
    std::env::var("TAIZHANG_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    format!("{}/{name}{query}", &base[..host_end])
}

fn unique_name() -> String {
    static SEQ: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    format!("tz_test_{}_{}_{nanos}", std::process::id(), SEQ.fetch_add(1, Ordering::Relaxed))
}

/// Runs `test` on a fresh database of `backend`, then removes the database, also when the
/// test panics.
pub async fn run<F, Fut>(backend: Backend, test: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    match backend {
        Backend::Sqlite => {
            let dir = tempfile::tempdir().expect("a temporary directory");
            let url = dir.path().join("taizhang.db").display().to_string();
            let store = Store::open(&url).await.expect("opening a fresh SQLite store");
            let outcome = tokio::spawn(test(TestDb { store, url })).await;
            drop(dir);
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
        Backend::Postgres => {
            sqlx::any::install_default_drivers();
            let admin = admin_url();
            let mut conn = match sqlx::AnyConnection::connect(&admin).await {
                Ok(conn) => conn,
                Err(e) if std::env::var("TAIZHANG_SKIP_POSTGRES").as_deref() == Ok("1") => {
                    eprintln!("skipped: PostgreSQL at {admin} is unreachable ({e})");
                    return;
                }
                Err(e) => panic!(
                    "PostgreSQL at {admin} is unreachable: {e}\n\
                     start it, point TAIZHANG_TEST_POSTGRES at one, \
                     or set TAIZHANG_SKIP_POSTGRES=1 to skip the PostgreSQL tests"
                ),
            };
            let name = unique_name();
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .expect("creating the test database");
            let url = with_database(&admin, &name);
            let outcome = match Store::open(&url).await {
                Ok(store) => tokio::spawn(test(TestDb { store, url })).await,
                Err(e) => tokio::spawn(async move { panic!("opening {url}: {e}") }).await,
            };
            conn.execute(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .await
            .expect("dropping the test database");
            if let Err(e) = outcome {
                std::panic::resume_unwind(e.into_panic());
            }
        }
    }
}

/// A small fictional work report of 播州区 for 2025.
pub const REPORT_2025: &str = "2025年遵义市播州区政府工作报告\n\
一、2024年工作回顾\n\
过去一年，全区地区生产总值完成520亿元，增长6.5%；城镇化率达到58.2%。\n\
二、2025年主要目标\n\
全区地区生产总值增长6%左右，规模以上工业增加值增长8%以上，城镇居民人均可支配收入增长6%。\n\
深入实施“三大工程”。“三大工程”是指强基工程、富民工程和惠民工程。\n";

/// A small fictional work report of 汇川区 for 2024.
pub const REPORT_2024: &str = "2024年遵义市汇川区政府工作报告\n\
一、2023年工作回顾\n\
全区地区生产总值达到700亿元，增长5.5%。\n\
二、2024年主要目标\n\
地区生产总值增长6.5%，固定资产投资增长10%。\n";

/// A small fictional five-year plan outline of 遵义市.
pub const PLAN: &str = "遵义市国民经济和社会发展第十五个五年规划纲要\n\
第一章 发展目标\n\
到2030年，全市地区生产总值达到6000亿元左右，常住人口城镇化率达到65%。\n";

/// The extraction of `text`.
pub fn extracted(text: &str) -> Extracted {
    extract(text.as_bytes(), Format::Text)
}

/// Puts `text` as a plain-text document extracted by `version`.
pub async fn put(store: &Store, name: &str, text: &str, version: &str) -> Put {
    let extracted = extracted(text);
    store
        .put_document(
            NewDocument {
                name,
                media_type: "text/plain",
                original: text.as_bytes(),
                extracted: &extracted,
                extractor_version: version,
            },
            &by(),
        )
        .await
        .expect("put_document")
}

#[test]
fn database_urls() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
        "postgres://postgres@127.0.0.1:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@db/test?sslmode=disable", "x"),
        "postgres://u:p@db/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://db", "x"), "postgres://db/x");
}

/// A change by the tests, for the audit log every write records.
pub fn by() -> taizhang_store::Change {
    taizhang_store::Change::new("测试", "test", "", "")
}
