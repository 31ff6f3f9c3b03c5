//! The project library end to end: two reports of one county a year apart merged into one
//! timeline, the sheet out and back in changing nothing, an office's own sheet entering its
//! 拟招企业 and moving projects, a faulty sheet changing nothing, and entries removed.

use crate::actor;
use taizhang_app::App;
use taizhang_app::auth::AuditFilter;
use taizhang_app::projects::{LibraryFilter, ProjectList, write_sheet};
use taizhang_extract::{ProjectCategory, Stage};

/// A fictional 2030 report of 播州区: a reservoir and a school start, a station is planned.
const STARTS: &str = "2030年遵义市播州区政府工作报告\n\
    二、2030年工作安排\n\
    开工建设青石大型水库，新开工建设南湖中学。\n";

/// The same county a year later: the reservoir is finished, the school is being built.
const FINISHES: &str = "2031年遵义市播州区政府工作报告\n\
    一、2030年工作回顾\n\
    青石大型水库建成蓄水，续建南湖中学。\n";

/// A project as name, region, stage and the years of its milestones.
type Summary<'a> = (&'a str, Option<&'a str>, Option<Stage>, Vec<Option<i32>>);

async fn open() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    for (name, text) in [("2030.txt", STARTS), ("2031.txt", FINISHES)] {
        app.ingest_bytes(&actor(), name, text.as_bytes().to_vec(), 1 << 20)
            .await
            .expect("ingested");
    }
    (dir, app)
}

/// A workbook of one sheet named `name` with these rows.
fn workbook(name: &str, rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(name).expect("a sheet name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).expect("a cell");
            }
        }
    }
    book.save_to_buffer().expect("a workbook")
}

async fn names(app: &App, filter: LibraryFilter) -> Vec<String> {
    let lib = app.project_library(&filter).await.expect("the library");
    lib.into_iter().map(|p| p.name).collect()
}

/// The imports in the audit log: each import's own entry, not those of its projects.
async fn imports(app: &App) -> usize {
    let filter = AuditFilter { action: Some("project.import".into()), ..AuditFilter::default() };
    let (log, _) = app.audit_log(&actor(), &filter).await.expect("the audit log");
    log.iter().filter(|r| r.change.target_id.is_empty()).count()
}

#[tokio::test]
async fn two_reports_of_one_county_make_one_timeline_per_project() {
    let (_dir, app) = open().await;
    let lib = app.project_library(&LibraryFilter::default()).await.expect("the library");
    let summary: Vec<Summary<'_>> = lib
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.region_code.as_deref(),
                p.stage,
                p.milestones.iter().map(|m| m.year).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "南湖中学",
                Some("520304"),
                Some(Stage::UnderConstruction),
                vec![Some(2030), Some(2030)]
            ),
            ("青石大型水库", Some("520304"), Some(Stage::Completed), vec![Some(2030), Some(2030)]),
        ]
    );
    let reservoir = &lib[1];
    let titles: Vec<&str> =
        reservoir.milestones.iter().filter_map(|m| m.document_title.as_deref()).collect();
    assert_eq!(titles, ["2030年遵义市播州区政府工作报告", "2031年遵义市播州区政府工作报告"]);
    assert_eq!(reservoir.milestones[1].sentence, "青石大型水库建成蓄水，续建南湖中学。");
}

#[tokio::test]
async fn the_exported_sheet_comes_back_without_a_change() {
    let (_dir, app) = open().await;
    let lib = app.project_library(&LibraryFilter::default()).await.expect("the library");
    let stages = app.project_stages().await.expect("the stages");
    let sheet = write_sheet(&lib, &stages).expect("the sheet");
    let done = app.import_project_sheet(&actor(), &sheet).await.expect("imported");
    assert_eq!((done.added.len(), done.updated.len(), done.moved.len()), (0, 0, 0), "{done:?}");
    assert_eq!(done.unchanged, lib.len());
    assert_eq!(imports(&app).await, 0, "a sheet that changes nothing writes nothing");
    assert_eq!(app.project_library(&LibraryFilter::default()).await.expect("again"), lib);
}

#[tokio::test]
async fn an_offices_sheet_enters_its_prospects_and_moves_projects() {
    let (_dir, app) = open().await;
    let sheet = workbook(
        "播州区重大项目库",
        &[
            &["播州区重大项目库（2031年6月）"],
            &["序号", "项目名称", "地区", "所在阶段", "清单", "总投资（亿元）", "备注"],
            // As the library has it: nothing changes.
            &["1", "青石大型水库", "播州区", "统计库", "", "", ""],
            // Moved by hand, with the note.
            &["2", "南湖中学项目", "", "落地库（手动）", "", "", "主体未完工"],
            // No document names these.
            &["3", "北斗新材料公司", "播州区", "", "拟招企业", "20", "已两次对接"],
            &["4", "松林抽水蓄能电站", "520304", "梦想库", "", "", ""],
            &[],
        ],
    );
    let done = app.import_project_sheet(&actor(), &sheet).await.expect("imported");
    assert_eq!(done.added, ["北斗新材料公司", "松林抽水蓄能电站"]);
    assert_eq!(done.moved, ["南湖中学项目"]);
    assert_eq!(done.unchanged, 1);
    assert_eq!(imports(&app).await, 1, "one import, one entry in the audit log");
    // And one entry for each project it changed, under the project's own name.
    let school = AuditFilter {
        target_kind: Some("project".into()),
        target_id: Some("520304:南湖中学".into()),
        ..AuditFilter::default()
    };
    let (log, _) = app.audit_log(&actor(), &school).await.expect("the audit log");
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].change.after.as_deref(), Some(r#"{"note":"主体未完工","stage":"landed"}"#));
    assert!(log[0].change.detail.contains("落地库"), "{}", log[0].change.detail);

    let lib = app.project_library(&LibraryFilter::default()).await.expect("the library");
    let company = lib.iter().find(|p| p.name == "北斗新材料公司").expect("entered");
    assert!(company.by_hand_only() && company.prospect());
    assert_eq!(company.investment.as_deref(), Some("20亿元"), "the header's unit");
    assert_eq!(company.note(), "已两次对接");
    assert_eq!(company.region_code.as_deref(), Some("520304"));
    let school = lib.iter().find(|p| p.key == "南湖中学").expect("the school");
    let site = school.site_stage.as_ref().expect("placed");
    assert_eq!((site.label.as_str(), site.manual, school.note()), ("落地库", true, "主体未完工"));
    let station = lib.iter().find(|p| p.name == "松林抽水蓄能电站").expect("entered");
    assert_eq!(station.site_stage.as_ref().map(|s| s.key.as_str()), Some("dream"));

    let list = |l| LibraryFilter { list: Some(l), ..LibraryFilter::default() };
    assert_eq!(names(&app, list(ProjectList::Prospects)).await, ["北斗新材料公司"]);
    assert_eq!(names(&app, list(ProjectList::Pipeline)).await, ["松林抽水蓄能电站"]);
    assert_eq!(names(&app, list(ProjectList::Building)).await, ["南湖中学"]);
    let other = LibraryFilter { region_prefix: Some("5203".into()), ..LibraryFilter::default() };
    assert_eq!(names(&app, other).await.len(), 4);
    let elsewhere = LibraryFilter { region_prefix: Some("11".into()), ..LibraryFilter::default() };
    assert!(names(&app, elsewhere).await.is_empty());

    // The same sheet again changes nothing.
    let again = app.import_project_sheet(&actor(), &sheet).await.expect("imported again");
    assert_eq!((again.added.len(), again.updated.len(), again.moved.len()), (0, 0, 0));
    assert_eq!(again.unchanged, 4);

    // A sheet named 拟招企业 is that list; signing takes a company off it.
    let signed =
        workbook("拟招企业", &[&["企业名称", "清单"], &["北斗新材料公司", "在谈/谋划项目"]]);
    let done = app.import_project_sheet(&actor(), &signed).await.expect("imported");
    assert_eq!(done.updated, ["北斗新材料公司"]);
    assert!(names(&app, list(ProjectList::Prospects)).await.is_empty());
    let courted = workbook("拟招企业", &[&["企业名称", "类型"], &["东海光电产业园", "产业园"]]);
    app.import_project_sheet(&actor(), &courted).await.expect("imported");
    let lib = app.project_library(&list(ProjectList::Prospects)).await.expect("prospects");
    assert_eq!(lib.len(), 1);
    assert_eq!((lib[0].name.as_str(), lib[0].category), ("东海光电产业园", ProjectCategory::Park));
    assert_eq!(lib[0].region_code, None, "a blank region names none");

    // Removing an entry: a project only entered leaves, one of the documents goes back to
    // what they say.
    app.delete_project_entry(&actor(), Some("520304"), "北斗新材料公司").await.expect("removed");
    assert!(!names(&app, LibraryFilter::default()).await.contains(&"北斗新材料公司".to_owned()));
    let again = app.delete_project_entry(&actor(), Some("520304"), "北斗新材料公司").await;
    assert!(again.is_err(), "{again:?}");
}

#[tokio::test]
async fn a_sheet_with_any_fault_changes_nothing_and_says_where() {
    let (_dir, app) = open().await;
    let before = app.project_library(&LibraryFilter::default()).await.expect("the library");
    let sheet = workbook(
        "项目库",
        &[
            &["项目名称", "地区", "所在阶段", "类型"],
            &["北斗新材料公司", "播州区", "", ""],
            &["东湖物流园", "火星区", "", ""],
            &["南湖中学", "", "签约库", ""],
            &["", "播州区", "梦想库", ""],
            &["西山隧道", "", "", "隧洞"],
            &["北斗新材料公司", "520304", "", ""],
        ],
    );
    let err = app.import_project_sheet(&actor(), &sheet).await.expect_err("refused").to_string();
    for part in [
        "未导入任何项目",
        "项目库 第3行：没有找到地区“火星区”",
        "项目库 第4行：无法识别的阶段“签约库”（可填：梦想库、理性库、设计库、落地库、统计库）",
        "项目库 第5行 A列（项目名称）：项目名称不能为空",
        "项目库 第6行 D列（类型）：无法识别的类型“隧洞”",
        "项目库 第7行：与项目库 第2行是同一个项目“北斗新材料公司”",
    ] {
        assert!(err.contains(part), "{part} in {err}");
    }
    assert_eq!(app.project_library(&LibraryFilter::default()).await.expect("after"), before);
    assert_eq!(imports(&app).await, 0);

    let nothing = workbook("表", &[&["序号", "目标任务"], &["1", "某任务"]]);
    let err = app.import_project_sheet(&actor(), &nothing).await.expect_err("refused");
    assert!(err.to_string().contains("找不到“项目名称”"), "{err}");
    let err = app.import_project_sheet(&actor(), b"not a workbook").await.expect_err("refused");
    assert!(err.to_string().contains("不是有效的 Excel"), "{err}");
}

/// The shared corpus's `extra` folder: `TAIZHANG_CORPUS`, or the first `shared/corpus`
/// above this crate.
fn extra_corpus() -> Option<std::path::PathBuf> {
    let from_env = std::env::var_os("TAIZHANG_CORPUS").map(std::path::PathBuf::from);
    from_env
        .into_iter()
        .chain(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared/corpus")),
        )
        .map(|d| d.join("extra"))
        .find(|d| d.is_dir())
}

/// Two consecutive real work reports of one district: the projects the first starts and
/// the second reports on become one project each, whose timeline runs across both (21 such
/// projects when written; the floor of 10 leaves room for the engine to change).
#[tokio::test]
async fn consecutive_reports_of_one_district_merge_their_projects() {
    let Some(extra) = extra_corpus() else {
        eprintln!("skipping: the shared corpus is not beside the checkout");
        return;
    };
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("tz.sqlite").display().to_string();
    let app = App::open(&db).await.expect("the app opens");
    let mut ids = Vec::new();
    for year in [2015, 2016] {
        let name = format!("hailaer_district_gwr_{year}.txt");
        let bytes = std::fs::read(extra.join(&name)).expect("the report");
        match app.ingest_bytes(&actor(), &name, bytes, 1 << 24).await.expect("ingested") {
            taizhang_app::ingest::FileOutcome::New { id, .. } => ids.push(id),
            other => panic!("{name}: {other:?}"),
        }
    }
    let lib = app.project_library(&LibraryFilter::default()).await.expect("the library");
    let regions: std::collections::BTreeSet<_> =
        lib.iter().map(|p| p.region_code.clone()).collect();
    assert_eq!(regions.len(), 1, "both reports are one district's: {regions:?}");
    let merged: Vec<_> = lib
        .iter()
        .filter(|p| ids.iter().all(|id| p.milestones.iter().any(|m| m.document_id == *id)))
        .collect();
    assert!(
        merged.len() >= 10,
        "projects named in both reports: {:?}",
        merged.iter().map(|p| &p.name).collect::<Vec<_>>()
    );
    for p in &merged {
        let years: Vec<Option<i32>> = p.milestones.iter().map(|m| m.year).collect();
        assert!(years.windows(2).all(|w| w[0] <= w[1]), "{}: milestones by year {years:?}", p.name);
        assert!(years.iter().all(|y| matches!(y, Some(2014..=2016))), "{}: {years:?}", p.name);
        for m in &p.milestones {
            assert!(m.sentence.contains(&m.name), "{}: the sentence holds the name", p.name);
        }
    }
    // The later report's word is the project's stage where it states one.
    for p in &merged {
        let latest = p.milestones.iter().rev().find_map(|m| m.stage);
        assert_eq!(p.stage, latest, "{}", p.name);
    }
}
