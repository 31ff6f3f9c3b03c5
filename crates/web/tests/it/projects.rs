//! The project library (项目库) over HTTP: `/api/v1/projects` with its filters, a project
//! moved to a stage by hand (API and form), `/projects` with its timeline and links to the
//! sentences, and `/projects.xlsx` read back.

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::util::{TestApp, app, post_form, send_file, send_json};

/// A fictional 播州区 report for 2030: a reservoir starts, a power station is an idea.
const STARTS: &str = "2030年播州区政府工作报告\n\
    二、2030年工作安排\n\
    开工建设青石大型水库，总投资12亿元。谋划储备松林抽水蓄能电站。新开工建设南湖中学。\n";

/// The same county a year later: the reservoir is finished, the school is being built.
const FINISHES: &str = "2031年播州区政府工作报告\n\
    一、2030年工作回顾\n\
    青石大型水库建成蓄水。加快建设南湖中学。\n";

async fn library() -> TestApp {
    let t = app().await;
    let r = t
        .upload(&[("播州区2030.txt", STARTS.as_bytes()), ("播州区2031.txt", FINISHES.as_bytes())])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t
}

fn names(v: &Value) -> Vec<&str> {
    v["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|p| p["name"].as_str().expect("a name"))
        .collect()
}

#[tokio::test]
async fn the_library_merges_two_years_and_filters() {
    let t = library().await;
    let all = t.get("/api/v1/projects?region=520304").await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.text());
    let all = all.json();
    assert_eq!(names(&all), ["南湖中学", "松林抽水蓄能电站", "青石大型水库"], "{all}");
    assert_eq!(all["stages"][0]["label"], "梦想库");
    let reservoir = &all["items"][2];
    assert_eq!(reservoir["type"], "reservoir");
    assert_eq!(reservoir["investment"], "总投资12亿元");
    assert_eq!(reservoir["stage"], "completed");
    assert_eq!(reservoir["site_stage"]["label"], "统计库");
    assert_eq!(reservoir["site_stage"]["manual"], false);
    let milestones = reservoir["milestones"].as_array().expect("milestones");
    assert_eq!(milestones.len(), 2, "{reservoir}");
    assert_eq!(milestones[0]["stage"], "started");
    assert_eq!(milestones[1]["sentence"], "青石大型水库建成蓄水。");
    let link = milestones[1]["link"].as_str().expect("a link");
    assert!(link.starts_with("/documents/") && link.ends_with("#p0"), "{link}");
    // The link's anchor is on the document's page, around the name.
    let doc = t.get(link.split('#').next().expect("a path")).await.text();
    assert!(doc.contains("<mark class=\"project\" id=\"p0\""), "{doc}");

    let cut = |q: &'static str| {
        let t = &t;
        async move {
            let r = t.get(&format!("/api/v1/projects?{q}")).await;
            assert_eq!(r.status, StatusCode::OK, "{q}: {}", r.text());
            names(&r.json()).into_iter().map(str::to_owned).collect::<Vec<_>>()
        }
    };
    assert_eq!(cut("region=520304&list=building").await, ["南湖中学"]);
    assert_eq!(cut("region=520304&list=pipeline").await, ["松林抽水蓄能电站"]);
    assert_eq!(cut("region=520304&stage=statistics").await, ["南湖中学", "青石大型水库"]);
    assert_eq!(cut("region=520304&stage=planned").await, ["松林抽水蓄能电站"]);
    // The demo document (of no region) names a power station too.
    assert_eq!(cut("type=power").await, ["云峰抽水蓄能电站", "松林抽水蓄能电站"]);
    assert_eq!(cut("region=520304&type=power").await, ["松林抽水蓄能电站"]);
    assert_eq!(cut("region=520304&q=%E6%B0%B4%E5%BA%93").await, ["青石大型水库"], "q=水库");
    assert_eq!(cut("year=2031").await, Vec::<String>::new());
    assert_eq!(cut("year=2030&type=reservoir").await, ["青石大型水库"]);
    // 遵义市 takes in the county below it.
    assert_eq!(cut("region=遵义市&type=power").await, ["松林抽水蓄能电站"]);
    assert_eq!(cut("region=520302").await, Vec::<String>::new());

    for bad in ["type=castle", "list=all", "stage=heaven", "year=next", "region=无此地"] {
        let r = t.get(&format!("/api/v1/projects?{bad}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}: {}", r.text());
    }
}

#[tokio::test]
async fn a_project_moved_by_hand_shows_its_stage_over_the_documents() {
    let t = library().await;
    let r = send_json(
        &t,
        "PUT",
        "/api/v1/projects/stage",
        &json!({"region_code": "520304", "name": "松林抽水蓄能电站", "stage": "design", "note": "初设已批复"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(p["site_stage"]["label"], "设计库");
    assert_eq!(p["site_stage"]["manual"], true);
    assert_eq!(p["site_stage"]["note"], "初设已批复");
    assert_eq!(p["stage"], "planned", "the documents' stage stays beside it");

    let r = t.get("/api/v1/projects?stage=design").await.json();
    assert_eq!(names(&r), ["松林抽水蓄能电站"]);

    // Unknown projects and stages change nothing.
    for body in [
        json!({"region_code": "520304", "name": "不存在水库", "stage": "design"}),
        json!({"region_code": "520304", "name": "南湖中学", "stage": "heaven"}),
        json!({"region_code": "520302", "name": "南湖中学", "stage": "design"}),
    ] {
        let r = send_json(&t, "PUT", "/api/v1/projects/stage", &body).await;
        r.assert_error(StatusCode::BAD_REQUEST, "invalid");
    }
    let r = send_json(&t, "PUT", "/api/v1/projects/stage", &json!({"stage": "design"})).await;
    assert!(r.status.is_client_error(), "{}", r.text());

    // The form does the same and comes back to the page it was sent from.
    let r = post_form(
        &t,
        "/projects/stage",
        &[
            ("region_code", "520304"),
            ("name", "南湖中学"),
            ("stage", "landed"),
            ("note", ""),
            ("back", "/projects?type=school"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().expect("a location");
    assert!(to.starts_with("/projects?type=school&moved="), "{to}");
    let page = t.get(to).await.text();
    assert!(page.contains("已调整“南湖中学”的阶段"), "{page}");
    assert!(page.contains("落地库 <span class=\"badge manual\""), "{page}");

    // An empty stage gives it back to its documents.
    let r = send_json(
        &t,
        "PUT",
        "/api/v1/projects/stage",
        &json!({"region_code": "520304", "name": "南湖中学", "stage": null}),
    )
    .await;
    assert_eq!(r.json()["site_stage"]["manual"], false, "{}", r.text());

    // A form never sends the browser off the site.
    let r = post_form(
        &t,
        "/projects/stage",
        &[("region_code", "520304"), ("name", "南湖中学"), ("back", "https://example.com/")],
    )
    .await;
    assert!(r.headers["location"].to_str().expect("a location").starts_with("/projects?moved="));
}

#[tokio::test]
async fn the_site_stages_are_configurable() {
    let t = library().await;
    let stages = t.get("/api/v1/projects/stages").await.json();
    assert_eq!(stages.as_array().expect("stages").len(), 5);
    let three = json!([
        {"key": "reserve", "label": "储备库", "stages": ["planned", "preparation"]},
        {"key": "build", "label": "建设库", "stages": ["started", "under_construction"]},
        {"key": "done", "label": "竣工库", "stages": ["completed"]},
    ]);
    let r = send_json(&t, "PUT", "/api/v1/projects/stages", &three).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = t.get("/api/v1/projects?stage=build&region=520304").await.json();
    assert_eq!(names(&r), ["南湖中学"]);
    let bad = json!([{"key": "a", "label": "甲", "stages": ["planned"]}, {"key": "b", "label": "乙", "stages": ["planned"]}]);
    send_json(&t, "PUT", "/api/v1/projects/stages", &bad)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
    let bad = json!([{"key": "a", "label": "甲", "stages": ["someday"]}]);
    send_json(&t, "PUT", "/api/v1/projects/stages", &bad)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn the_page_lists_projects_with_their_timelines() {
    let t = library().await;
    let r = t.get("/projects").await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.text();
    assert!(page.contains("href=\"/projects\" class=\"on\""), "the nav link is on");
    for want in
        ["全部项目", "在建项目", "在谈/谋划项目", "梦想库 → 理性库 → 设计库 → 落地库 → 统计库"]
    {
        assert!(page.contains(want), "{want} in {page}");
    }
    assert!(
        page.contains("class=\"pname\" href=\"/projects/view?region=520304&#38;name="),
        "{page}"
    );
    assert!(page.contains("<b>2030年</b> 开工、建成投用"), "{page}");
    assert!(page.contains("青石大型水库建成蓄水。"), "the sentence: {page}");
    assert!(page.contains("/documents/"), "{page}");

    let building = t.get("/projects?list=building").await.text();
    assert!(building.contains("南湖中学") && !building.contains(">青石大型水库</a>"));
    assert!(building.contains("class=\"on\" aria-current=\"page\">在建项目"), "{building}");
    let none = t.get("/projects?year=1999").await.text();
    assert!(none.contains("没有符合条件的项目"));
    let bad = t.get("/projects?type=castle").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("请求有误"));
}

#[tokio::test]
async fn the_library_goes_out_as_xlsx() {
    let t = library().await;
    let r = t.get("/projects.xlsx?region=播州区").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.headers["content-disposition"].to_str().expect("ascii").contains("projects.xlsx"));
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(r.body)).expect("an xlsx");
    let range = book.worksheet_range("项目库").expect("the sheet");
    let cell = |row: usize, col: usize| match range.get((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    };
    assert_eq!(cell(0, 1), "项目名称");
    assert_eq!(range.height(), 4, "a header and three projects");
    assert_eq!(cell(3, 0), "播州区");
    assert_eq!(cell(3, 1), "青石大型水库");
    assert_eq!(cell(3, 2), "水库水利");
    assert_eq!(cell(3, 4), "总投资12亿元");
    assert_eq!(cell(3, 6), "统计库");
    assert_eq!(cell(3, 8), "2030年 开工、建成投用");
    assert!(cell(3, 9).contains("2031年播州区政府工作报告"), "{}", cell(3, 9));
    assert_eq!((cell(1, 1).as_str(), cell(1, 5).as_str()), ("南湖中学", "在建项目"));
    assert_eq!((cell(2, 1).as_str(), cell(2, 5).as_str()), ("松林抽水蓄能电站", "在谈/谋划项目"));
    let school = t.get("/projects.xlsx?type=school&region=520304").await;
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(school.body)).expect("an xlsx");
    assert_eq!(book.worksheet_range("项目库").expect("the sheet").height(), 2);
}

/// A workbook of one sheet with these rows.
fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

#[tokio::test]
async fn the_sheet_comes_back_and_an_offices_sheet_enters_its_prospects() {
    let t = library().await;
    let sheet = t.get("/projects.xlsx").await;
    let total = t.get("/api/v1/projects").await.json()["total"].clone();
    let r = send_file(&t, "/api/v1/projects/import", &sheet.body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"added": [], "updated": [], "moved": [], "unchanged": total}));

    let courted = workbook(&[
        &["企业名称", "地区", "清单", "拟投资额", "备注"],
        &["北斗新材料公司", "播州区", "拟招企业", "20亿元", "已两次对接"],
    ]);
    let r = send_file(&t, "/api/v1/projects/import", &courted).await;
    assert_eq!(r.json()["added"], json!(["北斗新材料公司"]), "{}", r.text());
    let prospects = t.get("/api/v1/projects?list=prospects").await.json();
    assert_eq!(names(&prospects), ["北斗新材料公司"]);
    let company = &prospects["items"][0];
    assert_eq!(
        (&company["by_hand"], &company["prospect"], &company["note"], &company["investment"]),
        (&json!(true), &json!(true), &json!("已两次对接"), &json!("20亿元"))
    );
    assert_eq!(company["milestones"], json!([]));
    let page = t.get("/projects?list=prospects").await.text();
    for want in
        ["北斗新材料公司", "手工录入", "拟招企业</span>", "备注：已两次对接", "文件中未提及"]
    {
        assert!(page.contains(want), "{want} in {page}");
    }

    // A faulty sheet is refused with its faults, through the page as through the API.
    let bad = workbook(&[&["项目名称", "所在阶段"], &["东湖物流园", "签约库"]]);
    send_file(&t, "/api/v1/projects/import", &bad)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
    let r = send_file(&t, "/projects/import", &bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("第2行：无法识别的阶段“签约库”"), "{}", r.text());
    let r = send_file(&t, "/projects/import", &courted).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().expect("a location").to_owned();
    assert!(t.get(&to).await.text().contains("表中1行与项目库一致，没有改动"), "{to}");

    // Removed by the page's form, it is gone; removing it again is a 404.
    let r = post_form(
        &t,
        "/projects/entry/delete",
        &[
            ("region_code", "520304"),
            ("name", "北斗新材料公司"),
            ("back", "/projects?list=prospects"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().expect("a location").to_owned();
    assert!(to.starts_with("/projects?list=prospects&removed="), "{to}");
    assert!(names(&t.get("/api/v1/projects?list=prospects").await.json()).is_empty());
    let entry = json!({"region_code": "520304", "name": "北斗新材料公司"});
    send_json(&t, "DELETE", "/api/v1/projects/entry", &entry)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_stages_page_edits_the_sequence() {
    let t = library().await;
    let page = t.get("/projects/stages").await.text();
    assert!(page.contains("name=\"label.0\" value=\"梦想库\""), "{page}");
    assert!(page.contains("value=\"planned\" checked"), "{page}");
    // 梦想库 keeps 谋划储备; a new 签约库 comes second; 设计库 is dropped.
    let r = post_form(
        &t,
        "/projects/stages",
        &[
            ("key.0", "dream"),
            ("label.0", "梦想库"),
            ("order.0", "1"),
            ("takes.0", "planned"),
            ("key.1", "rational"),
            ("label.1", "理性库"),
            ("order.1", "3"),
            ("takes.1", "preparation"),
            ("key.2", "design"),
            ("label.2", ""),
            ("order.2", "4"),
            ("key.3", "landed"),
            ("label.3", "落地库"),
            ("order.3", "5"),
            ("takes.3", "started"),
            ("key.4", "statistics"),
            ("label.4", "统计库"),
            ("order.4", "6"),
            ("takes.4", "under_construction"),
            ("takes.4", "completed"),
            ("key.5", ""),
            ("label.5", "签约库"),
            ("order.5", "2"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stages = t.get("/api/v1/projects/stages").await.json();
    let labels: Vec<&str> = stages
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["label"].as_str().expect("a label"))
        .collect();
    assert_eq!(labels, ["梦想库", "签约库", "理性库", "落地库", "统计库"]);
    assert_eq!(stages[1]["key"], "stage1");
    assert!(t.get("/projects?stages=saved").await.text().contains("已保存阶段设置"));
    // Two stages taking in one extracted stage: refused, and nothing changes.
    let r = post_form(
        &t,
        "/projects/stages",
        &[("label.0", "甲"), ("takes.0", "planned"), ("label.1", "乙"), ("takes.1", "planned")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(t.get("/api/v1/projects/stages").await.json(), stages);
}

#[tokio::test]
async fn the_page_shows_a_hundred_projects_at_a_time() {
    let t = app().await;
    // A fictional plan naming 130 reservoirs, one sentence each.
    let mut text = String::from("2030年播州区政府工作报告\n二、2030年工作安排\n");
    for i in 0..130u32 {
        let stem: String =
            [char::from_u32(0x6C5F + i * 3).expect("a CJK character"), '河'].iter().collect();
        text.push_str(&format!("开工建设{stem}水库。"));
    }
    let r = t.upload(&[("播州区2030.txt", text.as_bytes())]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let total = t.get("/api/v1/projects?region=520304").await.json()["total"].as_u64().expect("n");
    assert!(total > 100, "more than a page: {total}");
    let page = t.get("/api/v1/projects?region=520304&offset=100&limit=20").await.json();
    assert_eq!(page["total"].as_u64(), Some(total));
    assert_eq!(page["items"].as_array().map(Vec::len), Some(20.min(total as usize - 100)));
    let rows = |page: &str| page.matches("<tr class=\"project\"").count();
    let first = t.get("/projects?region=520304").await.text();
    assert_eq!(rows(&first), 100);
    assert!(first.contains(&format!("共 {total} 个项目")), "the count is of all");
    assert!(first.contains(&format!("第 1–100 条，共 {total} 条")), "{first}");
    assert!(
        first.contains("href=\"/projects?region=520304&#38;offset=100\" rel=\"next\""),
        "{first}"
    );
    let second = t.get("/projects?region=520304&offset=100").await.text();
    assert_eq!(rows(&second) as u64, total - 100);
    // A form on the second page comes back to it.
    assert!(second.contains("name=\"back\" value=\"/projects?region=520304&#38;offset=100\""));
}

#[tokio::test]
async fn a_project_has_its_own_page_with_its_timeline_and_history() {
    let t = library().await;
    let r = post_form(
        &t,
        "/projects/stage",
        &[
            ("region_code", "520304"),
            ("name", "南湖中学"),
            ("stage", "design"),
            ("note", "初设已批复"),
            ("back", "/projects/view?region=520304&name=南湖中学"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().expect("a location").to_owned();
    assert!(to.starts_with("/projects/view?region=520304&name="), "{to}");
    let page = t.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    for want in [
        "<h1 id=\"project-name\">南湖中学",
        "已调整“南湖中学”的阶段",
        "设计库 <span class=\"badge manual\">手动</span>",
        "<b>2030年</b>",
        "新开工建设南湖中学。",
        "修改项目库",
        "阶段：（空） → 设计库",
        "说明：（空） → 初设已批复",
    ] {
        assert!(page.contains(want), "{want} in {page}");
    }
    // Nothing done by hand: the history says so.
    let reservoir = t.get("/projects/view?region=520304&name=青石大型水库项目").await.text();
    assert!(reservoir.contains("没有人工调整"), "{reservoir}");
    assert!(reservoir.contains("青石大型水库建成蓄水。"));
    let none = t.get("/projects/view?region=520304&name=不存在的水库").await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}
