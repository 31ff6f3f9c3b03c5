//! taizhang-app: the use cases. Reading files of every supported kind, ingesting them into
//! the store and the search index, re-extracting, searching. The only crate that knows
//! both the store and the index; it knows nothing of HTTP or of the terminal.
#![warn(missing_docs)]

pub mod assess;
pub mod auth;
pub mod bulletin;
pub mod ingest;
pub mod ledger;
pub mod location;
pub mod projects;
pub mod read;
pub mod track;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use auth::{Action, Actor};
use taizhang_extract::{EXTRACTOR_VERSION, extract};
use taizhang_index::{Hit, Index, IndexDoc, SearchQuery};
use taizhang_store::{Generation, Store, TextRow};

/// What can go wrong in a use case.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// From the store.
    #[error(transparent)]
    Store(#[from] taizhang_store::Error),
    /// From the search index.
    #[error(transparent)]
    Index(#[from] taizhang_index::Error),
    /// The index lock was poisoned by a panic elsewhere.
    #[error("the search index is unusable after an earlier failure; restart taizhang")]
    Poisoned,
    /// The input is not usable as given; the message says why, in Chinese.
    #[error("{0}")]
    Invalid(String),
    /// The actor may not do this; the message says why, in Chinese. The refusal is in the
    /// audit log.
    #[error("{0}")]
    Forbidden(String),
    /// The user name or the password is wrong (which one is not said).
    #[error("用户名或密码错误")]
    LoginFailed,
    /// Too many failed logins: try again after `retry_after`.
    #[error("登录失败次数过多，请{}分钟后再试", retry_after.as_secs().div_ceil(60))]
    RateLimited {
        /// How long until attempts are heard again.
        retry_after: Duration,
    },
}

/// The result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The store and the search index, opened together.
///
/// The index follows the store's writes one by one: each write made through the `App`
/// advances the store's [`Generation`] by one, and is applied to the index when the index
/// stood at the generation just before it. When another writer came between (another
/// process on the same PostgreSQL database), the index stops following and is rebuilt
/// from the store at the next [`App::sync_index`], which ingest and re-extraction end
/// with. The index's stamp is the generation it reflects.
pub struct App {
    store: Store,
    search: Mutex<Search>,
    rebuilt_on_open: Option<usize>,
}

/// The search index and how far it has followed the store.
struct Search {
    index: Index,
    /// The store generation that the index reflects once its pending changes are
    /// committed, as a stamp; `None` when a write it did not follow came between, so that
    /// only a rebuild brings it up to date.
    head: Option<String>,
    /// Changes applied since the last commit.
    pending: usize,
    /// When the index was last committed.
    committed_at: Instant,
}

impl Search {
    fn new(index: Index) -> Search {
        let head = index.stamp();
        Search { index, head, pending: 0, committed_at: Instant::now() }
    }

    /// Applies `change`, the write that took the store to `generation`, if the index had
    /// followed the store up to the generation before it, and commits when the last
    /// commit is [`COMMIT_INTERVAL`] old. Otherwise, or if that fails, the index stops following
    /// until a rebuild: it is derived data, and a failure here must not fail the write.
    fn follow(&mut self, generation: Generation, change: impl FnOnce(&mut Index) -> Result<()>) {
        let head = self.head.take();
        if head != Some(generation.previous().to_string()) || change(&mut self.index).is_err() {
            return;
        }
        self.head = Some(generation.to_string());
        self.pending += 1;
        if self.committed_at.elapsed() >= COMMIT_INTERVAL && self.commit().is_err() {
            self.head = None;
        }
    }

    /// Commits the changes followed since the last commit, stamped with the generation
    /// they bring the index to.
    fn commit(&mut self) -> Result<()> {
        if self.pending > 0
            && let Some(head) = &self.head
        {
            self.index.set_stamp(head)?;
            self.pending = 0;
            self.committed_at = Instant::now();
        }
        Ok(())
    }
}

/// Documents read from the store per page while rebuilding the index.
const PAGE: u32 = 200;

/// How often the index commits during a batch, so that searches see a long ingest
/// progress. Seldom: a commit waits for the indexing thread to catch up, which stalls
/// ingest (committing every 500 documents made it a tenth slower), and a batch that is cut
/// short is rebuilt at the next open however much of it was committed.
const COMMIT_INTERVAL: Duration = Duration::from_secs(30);

impl App {
    /// Opens the database (creating and migrating it as needed) and its search index, and
    /// rebuilds the index when it is missing or lags the database. The index is where
    /// [`location::index_dir`] puts it.
    pub async fn open(db: &str) -> Result<App> {
        App::open_at(db, &location::index_dir(db)).await
    }

    /// [`App::open`] with the search index in `index_dir`.
    pub async fn open_at(db: &str, index_dir: &std::path::Path) -> Result<App> {
        let store = Store::open(db).await?;
        let index = Index::open(index_dir)?;
        let mut app = App { store, search: Mutex::new(Search::new(index)), rebuilt_on_open: None };
        app.rebuilt_on_open = app.sync_index().await?;
        Ok(app)
    }

    /// Opens the database and its search index for reading while another process may
    /// hold the index (`taizhang serve` on the same database): as [`App::open`] when it
    /// does not; else searches see what that process has committed, and the index is
    /// neither rebuilt nor changed here (that process keeps it up to date).
    pub async fn open_shared(db: &str) -> Result<App> {
        let store = Store::open(db).await?;
        let index = Index::open_shared(&location::index_dir(db))?;
        let writable = index.writable();
        let mut app = App { store, search: Mutex::new(Search::new(index)), rebuilt_on_open: None };
        if writable {
            app.rebuilt_on_open = app.sync_index().await?;
        }
        Ok(app)
    }

    /// The store, for reading.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// How many documents [`App::open`] indexed because the index was missing or lagged
    /// the store; `None` when it was up to date.
    pub fn rebuilt_on_open(&self) -> Option<usize> {
        self.rebuilt_on_open
    }

    fn search_index(&self) -> Result<std::sync::MutexGuard<'_, Search>> {
        self.search.lock().map_err(|_| Error::Poisoned)
    }

    /// Commits what the index followed so far, then rebuilds it from the store when its
    /// stamp differs from the store's generation. Returns how many documents were
    /// indexed, if it rebuilt.
    pub async fn sync_index(&self) -> Result<Option<usize>> {
        let generation = self.store.generation().await?.to_string();
        {
            let mut search = self.search_index()?;
            search.commit()?;
            if search.index.stamp().as_deref() == Some(generation.as_str()) {
                return Ok(None);
            }
        }
        self.rebuild_index().await.map(Some)
    }

    /// Rebuilds the whole search index from the store.
    pub async fn rebuild_index(&self) -> Result<usize> {
        let generation = self.store.generation().await?.to_string();
        let mut docs = Vec::new();
        let mut after = 0;
        loop {
            let page = self.store.texts(after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = last.id;
            docs.extend(page.into_iter().map(index_doc));
        }
        let mut search = self.search_index()?;
        // Whatever happens below, what was followed so far is replaced.
        search.head = None;
        search.pending = 0;
        let n = search.index.rebuild(docs.into_iter(), &generation)?;
        search.head = Some(generation);
        Ok(n)
    }

    /// Brings document `id` into the index after the write that took the store to
    /// `generation`. A failure here only stops the index from following: the next
    /// [`App::sync_index`] rebuilds it.
    async fn follow_document(&self, id: i64, generation: Generation) {
        // Read back rather than built from what was put, so that the index holds what
        // the store holds (the name of a re-extracted document is its first one).
        let row = self.store.text(id).await;
        if let Ok(mut search) = self.search_index() {
            search.follow(generation, |index| {
                match row? {
                    Some(row) => index.add(&index_doc(row))?,
                    // Deleted by another writer meanwhile: that write is not followed, so
                    // a rebuild comes next.
                    None => index.delete(id)?,
                }
                Ok(())
            });
        }
    }

    /// Deletes document `id` from the store and from the search index, and commits the
    /// index. [`taizhang_store::Error::NotFound`] if there is no such document.
    pub async fn delete_document(&self, actor: &Actor, id: i64) -> Result<()> {
        let target = id.to_string();
        self.authorize(actor, Action::DeleteDocument, ("document", &target), None).await?;
        let before = self
            .store
            .document(id)
            .await?
            .map(|d| serde_json::json!({"name": d.row.name, "title": d.row.title}).to_string());
        let change =
            actor.change(Action::DeleteDocument, "document", &target).with_states(before, None);
        let generation = self.store.delete_document(id, &change).await?;
        self.search_index()?.follow(generation, |index| Ok(index.delete(id)?));
        // Commits; rebuilds only if the index could not follow.
        self.sync_index().await?;
        Ok(())
    }

    /// Re-extracts every stored document whose extractor version is not the current one,
    /// then brings the index up to date. Returns how many were re-extracted.
    pub async fn reextract_stale(&self, actor: &Actor) -> Result<usize> {
        self.authorize(actor, Action::Reextract, ("document", ""), None).await?;
        let stale = self.store.stale_documents(EXTRACTOR_VERSION).await?;
        for &id in &stale {
            let Some((name, media_type, original)) = self.store.original(id).await? else {
                continue;
            };
            let kind = read::Kind::from_media_type(&media_type)
                .or_else(|| read::Kind::of(std::path::Path::new(&name)))
                .unwrap_or(read::Kind::Text);
            // A PDF's engine input is its text layer, which is the stored text.
            let input = if kind == read::Kind::Pdf {
                match self.store.document(id).await? {
                    Some(doc) => doc.extracted.text.into_bytes(),
                    None => continue,
                }
            } else {
                original
            };
            let format = kind.format();
            let extracted = extract(&input, format);
            let change = actor
                .change(Action::Reextract, "document", &id.to_string())
                .with_detail(format!("抽取器版本 {EXTRACTOR_VERSION}"));
            let generation =
                self.store.reextract(id, &extracted, EXTRACTOR_VERSION, &change).await?;
            self.follow_document(id, generation).await;
        }
        self.sync_index().await?;
        Ok(stale.len())
    }

    /// Searches the index.
    pub fn search(&self, query: &SearchQuery) -> Result<Vec<Hit>> {
        Ok(self.search_index()?.index.search(query)?)
    }
}

fn index_doc(row: TextRow) -> IndexDoc {
    IndexDoc {
        id: row.id,
        title: row.title.unwrap_or(row.name),
        text: row.text,
        region_code: row.region_code,
        region_name: row.region_name,
        kind: row.kind.map(|k| k.as_str().to_string()),
        year: row.year,
        date: row.date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use taizhang_store::{DocumentFilter, NewDocument};

    /// A document stored by an older extractor is extracted again, and searchable.
    #[tokio::test]
    async fn stale_documents_are_reextracted_and_indexed() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = dir.path().join("tz.sqlite").display().to_string();
        let text = "2025年样例县政府工作报告\n二、2025年工作安排\n地区生产总值增长6%左右。\n";
        {
            let store = Store::open(&db).await.expect("the store opens");
            // An older extractor found nothing in it.
            let empty =
                taizhang_extract::Extracted { text: text.to_string(), ..Default::default() };
            store
                .put_document(
                    NewDocument {
                        name: "样例县.txt",
                        media_type: read::Kind::Text.media_type(),
                        original: text.as_bytes(),
                        extracted: &empty,
                        extractor_version: "0.0.0+old",
                    },
                    &Actor::system().change(Action::UploadDocument, "document", ""),
                )
                .await
                .expect("stored");
            store.close().await;
        }
        let app = App::open(&db).await.expect("the app opens");
        assert_eq!(app.reextract_stale(&Actor::system()).await.expect("re-extracts"), 1);
        assert_eq!(app.reextract_stale(&Actor::system()).await.expect("nothing left"), 0);
        let docs = app.store().documents(&DocumentFilter::default()).await.expect("lists");
        assert_eq!(docs[0].fact_count, 1, "the 6% target is found now");
        assert_eq!(docs[0].title.as_deref(), Some("2025年样例县政府工作报告"));
        let hits = app.search(&SearchQuery::new("样例县")).expect("searches");
        assert_eq!(hits.len(), 1);
    }
}
