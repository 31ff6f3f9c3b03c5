//! taizhang-store: documents, their facts, outline and terms, and the region gazetteer, in
//! SQLite (one file, the default) or PostgreSQL (many users, several app servers).
//!
//! One schema, two sets of migrations (`migrations/sqlite`, `migrations/postgres`) applied
//! on open, and one code path: every query goes through the sqlx `Any` driver with `$N`
//! placeholders. The store knows nothing of HTTP, search or the index; `app` sequences it
//! with them.
//!
//! ```
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! use taizhang_extract::{extract, Format};
//! use taizhang_store::{Change, NewDocument, Outcome, Store};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let store = Store::open(&dir.path().join("taizhang.db").display().to_string()).await.unwrap();
//! let bytes = "某市2025年政府工作报告\n预计地区生产总值增长6%左右。\n".as_bytes();
//! let extracted = extract(bytes, Format::Text);
//! let doc = NewDocument {
//!     name: "report.txt",
//!     media_type: "text/plain",
//!     original: bytes,
//!     extracted: &extracted,
//!     extractor_version: "1",
//! };
//! let change = Change::new("命令行", "document.upload", "document", "");
//! let put = store.put_document(doc, &change).await.unwrap();
//! assert_eq!(put.outcome, Outcome::New);
//! assert_eq!(store.put_document(doc, &change).await.unwrap().outcome, Outcome::Unchanged);
//! let stored = store.document(put.id).await.unwrap().unwrap();
//! assert_eq!(stored.extracted.text, extracted.text);
//! # });
//! ```
#![warn(missing_docs)]

mod assessment;
mod audit;
mod documents;
mod error;
mod facts;
mod ledger;
mod migrations;
mod model;
mod postgres;
mod projects;
mod regions;
mod sql;
mod sqlite;
mod users;

use sqlx::AnyPool;

pub use assessment::{NewRun, NewScheme, RunRow, SchemeRow};
pub use audit::{AuditFilter, AuditOutcome, AuditRow, Change};
pub use error::{Error, Result};
pub use ledger::{
    AttachmentRow, MAX_ATTACHMENT_BYTES, NewAttachment, NewReport, ReportRow, Task, TaskFilter,
    TaskRow, TaskSource, TaskStatus,
};
pub use model::*;
pub use sql::timestamp;
pub use users::{NewUser, Role, SessionRow, UserRow, UserUpdate};

/// The largest original, and the largest extracted text, the store accepts: 64 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 64 << 20;

/// A handle on the database. Cheap to clone; clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    /// For reading.
    pool: AnyPool,
    /// For transactions that write: the same pool on PostgreSQL, one connection on SQLite
    /// (see `sqlite::connect`).
    writer: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the store at `url`, creating the database file (SQLite) or the tables
    /// (both) on first use, and brings the schema and the regions up to date.
    ///
    /// `postgres://…` and `postgresql://…` name a PostgreSQL database, which must exist.
    /// `sqlite:PATH`, `sqlite://PATH` or a bare path name a SQLite file; its directory is
    /// created if missing. `sqlite::memory:` is a private in-memory database.
    pub async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (pool, writer, backend) =
            if url.starts_with("postgres://") || url.starts_with("postgresql://") {
                let pool = postgres::connect(url).await?;
                (pool.clone(), pool, Backend::Postgres)
            } else if let Some((scheme, _)) = url.split_once("://")
                && scheme != "sqlite"
                && !scheme.contains(['/', '\\'])
            {
                return Err(Error::BadUrl {
                    url: url.to_owned(),
                    reason: format!(
                        "unknown scheme {scheme:?}; use postgres://…, sqlite:PATH or a file path"
                    ),
                });
            } else {
                let (readers, writer) = sqlite::connect(&sqlite::target(url)?).await?;
                (readers, writer, Backend::Sqlite)
            };
        let store = Store { pool, writer, backend };
        store.migrate().await?;
        store.load_regions().await?;
        store.analyze().await?;
        Ok(store)
    }

    /// Refreshes the statistics the query planner chooses indexes by. SQLite has none
    /// until asked, and without them it may filter the facts of a year through the index
    /// on (year, value) and sort them, where walking them in document order stops at the
    /// page's end. [`Store::open`] does this, and ingest after a batch; on SQLite it
    /// samples at most a few hundred rows per index, so it takes milliseconds.
    pub async fn analyze(&self) -> Result<()> {
        let mut conn = self.writer.acquire().await?;
        match self.backend {
            Backend::Sqlite => {
                sqlx::query("PRAGMA analysis_limit = 400").execute(&mut *conn).await?;
                sqlx::query("ANALYZE").execute(&mut *conn).await?;
            }
            Backend::Postgres => {
                sqlx::query("ANALYZE documents, facts").execute(&mut *conn).await?;
            }
        }
        Ok(())
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the migrations not yet applied. [`Store::open`] does this; running it again
    /// does nothing.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => migrations::SQLITE_MIGRATOR.run(&self.writer).await?,
            Backend::Postgres => migrations::POSTGRES_MIGRATOR.run(&self.writer).await?,
        }
        Ok(())
    }

    /// Closes every connection; waits for the ones in use to come back.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`), so that a transaction which read first cannot fail to upgrade.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }
}

/// The prefix of a region code that its descendants share: `520000` → `52`, `520300` →
/// `5203`, `520304` → `520304`. Use it as [`DocumentFilter::region_prefix`] or
/// [`FactFilter::region_prefix`] to take in a region and everything below it.
pub fn region_prefix(code: &str) -> &str {
    let mut prefix = code;
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix
}
