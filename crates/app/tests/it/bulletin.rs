//! The supervision bulletin (督查通报) gathered from a ledger and saved assessment runs, and
//! written as `.docx` and `.xlsx`. The ledger and the scheme are fictional; every expected
//! figure is worked out by hand beside it.

use crate::actor;
use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use quick_xml::events::Event;
use taizhang_app::App;
use taizhang_app::assess::{Input, assess};
use taizhang_app::bulletin::docx::write_docx;
use taizhang_app::bulletin::sheet::write_xlsx;
use taizhang_app::bulletin::{Bulletin, BulletinParams, Error, Period, RunChoice};
use taizhang_app::ledger::date::Date;
use taizhang_store::{Task, TaskStatus};

async fn open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    (dir, app)
}

fn day(s: &str) -> Date {
    Date::parse_iso(s).expect("a day")
}

/// Six tasks of three units, all from 2026-01-01, seen on 2026-06-30: 180 of the 364 days
/// to 2026-12-31 have passed, so a year-end task's 序时进度 is 180/364 = 49.45%.
///
/// | 序号 | unit | deadline | done | lag | light |
/// |---|---|---|---|---|---|
/// | 1 | 县发改局 | 2026年底 | 10% | 39.45 | red (> 30) |
/// | 2 | 县发改局 | 2026年底 | 30% | 19.45 | yellow (≥ 10) |
/// | 3 | 县住建局 | 2026年3月底 | 80% | 20 | red: overdue |
/// | 4 | 县住建局 | 2026年底 | 45% | 4.45 | green |
/// | 5 | 县教育局 | 2026年底 | done | — | done |
/// | 6 | 县教育局 | 长期坚持 | 20% | — | none |
async fn ledger(app: &App) {
    let today = day("2026-06-30");
    let task = |title: &str, unit: &str, deadline: &str, status, percent| Task {
        title: title.to_owned(),
        lead_unit: unit.to_owned(),
        start_date: Some("2026-01-01".into()),
        deadline_text: deadline.to_owned(),
        status,
        percent,
        ..Task::default()
    };
    use TaskStatus::{Done, InProgress};
    for t in [
        task("新建5G基站200个", "县发改局", "2026年底", InProgress, Some(10.0)),
        task("完成重点项目投资30亿元", "县发改局", "2026年底", InProgress, Some(30.0)),
        task("建成城东污水处理厂", "县住建局", "2026年3月底", InProgress, Some(80.0)),
        task("改造老旧小区12个", "县住建局", "2026年底", InProgress, Some(45.0)),
        task("新建幼儿园2所", "县教育局", "2026年底", Done, None),
        task("落实“双减”政策", "县教育局", "长期坚持", InProgress, Some(20.0)),
    ] {
        app.add_task(&actor(), t, today).await.expect("added");
    }
}

const SCHEME: &str = r#"{
    "name": "2026年度部门重点工作考核",
    "year": 2026,
    "indicators": [
        {"key": "work", "name": "重点工作完成率", "weight": 10, "method": {"kind": "ratio", "cap": 1.2}}
    ],
    "lists": {
        "red": {"top_n": 1},
        "black": {"bottom_n": 2},
        "exemptions": [{"subject": "县教育局", "reason": "承担全省试点任务，经批准免列"}]
    }
}"#;

fn params(as_of: &str, run: RunChoice) -> BulletinParams {
    BulletinParams {
        period: Period::parse("2026年第二季度").expect("a quarter"),
        as_of: day(as_of),
        run,
        office: "示例县人民政府督查室".into(),
        recipients: String::new(),
        number: None,
    }
}

#[tokio::test]
async fn warnings_are_gathered_per_unit_on_the_as_of_day() {
    let (_dir, app) = open().await;
    ledger(&app).await;
    let b = app.bulletin(&params("2026-06-30", RunChoice::None)).await.expect("gathered");
    assert_eq!(b.title, "示例县人民政府督查室关于2026年第二季度重点任务推进情况的督查通报");
    assert_eq!(b.number, "督查通报〔2026〕2号");
    assert_eq!(b.recipients, "各责任单位");
    let s = b.summary;
    assert_eq!(
        (s.total, s.done, s.on_schedule, s.yellow, s.red, s.overdue, s.unscheduled),
        (6, 1, 1, 1, 2, 1, 1)
    );
    assert_eq!((s.units, s.warned_units), (3, 2));
    // 发改局 (1 red, 1 yellow) before 住建局 (1 red); 教育局 has no light.
    let units: Vec<&str> = b.units.iter().map(|u| u.name()).collect();
    assert_eq!(units, ["县发改局", "县住建局"]);
    let tasks: Vec<(&str, &str)> =
        b.units[0].tasks.iter().map(|t| (t.title.as_str(), t.light)).collect();
    assert_eq!(tasks, [("新建5G基站200个", "red"), ("完成重点项目投资30亿元", "yellow")]);
    let first = &b.units[0].tasks[0];
    // 180 / 364 = 49.45%, 10 done: 39.45 behind.
    assert!((first.elapsed.expect("a deadline") - 100.0 * 180.0 / 364.0).abs() < 1e-9);
    assert!((first.lag.expect("a lag") - (100.0 * 180.0 / 364.0 - 10.0)).abs() < 1e-9);
    assert_eq!(first.lag_shown(), "落后39.45个百分点");
    let overdue = &b.units[1].tasks[0];
    assert_eq!((overdue.title.as_str(), overdue.overdue), ("建成城东污水处理厂", true));
    assert_eq!(overdue.deadline.as_deref(), Some("2026-03-31"));
    assert_eq!(overdue.lag_shown(), "已逾期，落后20个百分点");
    assert!(b.assessment.is_none());
    assert_eq!(
        b.overview(),
        "截至2026年6月30日，纳入督查台账的重点任务共6项，涉及3个责任单位。其中，已完成1项，\
         按序时进度推进1项，亮黄灯1项，亮红灯2项（其中逾期未完成1项），无明确时限或暂缓1项。\
         已完成和按序时进度推进的任务占33.33%。"
    );
    assert!(b.requirements[0].starts_with("（一）抓紧整改红灯任务。县发改局、县住建局"));

    // On 2026-03-01, 59 of the 89 days to 3月底 have passed for 3 (66.29%, 80 done:
    // green), and 59/364 = 16.21% of the year for the others: 1 is 6.21 behind (green),
    // 2, 4 ahead. Nothing is lit.
    let early = app.bulletin(&params("2026-03-01", RunChoice::None)).await.expect("gathered");
    assert!(early.units.is_empty(), "{:?}", early.units);
    assert_eq!(early.summary.on_schedule, 4);
}

/// Three runs of one scheme on hand-entered inputs: 甲 104/100 → 10.4, 乙 9, 丙 8, 教育局 7.
fn inputs(first: bool) -> Vec<Input> {
    let v = |s: &str, a: f64| Input::value(s, "work", Some(100.0), Some(a));
    if first {
        vec![v("县发改局", 95.0), v("县住建局", 100.0)]
    } else {
        vec![v("县发改局", 104.0), v("县住建局", 90.0), v("县林业局", 80.0), v("县教育局", 70.0)]
    }
}

#[tokio::test]
async fn the_latest_saved_run_gives_scores_rankings_and_lists() {
    let (_dir, app) = open().await;
    ledger(&app).await;
    let id = app.import_scheme(&actor(), SCHEME).await.expect("imported");
    // A scheme without a saved run: no scores.
    let none = app.bulletin(&params("2026-06-30", RunChoice::LatestOf(id))).await.expect("ok");
    assert!(none.assessment.is_none());

    let scheme = app.scheme(id).await.expect("read").expect("there").scheme;
    let mut ids = Vec::new();
    for (label, first) in [("2026年第一季度", true), ("2026年第二季度", false)] {
        let assessment = assess(&scheme, &inputs(first)).expect("assessed");
        let run =
            taizhang_app::assess::Run { scheme: scheme.clone(), inputs: inputs(first), assessment };
        ids.push(app.save_run(&actor(), id, label, &run).await.expect("saved"));
    }

    let b = app.bulletin(&params("2026-06-30", RunChoice::LatestOf(id))).await.expect("ok");
    let a = b.assessment.as_ref().expect("the latest run");
    assert_eq!((a.run_id, a.label.as_str()), (ids[1], "2026年第二季度"));
    assert_eq!(a.scheme_name, "2026年度部门重点工作考核");
    let scores: Vec<(usize, &str, f64)> =
        a.scores.iter().map(|s| (s.rank, s.subject.as_str(), s.total)).collect();
    assert_eq!(
        scores,
        [(1, "县发改局", 10.4), (2, "县住建局", 9.0), (3, "县林业局", 8.0), (4, "县教育局", 7.0)]
    );
    // Red: the top 1. Black: the bottom 2 (林业局, 教育局), 教育局 exempted.
    let names = |l: &[taizhang_app::assess::ListEntry]| -> Vec<String> {
        l.iter().map(|e| e.subject.clone()).collect()
    };
    assert_eq!(names(&a.red), ["县发改局"]);
    assert_eq!(names(&a.black), ["县林业局"]);
    assert_eq!(names(&a.exempted), ["县教育局"]);
    assert_eq!(a.exempted[0].reason, "倒数第1名，承担全省试点任务，经批准免列");
    assert_eq!(
        b.assessment_intro(),
        "根据《2026年度部门重点工作考核》（2026年第二季度）考核结果，参加考核的对象共4个，满分10分。\
         县发改局以10.4分位列第一。"
    );
    let lists = b.lists_text();
    assert!(lists[0].starts_with("红榜：县发改局（"), "{lists:?}");
    assert!(lists[1].starts_with("黑榜：县林业局（"), "{lists:?}");
    assert_eq!(lists[2], "免列黑榜：县教育局（倒数第1名，承担全省试点任务，经批准免列）。");

    // A run chosen by id; runs and schemes that do not exist.
    let older = app.bulletin(&params("2026-06-30", RunChoice::Run(ids[0]))).await.expect("ok");
    assert_eq!(older.assessment.expect("a run").scores.len(), 2);
    for missing in [RunChoice::Run(999), RunChoice::LatestOf(999)] {
        let e = app.bulletin(&params("2026-06-30", missing)).await.expect_err("no such");
        assert!(e.is_user(), "{e}");
        assert!(matches!(e, Error::Assess(_)), "{e:?}");
    }
}

/// The text of every `w:t` of `xml`, one string per paragraph, in order, with the
/// paragraph and table structure checked by the parser on the way.
fn paragraphs(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) if e.name().as_ref() == "w:t" => in_text = true,
            Event::End(e) if e.name().as_ref() == "w:t" => in_text = false,
            Event::End(e) if e.name().as_ref() == "w:p" => out.push(std::mem::take(&mut current)),
            Event::Text(t) if in_text => current.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                current.push_str(match &*r {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    other => panic!("unexpected entity {other}"),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .read_to_string(&mut s)
        .expect("UTF-8");
    s
}

/// Asserts that `wanted` occur in `paras` in this order, each within a paragraph.
#[track_caller]
fn in_order(paras: &[String], wanted: &[&str]) {
    let mut at = 0;
    for w in wanted {
        match paras[at..].iter().position(|p| p.contains(w)) {
            Some(i) => at += i,
            None => panic!("“{w}” not found after paragraph {at}: {:#?}", &paras[at..]),
        }
    }
}

async fn full_bulletin(app: &App) -> Bulletin {
    ledger(app).await;
    let id = app.import_scheme(&actor(), SCHEME).await.expect("imported");
    let scheme = app.scheme(id).await.expect("read").expect("there").scheme;
    let assessment = assess(&scheme, &inputs(false)).expect("assessed");
    let run = taizhang_app::assess::Run { scheme, inputs: inputs(false), assessment };
    app.save_run(&actor(), id, "2026年第二季度", &run).await.expect("saved");
    app.bulletin(&params("2026-06-30", RunChoice::LatestOf(id))).await.expect("gathered")
}

#[tokio::test]
async fn the_docx_is_a_document_with_every_section_in_order() {
    let (_dir, app) = open().await;
    let b = full_bulletin(&app).await;
    let bytes = write_docx(&b);
    let types = unzip(&bytes, "[Content_Types].xml");
    assert!(types.contains("wordprocessingml.document.main+xml"));
    let xml = unzip(&bytes, "word/document.xml");
    assert!(xml.contains("w:eastAsia=\"仿宋_GB2312\""));
    assert!(xml.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4");
    let paras = paragraphs(&xml);
    in_order(
        &paras,
        &[
            "示例县人民政府督查室",
            "督查通报〔2026〕2号",
            "示例县人民政府督查室关于2026年第二季度重点任务推进情况的督查通报",
            "各责任单位：",
            "一、总体情况",
            "纳入督查台账的重点任务共6项",
            "二、预警情况",
            "（一）县发改局",
            "新建5G基站200个",
            "红灯",
            "落后39.45个百分点",
            "完成重点项目投资30亿元",
            "黄灯",
            "（二）县住建局",
            "建成城东污水处理厂",
            "2026年3月底",
            "已逾期",
            "三、考核得分与排名",
            "《2026年度部门重点工作考核》（2026年第二季度）",
            "名次",
            "县发改局",
            "10.4",
            "县住建局",
            "9",
            "县林业局",
            "县教育局",
            "四、红黑榜",
            "红榜：县发改局",
            "黑榜：县林业局",
            "免列黑榜：县教育局（倒数第1名，承担全省试点任务，经批准免列）",
            "五、下步要求",
            "（一）抓紧整改红灯任务",
            "2026年6月30日",
        ],
    );
    // The green and done tasks are not in it.
    assert!(!paras.iter().any(|p| p.contains("改造老旧小区")));
    for part in ["word/styles.xml", "word/footer1.xml", "docProps/core.xml"] {
        paragraphs(&unzip(&bytes, part));
    }
    // taizhang's own reader takes it for a document and finds the text.
    let extracted = taizhang_extract::extract(&bytes, taizhang_extract::Format::Docx);
    assert!(extracted.text.contains("五、下步要求"), "{}", extracted.text);
}

#[tokio::test]
async fn the_workbook_has_warnings_scores_and_lists() {
    let (_dir, app) = open().await;
    let b = full_bulletin(&app).await;
    let bytes = write_xlsx(&b).expect("written");
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("an xlsx");
    assert_eq!(book.sheet_names(), ["预警", "得分排名", "红黑榜"]);
    let s = |v: &str| Data::String(v.into());
    let w = book.worksheet_range("预警").expect("warnings");
    assert_eq!(w.height(), 4, "a header and three warned tasks");
    assert_eq!(w.get((1, 0)), Some(&s("县发改局")));
    assert_eq!(w.get((1, 2)), Some(&s("新建5G基站200个")));
    assert_eq!(w.get((1, 7)), Some(&s("红灯")));
    assert_eq!(w.get((3, 0)), Some(&s("县住建局")));
    assert_eq!(w.get((3, 3)), Some(&s("2026年3月底")));
    assert_eq!(w.get((3, 8)), Some(&s("已逾期，落后20个百分点")));
    let scores = book.worksheet_range("得分排名").expect("scores");
    assert_eq!(scores.get((1, 1)), Some(&s("县发改局")));
    assert_eq!(scores.get((1, 2)), Some(&Data::Float(10.4)));
    assert_eq!(scores.get((4, 0)), Some(&Data::Float(4.0)));
    let lists = book.worksheet_range("红黑榜").expect("lists");
    let rows: Vec<(String, String)> = (1..lists.height() as u32)
        .map(|r| {
            let cell =
                |c| lists.get((r as usize, c)).map(|d: &Data| d.to_string()).unwrap_or_default();
            (cell(0), cell(1))
        })
        .collect();
    let want = [("红榜", "县发改局"), ("黑榜", "县林业局"), ("免列黑榜", "县教育局")];
    assert_eq!(rows, want.map(|(a, b)| (a.to_owned(), b.to_owned())));
}
