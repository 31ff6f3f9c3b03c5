//! The store's errors: what a user can fix, and what only an operator can.

use thiserror::Error;

/// `Result` with the store's [`Error`](enum@Error).
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in the store.
///
/// The first variants are *user* errors: the request was wrong and the message says how
/// ([`Error::is_user`] is true; a web front end answers 4xx). The rest are *internal*:
/// the database or the disk failed, and the details belong in the log (5xx).
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// The database URL is not one the store understands.
    #[error("bad database url {url:?}: {reason}")]
    BadUrl {
        /// The URL as given.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// Nothing with this id or code exists.
    #[error("{what} {id} not found")]
    NotFound {
        /// What was looked for: `document`, `region`, `task`.
        what: &'static str,
        /// The id or code asked for.
        id: String,
    },
    /// A document is larger than the store accepts.
    #[error("{what} is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// What is too large: `original`, `text`.
        what: &'static str,
        /// Its size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A region name matches several regions (`朝阳区` is in Beijing and in Changchun).
    #[error("region name {name:?} is ambiguous: {}", candidates.join(", "))]
    AmbiguousRegion {
        /// The name as given.
        name: String,
        /// The codes it could mean.
        candidates: Vec<String>,
    },
    /// The row is no longer what the caller read and decided on: read it again and retry.
    #[error("{what} {id} was changed by another write since it was read")]
    Changed {
        /// What changed: `task`.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// A value cannot be stored as given: a task without a title, a share above 100.
    #[error("invalid {what}: {reason}")]
    Invalid {
        /// What is wrong: `title`, `percent`.
        what: &'static str,
        /// Why.
        reason: String,
    },
    /// The database failed or refused a statement (internal).
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The schema migrations could not be applied (internal).
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database file's directory could not be created (internal).
    #[error("cannot create {path}: {source}")]
    Io {
        /// The directory.
        path: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// A stored value cannot be read back: a name no code knows, a negative offset
    /// (internal; the database was written by something else or by a newer version).
    #[error("corrupt stored value: {0}")]
    Corrupt(String),
}

impl Error {
    /// Whether the caller can fix this by asking differently (a 4xx), as opposed to a
    /// failure of the store itself (a 5xx).
    pub fn is_user(&self) -> bool {
        matches!(
            self,
            Error::BadUrl { .. }
                | Error::NotFound { .. }
                | Error::TooLarge { .. }
                | Error::AmbiguousRegion { .. }
                | Error::Invalid { .. }
                | Error::Changed { .. }
        )
    }

    pub(crate) fn corrupt(what: impl Into<String>) -> Error {
        Error::Corrupt(what.into())
    }
}
