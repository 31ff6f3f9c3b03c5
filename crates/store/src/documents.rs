//! Documents: putting them (with their sections, facts and terms, all or nothing),
//! re-extracting them, and reading them back.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use taizhang_extract::{
    Diagnostic, DocumentMeta, Extracted, Fact, Project, RegionRef, Section, Term,
};

use crate::audit::{Change, commit_change};
use crate::sql::{self, Binder, Where, insert_rows, int};
use crate::{
    Backend, DocumentFilter, DocumentRow, Error, Generation, MAX_DOCUMENT_BYTES, NewDocument,
    Outcome, Put, Result, Store, StoredDocument, TextRow,
};

/// How often a put retries after losing a race for the same content hash.
const PUT_ATTEMPTS: usize = 3;

/// The listing columns, in the order [`document_row`] reads them.
const ROW_COLUMNS: &str = "d.id, d.title, d.name, d.region_code, r.name, d.kind, d.date, d.year, \
     (SELECT COUNT(*) FROM facts f WHERE f.document_id = d.id), d.ingested_at";

impl Store {
    /// Stores a document and its extraction in one transaction: the document row, its
    /// sections, facts and terms are all written or none are.
    ///
    /// The SHA-256 of the original identifies it. The same bytes stored before by the same
    /// extractor version give [`Outcome::Unchanged`] and write nothing; by another version,
    /// [`Outcome::Reextracted`]: the extraction is replaced under the same id, and the
    /// name and media type of the first put stay. Concurrent puts of the same bytes store
    /// one document.
    pub async fn put_document(&self, doc: NewDocument<'_>, change: &Change) -> Result<Put> {
        check_size("original", doc.original.len())?;
        check_size("text", doc.extracted.text.len())?;
        let hash = hex_sha256(doc.original);

        // Most re-ingests change nothing: answer those without taking the write lock.
        if let Some((id, version)) = self.version_of(&hash).await?
            && version == doc.extractor_version
        {
            return Ok(Put { id, outcome: Outcome::Unchanged, generation: None });
        }

        for _ in 0..PUT_ATTEMPTS {
            let mut tx = self.begin_write().await?;
            let existing =
                sqlx::query("SELECT id, extractor_version FROM documents WHERE content_hash = $1")
                    .bind(&hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(row) = existing {
                let id: i64 = row.try_get(0)?;
                let version: String = row.try_get(1)?;
                if version == doc.extractor_version {
                    tx.rollback().await?;
                    return Ok(Put { id, outcome: Outcome::Unchanged, generation: None });
                }
                update_document(&mut tx, self.backend, id, doc.extracted, doc.extractor_version)
                    .await?;
                let generation = commit_change(tx, change, &[id]).await?;
                return Ok(Put { id, outcome: Outcome::Reextracted, generation: Some(generation) });
            }
            // Another transaction may insert the same hash between the SELECT and here
            // (PostgreSQL; SQLite holds the write lock). Then the insert waits for it,
            // inserts nothing, and the next attempt finds its row.
            match insert_document(&mut tx, &hash, &doc).await? {
                Some(id) => {
                    insert_children(&mut tx, self.backend, id, doc.extracted).await?;
                    let generation = commit_change(tx, change, &[id]).await?;
                    return Ok(Put { id, outcome: Outcome::New, generation: Some(generation) });
                }
                None => tx.rollback().await?,
            }
        }
        Err(Error::corrupt(format!(
            "document {hash} neither found nor inserted after {PUT_ATTEMPTS} attempts"
        )))
    }

    /// Replaces the extraction of document `id` (for `taizhang reindex`), in one
    /// transaction. [`Error::NotFound`] if there is no such document. Returns the
    /// generation this write took the store to.
    pub async fn reextract(
        &self,
        id: i64,
        extracted: &Extracted,
        extractor_version: &str,
        change: &Change,
    ) -> Result<Generation> {
        check_size("text", extracted.text.len())?;
        let mut tx = self.begin_write().await?;
        if !update_document(&mut tx, self.backend, id, extracted, extractor_version).await? {
            tx.rollback().await?;
            return Err(not_found(id));
        }
        let generation = commit_change(tx, change, &[id]).await?;
        Ok(generation)
    }

    /// Deletes document `id` with its sections, facts and terms, in one transaction.
    /// [`Error::NotFound`] if there is no such document. Returns the generation this write
    /// took the store to. The id is never given to another document.
    pub async fn delete_document(&self, id: i64, change: &Change) -> Result<Generation> {
        let mut tx = self.begin_write().await?;
        // The children first, explicitly: the schema's ON DELETE CASCADE would do it too,
        // but on SQLite only while `foreign_keys` is on for the connection.
        delete_children(&mut tx, id).await?;
        let deleted =
            sqlx::query("DELETE FROM documents WHERE id = $1").bind(id).execute(&mut *tx).await?;
        if deleted.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(not_found(id));
        }
        let generation = commit_change(tx, change, &[id]).await?;
        Ok(generation)
    }

    /// The ids of documents extracted by a version other than `extractor_version`, in id
    /// order.
    pub async fn stale_documents(&self, extractor_version: &str) -> Result<Vec<i64>> {
        let rows =
            sqlx::query("SELECT id FROM documents WHERE extractor_version <> $1 ORDER BY id")
                .bind(extractor_version)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// Documents matching `filter`, in id order, without their text.
    pub async fn documents(&self, filter: &DocumentFilter) -> Result<Vec<DocumentRow>> {
        let mut w = document_where(filter)?;
        let page = w.page(filter.limit, filter.offset)?;
        let sql = format!(
            "SELECT {ROW_COLUMNS} FROM documents d LEFT JOIN regions r ON r.code = d.region_code{} \
             ORDER BY d.id{page}",
            w.sql()
        );
        let rows =
            sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_all(&self.pool).await?;
        rows.iter().map(document_row).collect()
    }

    /// The number of documents stored.
    pub async fn document_count(&self) -> Result<i64> {
        Ok(sqlx::query("SELECT COUNT(*) FROM documents").fetch_one(&self.pool).await?.try_get(0)?)
    }

    /// How many documents match `filter`, whatever its limit and offset.
    pub async fn count_documents(&self, filter: &DocumentFilter) -> Result<i64> {
        let w = document_where(filter)?;
        let sql = format!("SELECT COUNT(*) FROM documents d{}", w.sql());
        let row = sqlx::query_with(AssertSqlSafe(sql), w.binder.args).fetch_one(&self.pool).await?;
        Ok(row.try_get(0)?)
    }

    /// Document `id` with its text and extraction, or `None`.
    pub async fn document(&self, id: i64) -> Result<Option<StoredDocument>> {
        let sql = format!(
            "SELECT {ROW_COLUMNS}, d.content_hash, d.media_type, d.extractor_version, d.updated_at, \
             d.text, d.encoding, d.period_start, d.period_end, d.diagnostics, r.level \
             FROM documents d LEFT JOIN regions r ON r.code = d.region_code WHERE d.id = $1"
        );
        let Some(row) = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?
        else {
            return Ok(None);
        };
        let listed = document_row(&row)?;
        let period = match (sql::opt_i32(&row, 16)?, sql::opt_i32(&row, 17)?) {
            (Some(start), Some(end)) => Some((start, end)),
            _ => None,
        };
        let diagnostics: String = row.try_get(18)?;
        let diagnostics: Vec<Diagnostic> = serde_json::from_str(&diagnostics)
            .map_err(|e| Error::corrupt(format!("diagnostics of document {id}: {e}")))?;
        let region = match (&listed.region_code, &listed.region_name) {
            (Some(code), Some(name)) => {
                let level: String = row.try_get(19)?;
                Some(RegionRef {
                    code: code.clone(),
                    name: name.clone(),
                    level: sql::level(&level)?,
                })
            }
            _ => None,
        };
        let meta = DocumentMeta {
            title: listed.title.clone(),
            region,
            kind: listed.kind,
            date: listed.date.clone(),
            year: listed.year,
            period,
        };
        let extracted = Extracted {
            text: row.try_get(14)?,
            encoding: row.try_get(15)?,
            meta,
            outline: self.sections(id).await?,
            facts: self.document_facts(id).await?,
            terms: self.terms(id).await?,
            projects: self.document_projects(id).await?,
            diagnostics,
        };
        Ok(Some(StoredDocument {
            row: listed,
            content_hash: row.try_get(10)?,
            media_type: row.try_get(11)?,
            extractor_version: row.try_get(12)?,
            updated_at: row.try_get(13)?,
            extracted,
        }))
    }

    /// The original of document `id`: its file name, media type and bytes.
    pub async fn original(&self, id: i64) -> Result<Option<(String, String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT name, media_type, original, CASE WHEN original_in_text THEN text END \
             FROM documents WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let in_text: Option<String> = r.try_get(3)?;
            let original = match in_text {
                Some(text) => text.into_bytes(),
                None => r.try_get(2)?,
            };
            Ok((r.try_get(0)?, r.try_get(1)?, original))
        })
        .transpose()
    }

    /// Up to `limit` documents with ids above `after` (0 to start), in id order, with
    /// their text: the pages a search index is rebuilt from.
    pub async fn texts(&self, after: i64, limit: u32) -> Result<Vec<TextRow>> {
        let sql = format!("{TEXT_SELECT} WHERE d.id > $1 ORDER BY d.id LIMIT $2");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(text_row).collect()
    }

    /// Document `id` with its text, as [`Store::texts`] gives it, or `None`: what a search
    /// index needs to add one document.
    pub async fn text(&self, id: i64) -> Result<Option<TextRow>> {
        let sql = format!("{TEXT_SELECT} WHERE d.id = $1");
        let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        row.as_ref().map(text_row).transpose()
    }

    /// The stored texts of the documents `ids` (what fact spans are offsets into), by id,
    /// in one query; ids without a document are left out.
    pub async fn texts_of(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
        let rows = self.by_ids("SELECT id, text FROM documents WHERE id IN", ids).await?;
        rows.iter().map(|row| Ok((row.try_get(0)?, row.try_get(1)?))).collect()
    }

    /// The documents `ids` with their texts, as [`Store::text`] gives each, in id order;
    /// ids without a document are left out.
    pub async fn text_rows(&self, ids: &[i64]) -> Result<Vec<TextRow>> {
        let rows = self.by_ids(&format!("{TEXT_SELECT} WHERE d.id IN"), ids).await?;
        let mut texts = rows.iter().map(text_row).collect::<Result<Vec<_>>>()?;
        texts.sort_by_key(|t| t.id);
        Ok(texts)
    }

    /// The rows of `select … WHERE id IN` for `ids`, in chunks that stay under the
    /// backends' limits on bound parameters.
    async fn by_ids(&self, select: &str, ids: &[i64]) -> Result<Vec<sqlx::any::AnyRow>> {
        let mut all = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let mut binder = Binder::default();
            let mut placeholders = Vec::with_capacity(chunk.len());
            for &id in chunk {
                placeholders.push(format!("${}", binder.next()));
                binder.add(id)?;
            }
            let sql = format!("{select} ({})", placeholders.join(", "));
            all.extend(
                sqlx::query_with(AssertSqlSafe(sql), binder.args).fetch_all(&self.pool).await?,
            );
        }
        Ok(all)
    }

    /// The store's [`Generation`], which every write to documents (stored, re-extracted,
    /// deleted) advances by one. An index built at one generation is out of date when the
    /// store reports another.
    pub async fn generation(&self) -> Result<Generation> {
        let row = sqlx::query("SELECT database_id, writes FROM generation WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(Generation { database: row.try_get(0)?, writes: row.try_get(1)? })
    }

    /// The id and extractor version of the document stored with exactly these original
    /// bytes, if there is one: a caller can skip extracting what is stored already.
    pub async fn find_original(&self, original: &[u8]) -> Result<Option<(i64, String)>> {
        self.version_of(&hex_sha256(original)).await
    }

    async fn version_of(&self, hash: &str) -> Result<Option<(i64, String)>> {
        let row =
            sqlx::query("SELECT id, extractor_version FROM documents WHERE content_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
    }

    async fn sections(&self, id: i64) -> Result<Vec<Section>> {
        let rows = sqlx::query(
            "SELECT level, marker, title, start, \"end\", parent_ord, \
             CASE WHEN review THEN 1 ELSE 0 END FROM sections WHERE document_id = $1 ORDER BY ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let level: i64 = row.try_get(0)?;
                let review: i64 = row.try_get(6)?;
                Ok(Section {
                    level: u8::try_from(level)
                        .map_err(|_| Error::corrupt(format!("section level {level}")))?,
                    marker: row.try_get(1)?,
                    title: row.try_get(2)?,
                    start: sql::uint(row, 3)?,
                    end: sql::uint(row, 4)?,
                    parent: sql::opt_uint(row, 5)?,
                    review: review != 0,
                })
            })
            .collect()
    }

    async fn terms(&self, id: i64) -> Result<Vec<Term>> {
        let rows = sqlx::query(
            "SELECT name, definition, start, \"end\", occurrences FROM terms \
             WHERE document_id = $1 ORDER BY ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Term {
                    name: row.try_get(0)?,
                    definition: row.try_get(1)?,
                    start: sql::uint(row, 2)?,
                    end: sql::uint(row, 3)?,
                    occurrences: sql::uint(row, 4)?,
                })
            })
            .collect()
    }

    async fn document_facts(&self, id: i64) -> Result<Vec<Fact>> {
        let filter = crate::FactFilter { document_id: Some(id), ..Default::default() };
        Ok(self.facts(&filter).await?.into_iter().map(|row| row.fact).collect())
    }
}

fn not_found(id: i64) -> Error {
    Error::NotFound { what: "document", id: id.to_string() }
}

/// Advances the generation inside the write transaction `conn`, as its last statement:
/// on PostgreSQL the row stays locked until the commit, which orders concurrent writers.
pub(crate) async fn advance_generation(conn: &mut AnyConnection) -> Result<Generation> {
    let row = sqlx::query(
        "UPDATE generation SET writes = writes + 1 WHERE id = 1 RETURNING database_id, writes",
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(Generation { database: row.try_get(0)?, writes: row.try_get(1)? })
}

fn check_size(what: &'static str, size: usize) -> Result<()> {
    if size > MAX_DOCUMENT_BYTES {
        return Err(Error::TooLarge { what, size, limit: MAX_DOCUMENT_BYTES });
    }
    Ok(())
}

/// `LIKE` pattern for "starts with", with the pattern characters of the prefix escaped
/// away: region codes are digits, so anything else simply matches nothing.
pub(crate) fn like_prefix(prefix: &str) -> String {
    let digits: String = prefix.chars().filter(char::is_ascii_digit).collect();
    if digits.len() == prefix.len() { format!("{digits}%") } else { "-".to_owned() }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The query of [`text_row`], without its condition.
const TEXT_SELECT: &str = "SELECT d.id, d.title, d.name, d.text, d.region_code, r.name, d.kind, \
     d.year, d.date FROM documents d LEFT JOIN regions r ON r.code = d.region_code";

fn text_row(row: &AnyRow) -> Result<TextRow> {
    let kind: Option<String> = row.try_get(6)?;
    Ok(TextRow {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        name: row.try_get(2)?,
        text: row.try_get(3)?,
        region_code: row.try_get(4)?,
        region_name: row.try_get(5)?,
        kind: kind.as_deref().map(sql::doc_kind).transpose()?,
        year: sql::opt_i32(row, 7)?,
        date: row.try_get(8)?,
    })
}

fn document_row(row: &AnyRow) -> Result<DocumentRow> {
    let kind: Option<String> = row.try_get(5)?;
    Ok(DocumentRow {
        id: row.try_get(0)?,
        title: row.try_get(1)?,
        name: row.try_get(2)?,
        region_code: row.try_get(3)?,
        region_name: row.try_get(4)?,
        kind: kind.as_deref().map(sql::doc_kind).transpose()?,
        date: row.try_get(6)?,
        year: sql::opt_i32(row, 7)?,
        fact_count: row.try_get(8)?,
        ingested_at: row.try_get(9)?,
    })
}

/// The document columns that come from extraction, ready to bind.
struct Extraction<'a> {
    extracted: &'a Extracted,
    version: &'a str,
    diagnostics: String,
}

impl<'a> Extraction<'a> {
    fn new(extracted: &'a Extracted, version: &'a str) -> Result<Self> {
        let diagnostics = serde_json::to_string(&extracted.diagnostics)
            .map_err(|e| Error::corrupt(format!("diagnostics do not serialise: {e}")))?;
        Ok(Extraction { extracted, version, diagnostics })
    }

    /// Binds text, title, region_code, kind, date, year, period_start, period_end,
    /// encoding, extractor_version, diagnostics.
    fn bind(&'a self, b: &mut Binder) -> Result<()> {
        let e = self.extracted;
        let meta = &e.meta;
        b.add(e.text.as_str())?
            .add(meta.title.as_deref())?
            .add(meta.region.as_ref().map(|r| r.code.as_str()))?
            .add(meta.kind.map(sql::doc_kind_str))?
            .add(meta.date.as_deref())?
            .add(meta.year.map(i64::from))?
            .add(meta.period.map(|p| i64::from(p.0)))?
            .add(meta.period.map(|p| i64::from(p.1)))?
            .add(e.encoding.as_str())?
            .add(self.version)?
            .add(self.diagnostics.as_str())?;
        Ok(())
    }
}

/// Inserts the document row unless its hash is there already; its id, or `None`.
async fn insert_document(
    conn: &mut AnyConnection,
    hash: &str,
    doc: &NewDocument<'_>,
) -> Result<Option<i64>> {
    let extraction = Extraction::new(doc.extracted, doc.extractor_version)?;
    let now = sql::now();
    // An original that is the text (a UTF-8 .txt file) is stored once, as the text.
    let in_text = doc.original == doc.extracted.text.as_bytes();
    let original = if in_text { &[][..] } else { doc.original };
    let mut b = Binder::default();
    b.add(hash)?.add(doc.name)?.add(doc.media_type)?.add(original)?.add(in_text)?;
    extraction.bind(&mut b)?;
    b.add(now.as_str())?.add(now.as_str())?;
    let row = sqlx::query_with(
        "INSERT INTO documents (content_hash, name, media_type, original, original_in_text, \
         text, title, region_code, kind, date, year, period_start, period_end, encoding, \
         extractor_version, diagnostics, ingested_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18) ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        b.args,
    )
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| Ok(r.try_get(0)?)).transpose()
}

/// Replaces the extraction of document `id`; false if there is no such document.
async fn update_document(
    conn: &mut AnyConnection,
    backend: Backend,
    id: i64,
    extracted: &Extracted,
    version: &str,
) -> Result<bool> {
    // An original kept as the text must be written out before the text changes.
    let kept = sqlx::query("SELECT text FROM documents WHERE id = $1 AND original_in_text")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = kept {
        let text: String = row.try_get(0)?;
        if text != extracted.text {
            sqlx::query("UPDATE documents SET original = $1, original_in_text = $2 WHERE id = $3")
                .bind(text.into_bytes())
                .bind(false)
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    let extraction = Extraction::new(extracted, version)?;
    let now = sql::now();
    let mut b = Binder::default();
    extraction.bind(&mut b)?;
    b.add(now.as_str())?.add(id)?;
    let updated = sqlx::query_with(
        "UPDATE documents SET text = $1, title = $2, region_code = $3, kind = $4, date = $5, \
         year = $6, period_start = $7, period_end = $8, encoding = $9, extractor_version = $10, \
         diagnostics = $11, updated_at = $12 WHERE id = $13",
        b.args,
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    delete_children(conn, id).await?;
    insert_children(conn, backend, id, extracted).await?;
    Ok(true)
}

/// Deletes the sections, facts and terms of document `id`.
async fn delete_children(conn: &mut AnyConnection, id: i64) -> Result<()> {
    for table in [
        "DELETE FROM sections WHERE document_id = $1",
        "DELETE FROM facts WHERE document_id = $1",
        "DELETE FROM terms WHERE document_id = $1",
        "DELETE FROM projects WHERE document_id = $1",
    ] {
        sqlx::query(table).bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Inserts the sections, facts and terms of document `id`.
async fn insert_children(
    conn: &mut AnyConnection,
    backend: Backend,
    id: i64,
    extracted: &Extracted,
) -> Result<()> {
    let sections: Vec<(usize, &Section)> = extracted.outline.iter().enumerate().collect();
    insert_rows(
        conn,
        backend,
        "INSERT INTO sections (document_id, ord, level, marker, title, start, \"end\", \
         parent_ord, review)",
        9,
        &sections,
        |b, (ord, s)| {
            b.add(id)?
                .add(int(*ord)?)?
                .add(i64::from(s.level))?
                .add(s.marker.as_str())?
                .add(s.title.as_str())?
                .add(int(s.start)?)?
                .add(int(s.end)?)?
                .add(s.parent.map(int).transpose()?)?
                .add(s.review)?;
            Ok(())
        },
        "",
    )
    .await?;

    let region = extracted.meta.region.as_ref().map(|r| r.code.as_str());
    let facts: Vec<(usize, &Fact)> = extracted.facts.iter().enumerate().collect();
    insert_rows(
        conn,
        backend,
        "INSERT INTO facts (document_id, ord, start, \"end\", number, value, value_max, unit, \
         indicator, indicator_key, measure, kind, qualifier, year, section_ord, region_code)",
        16,
        &facts,
        |b, (ord, f)| {
            b.add(id)?
                .add(int(*ord)?)?
                .add(int(f.start)?)?
                .add(int(f.end)?)?
                .add(f.number.as_str())?
                .add(f.value)?
                .add(f.value_max)?
                .add(f.unit.as_str())?
                .add(f.indicator.as_str())?
                .add(f.indicator_key.as_deref())?
                .add(f.measure.as_str())?
                .add(f.kind.as_str())?
                .add(f.qualifier.as_str())?
                .add(f.year.map(i64::from))?
                .add(f.section.map(int).transpose()?)?
                .add(region)?;
            Ok(())
        },
        "",
    )
    .await?;

    let terms: Vec<(usize, &Term)> = extracted.terms.iter().enumerate().collect();
    insert_rows(
        conn,
        backend,
        "INSERT INTO terms (document_id, ord, name, definition, start, \"end\", occurrences)",
        7,
        &terms,
        |b, (ord, t)| {
            b.add(id)?
                .add(int(*ord)?)?
                .add(t.name.as_str())?
                .add(t.definition.as_deref())?
                .add(int(t.start)?)?
                .add(int(t.end)?)?
                .add(int(t.occurrences)?)?;
            Ok(())
        },
        "",
    )
    .await?;

    let projects: Vec<(usize, &Project)> = extracted.projects.iter().enumerate().collect();
    insert_rows(
        conn,
        backend,
        "INSERT INTO projects (document_id, ord, name, category, capacity, investment, stage, \
         year, start, \"end\", sentence_start, sentence_end, sentence, section_ord, region_code)",
        15,
        &projects,
        |b, (ord, p)| {
            let sentence = extracted.text.get(p.sentence.0..p.sentence.1).unwrap_or_default();
            b.add(id)?
                .add(int(*ord)?)?
                .add(p.name.as_str())?
                .add(p.category.as_str())?
                .add(p.capacity.as_deref())?
                .add(p.investment.as_deref())?
                .add(p.stage.map(|s| s.as_str()))?
                .add(p.year.map(i64::from))?
                .add(int(p.start)?)?
                .add(int(p.end)?)?
                .add(int(p.sentence.0)?)?
                .add(int(p.sentence.1)?)?
                .add(sentence)?
                .add(p.section.map(int).transpose()?)?
                .add(region)?;
            Ok(())
        },
        "",
    )
    .await?;
    Ok(())
}

/// The `WHERE` clause of a document filter, over `documents d`.
fn document_where(filter: &DocumentFilter) -> Result<Where> {
    let mut w = Where::default();
    w.and("d.region_code = $?", filter.region_code.as_deref())?;
    w.and("d.region_code LIKE $?", filter.region_prefix.as_deref().map(like_prefix))?;
    w.and("d.kind = $?", filter.kind.map(sql::doc_kind_str))?;
    w.and("d.year = $?", filter.year.map(i64::from))?;
    Ok(w)
}
