//! 督查通报 over HTTP: the API's JSON, the page's preview with its form and download
//! links, the `.docx` and `.xlsx` downloads with their Chinese file names, and refusals.

use std::io::{Cursor, Read};

use axum::http::{StatusCode, header};
use calamine::{Reader, Xlsx};
use serde_json::json;

use crate::util::{TestApp, app, send_json};

/// `s` percent-encoded for a URL.
fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Three tasks from 2026-01-01, seen on 2026-06-30 (180 of 364 days: 序时进度 49.45%):
/// 县发改局's at 10% is 39.45 behind (red), 县住建局's at 35% 14.45 (yellow), 县教育局's
/// at 60% ahead (green). A scheme with one run saved: 县教育局 10, 县住建局 8, 县发改局 6.
async fn fixture() -> (TestApp, i64, i64) {
    let t = app().await;
    for (title, unit, percent) in [
        ("新建5G基站200个", "县发改局", 10.0),
        ("改造老旧小区12个", "县住建局", 35.0),
        ("新建幼儿园2所", "县教育局", 60.0),
    ] {
        let body = json!({
            "title": title, "lead_unit": unit, "start_date": "2026-01-01",
            "deadline": "2026年底", "status": "in_progress", "percent": percent
        });
        let r = send_json(&t, "POST", "/api/v1/tasks", &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let scheme = json!({
        "name": "部门督查考核",
        "indicators": [{"key": "work", "name": "重点工作", "weight": 10,
                        "method": {"kind": "ratio", "cap": 1.0}}],
        "lists": {"red": {"top_n": 1}, "black": {"bottom_n": 1}}
    });
    let r = send_json(&t, "POST", "/api/v1/schemes", &scheme).await;
    let scheme_id = r.json()["id"].as_i64().expect("an id");
    let v =
        |s: &str, a: f64| json!({"subject": s, "indicator": "work", "target": 100, "actual": a});
    let body = json!({
        "inputs": [v("县教育局", 100.0), v("县住建局", 80.0), v("县发改局", 60.0)],
        "save": "2026年第二季度"
    });
    let r = send_json(&t, "POST", &format!("/api/v1/schemes/{scheme_id}/run"), &body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let run_id = r.json()["run_id"].as_i64().expect("saved");
    (t, scheme_id, run_id)
}

#[tokio::test]
async fn the_api_returns_the_bulletin_as_json() {
    let (t, scheme, run) = fixture().await;
    let r = t
        .get(&format!(
            "/api/v1/bulletin?period=2026Q2&as_of=2026-06-30&scheme={scheme}&office={}",
            enc("示例县督查室")
        ))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let b = r.json();
    assert_eq!(b["title"], "示例县督查室关于2026年第二季度重点任务推进情况的督查通报");
    assert_eq!(b["number"], "督查通报〔2026〕2号", "the quarter's ordinal by default");
    assert_eq!(b["period"]["start"], "2026-04-01");
    assert_eq!(b["as_of"], "2026-06-30");
    assert_eq!(b["summary"]["total"], 3);
    assert_eq!(b["summary"]["red"], 1);
    assert_eq!(b["summary"]["yellow"], 1);
    assert_eq!(b["units"][0]["unit"], "县发改局");
    assert_eq!(b["units"][0]["red"], 1);
    assert_eq!(b["units"][0]["tasks"][0]["light"], "red");
    assert_eq!(b["units"][1]["unit"], "县住建局");
    assert_eq!(b["units"].as_array().map(Vec::len), Some(2));
    assert_eq!(b["assessment"]["run_id"], run);
    assert_eq!(b["assessment"]["scores"][0]["subject"], "县教育局");
    assert_eq!(b["assessment"]["scores"][0]["total"], 10.0);
    assert_eq!(b["assessment"]["red"][0]["subject"], "县教育局");
    assert_eq!(b["assessment"]["black"][0]["subject"], "县发改局");

    // Without a scheme, no scores; blank parameters are unset.
    let r = t.get("/api/v1/bulletin?period=2026-06&as_of=&scheme=&run=").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["period"]["label"], "2026年6月");
    assert!(r.json()["assessment"].is_null());
    // The office's own count of its bulletins.
    let r = t.get("/api/v1/bulletin?period=2026-06&number=7").await;
    assert_eq!(r.json()["number"], "督查通报〔2026〕7号");
    for bad in ["0", "七", "-1"] {
        t.get(&format!("/api/v1/bulletin?number={}", enc(bad)))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    }

    t.get(&format!("/api/v1/bulletin?period={}", enc("春季")))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    t.get(&format!("/api/v1/bulletin?as_of={}", enc("下月")))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
    t.get("/api/v1/bulletin?scheme=x").await.assert_error(StatusCode::BAD_REQUEST, "bad_query");
    t.get("/api/v1/bulletin?run=999").await.assert_error(StatusCode::NOT_FOUND, "not_found");
}

#[tokio::test]
async fn the_page_previews_the_bulletin_with_its_downloads() {
    let (t, _scheme, run) = fixture().await;
    let period = enc("2026年第二季度");
    let r = t.get(&format!("/bulletin?period={period}&as_of=2026-06-30&run={run}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let html = r.text();
    for (i, w) in [
        "id=\"bulletin-form\"",
        "市人民政府督查室关于2026年第二季度重点任务推进情况的督查通报",
        "一、总体情况",
        "纳入督查台账的重点任务共3项",
        "二、预警情况",
        "县发改局：牵头任务1项，红灯1项。",
        "新建5G基站200个",
        "落后39.45个百分点",
        "县住建局",
        "三、考核得分与排名",
        "《部门督查考核》（2026年第二季度）",
        "四、红黑榜",
        "红榜：县教育局",
        "黑榜：县发改局",
        "五、下步要求",
    ]
    .iter()
    .enumerate()
    {
        assert!(html.contains(w), "{i}: {w} not in the page");
    }
    assert!(html.contains(&format!("<option value=\"{run}\" selected>")), "the run is chosen");
    assert!(html.contains("href=\"/bulletin\" class=\"on\""), "the nav link is on");
    let docx = format!("/bulletin.docx?period={period}&#38;as_of=2026-06-30&#38;run={run}");
    assert!(html.contains(&docx), "{html}");
    assert!(!html.contains("<script>"), "no inline script");

    // Without parameters: the current quarter, no scores.
    let r = t.get("/bulletin").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("本期未开展考核"));
    assert_eq!(
        t.get(&format!("/bulletin?period={}", enc("春季"))).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_downloads_are_a_docx_and_an_xlsx_with_chinese_names() {
    let (t, scheme, _run) = fixture().await;
    let q = format!("period=2026Q2&as_of=2026-06-30&scheme={scheme}");
    let r = t.get(&format!("/bulletin.docx?{q}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let disposition = r.headers[header::CONTENT_DISPOSITION].to_str().expect("ASCII");
    let name = enc("市人民政府督查室关于2026年第二季度重点任务推进情况的督查通报.docx");
    assert_eq!(
        disposition,
        format!("attachment; filename=\"bulletin.docx\"; filename*=UTF-8''{name}")
    );
    let mut zip = zip::ZipArchive::new(Cursor::new(r.body)).expect("a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("the main part")
        .read_to_string(&mut xml)
        .expect("UTF-8");
    for w in ["一、总体情况", "县发改局", "新建5G基站200个", "县教育局", "五、下步要求"]
    {
        assert!(xml.contains(w), "{w}");
    }

    let r = t.get(&format!("/bulletin.xlsx?{q}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_DISPOSITION].to_str().expect("ASCII").contains(".xlsx"));
    let book = Xlsx::new(Cursor::new(r.body)).expect("an xlsx");
    assert_eq!(book.sheet_names(), ["预警", "得分排名", "红黑榜"]);

    let r = t.get("/bulletin.docx?scheme=999").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
