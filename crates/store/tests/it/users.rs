//! Users, sessions, failed logins and the audit log.

use taizhang_store::{
    AuditFilter, AuditOutcome, Change, Error, NewUser, Role, Task, UserUpdate, timestamp,
};

use crate::util::TestDb;

fn user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: String::new(),
        role,
        unit: String::new(),
        password_hash: "$argon2id$not-checked-here".into(),
    }
}

fn later(seconds: u64) -> String {
    timestamp(std::time::SystemTime::now() + std::time::Duration::from_secs(seconds))
}

storetest!(a_session_finds_its_user_until_it_ends_or_the_user_changes);
async fn a_session_finds_its_user_until_it_ends_or_the_user_changes(db: TestDb) {
    let store = &db.store;
    let by = Change::new("命令行", "user.add", "user", "");
    let id = store.add_user(&user("li", Role::Reporter), &by).await.expect("added");
    let taken = store.add_user(&user("li", Role::Viewer), &by).await.expect_err("taken");
    assert!(matches!(taken, Error::Invalid { what: "username", .. }), "{taken}");

    let login = Change::new("li", "login", "user", "");
    store.add_session("hash-a", id, "csrf-a", &later(3600), &login).await.expect("a session");
    store.add_session("hash-old", id, "csrf-b", &later(0), &login).await.expect("a session");
    let s = store.session("hash-a").await.expect("read").expect("live");
    assert_eq!(
        (s.user.username.as_str(), s.user.role, s.csrf_token.as_str()),
        ("li", Role::Reporter, "csrf-a")
    );
    assert!(store.session("hash-old").await.expect("read").is_none(), "an ended session");
    assert!(store.session("unknown").await.expect("read").is_none());

    // A role changed since login applies at once; a new password ends the sessions.
    let change = Change::new("admin", "user.update", "user", &id.to_string());
    let promote = UserUpdate { role: Some(Role::Planner), ..UserUpdate::default() };
    store.update_user(id, &promote, &change).await.expect("updated");
    assert_eq!(
        store.session("hash-a").await.expect("read").expect("live").user.role,
        Role::Planner
    );
    let password =
        UserUpdate { password_hash: Some("$argon2id$new".into()), ..UserUpdate::default() };
    store.update_user(id, &password, &change).await.expect("updated");
    assert!(store.session("hash-a").await.expect("read").is_none(), "ended by the new password");
    let missing = store.update_user(id + 100, &promote, &change).await.expect_err("no such user");
    assert!(matches!(missing, Error::NotFound { what: "user", .. }));
}

storetest!(failed_logins_are_counted_per_key_within_the_window);
async fn failed_logins_are_counted_per_key_within_the_window(db: TestDb) {
    let store = &db.store;
    let failed = Change::new("wang", "login", "user", "wang").with_detail("密码错误");
    let since = timestamp(std::time::SystemTime::now() - std::time::Duration::from_secs(60));
    for _ in 0..3 {
        store.add_login_failure(&["user:wang", "addr:10.0.0.9"], &failed).await.expect("counted");
    }
    assert_eq!(store.login_failures("user:wang", &since).await.expect("read"), 3);
    assert_eq!(store.login_failures("addr:10.0.0.9", &since).await.expect("read"), 3);
    assert_eq!(
        store.login_failures("user:wang", &later(60)).await.expect("read"),
        0,
        "outside the window"
    );
    store.clear_login_failures("user:wang", &since).await.expect("cleared");
    assert_eq!(store.login_failures("user:wang", &since).await.expect("read"), 0);
    assert_eq!(
        store.login_failures("addr:10.0.0.9", &since).await.expect("read"),
        3,
        "the address keeps its count"
    );
    let refused = AuditFilter { outcome: Some(AuditOutcome::Refused), ..AuditFilter::default() };
    assert_eq!(store.count_audit_log(&refused).await.expect("counted"), 3);
}

storetest!(every_write_is_recorded_with_its_change_and_the_log_is_append_only);
async fn every_write_is_recorded_with_its_change_and_the_log_is_append_only(db: TestDb) {
    let store = &db.store;
    let add = Change::new("zhang", "task.add", "task", "")
        .with_states(None, Some(r#"{"title":"修路"}"#.into()));
    let (ids, _) = store
        .add_tasks(&[Task { title: "修路".into(), ..Task::default() }], &add)
        .await
        .expect("added");
    // A refused write records nothing: the change and its record go together.
    let bad = Change::new("zhang", "task.update", "task", "999");
    let missing = store
        .update_task(999, &Task { title: "x".into(), ..Task::default() }, |_| Some(bad.clone()))
        .await;
    assert!(missing.is_err());
    store
        .record_refusal(
            &Change::new("li", "task.delete", "task", &ids[0].to_string())
                .with_detail("无权删除任务"),
        )
        .await
        .expect("recorded");

    let all = store.audit_log(&AuditFilter::default()).await.expect("read");
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!((all[0].change.actor.as_str(), all[0].outcome), ("li", AuditOutcome::Refused));
    assert_eq!(all[1].change.target_id, ids[0].to_string(), "an insert records the new id");
    assert_eq!(all[1].change.after.as_deref(), Some(r#"{"title":"修路"}"#));
    let by_action = AuditFilter { action: Some("task.a".into()), ..AuditFilter::default() };
    assert_eq!(
        store.count_audit_log(&by_action).await.expect("counted"),
        1,
        "a prefix of the action"
    );
    let by_actor =
        AuditFilter { actor: Some("zhang".into()), limit: Some(1), ..AuditFilter::default() };
    assert_eq!(store.audit_log(&by_actor).await.expect("read").len(), 1);
    let today = &all[0].at[..10];
    let until_today = AuditFilter { until: Some(today.into()), ..AuditFilter::default() };
    assert_eq!(
        store.count_audit_log(&until_today).await.expect("counted"),
        2,
        "a date takes in the day"
    );

    // No statement may change or remove an entry, whoever sends it.
    sqlx::any::install_default_drivers();
    let url = if db.url.starts_with("postgres") || db.url.starts_with("sqlite:") {
        db.url.clone()
    } else {
        format!("sqlite:{}", db.url)
    };
    let mut conn =
        <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.expect("connects");
    for sql in ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"] {
        let refused = sqlx::query(sql).execute(&mut conn).await;
        assert!(refused.is_err(), "{sql} was refused");
    }
    assert_eq!(store.count_audit_log(&AuditFilter::default()).await.expect("counted"), 2);
}

storetest!(the_last_administrator_stays_even_when_two_are_demoted_at_once);
async fn the_last_administrator_stays_even_when_two_are_demoted_at_once(db: TestDb) {
    let store = &db.store;
    let by = Change::new("命令行", "user.update", "user", "");
    let a = store.add_user(&user("admin_a", Role::Admin), &by).await.expect("added");
    let b = store.add_user(&user("admin_b", Role::Admin), &by).await.expect("added");
    let demote = UserUpdate { role: Some(Role::Planner), ..UserUpdate::default() };
    // Both at once: one of them stays an administrator.
    let (ra, rb) =
        tokio::join!(store.update_user(a, &demote, &by), store.update_user(b, &demote, &by));
    assert!(ra.is_ok() != rb.is_ok(), "exactly one is refused: {ra:?} {rb:?}");
    let refused = ra.err().or(rb.err()).expect("one refusal");
    assert!(matches!(refused, Error::Invalid { what: "user", .. }), "{refused}");
    let admins = store.users().await.expect("users");
    assert_eq!(admins.iter().filter(|u| u.role == Role::Admin).count(), 1);
    // Without administrators to begin with, other users change freely.
    let c = store.add_user(&user("planner_c", Role::Viewer), &by).await.expect("added");
    store.update_user(c, &demote, &by).await.expect("no administrator is lost");
}
