//! Errors of the search index, split into the caller's mistakes and our failures.

use std::path::PathBuf;

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error of the search index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The request cannot be served as asked; the message says why and is meant for
    /// the user (a web front end turns it into a 4xx).
    #[error(transparent)]
    User(#[from] UserError),
    /// The index failed; details belong in the log, not in front of the user.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// A mistake in what was asked, or a conflict the user can resolve.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// The query text cannot be understood, for instance an unclosed quote.
    #[error("bad search query: {message}")]
    BadQuery {
        /// What is wrong, in words a user understands.
        message: String,
    },
    /// Another process (or another [`Index`](crate::Index) in this one) holds the
    /// index's writer lock: tantivy allows a single writer per directory.
    #[error(
        "the search index in {} is locked by another process (only one writer is allowed \
         per index directory); stop that process, or send changes through it",
        dir.display()
    )]
    Locked {
        /// The index directory.
        dir: PathBuf,
    },
}

/// A failure inside the index or the file system.
#[derive(Debug, thiserror::Error)]
pub enum InternalError {
    /// tantivy reported an error.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory cannot be created or opened.
    #[error("search index: cannot open directory {}: {source}", dir.display())]
    Directory {
        /// The index directory.
        dir: PathBuf,
        /// The underlying error.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Error {
    /// Whether the error is the user's to fix (bad query, index locked), as opposed to
    /// an internal failure.
    pub fn is_user_error(&self) -> bool {
        matches!(self, Error::User(_))
    }

    pub(crate) fn bad_query(message: impl Into<String>) -> Error {
        Error::User(UserError::BadQuery { message: message.into() })
    }
}

impl From<tantivy::TantivyError> for Error {
    fn from(error: tantivy::TantivyError) -> Error {
        Error::Internal(InternalError::Tantivy(error))
    }
}
