//! Assessment: schemes and saved runs.

use taizhang_store::{Error, NewRun, NewScheme};

use crate::util::{TestDb, by};

fn scheme(name: &str, year: Option<i32>) -> NewScheme {
    NewScheme { name: name.to_owned(), year, body: format!(r#"{{"name":"{name}"}}"#) }
}

storetest!(schemes_are_added_listed_updated_and_deleted);
async fn schemes_are_added_listed_updated_and_deleted(db: TestDb) {
    let store = &db.store;
    let before = store.generation().await.expect("generation");
    let (a, generation) =
        store.add_scheme(&scheme("县区综合考核", Some(2025)), &by()).await.expect("added");
    assert_eq!(generation.writes, before.writes + 1, "one write, one generation");
    let (b, _) =
        store.add_scheme(&scheme("B 部门绩效考核", Some(2026)), &by()).await.expect("added");
    let (c, _) = store.add_scheme(&scheme("通用方案", None), &by()).await.expect("added");
    let (d, _) =
        store.add_scheme(&scheme("A 安全生产考核", Some(2026)), &by()).await.expect("added");

    // The latest year first, then by name (Latin initials, so that the collation of
    // Chinese on the PostgreSQL server does not matter); no year last.
    let ids: Vec<i64> = store.schemes().await.expect("listed").iter().map(|s| s.id).collect();
    assert_eq!(ids, [d, b, a, c]);

    let read = store.scheme(a).await.expect("read").expect("there");
    assert_eq!(read.scheme, scheme("县区综合考核", Some(2025)));
    assert_eq!(read.created_at, read.updated_at);

    let edited = NewScheme {
        body: r#"{"name":"改"}"#.into(),
        ..scheme("县区综合考核（修订）", None)
    };
    store.update_scheme(a, &edited, |_| by()).await.expect("updated");
    let read = store.scheme(a).await.expect("read").expect("there");
    assert_eq!(read.scheme, edited);
    assert!(read.updated_at > read.created_at);

    store.delete_scheme(c, |_| by()).await.expect("deleted");
    assert!(store.scheme(c).await.expect("read").is_none());
    assert!(matches!(
        store.delete_scheme(c, |_| by()).await,
        Err(Error::NotFound { what: "scheme", .. })
    ));
    assert!(matches!(
        store.update_scheme(c, &edited, |_| by()).await,
        Err(Error::NotFound { what: "scheme", .. })
    ));
    let blank = store.add_scheme(&scheme(" ", None), &by()).await.expect_err("a name is required");
    assert!(blank.is_user());
}

storetest!(runs_keep_the_scheme_they_were_made_with);
async fn runs_keep_the_scheme_they_were_made_with(db: TestDb) {
    let store = &db.store;
    let (id, _) =
        store.add_scheme(&scheme("县区综合考核", Some(2026)), &by()).await.expect("added");
    let run = |label: &str| NewRun {
        scheme_id: id,
        label: label.to_owned(),
        scheme: r#"{"name":"县区综合考核"}"#.into(),
        inputs: "[]".into(),
        outcome: r#"{"subjects":[]}"#.into(),
    };
    let (first, _) = store.add_run(&run("第一季度"), &by()).await.expect("saved");
    let (second, _) = store.add_run(&run("第二季度"), &by()).await.expect("saved");
    store.update_scheme(id, &scheme("县区综合考核", Some(2027)), |_| by()).await.expect("updated");
    let runs = store.runs(id).await.expect("listed");
    assert_eq!(runs.iter().map(|r| r.id).collect::<Vec<_>>(), [second, first], "latest first");
    assert_eq!(runs[1].run, run("第一季度"), "the scheme as it was");
    assert_eq!(store.run(first).await.expect("read").expect("there").run, run("第一季度"));

    let missing = NewRun { scheme_id: id + 100, ..run("x") };
    assert!(matches!(
        store.add_run(&missing, &by()).await,
        Err(Error::NotFound { what: "scheme", .. })
    ));

    store.delete_scheme(id, |_| by()).await.expect("deleted with its runs");
    assert!(store.run(first).await.expect("read").is_none());
    assert!(store.runs(id).await.expect("listed").is_empty());
}

storetest!(inputs_entered_by_hand_are_kept_with_their_scheme);
async fn inputs_entered_by_hand_are_kept_with_their_scheme(db: TestDb) {
    let store = &db.store;
    let (id, _) =
        store.add_scheme(&scheme("2026年度考核", Some(2026)), &by()).await.expect("added");
    assert_eq!(store.scheme_inputs(id).await.expect("read").as_deref(), Some("[]"));
    let json = r#"[{"subject":"县住建局","indicator":"safety","count":1}]"#;
    store
        .set_scheme_inputs(id, json, |before| {
            assert_eq!(before, "[]");
            by()
        })
        .await
        .expect("set");
    assert_eq!(store.scheme_inputs(id).await.expect("read").as_deref(), Some(json));
    // Editing the scheme keeps them.
    store.update_scheme(id, &scheme("2026年度综合考核", Some(2026)), |_| by()).await.expect("edit");
    assert_eq!(store.scheme_inputs(id).await.expect("read").as_deref(), Some(json));
    assert!(store.scheme_inputs(999).await.expect("read").is_none());
    let e = store.set_scheme_inputs(999, "[]", |_| by()).await;
    assert!(matches!(e, Err(Error::NotFound { .. })), "{e:?}");
}
