//! Adding, replacing, deleting, rebuilding, stamps and the writer lock.

use taizhang_index::{Error, Index, UserError};

use crate::{doc, find, index_of};

#[test]
fn adding_a_document_again_replaces_it() {
    let mut index = index_of(&[doc(1, "旧标题", "推进碳达峰"), doc(2, "其他", "推进碳达峰")]);
    index.add(&doc(1, "新标题", "推进碳中和")).expect("adding works");
    index.commit().expect("commit works");
    assert_eq!(index.len(), 2);
    assert_eq!(find(&index, "碳达峰"), [2]);
    assert_eq!(find(&index, "碳中和"), [1]);
    assert_eq!(find(&index, "新标题"), [1]);
    assert_eq!(find(&index, "旧标题"), Vec::<i64>::new());
}

#[test]
fn adding_twice_before_a_commit_keeps_the_last() {
    let mut index = Index::in_memory().expect("opens");
    index.add(&doc(1, "t", "第一版")).expect("adding works");
    index.add(&doc(1, "t", "第二版")).expect("adding works");
    index.commit().expect("commit works");
    assert_eq!(index.len(), 1);
    assert_eq!(find(&index, "第二版"), [1]);
}

#[test]
fn deleted_documents_disappear_at_the_commit() {
    let mut index = index_of(&[doc(1, "t", "乡村振兴"), doc(2, "t", "乡村振兴")]);
    index.delete(1).expect("deleting works");
    assert_eq!(find(&index, "乡村振兴"), [1, 2], "not before the commit");
    index.commit().expect("commit works");
    assert_eq!(find(&index, "乡村振兴"), [2]);
    assert_eq!(index.len(), 1);
    index.delete(42).expect("deleting works");
    index.commit().expect("deleting a missing id is no error");
    assert_eq!(index.len(), 1);
}

#[test]
fn rebuild_and_stamp_survive_reopening() {
    let dir = tempfile::tempdir().expect("a temp dir");
    {
        let mut index = Index::open(dir.path()).expect("creates an index");
        assert_eq!(index.stamp(), None, "a new index has no stamp");
        assert!(index.is_empty());
        index.add(&doc(9, "t", "旧内容")).expect("adding works");
        index.commit().expect("commit works");
        let docs = (1..=3).map(|id| doc(id, "t", "高质量发展"));
        assert_eq!(index.rebuild(docs, "db-v1").expect("rebuild works"), 3);
        assert_eq!(index.stamp().as_deref(), Some("db-v1"));
    }
    let mut index = Index::open(dir.path()).expect("reopens");
    assert_eq!(index.stamp().as_deref(), Some("db-v1"));
    assert_eq!(index.len(), 3);
    assert_eq!(find(&index, "高质量发展"), [1, 2, 3]);
    assert_eq!(find(&index, "旧内容"), Vec::<i64>::new(), "rebuild clears");

    // A plain commit keeps the stamp; set_stamp replaces it.
    index.add(&doc(4, "t", "高质量发展")).expect("adding works");
    index.commit().expect("commit works");
    assert_eq!(index.stamp().as_deref(), Some("db-v1"));
    index.set_stamp("db-v2").expect("set_stamp works");
    drop(index);
    let index = Index::open(dir.path()).expect("reopens");
    assert_eq!(index.stamp().as_deref(), Some("db-v2"));
    assert_eq!(index.len(), 4);
}

#[test]
fn a_second_writer_on_the_same_directory_is_told_the_index_is_locked() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let first = Index::open(dir.path()).expect("creates an index");
    let error = Index::open(dir.path()).expect_err("the lock is held");
    assert!(error.is_user_error());
    match &error {
        Error::User(UserError::Locked { dir: locked }) => assert_eq!(locked, dir.path()),
        other => panic!("expected Locked, got {other:?}"),
    }
    assert!(error.to_string().contains("locked by another process"), "{error}");
    drop(first);
    Index::open(dir.path()).expect("the lock is released with the first index");
}

#[test]
fn a_shared_open_beside_a_writer_reads_what_it_commits() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut writer = Index::open(dir.path()).expect("creates an index");
    writer.add(&doc(1, "t", "新质生产力")).expect("adding works");
    writer.commit().expect("commit works");
    let mut shared = Index::open_shared(dir.path()).expect("opens beside the writer");
    assert!(writer.writable() && !shared.writable());
    assert_eq!(find(&shared, "新质生产力"), [1]);
    let error = shared.add(&doc(2, "t", "高质量发展")).expect_err("no writer here");
    assert!(matches!(error, Error::User(UserError::Locked { .. })), "{error:?}");
    // Without another writer, a shared open is a plain one.
    drop((writer, shared));
    assert!(Index::open_shared(dir.path()).expect("opens").writable());
}

#[test]
fn open_creates_missing_directories() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let nested = dir.path().join("data").join("index");
    let mut index = Index::open(&nested).expect("creates the directories");
    index.add(&doc(1, "t", "新质生产力")).expect("adding works");
    index.commit().expect("commit works");
    assert_eq!(find(&index, "新质生产力"), [1]);
}

#[test]
fn an_index_written_with_another_schema_is_replaced_by_an_empty_one() {
    let dir = tempfile::tempdir().expect("a temp dir");
    {
        let mut builder = tantivy::schema::Schema::builder();
        let title = builder.add_text_field("title", tantivy::schema::TEXT);
        let old = tantivy::Index::create_in_dir(dir.path(), builder.build()).expect("creates");
        let mut writer: tantivy::IndexWriter =
            old.writer_with_num_threads(1, 15_000_000).expect("a writer");
        writer.add_document(tantivy::doc!(title => "old")).expect("adds");
        let mut prepared = writer.prepare_commit().expect("prepares");
        prepared.set_payload("old-stamp");
        prepared.commit().expect("commits");
    }
    let mut index = Index::open(dir.path()).expect("replaces the old index");
    assert_eq!(index.stamp(), None, "so that the caller rebuilds");
    assert!(index.is_empty());
    index.rebuild([doc(1, "t", "碳中和")].into_iter(), "new").expect("rebuilds");
    assert_eq!(find(&index, "碳中和"), [1]);
}
