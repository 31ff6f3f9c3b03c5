//! Assessment end to end: a scheme stored, exported and imported; inputs gathered from
//! the track (a region's target and result) and from the ledger (a unit's red and overdue
//! tasks), hand-entered inputs taking their place; a run saved.

use crate::actor;
use taizhang_app::App;
use taizhang_app::assess::{Error, Gather, Input, Scheme};
use taizhang_app::ledger::date::Date;
use taizhang_store::Task;

/// Two counties' reports for 2025 and 2026 (real codes, made-up figures): each 2025 report
/// sets the year's growth target, each 2026 report gives the result.
const REPORTS: [(&str, &str); 4] = [
    ("播州区2025.txt", "2025年播州区政府工作报告\n二、2025年主要目标\n地区生产总值增长6%左右。\n"),
    (
        "播州区2026.txt",
        "2026年播州区政府工作报告\n一、2025年工作回顾\n全区地区生产总值增长5.2%。\n",
    ),
    (
        "汇川区2025.txt",
        "2025年汇川区政府工作报告\n二、2025年主要目标\n地区生产总值增长6.5%左右。\n",
    ),
    ("汇川区2026.txt", "2026年汇川区政府工作报告\n一、2025年工作回顾\n全区地区生产总值增长7%。\n"),
];

const COUNTIES: &str = r#"{
    "name": "2025年度县区经济发展考核",
    "year": 2025,
    "indicators": [
        {"key": "growth", "name": "地区生产总值增速", "weight": 10,
         "method": {"kind": "ratio", "cap": 1.2}, "source": {"kind": "track", "indicator": "gdp_growth"}},
        {"key": "safety", "name": "安全生产", "method": {"kind": "veto"}}
    ],
    "lists": {"red": {"top_n": 1, "require_met": true}, "black": {"bottom_n": 1}}
}"#;

const UNITS: &str = r#"{
    "name": "部门督查考核",
    "indicators": [
        {"key": "overdue", "name": "逾期任务", "weight": 10,
         "method": {"kind": "deduction", "per_occurrence": 2, "max": 10},
         "source": {"kind": "ledger", "count": "overdue"}}
    ]
}"#;

async fn open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    (dir, app)
}

async fn ingest_reports(app: &App) {
    for (name, text) in REPORTS {
        app.ingest_bytes(&actor(), name, text.as_bytes().to_vec(), 1 << 20)
            .await
            .expect("ingested");
    }
}

#[track_caller]
fn total(run: &taizhang_app::assess::Run, subject: &str) -> f64 {
    run.assessment
        .subjects
        .iter()
        .find(|s| s.subject == subject)
        .unwrap_or_else(|| panic!("{subject} was assessed: {:?}", run.assessment.subjects))
        .total
}

#[tokio::test]
async fn counties_are_scored_from_their_targets_and_results() {
    let (_dir, app) = open().await;
    ingest_reports(&app).await;
    let id = app.import_scheme(&actor(), COUNTIES).await.expect("imported");
    let run = app.run_scheme(id, &Gather::default(), &[]).await.expect("run");
    assert_eq!(run.inputs.len(), 2, "{:?}", run.inputs);
    // 播州区: 5.2 / 6 × 10 = 8.666…; 汇川区: 7 / 6.5 × 10 = 10.769…
    assert!((total(&run, "播州区") - 52.0 / 6.0).abs() < 1e-9);
    assert!((total(&run, "汇川区") - 70.0 / 6.5).abs() < 1e-9);
    let red: Vec<&str> = run.assessment.red.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(red, ["汇川区"]);
    let black: Vec<&str> = run.assessment.black.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(black, ["播州区"]);

    // A veto entered by hand, and a corrected result in place of the gathered one.
    let manual = [
        Input::count("汇川区", "safety", 1).with_note("发生较大安全生产事故1起"),
        Input::value("播州区", "growth", Some(6.0), Some(6.3)),
    ];
    let run = app.run_scheme(id, &Gather::default(), &manual).await.expect("run");
    // 汇川区 vetoed → 0; 播州区 6.3 / 6 = 1.05 → 10.5
    assert_eq!(total(&run, "汇川区"), 0.0);
    assert!((total(&run, "播州区") - 10.5).abs() < 1e-9);
    assert_eq!(run.inputs.len(), 3, "the hand-entered growth replaced the gathered one");

    let saved = app.save_run(&actor(), id, "2025年度", &run).await.expect("saved");
    let stored = app.store().run(saved).await.expect("read").expect("there");
    assert_eq!(stored.run.label, "2025年度");
    assert!(stored.run.outcome.contains("发生较大安全生产事故1起"));

    // Another year has no results yet: nothing is gathered for 2026's growth.
    let later = Gather { year: Some(2026), ..Gather::default() };
    assert!(app.run_scheme(id, &later, &[]).await.expect("run").inputs.is_empty());
}

#[tokio::test]
async fn units_lose_points_for_overdue_tasks_in_the_ledger() {
    let (_dir, app) = open().await;
    let today = Date::new(2026, 7, 1).expect("a day");
    let task = |title: &str, unit: &str, deadline: &str| Task {
        title: title.to_owned(),
        lead_unit: unit.to_owned(),
        start_date: Some("2026-01-01".into()),
        deadline_text: deadline.to_owned(),
        ..Task::default()
    };
    for t in [
        task("建成污水处理厂", "县住建局", "2026年3月底"),
        task("完成棚户区改造", "县住建局", "2026年5月底"),
        task("新建学校2所", "县教育局", "2026年12月底"),
        task("完成造林1万亩", "县林业局", "2026年6月15日"),
    ] {
        app.add_task(&actor(), t, today).await.expect("added");
    }
    let id = app.import_scheme(&actor(), UNITS).await.expect("imported");
    let gather = Gather { today: Some(today), ..Gather::default() };
    let run = app.run_scheme(id, &gather, &[]).await.expect("run");
    // 住建局: 2 overdue × 2 = 4 → 10 − 4 = 6; 林业局: 1 × 2 → 8; 教育局: none → 10.
    assert_eq!(total(&run, "县住建局"), 6.0);
    assert_eq!(total(&run, "县林业局"), 8.0);
    assert_eq!(total(&run, "县教育局"), 10.0);
    let ranks: Vec<(&str, usize)> =
        run.assessment.subjects.iter().map(|s| (s.subject.as_str(), s.rank)).collect();
    assert_eq!(ranks, [("县教育局", 1), ("县林业局", 2), ("县住建局", 3)]);
}

#[tokio::test]
async fn schemes_are_edited_exported_and_refused_when_invalid() {
    let (_dir, app) = open().await;
    let id = app.import_scheme(&actor(), UNITS).await.expect("imported");
    let exported = app.export_scheme(id).await.expect("exported");
    let again = app.import_scheme(&actor(), &exported).await.expect("its export imports");
    assert_ne!(id, again);
    let a = app.scheme(id).await.expect("read").expect("there").scheme;
    let b = app.scheme(again).await.expect("read").expect("there").scheme;
    assert_eq!(a, b);

    let mut edited: Scheme = a.clone();
    edited.name = "部门督查考核（修订）".into();
    edited.year = Some(2026);
    app.update_scheme(&actor(), id, &edited).await.expect("updated");
    let names: Vec<String> =
        app.schemes().await.expect("listed").into_iter().map(|s| s.scheme.name).collect();
    assert_eq!(names, ["部门督查考核（修订）", "部门督查考核"], "the year's first");

    edited.indicators[0].weight = -1.0;
    let e = app.update_scheme(&actor(), id, &edited).await.expect_err("refused");
    assert!(e.is_user());
    assert!(matches!(&e, Error::Scheme(s) if s.problems[0].contains("逾期任务")), "{e}");
    let e = app.import_scheme(&actor(), "{}").await.expect_err("refused");
    assert!(e.is_user(), "{e}");
    let e = app.run_scheme(9999, &Gather::default(), &[]).await.expect_err("no such scheme");
    assert!(e.is_user(), "{e}");

    // Track inputs need a year.
    let mut yearless = Scheme::from_json(COUNTIES).expect("valid");
    yearless.year = None;
    let yid = app.add_scheme(&actor(), &yearless).await.expect("added");
    let e = app.run_scheme(yid, &Gather::default(), &[]).await.expect_err("no year");
    assert!(matches!(&e, Error::Invalid(m) if m.contains("考核年度")), "{e}");

    app.delete_scheme(&actor(), id).await.expect("deleted");
    assert!(app.scheme(id).await.expect("read").is_none());
    // The index followed every write without a rebuild.
    assert_eq!(app.sync_index().await.expect("synced"), None);
}

#[tokio::test]
async fn inputs_entered_by_hand_are_kept_and_every_run_takes_them() {
    let (_dir, app) = open().await;
    ingest_reports(&app).await;
    let id = app.import_scheme(&actor(), COUNTIES).await.expect("imported");
    assert!(app.scheme_inputs(id).await.expect("none yet").is_empty());
    let entered = vec![
        Input::count(" 汇川区 ", "safety", 1).with_note("发生较大安全生产事故1起"),
        Input::value("播州区", "growth", Some(6.0), Some(6.3)),
    ];
    let kept = app.set_scheme_inputs(&actor(), id, entered).await.expect("kept");
    assert_eq!(kept[0].subject, "汇川区", "trimmed");
    assert_eq!(app.scheme_inputs(id).await.expect("read"), kept);

    // Every run takes them, over what is gathered.
    let run = app.run_scheme(id, &Gather::default(), &[]).await.expect("run");
    assert_eq!(total(&run, "汇川区"), 0.0, "vetoed");
    assert!((total(&run, "播州区") - 10.5).abs() < 1e-9);
    // What a run is given wins over what is kept.
    let given = [Input::count("汇川区", "safety", 0)];
    let run = app.run_scheme(id, &Gather::default(), &given).await.expect("run");
    assert!(total(&run, "汇川区") > 0.0, "not vetoed: {}", total(&run, "汇川区"));

    // Faulty inputs are refused, each fault said, and the kept ones stay.
    let bad = vec![
        Input::count("", "safety", 1),
        Input::count("播州区", "pollution", 1),
        Input::value("汇川区", "growth", Some(6.5), None),
        Input::value("播州区", "safety", None, Some(1.0)),
        Input::value("播州区", "growth", Some(6.0), Some(6.3)),
        Input::value("播州区", "growth", Some(6.0), Some(6.4)),
    ];
    let err = app.set_scheme_inputs(&actor(), id, bad).await.expect_err("refused").to_string();
    for part in [
        "第1条：没有填写考核对象",
        "第2条：方案中没有指标“pollution”，可选：growth（地区生产总值增速）、safety（安全生产）",
        "第3条：“地区生产总值增速”按完成情况计分，需填写目标值和实际值",
        "第4条：“安全生产”按发生次数计分，需填写次数",
        "第6条：“播州区”的“地区生产总值增速”重复录入",
    ] {
        assert!(err.contains(part), "{part} in {err}");
    }
    assert_eq!(app.scheme_inputs(id).await.expect("read"), kept);
    assert!(matches!(app.scheme_inputs(999).await, Err(Error::App(_))));
}
