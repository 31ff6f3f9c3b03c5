//! Ingest: files in, documents stored and indexed. One transaction per document in the
//! store, so a killed run leaves whole documents or none. Each stored document is added to
//! the index as it goes, committed every few hundred documents and at the end; the index is
//! derived, and is rebuilt from the store when its stamp says it lags (after a killed run,
//! or when another writer came between).

use std::path::{Path, PathBuf};
use std::time::Instant;

use taizhang_extract::{EXTRACTOR_VERSION, extract};
use taizhang_store::{NewDocument, Outcome, Put};

use crate::read::{self, ReadError};
use crate::{App, Result};

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    /// Stored for the first time, with this many facts.
    New {
        /// The document id.
        id: i64,
        /// How many facts were extracted.
        facts: usize,
    },
    /// The same content was already stored with the current extractor.
    Unchanged {
        /// The document id.
        id: i64,
    },
    /// Stored before by an older extractor; extracted again.
    Reextracted {
        /// The document id.
        id: i64,
        /// How many facts were extracted.
        facts: usize,
    },
    /// Not a kind of file taizhang reads.
    Skipped,
    /// Could not be read or stored; the reason is for the user.
    Failed(String),
}

/// The tally of an ingest run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Newly stored documents.
    pub new: usize,
    /// Documents already stored, unchanged.
    pub unchanged: usize,
    /// Documents extracted again.
    pub reextracted: usize,
    /// Files that are not documents, by path.
    pub skipped: Vec<PathBuf>,
    /// Files that failed, with the reason.
    pub failed: Vec<(PathBuf, String)>,
    /// Bytes read.
    pub bytes: u64,
    /// How many documents the search index was rebuilt with at the end, because it could
    /// not follow the batch (another writer came between, or it was out of date already);
    /// `None` when it followed.
    pub reindexed: Option<usize>,
    /// Seconds taken.
    pub seconds: f64,
}

impl App {
    /// Ingests every file under `paths` (folders recursively). `progress` hears about each
    /// file as it is done: its index, the total, the path and the outcome. A failing file
    /// never stops the batch.
    pub async fn ingest(
        &self,
        paths: &[PathBuf],
        max_bytes: u64,
        progress: &mut dyn FnMut(usize, usize, &Path, &FileOutcome),
    ) -> Result<Summary> {
        let started = Instant::now();
        let files = read::walk(paths);
        let mut summary = Summary::default();
        for (i, path) in files.iter().enumerate() {
            let outcome = self.ingest_one(path, max_bytes, &mut summary.bytes).await;
            match &outcome {
                FileOutcome::New { .. } => summary.new += 1,
                FileOutcome::Unchanged { .. } => summary.unchanged += 1,
                FileOutcome::Reextracted { .. } => summary.reextracted += 1,
                FileOutcome::Skipped => summary.skipped.push(path.clone()),
                FileOutcome::Failed(why) => summary.failed.push((path.clone(), why.clone())),
            }
            progress(i + 1, files.len(), path, &outcome);
        }
        summary.reindexed = self.sync_index().await?;
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    async fn ingest_one(&self, path: &Path, max_bytes: u64, bytes: &mut u64) -> FileOutcome {
        let source = match read::read(path, max_bytes) {
            Ok(source) => source,
            Err(ReadError::Unsupported) => return FileOutcome::Skipped,
            Err(e) => return FileOutcome::Failed(e.to_string()),
        };
        *bytes += source.original.len() as u64;
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        self.put_source(&name, source).await
    }

    /// Ingests one document received as bytes (an upload) named `name`, and brings the
    /// search index up to date. Its kind comes from the name, checked against the content.
    pub async fn ingest_bytes(
        &self,
        name: &str,
        original: Vec<u8>,
        max_bytes: u64,
    ) -> Result<FileOutcome> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_owned();
        let read = tokio::task::spawn_blocking({
            let name = name.clone();
            move || read::from_bytes(&name, original, max_bytes)
        })
        .await;
        let outcome = match read {
            Ok(Ok(source)) => self.put_source(&name, source).await,
            Ok(Err(ReadError::Unsupported)) => FileOutcome::Skipped,
            Ok(Err(e)) => FileOutcome::Failed(e.to_string()),
            Err(_) => FileOutcome::Failed("internal error while reading".into()),
        };
        if matches!(outcome, FileOutcome::New { .. } | FileOutcome::Reextracted { .. }) {
            self.sync_index().await?;
        }
        Ok(outcome)
    }

    /// Extracts a read document and stores it.
    async fn put_source(&self, name: &str, source: read::Source) -> FileOutcome {
        let (input, format) = (source.engine_input, source.format);
        // The engine never panics by design; a panic is still caught so that one document
        // cannot end the batch.
        let extracted = match tokio::task::spawn_blocking(move || extract(&input, format)).await {
            Ok(x) => x,
            Err(_) => return FileOutcome::Failed("internal error while extracting".into()),
        };
        let put = self
            .store
            .put_document(NewDocument {
                name,
                media_type: source.kind.media_type(),
                original: &source.original,
                extracted: &extracted,
                extractor_version: EXTRACTOR_VERSION,
            })
            .await;
        let facts = extracted.facts.len();
        if let Ok(Put { id, generation: Some(generation), .. }) = put {
            self.follow_document(id, generation).await;
        }
        match put {
            Ok(put) => match put.outcome {
                Outcome::New => FileOutcome::New { id: put.id, facts },
                Outcome::Unchanged => FileOutcome::Unchanged { id: put.id },
                Outcome::Reextracted => FileOutcome::Reextracted { id: put.id, facts },
            },
            Err(e) => FileOutcome::Failed(e.to_string()),
        }
    }
}
