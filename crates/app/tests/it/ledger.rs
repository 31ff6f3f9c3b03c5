//! The ledger end to end: tasks from a document's targets, progress reports lighting
//! warnings, the sheet out and back in, a malformed sheet adding nothing — and the search
//! index following ledger writes without a rebuild.

use crate::actor;
use taizhang_app::App;
use taizhang_app::ingest::FileOutcome;
use taizhang_app::ledger::date::Date;
use taizhang_app::ledger::schedule::Light;
use taizhang_app::ledger::{Error, ImportMode, LedgerFilter};
use taizhang_index::SearchQuery;
use taizhang_store::{NewAttachment, NewReport, Task, TaskStatus};

const REPORT: &str = "2026年样例县政府工作报告\n\
    一、2025年工作回顾\n\
    全县地区生产总值增长5.8%。\n\
    二、2026年主要目标\n\
    地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内，粮食产量稳定在30万吨以上。\n";

fn day(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).expect("a valid day")
}

async fn open() -> (tempfile::TempDir, App, i64) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    let outcome = app
        .ingest_bytes(&actor(), "样例县.txt", REPORT.as_bytes().to_vec(), 1 << 20)
        .await
        .expect("ingested");
    let FileOutcome::New { id, .. } = outcome else { panic!("stored: {outcome:?}") };
    (dir, app, id)
}

#[tokio::test]
async fn a_documents_targets_become_tasks_that_light_up() {
    let (_dir, app, doc) = open().await;
    let made = app.tasks_from_document(&actor(), doc, None, "县发展改革局").await.expect("made");
    assert_eq!(made.added.len(), 3, "three targets, three tasks");
    let again = app.tasks_from_document(&actor(), doc, None, "").await.expect("made");
    assert_eq!((again.added.len(), again.existing), (0, 3), "not twice");

    let today = day(2026, 7, 1);
    let rows = app.ledger(&LedgerFilter::default(), today).await.expect("listed");
    let titles: Vec<&str> = rows.iter().map(|r| r.row.task.title.as_str()).collect();
    assert_eq!(
        titles,
        ["地区生产总值增长6%左右", "城镇调查失业率控制在5.5%以内", "粮食产量稳定在30万吨以上"]
    );
    let first = &rows[0].row;
    assert_eq!(first.ord, 1);
    assert_eq!(first.task.lead_unit, "县发展改革局");
    assert_eq!(first.task.deadline.as_deref(), Some("2026-12-31"));
    assert_eq!(first.task.deadline_text, "2026年底");
    let source = first.task.source.as_ref().expect("a source");
    assert_eq!(source.document_id, Some(doc));
    assert_eq!(&REPORT[source.start.unwrap()..source.end.unwrap()], source.text);
    assert!(source.text.starts_with("地区生产总值增长6%左右，城镇调查失业率"));
    // Half the year gone, nothing reported: red.
    assert_eq!(rows[0].schedule.light, Light::Red);

    // A report of 45% is 4.6 points behind on 1 July: green; 25% is yellow.
    let report = |percent: f64, on: &str| NewReport {
        period: "2026年6月".into(),
        unit: "县发展改革局".into(),
        reported_on: on.into(),
        percent: Some(percent),
        status: TaskStatus::InProgress,
        note: format!("完成{percent}%"),
        ..NewReport::default()
    };
    let evidence = NewAttachment {
        name: "统计快报.txt".into(),
        media_type: "text/plain".into(),
        bytes: "上半年增长6.2%".as_bytes().to_vec(),
    };
    app.report_progress(&actor(), first.id, report(45.0, "2026-06-30"), &[evidence])
        .await
        .expect("reported");
    let row = app.ledger_row(first.id, today).await.expect("read").expect("there");
    assert_eq!(row.schedule.light, Light::Green);
    assert_eq!(row.row.task.progress, "完成45%");
    app.report_progress(&actor(), rows[1].row.id, report(25.0, "2026-06-30"), &[])
        .await
        .expect("reported");
    let yellow = LedgerFilter { light: Some(Light::Yellow), ..LedgerFilter::default() };
    let listed = app.ledger(&yellow, today).await.expect("listed");
    assert_eq!(listed.iter().map(|r| r.row.id).collect::<Vec<_>>(), [rows[1].row.id]);

    // Stricter thresholds make it red.
    app.set_thresholds(&actor(), 5.0, 20.0).await.expect("set");
    let row = app.ledger_row(rows[1].row.id, today).await.expect("read").expect("there");
    assert_eq!(row.schedule.light, Light::Red);
    assert!(matches!(app.set_thresholds(&actor(), 40.0, 20.0).await, Err(Error::Invalid(_))));

    let board = app.warnings(today).await.expect("counted");
    assert_eq!(board.len(), 1);
    let w = &board[0];
    assert_eq!((w.unit.as_str(), w.total, w.green, w.yellow, w.red), ("县发展改革局", 3, 1, 0, 2));

    // Bad reports are refused.
    for bad in [
        report(120.0, "2026-06-30"),
        report(10.0, "下月"),
        NewReport { unit: " ".into(), ..report(1.0, "2026-06-30") },
    ] {
        let e = app.report_progress(&actor(), first.id, bad, &[]).await.expect_err("refused");
        assert!(e.is_user(), "{e}");
    }
    let e = app
        .report_progress(&actor(), 999, report(1.0, "2026-06-30"), &[])
        .await
        .expect_err("refused");
    assert!(e.is_user(), "{e}");

    // The index followed every ledger write: it is not rebuilt, and still finds the report.
    assert_eq!(app.sync_index().await.expect("synced"), None);
    assert_eq!(app.search(&SearchQuery::new("样例县")).expect("searched").len(), 1);
}

#[tokio::test]
async fn the_sheet_goes_out_and_comes_back_and_a_bad_one_adds_nothing() {
    let (_dir, app, doc) = open().await;
    app.tasks_from_document(&actor(), doc, None, "县发展改革局").await.expect("made");
    let today = day(2026, 3, 1);
    let by_hand = Task {
        title: "持续优化营商环境".into(),
        lead_unit: "县营商环境局".into(),
        assisting_units: vec!["县市场监管局、县政务服务中心".into()],
        deadline_text: "长期坚持".into(),
        ..Task::default()
    };
    let id = app.add_task(&actor(), by_hand, today).await.expect("added");
    let task = app.ledger_row(id, today).await.expect("read").expect("there").row.task;
    assert_eq!(task.assisting_units, ["县市场监管局", "县政务服务中心"]);
    assert_eq!(task.deadline, None);
    let bad = Task { title: "x".into(), deadline_text: "下月".into(), ..Task::default() };
    let e = app.add_task(&actor(), bad, today).await.expect_err("refused");
    assert_eq!(e.to_string(), "完成时限：无法识别的日期“下月”");

    let before = app.ledger(&LedgerFilter::default(), today).await.expect("listed");
    let sheet = app.export_ledger(&LedgerFilter::default(), today).await.expect("exported");

    // Into another store: the same tasks.
    let (_dir2, other, _) = open().await;
    let ids =
        other.import_ledger(&actor(), &sheet, 2026, ImportMode::Add).await.expect("imported").added;
    assert_eq!(ids.len(), before.len());
    let after = other.ledger(&LedgerFilter::default(), today).await.expect("listed");
    let tasks = |rows: &[taizhang_app::ledger::LedgerRow]| -> Vec<Task> {
        rows.iter().map(|r| r.row.task.clone()).collect()
    };
    assert_eq!(tasks(&after), tasks(&before));

    // A sheet with a bad cell adds nothing.
    let mut broken = before[0].row.clone();
    broken.task.deadline = None;
    broken.task.deadline_text = "下月".into();
    let rows: Vec<_> = [before[1].row.clone(), broken].into_iter().collect();
    let bytes = taizhang_app::ledger::sheet::write(&rows).expect("written");
    let e =
        other.import_ledger(&actor(), &bytes, 2026, ImportMode::Add).await.expect_err("refused");
    assert!(e.is_user());
    assert!(e.to_string().contains("第3行 E列（完成时限）：无法识别的日期“下月”"), "{e}");
    assert_eq!(
        other.ledger(&LedgerFilter::default(), today).await.expect("listed").len(),
        after.len()
    );
}

#[tokio::test]
async fn a_sheet_filled_in_by_the_units_updates_its_tasks_by_number() {
    let (_dir, app, doc) = open().await;
    app.tasks_from_document(&actor(), doc, None, "县发展改革局").await.expect("made");
    let today = day(2026, 7, 1);
    let report = NewReport {
        period: "2026年6月".into(),
        unit: "县发展改革局".into(),
        reported_on: "2026-06-30".into(),
        percent: Some(50.0),
        status: TaskStatus::InProgress,
        ..NewReport::default()
    };
    let before = app.ledger(&LedgerFilter::default(), today).await.expect("listed");
    app.report_progress(&actor(), before[0].row.id, report, &[]).await.expect("reported");
    let before = app.ledger(&LedgerFilter::default(), today).await.expect("listed");

    // The sheet goes out with the eight columns only; a unit fills in row 2 and adds a row.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in taizhang_app::ledger::sheet::COLUMNS.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("a cell");
    }
    for (i, r) in before.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, r.row.ord as f64).expect("a cell");
        sheet.write_string(row, 1, &r.row.task.title).expect("a cell");
        sheet.write_string(row, 2, &r.row.task.lead_unit).expect("a cell");
        sheet.write_string(row, 4, &r.row.task.deadline_text).expect("a cell");
    }
    sheet.write_string(2, 5, "二季度失业率5.2%").expect("a cell");
    sheet.write_string(2, 6, "就业压力较大").expect("a cell");
    sheet.write_string(2, 7, "开展春风行动").expect("a cell");
    sheet.write_number(4, 0, 9.0).expect("a cell");
    sheet.write_string(4, 1, "新增城镇就业5000人").expect("a cell");
    sheet.write_string(4, 4, "2026年底").expect("a cell");
    let bytes = book.save_to_buffer().expect("saved");

    let done =
        app.import_ledger(&actor(), &bytes, 2026, ImportMode::Update).await.expect("imported");
    assert_eq!((done.updated.len(), done.added.len()), (3, 1));
    let after = app.ledger(&LedgerFilter::default(), today).await.expect("listed");
    assert_eq!(after.len(), 4);
    let second = &after[1].row.task;
    assert_eq!(second.progress, "二季度失业率5.2%");
    assert_eq!(second.problems, "就业压力较大");
    assert_eq!(
        second.status,
        TaskStatus::InProgress,
        "guessed from 进展情况 without a 状态 column"
    );
    assert_eq!(second.source, before[1].row.task.source, "the source stays");
    let first = &after[0].row.task;
    assert_eq!((first.percent, first.status), (Some(50.0), TaskStatus::InProgress), "kept");
    assert_eq!(first.start_date, before[0].row.task.start_date);
    assert_eq!(after[3].row.task.title, "新增城镇就业5000人");
    assert_eq!(after[3].row.ord, 9);

    // Two tasks with the same 序号 cannot be updated by it: nothing changes.
    app.add_task(
        &actor(),
        Task { ord: Some(9), title: "重号任务".into(), ..Task::default() },
        today,
    )
    .await
    .expect("added");
    let e =
        app.import_ledger(&actor(), &bytes, 2026, ImportMode::Update).await.expect_err("refused");
    assert!(e.to_string().contains("第5行 A列（序号）：台账中有2项任务的序号都是9"), "{e}");
    assert_eq!(app.ledger(&LedgerFilter::default(), today).await.expect("listed").len(), 5);
}

/// Concurrent edits of one task: each audit entry's "before" is the previous entry's
/// "after", so that the log tells the task's history without a gap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_edits_leave_an_unbroken_history_in_the_audit_log() {
    let (_dir, app, _) = open().await;
    let app = std::sync::Arc::new(app);
    let task =
        Task {
            title: "修缮老城区道路".into(), lead_unit: "县住建局".into(), ..Task::default()
        };
    let id = app.add_task(&actor(), task.clone(), day(2026, 3, 1)).await.expect("added");
    let edits: Vec<_> = (0..12)
        .map(|n| {
            let app = app.clone();
            let task = Task { problems: format!("第{n}次修改"), ..task.clone() };
            tokio::spawn(async move { app.update_task(&actor(), id, task, day(2026, 3, 2)).await })
        })
        .collect();
    for e in edits {
        e.await.expect("joined").expect("every edit is written");
    }
    let filter = taizhang_app::auth::AuditFilter {
        action: Some("task.update".into()),
        target_id: Some(id.to_string()),
        ..Default::default()
    };
    let (mut log, total) = app.audit_log(&actor(), &filter).await.expect("the log");
    assert_eq!(total, 12);
    log.reverse();
    let state = |s: &Option<String>| -> serde_json::Value {
        serde_json::from_str(s.as_deref().expect("a state")).expect("JSON")
    };
    for pair in log.windows(2) {
        assert_eq!(
            state(&pair[1].change.before)["problems"],
            state(&pair[0].change.after)["problems"],
            "entry {} replaced what entry {} wrote",
            pair[1].id,
            pair[0].id
        );
    }
    let last = state(&log[11].change.after)["problems"].clone();
    let now = app.store().task(id).await.expect("read").expect("there").task.problems;
    assert_eq!(last, serde_json::Value::String(now));
}

/// Tolerances are one setting changed key by key: ten set at once for ten indicators are
/// all kept, each audit entry's "before" being the previous entry's "after".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_changes_of_one_setting_lose_nothing() {
    let (_dir, app, _) = open().await;
    let app = std::sync::Arc::new(app);
    let sets: Vec<_> = (0..10)
        .map(|n| {
            let app = app.clone();
            tokio::spawn(async move {
                app.set_tolerance(&actor(), &format!("indicator_{n}"), Some(f64::from(n))).await
            })
        })
        .collect();
    for s in sets {
        s.await.expect("joined").expect("set");
    }
    let kept = app.tolerances().await.expect("read");
    assert_eq!(kept.by_indicator.len(), 10, "{kept:?}");
    let filter = taizhang_app::auth::AuditFilter {
        action: Some("setting.update".into()),
        ..Default::default()
    };
    let (mut log, total) = app.audit_log(&actor(), &filter).await.expect("the log");
    assert_eq!(total, 10);
    log.reverse();
    assert_eq!(log[0].change.before, None);
    for pair in log.windows(2) {
        assert_eq!(pair[1].change.before, pair[0].change.after);
    }
}
