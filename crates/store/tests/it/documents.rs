//! Putting documents: idempotency, re-extraction, atomicity, concurrency, size.

use taizhang_extract::{DocKind, Extracted, Fact};
use taizhang_store::{
    DocumentFilter, Error, FactFilter, MAX_DOCUMENT_BYTES, NewDocument, Outcome, Store,
};

use crate::util::{PLAN, REPORT_2024, REPORT_2025, TestDb, by, extracted, put};

/// Asserts that what the store gives back is what was put in.
#[track_caller]
fn assert_same_extraction(stored: &Extracted, expected: &Extracted) {
    assert_eq!(stored.text, expected.text);
    assert_eq!(stored.encoding, expected.encoding);
    assert_eq!(stored.meta, expected.meta);
    assert_eq!(stored.outline, expected.outline);
    assert_eq!(stored.facts, expected.facts);
    assert_eq!(stored.terms, expected.terms);
    assert_eq!(stored.diagnostics, expected.diagnostics);
}

async fn facts_of(store: &Store, id: i64) -> usize {
    let filter = FactFilter { document_id: Some(id), ..Default::default() };
    store.facts(&filter).await.expect("facts").len()
}

storetest!(fixtures_extract_what_the_tests_rely_on);
async fn fixtures_extract_what_the_tests_rely_on(_db: TestDb) {
    let e = extracted(REPORT_2025);
    assert_eq!(e.meta.region.as_ref().map(|r| r.code.as_str()), Some("520304"));
    assert_eq!(e.meta.kind, Some(DocKind::WorkReport));
    assert!(e.facts.len() >= 5, "{:#?}", e.facts);
    assert!(!e.outline.is_empty());
    assert!(!e.terms.is_empty(), "{:#?}", e.terms);
    let e = extracted(REPORT_2024);
    assert_eq!(e.meta.region.as_ref().map(|r| r.code.as_str()), Some("520303"));
    let e = extracted(PLAN);
    assert_eq!(e.meta.region.as_ref().map(|r| r.code.as_str()), Some("520300"));
    assert_eq!(e.meta.kind, Some(DocKind::PlanOutline));
}

storetest!(put_new_then_unchanged_then_reextracted);
async fn put_new_then_unchanged_then_reextracted(db: TestDb) {
    let store = &db.store;
    let first = put(store, "report.txt", REPORT_2025, "1").await;
    assert_eq!(first.outcome, Outcome::New);
    let stored = store.document(first.id).await.expect("document").expect("stored");
    assert_same_extraction(&stored.extracted, &extracted(REPORT_2025));
    assert_eq!(stored.row.name, "report.txt");
    assert_eq!(stored.row.region_name.as_deref(), Some("播州区"));
    assert_eq!(stored.row.fact_count, stored.extracted.facts.len() as i64);
    assert_eq!(stored.media_type, "text/plain");
    assert_eq!(stored.content_hash.len(), 64);
    assert_eq!(stored.extractor_version, "1");
    let generation = store.generation().await.expect("generation");

    let again = put(store, "renamed.txt", REPORT_2025, "1").await;
    assert_eq!(again.id, first.id);
    assert_eq!(again.outcome, Outcome::Unchanged);
    let unchanged = store.document(first.id).await.expect("document").expect("stored");
    assert_eq!(unchanged.updated_at, stored.updated_at, "an unchanged put writes nothing");
    assert_eq!(unchanged.row.name, "report.txt");
    assert_eq!(store.generation().await.expect("generation"), generation);

    let newer = put(store, "report.txt", REPORT_2025, "2").await;
    assert_eq!(newer.id, first.id);
    assert_eq!(newer.outcome, Outcome::Reextracted);
    let reextracted = store.document(first.id).await.expect("document").expect("stored");
    assert_eq!(reextracted.extractor_version, "2");
    assert_same_extraction(&reextracted.extracted, &extracted(REPORT_2025));
    assert_eq!(reextracted.row.ingested_at, stored.row.ingested_at);
    assert!(reextracted.updated_at > stored.updated_at);
    assert_ne!(store.generation().await.expect("generation"), generation);
    assert_eq!(store.document_count().await.expect("count"), 1);
    assert_eq!(facts_of(store, first.id).await, stored.extracted.facts.len());
}

storetest!(reextract_replaces_the_extraction);
async fn reextract_replaces_the_extraction(db: TestDb) {
    let store = &db.store;
    let a = put(store, "a.txt", REPORT_2025, "1").await;
    let b = put(store, "b.txt", PLAN, "2").await;
    assert_eq!(store.stale_documents("2").await.expect("stale"), vec![a.id]);
    assert_eq!(store.stale_documents("3").await.expect("stale"), vec![a.id, b.id]);

    let (name, media_type, bytes) = store.original(a.id).await.expect("original").expect("there");
    assert_eq!((name.as_str(), media_type.as_str()), ("a.txt", "text/plain"));
    assert_eq!(bytes, REPORT_2025.as_bytes());
    let mut fewer = extracted(std::str::from_utf8(&bytes).expect("UTF-8"));
    fewer.facts.truncate(2);
    fewer.meta.title = Some("改过的标题".to_owned());
    store.reextract(a.id, &fewer, "2", &by()).await.expect("reextract");
    assert!(store.stale_documents("2").await.expect("stale").is_empty());
    let stored = store.document(a.id).await.expect("document").expect("stored");
    assert_same_extraction(&stored.extracted, &fewer);
    assert_eq!(stored.row.fact_count, 2);

    let err = store.reextract(a.id + b.id + 100, &fewer, "2", &by()).await.expect_err("no such id");
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.is_user());
    assert!(store.document(a.id + b.id + 100).await.expect("document").is_none());
    assert!(store.original(a.id + b.id + 100).await.expect("original").is_none());
}

storetest!(failed_put_leaves_nothing);
async fn failed_put_leaves_nothing(db: TestDb) {
    let store = &db.store;
    let generation = store.generation().await.expect("generation");
    let mut broken = extracted(REPORT_2025);
    let good: Fact = broken.facts[0].clone();
    // More than one batch of good facts, so that rows were written before the failure.
    broken.facts = vec![good.clone(); 700];
    broken.facts[650].value = f64::NAN;
    let err = store
        .put_document(
            NewDocument {
                name: "broken.txt",
                media_type: "text/plain",
                original: REPORT_2025.as_bytes(),
                extracted: &broken,
                extractor_version: "1",
            },
            &by(),
        )
        .await
        .expect_err("a NaN value is refused by the database");
    assert!(!err.is_user(), "a broken extraction is an internal error: {err}");
    assert_eq!(store.document_count().await.expect("count"), 0);
    assert!(store.facts(&FactFilter::default()).await.expect("facts").is_empty());
    assert_eq!(store.generation().await.expect("generation"), generation);

    // The same for a re-extraction: the old extraction stays.
    let put = put(store, "ok.txt", REPORT_2025, "1").await;
    let before = store.document(put.id).await.expect("document").expect("stored");
    let mut bad_span = extracted(REPORT_2025);
    bad_span.facts[1].end = 0;
    let err = store
        .reextract(put.id, &bad_span, "2", &by())
        .await
        .expect_err("a span ending before it starts");
    assert!(!err.is_user());
    let after = store.document(put.id).await.expect("document").expect("stored");
    assert_eq!(after.extractor_version, "1");
    assert_same_extraction(&after.extracted, &before.extracted);
}

storetest!(concurrent_puts_of_the_same_content_store_one_document);
async fn concurrent_puts_of_the_same_content_store_one_document(db: TestDb) {
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = db.store.clone();
            tokio::spawn(
                async move { put(&store, &format!("copy{i}.txt"), REPORT_2025, "1").await },
            )
        })
        .collect();
    let mut puts = Vec::new();
    for task in tasks {
        puts.push(task.await.expect("put task"));
    }
    let new = puts.iter().filter(|p| p.outcome == Outcome::New).count();
    assert_eq!(new, 1, "{puts:?}");
    assert!(puts.iter().all(|p| p.id == puts[0].id), "{puts:?}");
    assert!(puts.iter().all(|p| p.outcome != Outcome::Reextracted), "{puts:?}");
    assert_eq!(db.store.document_count().await.expect("count"), 1);
}

storetest!(different_documents_in_parallel);
async fn different_documents_in_parallel(db: TestDb) {
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let text = format!("{REPORT_2025}第{i}号附件。\n");
                put(&store, "x.txt", &text, "1").await
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("put task").outcome, Outcome::New);
    }
    assert_eq!(db.store.document_count().await.expect("count"), 16);
}

storetest!(large_document_with_10k_facts);
async fn large_document_with_10k_facts(db: TestDb) {
    let mut text = String::from("2025年遵义市播州区政府工作报告\n一、主要目标\n");
    for i in 0..10_000 {
        text.push_str(&format!("第{i}项工程投资达到{}.5亿元。\n", i % 97 + 1));
    }
    let e = extracted(&text);
    assert!(e.facts.len() >= 10_000, "{} facts", e.facts.len());
    let put = db
        .store
        .put_document(
            NewDocument {
                name: "big.txt",
                media_type: "text/plain",
                original: text.as_bytes(),
                extracted: &e,
                extractor_version: "1",
            },
            &by(),
        )
        .await
        .expect("put");
    let stored = db.store.document(put.id).await.expect("document").expect("stored");
    assert_eq!(stored.row.fact_count, e.facts.len() as i64);
    assert_same_extraction(&stored.extracted, &e);
}

storetest!(too_large_is_a_user_error);
async fn too_large_is_a_user_error(db: TestDb) {
    let big = vec![b' '; MAX_DOCUMENT_BYTES + 1];
    let err = db
        .store
        .put_document(
            NewDocument {
                name: "huge.txt",
                media_type: "text/plain",
                original: &big,
                extracted: &Extracted::default(),
                extractor_version: "1",
            },
            &by(),
        )
        .await
        .expect_err("too large");
    assert!(matches!(err, Error::TooLarge { what: "original", .. }), "{err}");
    assert!(err.is_user());
}

storetest!(documents_are_filtered_and_paged);
async fn documents_are_filtered_and_paged(db: TestDb) {
    let store = &db.store;
    let a = put(store, "a.txt", REPORT_2025, "1").await.id;
    let b = put(store, "b.txt", REPORT_2024, "1").await.id;
    let c = put(store, "c.txt", PLAN, "1").await.id;
    let ids =
        |rows: Vec<taizhang_store::DocumentRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let list =
        |f: DocumentFilter| async move { ids(store.documents(&f).await.expect("documents")) };

    assert_eq!(list(DocumentFilter::default()).await, vec![a, b, c]);
    let region =
        |code: &str| DocumentFilter { region_code: Some(code.to_owned()), ..Default::default() };
    assert_eq!(list(region("520304")).await, vec![a]);
    assert_eq!(list(region("520300")).await, vec![c]);
    let prefix = DocumentFilter {
        region_prefix: Some(taizhang_store::region_prefix("520300").to_owned()),
        ..Default::default()
    };
    assert_eq!(list(prefix).await, vec![a, b, c]);
    let kind = DocumentFilter { kind: Some(DocKind::WorkReport), ..Default::default() };
    assert_eq!(list(kind).await, vec![a, b]);
    let year = DocumentFilter { year: Some(2024), ..Default::default() };
    assert_eq!(list(year).await, vec![b]);
    let both =
        DocumentFilter { kind: Some(DocKind::WorkReport), year: Some(2025), ..Default::default() };
    assert_eq!(list(both).await, vec![a]);
    let page = DocumentFilter { limit: Some(1), offset: 1, ..Default::default() };
    assert_eq!(list(page.clone()).await, vec![b]);
    assert_eq!(store.count_documents(&page).await.expect("count"), 3, "limit does not count");
    let kind = DocumentFilter { kind: Some(DocKind::WorkReport), limit: Some(1), ..page };
    assert_eq!(store.count_documents(&kind).await.expect("count"), 2);
    let past_the_end = DocumentFilter { offset: 5, ..Default::default() };
    assert_eq!(list(past_the_end).await, Vec::<i64>::new());

    let rows = store.documents(&DocumentFilter::default()).await.expect("documents");
    assert_eq!(rows[0].region_name.as_deref(), Some("播州区"));
    assert_eq!(rows[0].year, Some(2025));
    assert_eq!(rows[0].kind, Some(DocKind::WorkReport));
    assert!(rows[0].fact_count >= 5);
    assert!(rows[0].ingested_at.ends_with('Z'));
}

storetest!(texts_page_through_every_document);
async fn texts_page_through_every_document(db: TestDb) {
    let store = &db.store;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(put(store, "t.txt", &format!("{REPORT_2024}附{i}\n"), "1").await.id);
    }
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store.texts(after, 2).await.expect("texts");
        let Some(last) = page.last() else { break };
        after = last.id;
        for row in page {
            assert!(row.text.starts_with("2024年遵义市汇川区政府工作报告"));
            assert_eq!(row.region_name.as_deref(), Some("汇川区"));
            assert_eq!(row.kind, Some(DocKind::WorkReport));
            seen.push(row.id);
        }
    }
    assert_eq!(seen, ids);
}

storetest!(generation_changes_with_the_documents);
async fn generation_changes_with_the_documents(db: TestDb) {
    let store = &db.store;
    let empty = store.generation().await.expect("generation");
    let a = put(store, "a.txt", REPORT_2025, "1").await;
    let one = store.generation().await.expect("generation");
    assert_ne!(one, empty);
    assert_eq!(a.generation, Some(one), "a put reports the generation its write made");
    assert_eq!(one.previous(), empty, "and that write was the only one");
    let unchanged = put(store, "a.txt", REPORT_2025, "1").await;
    assert_eq!(unchanged.generation, None, "an unchanged put writes nothing");
    assert_eq!(store.generation().await.expect("generation"), one);
    let two = store.reextract(a.id, &extracted(REPORT_2025), "2", &by()).await.expect("reextract");
    assert_eq!(store.generation().await.expect("generation"), two);
    assert_eq!(two.previous(), one);
    let b = put(store, "b.txt", PLAN, "1").await;
    let three = b.generation.expect("a new document is a write");
    assert_eq!(three.previous(), two);
    let four = store.delete_document(a.id, &by()).await.expect("deletes");
    assert_eq!(four.previous(), three);
    assert_eq!(store.generation().await.expect("generation"), four);
    assert!(store.delete_document(a.id, &by()).await.is_err());
    assert_eq!(store.generation().await.expect("generation"), four, "a failed write is none");
    // Each database has its own, so that one replaced by another is not taken for it.
    assert_eq!(four.database, empty.database);
    assert_ne!(four.to_string(), four.previous().to_string());
}

/// The integer `sql` selects for document `id` (`$1`), read behind the store's back.
async fn integer(url: &str, sql: &str, id: i64) -> i64 {
    use sqlx::{Connection, Row};
    sqlx::any::install_default_drivers();
    let url = if url.starts_with("postgres") { url.to_owned() } else { format!("sqlite:{url}") };
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("a connection");
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let row = sqlx::query(sql).bind(id).fetch_one(&mut conn).await.expect("a query");
    row.try_get(0).expect("an integer")
}

/// The rows of `table` that belong to document `id`.
async fn rows_of(url: &str, table: &str, id: i64) -> i64 {
    integer(url, &format!("SELECT COUNT(*) FROM {table} WHERE document_id = $1"), id).await
}

/// The bytes in the `original` column of document `id`.
async fn stored_original_len(url: &str, id: i64) -> i64 {
    integer(url, "SELECT CAST(LENGTH(original) AS BIGINT) FROM documents WHERE id = $1", id).await
}

storetest!(delete_removes_a_document_and_everything_extracted_from_it);
async fn delete_removes_a_document_and_everything_extracted_from_it(db: TestDb) {
    let store = &db.store;
    let a = put(store, "a.txt", REPORT_2025, "1").await;
    let b = put(store, "b.txt", REPORT_2024, "1").await;
    let b_facts = facts_of(store, b.id).await;
    for table in ["sections", "facts", "terms"] {
        assert!(rows_of(&db.url, table, a.id).await > 0, "the fixture has {table}");
    }
    store.delete_document(a.id, &by()).await.expect("deletes");
    assert!(store.document(a.id).await.expect("document").is_none());
    assert!(store.original(a.id).await.expect("original").is_none());
    assert!(store.text(a.id).await.expect("text").is_none());
    for table in ["sections", "facts", "terms"] {
        assert_eq!(rows_of(&db.url, table, a.id).await, 0, "its {table} went with it");
    }
    let listed: Vec<i64> = store
        .documents(&DocumentFilter::default())
        .await
        .expect("documents")
        .iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(listed, [b.id], "the other document stays");
    assert_eq!(facts_of(store, b.id).await, b_facts);
    assert_eq!(store.text(b.id).await.expect("text").map(|t| t.text).as_deref(), Some(REPORT_2024));

    let err = store.delete_document(a.id, &by()).await.expect_err("deleted already");
    assert!(matches!(err, Error::NotFound { .. }), "{err}");
    assert!(err.is_user());

    // The same bytes again are a new document, under an id never used before.
    let again = put(store, "a.txt", REPORT_2025, "1").await;
    assert_eq!(again.outcome, Outcome::New);
    assert!(again.id > b.id, "ids are not reused: {} after {}", again.id, b.id);
    assert_eq!(facts_of(store, again.id).await, extracted(REPORT_2025).facts.len());
}

storetest!(an_original_that_is_the_text_is_stored_once);
async fn an_original_that_is_the_text_is_stored_once(db: TestDb) {
    let store = &db.store;
    let txt = put(store, "a.txt", REPORT_2025, "1").await;
    assert_eq!(stored_original_len(&db.url, txt.id).await, 0, "kept as the text");
    let original = store.original(txt.id).await.expect("original").expect("there");
    assert_eq!(original.2, REPORT_2025.as_bytes());

    // An original that is not the text is kept as it came.
    let html = format!("<html><body><p>{}</p></body></html>", REPORT_2024.replace('\n', "</p><p>"));
    let from_html = taizhang_extract::extract(html.as_bytes(), taizhang_extract::Format::Html);
    assert_ne!(from_html.text.as_bytes(), html.as_bytes());
    let stored_html = store
        .put_document(
            NewDocument {
                name: "b.html",
                media_type: "text/html",
                original: html.as_bytes(),
                extracted: &from_html,
                extractor_version: "1",
            },
            &by(),
        )
        .await
        .expect("stored");
    assert_eq!(stored_original_len(&db.url, stored_html.id).await, html.len() as i64);
    let original = store.original(stored_html.id).await.expect("original").expect("there");
    assert_eq!(original.2, html.as_bytes());

    // A re-extraction that keeps the text keeps the original in it; one that changes the
    // text writes the original out first.
    store.reextract(txt.id, &extracted(REPORT_2025), "2", &by()).await.expect("reextract");
    assert_eq!(stored_original_len(&db.url, txt.id).await, 0);
    let mut changed = extracted(REPORT_2025);
    changed.text = REPORT_2025.replace("播州区", "某区");
    store.reextract(txt.id, &changed, "3", &by()).await.expect("reextract");
    assert_eq!(stored_original_len(&db.url, txt.id).await, REPORT_2025.len() as i64);
    let original = store.original(txt.id).await.expect("original").expect("there");
    assert_eq!(original.2, REPORT_2025.as_bytes(), "the original survives the new text");
    let stored = store.document(txt.id).await.expect("document").expect("there");
    assert_eq!(stored.extracted.text, changed.text);
    let again = put(store, "a.txt", REPORT_2025, "3").await;
    assert_eq!((again.id, again.outcome), (txt.id, Outcome::Unchanged), "the hash is the same");
}

storetest!(texts_of_several_documents_in_one_call);
async fn texts_of_several_documents_in_one_call(db: TestDb) {
    let store = &db.store;
    let a = put(store, "a.txt", REPORT_2025, "1").await.id;
    let b = put(store, "b.txt", REPORT_2024, "1").await.id;
    let texts = store.texts_of(&[b, a, a + b + 100]).await.expect("texts");
    assert_eq!(texts.len(), 2, "the missing id is left out");
    assert_eq!(texts[&a], REPORT_2025);
    assert_eq!(texts[&b], REPORT_2024);
    assert!(store.texts_of(&[]).await.expect("none").is_empty());
}
