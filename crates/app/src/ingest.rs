//! Ingest: files in, documents stored and indexed. One transaction per document in the
//! store, so a killed run leaves whole documents or none. Each stored document is added to
//! the index as it goes, committed every half minute and at the end; the index is derived,
//! and is rebuilt from the store when its stamp says it lags (after a killed run, or when
//! another writer came between).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Instant;

use taizhang_extract::{EXTRACTOR_VERSION, Extracted, extract};
use taizhang_store::{NewDocument, Outcome, Put, Store};
use tokio::task::JoinHandle;

use crate::auth::{Action, Actor};
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

/// Files read and extracted ahead of the one being stored: reading and extraction
/// overlap with storing and indexing, which run on other threads.
const LOOKAHEAD: usize = 2;

/// Why a file failed when reading or extracting it panicked.
const INTERNAL: &str = "internal error while reading or extracting";

/// A file read and extracted, or what became of it instead.
enum Prepared {
    /// Ready to store.
    Ready {
        /// The file as read.
        source: read::Source,
        /// What the engine found in it (boxed: it is large, and the other variant small).
        extracted: Box<Extracted>,
    },
    /// Nothing to store: skipped, failed, or stored already.
    Done(FileOutcome),
}

impl App {
    /// Ingests every file under `paths` (folders recursively). `progress` hears about each
    /// file as it is done, in order: its index, the total, the path and the outcome. A
    /// failing file never stops the batch.
    pub async fn ingest(
        &self,
        actor: &Actor,
        paths: &[PathBuf],
        max_bytes: u64,
        progress: &mut dyn FnMut(usize, usize, &Path, &FileOutcome),
    ) -> Result<Summary> {
        self.authorize(actor, Action::UploadDocument, ("document", ""), None).await?;
        let started = Instant::now();
        let files = read::walk(paths);
        let mut summary = Summary::default();
        let mut ahead = VecDeque::with_capacity(LOOKAHEAD + 1);
        let mut queued = files.iter();
        for (i, path) in files.iter().enumerate() {
            while ahead.len() <= LOOKAHEAD
                && let Some(next) = queued.next()
            {
                ahead.push_back(prepare(self.store.clone(), next.clone(), max_bytes));
            }
            let Some(task) = ahead.pop_front() else { break };
            let outcome = match task.await {
                Ok((bytes, Prepared::Ready { source, extracted })) => {
                    summary.bytes += bytes;
                    let name = path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    );
                    self.put_extracted(actor, &name, &source, &extracted).await
                }
                Ok((bytes, Prepared::Done(outcome))) => {
                    summary.bytes += bytes;
                    outcome
                }
                Err(_) => FileOutcome::Failed(INTERNAL.into()),
            };
            match &outcome {
                FileOutcome::New { .. } => summary.new += 1,
                FileOutcome::Unchanged { .. } => summary.unchanged += 1,
                FileOutcome::Reextracted { .. } => summary.reextracted += 1,
                FileOutcome::Skipped => summary.skipped.push(path.clone()),
                FileOutcome::Failed(why) => summary.failed.push((path.clone(), why.clone())),
            }
            progress(i + 1, files.len(), path, &outcome);
        }
        if summary.new + summary.reextracted > 0 {
            self.store.analyze().await?;
        }
        summary.reindexed = self.sync_index().await?;
        summary.seconds = started.elapsed().as_secs_f64();
        Ok(summary)
    }

    /// Ingests one document received as bytes (an upload) named `name`, and brings the
    /// search index up to date. Its kind comes from the name, checked against the content.
    pub async fn ingest_bytes(
        &self,
        actor: &Actor,
        name: &str,
        original: Vec<u8>,
        max_bytes: u64,
    ) -> Result<FileOutcome> {
        let name = name.rsplit(['/', '\\']).next().unwrap_or(name).to_owned();
        self.authorize(actor, Action::UploadDocument, ("document", ""), None).await?;
        let prepared = tokio::task::spawn_blocking({
            let name = name.clone();
            move || {
                let source = read::from_bytes(&name, original, max_bytes)?;
                let extracted = extract(&source.engine_input, source.format);
                Ok::<_, ReadError>((source, extracted))
            }
        })
        .await;
        let outcome = match prepared {
            Ok(Ok((source, extracted))) => {
                self.put_extracted(actor, &name, &source, &extracted).await
            }
            Ok(Err(ReadError::Unsupported)) => FileOutcome::Skipped,
            Ok(Err(e)) => FileOutcome::Failed(e.to_string()),
            Err(_) => FileOutcome::Failed(INTERNAL.into()),
        };
        if matches!(outcome, FileOutcome::New { .. } | FileOutcome::Reextracted { .. }) {
            self.sync_index().await?;
        }
        Ok(outcome)
    }

    /// Stores what was extracted from `source` under the file name `name` and adds it to
    /// the index.
    async fn put_extracted(
        &self,
        actor: &Actor,
        name: &str,
        source: &read::Source,
        extracted: &Extracted,
    ) -> FileOutcome {
        let after = serde_json::json!({
            "name": name,
            "title": extracted.meta.title,
            "facts": extracted.facts.len(),
        });
        let change = actor
            .change(Action::UploadDocument, "document", "")
            .with_states(None, Some(after.to_string()))
            .with_detail(name);
        let document = NewDocument {
            name,
            media_type: source.kind.media_type(),
            original: &source.original,
            extracted,
            extractor_version: EXTRACTOR_VERSION,
        };
        let put = self.store.put_document(document, &change).await;
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

/// Starts reading `path` and, unless the store has it from the current extractor already,
/// extracting it, on blocking threads; the task gives the bytes read and the result.
fn prepare(store: Store, path: PathBuf, max_bytes: u64) -> JoinHandle<(u64, Prepared)> {
    tokio::spawn(async move {
        let read = tokio::task::spawn_blocking(move || read::read(&path, max_bytes)).await;
        let source = match read {
            Ok(Ok(source)) => source,
            Ok(Err(ReadError::Unsupported)) => return (0, Prepared::Done(FileOutcome::Skipped)),
            Ok(Err(e)) => return (0, Prepared::Done(FileOutcome::Failed(e.to_string()))),
            Err(_) => return (0, Prepared::Done(FileOutcome::Failed(INTERNAL.into()))),
        };
        let bytes = source.original.len() as u64;
        // Most files of a repeated ingest are stored already: skip their extraction. A
        // failed look-up is no matter; the put looks again.
        if let Ok(Some((id, version))) = store.find_original(&source.original).await
            && version == EXTRACTOR_VERSION
        {
            return (bytes, Prepared::Done(FileOutcome::Unchanged { id }));
        }
        // The engine never panics by design; should it, the file is reported as failed
        // and the batch goes on.
        let extracted = tokio::task::spawn_blocking(move || {
            let extracted = extract(&source.engine_input, source.format);
            (source, extracted)
        })
        .await;
        match extracted {
            Ok((source, extracted)) => {
                (bytes, Prepared::Ready { source, extracted: Box::new(extracted) })
            }
            Err(_) => (bytes, Prepared::Done(FileOutcome::Failed(INTERNAL.into()))),
        }
    })
}
