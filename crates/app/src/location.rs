//! Where the database and the search index live by default.
//!
//! The database is a SQLite file in the user's data directory unless `--db` or
//! `TAIZHANG_DB` names another file or a PostgreSQL URL. The search index is derived data
//! and lives beside the database: `taizhang.sqlite.index/` next to a SQLite file, and a
//! folder named after the server and database in the data directory for PostgreSQL.

use std::path::{Path, PathBuf};

/// The data directory: `$XDG_DATA_HOME/taizhang`, `~/.local/share/taizhang`, or
/// `%APPDATA%\taizhang` on Windows; `./taizhang-data` when none of those is set.
pub fn data_dir() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")))
        .or_else(|| std::env::var_os("APPDATA").map(PathBuf::from));
    match base {
        Some(base) => base.join("taizhang"),
        None => PathBuf::from("taizhang-data"),
    }
}

/// The default database: a SQLite file in the data directory.
pub fn default_db() -> String {
    data_dir().join("taizhang.sqlite").display().to_string()
}

/// Whether a database URL names PostgreSQL.
pub fn is_postgres(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

/// The SQLite file a database URL names, if it names one.
pub fn sqlite_path(db: &str) -> Option<PathBuf> {
    if is_postgres(db) {
        return None;
    }
    let path = db.strip_prefix("sqlite://").or_else(|| db.strip_prefix("sqlite:")).unwrap_or(db);
    Some(PathBuf::from(path))
}

/// The search index folder for a database.
pub fn index_dir(db: &str) -> PathBuf {
    match sqlite_path(db) {
        Some(file) => {
            let mut name = file.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(".index");
            file.with_file_name(name)
        }
        None => {
            // postgres://user:secret@host:port/db → host_port_db, without the credentials.
            let rest = db.split_once("://").map_or(db, |(_, r)| r);
            let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
            let rest = rest.split('?').next().unwrap_or(rest);
            let name: String = rest
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
                .collect();
            data_dir().join(format!("index-postgres-{name}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_sits_beside_the_database() {
        assert_eq!(index_dir("sqlite:/tmp/a/tz.sqlite"), PathBuf::from("/tmp/a/tz.sqlite.index"));
        assert_eq!(index_dir("/tmp/b.db"), PathBuf::from("/tmp/b.db.index"));
        let pg = index_dir("postgres://postgres:pw@127.0.0.1:5432/test?sslmode=disable");
        assert_eq!(
            pg.file_name().and_then(|n| n.to_str()),
            Some("index-postgres-127_0_0_1_5432_test")
        );
        assert!(!pg.display().to_string().contains("pw"), "credentials stay out of paths");
    }

    #[test]
    fn urls_are_told_apart() {
        assert!(is_postgres("postgresql://h/db"));
        assert_eq!(sqlite_path("sqlite://x.sqlite"), Some(PathBuf::from("x.sqlite")));
        assert_eq!(sqlite_path("postgres://h/db"), None);
    }
}
