//! The ledger: tasks, progress reports with attachments, settings.

use taizhang_store::{
    Error, NewAttachment, NewReport, Task, TaskFilter, TaskSource, TaskStatus, region_prefix,
};

use crate::util::{REPORT_2025, TestDb, by, put};

fn task(title: &str, lead: &str, assisting: &[&str]) -> Task {
    Task {
        title: title.to_owned(),
        lead_unit: lead.to_owned(),
        assisting_units: assisting.iter().map(|s| (*s).to_owned()).collect(),
        start_date: Some("2026-01-01".into()),
        deadline: Some("2026-06-30".into()),
        deadline_text: "2026年6月底".into(),
        ..Task::default()
    }
}

storetest!(tasks_are_added_listed_updated_and_deleted);
async fn tasks_are_added_listed_updated_and_deleted(db: TestDb) {
    let store = &db.store;
    let before = store.generation().await.expect("generation");
    let (ids, generation) = store
        .add_tasks(
            &[
                task("地区生产总值增长6%左右", "市发展改革委", &["市统计局"]),
                task("新增城镇就业1万人", "市人力资源社会保障局", &["市发展改革委", "各区县"]),
                Task { ord: Some(10), ..task("完成造林5万亩", "市林业局", &[]) },
            ],
            &by(),
        )
        .await
        .expect("added");
    assert_eq!(generation.writes, before.writes + 1, "one write, one generation");
    assert_eq!(ids.len(), 3);
    let all = store.tasks(&TaskFilter::default()).await.expect("listed");
    assert_eq!(all.iter().map(|t| t.ord).collect::<Vec<_>>(), [1, 2, 10]);
    assert_eq!(all[1].task.assisting_units, ["市发展改革委", "各区县"]);
    assert_eq!(all[0].task.deadline_text, "2026年6月底");
    assert_eq!(all[0].task.status, TaskStatus::NotStarted);

    // Without a 序号, after the last.
    let (more, _) =
        store.add_tasks(&[task("建成5G基站300个", "", &[])], &by()).await.expect("added");
    assert_eq!(store.task(more[0]).await.expect("read").expect("there").ord, 11);

    // A unit leads or assists.
    let unit = |u: &str| TaskFilter { unit: Some(u.to_owned()), ..TaskFilter::default() };
    let led = store.tasks(&unit("市发展改革委")).await.expect("listed");
    assert_eq!(led.iter().map(|t| t.id).collect::<Vec<_>>(), [ids[0], ids[1]]);
    assert!(store.tasks(&unit("市发展")).await.expect("listed").is_empty(), "whole names");
    assert!(store.tasks(&unit("%")).await.expect("listed").is_empty(), "no wildcards");

    let mut edited = all[2].task.clone();
    edited.status = TaskStatus::InProgress;
    edited.problems = "苗木不足".into();
    edited.deadline = None;
    edited.deadline_text = "持续推进".into();
    store.update_task(ids[2], &edited, |_| Some(by())).await.expect("updated");
    let read = store.task(ids[2]).await.expect("read").expect("there");
    assert_eq!(read.task, edited);
    let doing = TaskFilter { status: Some(TaskStatus::InProgress), ..TaskFilter::default() };
    assert_eq!(store.tasks(&doing).await.expect("listed").len(), 1);

    // The change is made from the task as the write finds it; refusing to make one
    // refuses the write.
    let mut again = edited.clone();
    again.problems = "苗木已补齐".into();
    let mut seen = None;
    store
        .update_task(ids[2], &again, |before| {
            seen = Some(before.task.problems.clone());
            Some(by())
        })
        .await
        .expect("updated");
    assert_eq!(seen.as_deref(), Some("苗木不足"), "the task as this write replaced it");
    let g = store.generation().await.expect("generation");
    let e = store.update_task(ids[2], &edited, |_| None).await;
    assert!(matches!(e, Err(Error::Changed { what: "task", .. })), "{e:?}");
    let e = store.delete_task(ids[2], |_| None).await;
    assert!(matches!(e, Err(Error::Changed { .. })), "{e:?}");
    assert_eq!(store.generation().await.expect("generation"), g, "nothing written");
    assert_eq!(store.task(ids[2]).await.expect("read").expect("there").task.problems, "苗木已补齐");
    store.update_task(ids[2], &edited, |_| Some(by())).await.expect("back");

    // Refused: nothing written.
    let g = store.generation().await.expect("generation");
    for bad in [
        Task { title: "  ".into(), ..Task::default() },
        Task { percent: Some(120.0), ..task("x", "", &[]) },
        Task {
            source: Some(TaskSource { document_id: Some(999), ..TaskSource::default() }),
            ..task("x", "", &[])
        },
    ] {
        let e =
            store.add_tasks(&[task("好的一条", "", &[]), bad], &by()).await.expect_err("refused");
        assert!(e.is_user(), "{e}");
    }
    assert_eq!(store.generation().await.expect("generation"), g);
    assert_eq!(store.tasks(&TaskFilter::default()).await.expect("listed").len(), 4);
    assert!(matches!(
        store.update_task(999, &edited, |_| Some(by())).await,
        Err(Error::NotFound { what: "task", .. })
    ));

    // Adding some and updating others is one write; an update of a missing task undoes it.
    let renamed = Task { title: "完成造林6万亩".into(), ..edited.clone() };
    let (added, _) = store
        .put_tasks(&[task("新任务", "", &[])], &[(ids[2], renamed.clone())], &by())
        .await
        .expect("put");
    assert_eq!(store.task(ids[2]).await.expect("read").expect("there").task.title, "完成造林6万亩");
    let e = store.put_tasks(&[task("又一新任务", "", &[])], &[(999, renamed)], &by()).await;
    assert!(matches!(e, Err(Error::NotFound { what: "task", .. })), "{e:?}");
    assert_eq!(store.tasks(&TaskFilter::default()).await.expect("listed").len(), 5);
    store.delete_task(added[0], |_| Some(by())).await.expect("deleted");

    store.delete_task(ids[0], |_| Some(by())).await.expect("deleted");
    assert!(store.task(ids[0]).await.expect("read").is_none());
    assert!(matches!(store.delete_task(ids[0], |_| Some(by())).await, Err(Error::NotFound { .. })));
    assert_eq!(region_prefix("520300"), "5203");
}

storetest!(a_task_keeps_its_sentence_when_its_document_goes);
async fn a_task_keeps_its_sentence_when_its_document_goes(db: TestDb) {
    let store = &db.store;
    let doc = put(store, "a.txt", REPORT_2025, "1").await.id;
    let sentence = "全区地区生产总值增长6%左右";
    let start = REPORT_2025.find(sentence).expect("in the text");
    let source = TaskSource {
        document_id: Some(doc),
        start: Some(start),
        end: Some(start + sentence.len()),
        text: sentence.to_owned(),
    };
    let (ids, _) = store
        .add_tasks(
            &[Task { source: Some(source.clone()), ..task(sentence, "区发改局", &[]) }],
            &by(),
        )
        .await
        .expect("added");
    let row = store.task(ids[0]).await.expect("read").expect("there");
    assert_eq!(row.task.source.as_ref(), Some(&source));
    assert_eq!(row.document_title.as_deref(), Some("2025年遵义市播州区政府工作报告"));
    let by_doc = TaskFilter { document_id: Some(doc), ..TaskFilter::default() };
    assert_eq!(store.tasks(&by_doc).await.expect("listed").len(), 1);

    store.delete_document(doc, &by()).await.expect("deleted");
    let row = store.task(ids[0]).await.expect("read").expect("still there");
    let kept = row.task.source.expect("a source");
    assert_eq!(kept.document_id, None);
    assert_eq!(kept.text, sentence);
    assert_eq!(row.document_title, None);
}

storetest!(reports_update_their_task_and_keep_their_evidence);
async fn reports_update_their_task_and_keep_their_evidence(db: TestDb) {
    let store = &db.store;
    let (ids, _) =
        store.add_tasks(&[task("建成5G基站300个", "市大数据局", &[])], &by()).await.expect("added");
    let id = ids[0];
    let report = |day: &str, percent: f64, note: &str| NewReport {
        period: day[..7].to_owned(),
        unit: "市大数据局".into(),
        reported_on: day.to_owned(),
        value: Some(percent * 3.0),
        percent: Some(percent),
        status: TaskStatus::InProgress,
        note: note.to_owned(),
    };
    let pdf = NewAttachment {
        name: "验收单.pdf".into(),
        media_type: "application/pdf".into(),
        bytes: b"%PDF-1.4 evidence".to_vec(),
    };
    let (r1, _) = store
        .add_report(
            id,
            &report("2026-03-31", 40.0, "已建成120个"),
            std::slice::from_ref(&pdf),
            &by(),
        )
        .await
        .expect("added");
    let t = store.task(id).await.expect("read").expect("there");
    assert_eq!((t.task.percent, t.task.status), (Some(40.0), TaskStatus::InProgress));
    assert_eq!(t.task.progress, "已建成120个");

    // A late report on an earlier period does not overwrite the latest.
    store
        .add_report(id, &report("2026-02-28", 20.0, "已建成60个"), &[], &by())
        .await
        .expect("added");
    let t = store.task(id).await.expect("read").expect("there");
    assert_eq!((t.task.percent, t.task.progress.as_str()), (Some(40.0), "已建成120个"));

    let reports = store.reports(id).await.expect("listed");
    assert_eq!(
        reports.iter().map(|r| r.report.reported_on.as_str()).collect::<Vec<_>>(),
        ["2026-03-31", "2026-02-28"]
    );
    assert_eq!(reports[0].id, r1);
    assert_eq!(reports[0].report.value, Some(120.0));
    let a = &reports[0].attachments[0];
    assert_eq!((a.name.as_str(), a.size), ("验收单.pdf", pdf.bytes.len()));
    assert_eq!(a.sha256.len(), 64);
    let (row, bytes) = store.attachment(a.id).await.expect("read").expect("there");
    assert_eq!((row.media_type.as_str(), bytes), ("application/pdf", pdf.bytes.clone()));

    // Refused: nothing written.
    let g = store.generation().await.expect("generation");
    assert!(store.add_report(id, &report("2026-04-30", 101.0, ""), &[], &by()).await.is_err());
    let no_unit = NewReport { unit: " ".into(), ..report("2026-04-30", 50.0, "") };
    assert!(store.add_report(id, &no_unit, &[], &by()).await.is_err());
    assert!(matches!(
        store.add_report(999, &report("2026-04-30", 50.0, ""), &[], &by()).await,
        Err(Error::NotFound { what: "task", .. })
    ));
    assert_eq!(store.generation().await.expect("generation"), g);

    store.delete_task(id, |_| Some(by())).await.expect("deleted");
    assert!(store.reports(id).await.expect("listed").is_empty());
    assert!(store.attachment(a.id).await.expect("read").is_none());
}

storetest!(settings_are_kept);
async fn settings_are_kept(db: TestDb) {
    let store = &db.store;
    assert_eq!(store.setting("warning_thresholds").await.expect("read"), None);
    let set = |value: &'static str| move |_: Option<&str>| (value.to_owned(), by());
    store
        .update_setting("warning_thresholds", set(r#"{"yellow":10,"red":30}"#))
        .await
        .expect("set");
    let mut seen = None;
    store
        .update_setting("warning_thresholds", |before| {
            seen = before.map(str::to_owned);
            (r#"{"yellow":5,"red":20}"#.to_owned(), by())
        })
        .await
        .expect("set");
    assert_eq!(seen.as_deref(), Some(r#"{"yellow":10,"red":30}"#), "the value it replaces");
    assert_eq!(
        store.setting("warning_thresholds").await.expect("read").as_deref(),
        Some(r#"{"yellow":5,"red":20}"#)
    );
}
