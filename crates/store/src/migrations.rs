//! The schema migrations of both backends, embedded in the binary.
//!
//! `sqlx::migrate!` would list the directories by itself, but it needs sqlx's `macros`
//! feature, which compiles sqlx and both drivers (bundled SQLite C code included) a second
//! time for the host. So each backend lists its files here instead, with the version and
//! description the macro would derive from the file name (`0001_documents.sql` → 1,
//! `documents`) and the same checksum, so that switching to the macro later is seamless.
//! A test checks that every file in the directories is listed.

use std::borrow::Cow;
use std::sync::LazyLock;

use sqlx::migrate::{Migration, MigrationType, Migrator};

/// One migration: version, description, SQL.
type Embedded = (i64, &'static str, &'static str);

/// `migrations/sqlite`, in order.
const SQLITE: &[Embedded] = &[
    (1, "documents", include_str!("../migrations/sqlite/0001_documents.sql")),
    (2, "generation", include_str!("../migrations/sqlite/0002_generation.sql")),
    (3, "original_in_text", include_str!("../migrations/sqlite/0003_original_in_text.sql")),
    (4, "ledger_indexes", include_str!("../migrations/sqlite/0004_ledger_indexes.sql")),
    (5, "ledger", include_str!("../migrations/sqlite/0005_ledger.sql")),
    (6, "year_value_index", include_str!("../migrations/sqlite/0006_year_value_index.sql")),
    (7, "projects", include_str!("../migrations/sqlite/0007_projects.sql")),
    (8, "assessment", include_str!("../migrations/sqlite/0008_assessment.sql")),
    (9, "users_audit", include_str!("../migrations/sqlite/0009_users_audit.sql")),
    (10, "project_stages", include_str!("../migrations/sqlite/0010_project_stages.sql")),
    (11, "project_entries", include_str!("../migrations/sqlite/0011_project_entries.sql")),
    (12, "scheme_inputs", include_str!("../migrations/sqlite/0012_scheme_inputs.sql")),
];

/// `migrations/postgres`, in order.
const POSTGRES: &[Embedded] = &[
    (1, "documents", include_str!("../migrations/postgres/0001_documents.sql")),
    (2, "generation", include_str!("../migrations/postgres/0002_generation.sql")),
    (3, "original_in_text", include_str!("../migrations/postgres/0003_original_in_text.sql")),
    (4, "ledger_indexes", include_str!("../migrations/postgres/0004_ledger_indexes.sql")),
    (5, "ledger", include_str!("../migrations/postgres/0005_ledger.sql")),
    (6, "year_value_index", include_str!("../migrations/postgres/0006_year_value_index.sql")),
    (7, "projects", include_str!("../migrations/postgres/0007_projects.sql")),
    (8, "assessment", include_str!("../migrations/postgres/0008_assessment.sql")),
    (9, "users_audit", include_str!("../migrations/postgres/0009_users_audit.sql")),
    (10, "project_stages", include_str!("../migrations/postgres/0010_project_stages.sql")),
    (11, "project_entries", include_str!("../migrations/postgres/0011_project_entries.sql")),
    (12, "scheme_inputs", include_str!("../migrations/postgres/0012_scheme_inputs.sql")),
];

/// The SQLite schema.
pub(crate) static SQLITE_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(SQLITE));

/// The PostgreSQL schema.
pub(crate) static POSTGRES_MIGRATOR: LazyLock<Migrator> = LazyLock::new(|| migrator(POSTGRES));

fn migrator(embedded: &[Embedded]) -> Migrator {
    Migrator::with_migrations(
        embedded
            .iter()
            .map(|&(version, description, sql)| {
                Migration::new(
                    version,
                    Cow::Borrowed(description),
                    MigrationType::Simple,
                    sqlx::SqlSafeStr::into_sql_str(sql),
                    false,
                )
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{Embedded, POSTGRES, SQLITE};

    #[track_caller]
    fn check(dir: &str, embedded: &[Embedded]) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
        let mut files: Vec<String> = std::fs::read_dir(&path)
            .expect("the migrations directory lists")
            .map(|e| e.expect("a directory entry").file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let listed: Vec<String> =
            embedded.iter().map(|(v, d, _)| format!("{v:04}_{d}.sql")).collect();
        assert_eq!(files, listed, "every file in migrations/{dir} is listed in migrations.rs");
        for ((_, _, sql), file) in embedded.iter().zip(&files) {
            let on_disk = std::fs::read_to_string(path.join(file)).expect("a migration reads");
            assert_eq!(*sql, on_disk);
        }
    }

    #[test]
    fn every_migration_file_is_embedded() {
        check("sqlite", SQLITE);
        check("postgres", POSTGRES);
    }
}
