//! What only SQLite needs: its URLs and its connection settings.

use std::path::Path;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::{Error, Result};

/// Readers run in parallel under WAL.
const MAX_READERS: u32 = 8;

/// A SQLite database to open: the sqlx URL and the file behind it.
#[derive(Debug)]
pub(crate) struct Target {
    /// The URL handed to sqlx, with `mode=rwc` so that the file is created.
    pub url: String,
    /// The file, or `None` for `:memory:`.
    pub path: Option<String>,
}

/// Reads `sqlite:PATH`, `sqlite://PATH` (either with `?params`) or a bare path.
///
/// sqlx parses the URL with the `url` crate before SQLite sees it, which would read a
/// relative `sqlite://dir/file` as a host name; so the URL is rebuilt from the decoded
/// path as `sqlite:dir/file` (kept verbatim) or `sqlite:///abs/file` (where `a/../b`
/// becomes `b`, which names the same file unless `a` is a symbolic link).
pub(crate) fn target(url: &str) -> Result<Target> {
    let bad = |reason: &str| Error::BadUrl { url: url.to_owned(), reason: reason.to_owned() };
    let (path, params) = match url.strip_prefix("sqlite:") {
        Some(rest) => {
            let rest = rest.strip_prefix("//").unwrap_or(rest);
            let (path, params) = match rest.split_once('?') {
                Some((path, params)) => (path, Some(params)),
                None => (rest, None),
            };
            let path = percent_decode(path).ok_or_else(|| bad("invalid %-escape in the path"))?;
            (path, params)
        }
        None => (url.to_owned(), None),
    };
    if path.is_empty() {
        return Err(bad("no file name; use sqlite:PATH or a path"));
    }
    let (mut sqlx_url, path) = if path == ":memory:" {
        ("sqlite::memory:".to_owned(), None)
    } else if path.starts_with('/') {
        (format!("sqlite://{}", percent_encode(&path)), Some(path))
    } else {
        (format!("sqlite:{}", percent_encode(&path)), Some(path))
    };
    let has_mode = params.is_some_and(|p| p.split('&').any(|kv| kv.starts_with("mode=")));
    let mode = if has_mode || path.is_none() { "" } else { "mode=rwc" };
    match (params.filter(|p| !p.is_empty()), mode) {
        (Some(p), "") => sqlx_url = format!("{sqlx_url}?{p}"),
        (Some(p), mode) => sqlx_url = format!("{sqlx_url}?{p}&{mode}"),
        (None, "") => {}
        (None, mode) => sqlx_url = format!("{sqlx_url}?{mode}"),
    }
    Ok(Target { url: sqlx_url, path })
}

/// Escapes what a URL parser would read as syntax or drop: `%`, `?`, `#`, spaces, controls.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' | '?' | '#' | ' ' => out.push_str(&format!("%{:02X}", c as u32)),
            c if c.is_control() && c.is_ascii() => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes; `None` if one is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Opens the pools: creates the parent directories, sets WAL, and sets the busy timeout,
/// foreign keys and cache size on every connection. Returns a pool of readers and a pool
/// of one writer.
///
/// SQLite has one writer at a time anyway. Giving it one connection of its own queues
/// writers in the process instead of letting them poll the file lock, and keeps that
/// connection's page cache warm: a cache is dropped whenever another connection has
/// written, which made every put re-read its index pages. Other processes still wait on the
/// busy timeout.
pub(crate) async fn connect(target: &Target) -> Result<(AnyPool, AnyPool)> {
    if let Some(parent) = target.path.as_deref().and_then(|p| Path::new(p).parent())
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|source| Error::Io { path: parent.display().to_string(), source })?;
    }
    let options = || {
        AnyPoolOptions::new().after_connect(|conn, _meta| {
            Box::pin(async move {
                // The Any driver re-reads the URL for every connection, so these settings
                // cannot come from SqliteConnectOptions.
                conn.execute(sqlx::raw_sql(PRAGMAS)).await?;
                Ok(())
            })
        })
    };
    if target.path.is_none() {
        // Each connection to `:memory:` would get a database of its own: keep exactly one,
        // forever, for reading and writing.
        let pool = options()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect(&target.url)
            .await?;
        return Ok((pool.clone(), pool));
    }
    let writer = options()
        .max_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(Duration::from_secs(60))
        .connect(&target.url)
        .await?;
    // WAL lets readers read while one writer writes. The mode is stored in the file, so it
    // is set once here rather than per connection: changing it needs a lock that the busy
    // timeout does not wait for.
    writer.execute("PRAGMA journal_mode = WAL").await?;
    let readers = options()
        .max_connections(MAX_READERS)
        .acquire_timeout(Duration::from_secs(30))
        .connect(&target.url)
        .await?;
    Ok((readers, writer))
}

/// Run on every new connection. The busy timeout is how long a connection waits for
/// another process's write lock before failing. `synchronous = NORMAL` is safe in WAL
/// mode: a power cut may lose the last commits, never corrupt the file. Checkpoints every
/// 64 MiB of WAL rather than 4 MiB: each one syncs the file. The cache is 32 MiB.
const PRAGMAS: &str = concat!(
    "PRAGMA busy_timeout = 5000; ",
    "PRAGMA foreign_keys = ON; ",
    "PRAGMA synchronous = NORMAL; ",
    "PRAGMA wal_autocheckpoint = 16384; ",
    "PRAGMA cache_size = -32768; ",
    "PRAGMA temp_store = MEMORY;"
);

#[cfg(test)]
mod tests {
    use super::target;

    #[track_caller]
    fn check(url: &str, sqlx_url: &str, path: Option<&str>) {
        let t = target(url).expect("a valid url");
        assert_eq!(t.url, sqlx_url);
        assert_eq!(t.path.as_deref(), path);
    }

    #[test]
    fn urls() {
        check("data/tz.db", "sqlite:data/tz.db?mode=rwc", Some("data/tz.db"));
        check("Data/../tz.db", "sqlite:Data/../tz.db?mode=rwc", Some("Data/../tz.db"));
        check("/tmp/a b.db", "sqlite:///tmp/a%20b.db?mode=rwc", Some("/tmp/a b.db"));
        check("sqlite:tz", "sqlite:tz?mode=rwc", Some("tz"));
        check("sqlite:///srv/tz", "sqlite:///srv/tz?mode=rwc", Some("/srv/tz"));
        check("sqlite://tz?mode=ro", "sqlite:tz?mode=ro", Some("tz"));
        check("sqlite://tz?cache=private", "sqlite:tz?cache=private&mode=rwc", Some("tz"));
        check("sqlite::memory:", "sqlite::memory:", None);
        check("what?100%", "sqlite:what%3F100%25?mode=rwc", Some("what?100%"));
        check("sqlite://a%20b", "sqlite:a%20b?mode=rwc", Some("a b"));
    }

    #[test]
    fn bad_urls() {
        assert!(target("sqlite:").is_err());
        assert!(target("sqlite://").is_err());
        assert!(target("sqlite://bad%zz").is_err());
    }
}
