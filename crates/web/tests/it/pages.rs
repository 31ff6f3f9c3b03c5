//! The pages: each renders in Chinese with the security headers, document text is escaped,
//! and the exports open.

use std::io::Cursor;

use axum::http::{StatusCode, header};
use calamine::{Reader, Xlsx};

use crate::util::app;

#[tokio::test]
async fn every_page_renders_with_the_security_headers() {
    let t = app().await;
    for (uri, needle) in [
        ("/documents", "文件库"),
        ("/documents/1", "2025年示例市政府工作报告"),
        ("/facts", "指标台账"),
        ("/facts?indicator=gdp_growth&sort=value&order=desc", "地区生产总值增长"),
        ("/compare", "对标"),
        ("/compare?indicator=gdp", "遵义市"),
        ("/regions", "播州区"),
        ("/regions/520304", "2024 年"),
        ("/search", "搜索"),
        ("/search?q=%E7%A4%BA%E4%BE%8B%E5%B8%82", "<mark>示例市</mark>"),
    ] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.text());
        assert_eq!(r.headers[header::CONTENT_TYPE], "text/html; charset=utf-8", "{uri}");
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
        assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        let html = r.text();
        assert!(html.contains(needle), "{uri} shows {needle}");
        assert!(html.starts_with("<!doctype html>") && html.contains("lang=\"zh-CN\""));
        assert!(!html.contains("http://") && !html.contains("https://"), "{uri}: nothing external");
        assert!(!html.contains("<script>"), "{uri}: no inline script");
    }
    let r = t.get("/").await;
    assert_eq!(
        (r.status, &r.headers[header::LOCATION]),
        (StatusCode::SEE_OTHER, &"/documents".parse().unwrap())
    );
}

#[tokio::test]
async fn a_document_page_marks_facts_and_escapes_markup() {
    let t = app().await;
    let html = t.get("/documents/1").await.text();
    assert!(html.contains("<mark class=\"fact actual\" id=\"f0\""), "{html}");
    assert!(html.contains("<mark class=\"fact target\""));
    assert!(html.contains("class=\"outline\"") && html.contains("href=\"#s0\""));
    assert!(html.contains("名词解释") && html.contains("<mark class=\"term\""));

    let hostile = "2025年<script>alert(1)</script>县政府工作报告\n<img src=x onerror=alert(2)>地区生产总值增长6%。\n";
    let r = t.upload(&[("hostile.txt", hostile.as_bytes())]).await.json();
    let id = r["files"][0]["id"].as_i64().expect("stored");
    for uri in [
        format!("/documents/{id}"),
        "/documents".into(),
        format!("/facts?document={id}"),
        "/search?q=alert".into(),
    ] {
        let html = t.get(&uri).await.text();
        assert!(!html.contains("<script>alert") && !html.contains("<img src=x"), "{uri}: {html}");
    }
    for uri in [format!("/documents/{id}"), "/search?q=alert".into()] {
        let html = t.get(&uri).await.text();
        assert!(
            html.contains("&lt;script&gt;") || html.contains("&lt;img"),
            "{uri} shows it escaped"
        );
    }
}

#[tokio::test]
async fn unknown_pages_and_assets_are_404s_that_reveal_nothing() {
    let t = app().await;
    for uri in [
        "/nope",
        "/documents/999",
        "/regions/999999",
        "/static/../Cargo.toml",
        "/static/..%2FCargo.toml",
        "/static/app.css.bak",
    ] {
        let r = t.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!r.text().contains("[package]"), "{uri}");
    }
    let r = t.get("/documents/abc").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("请求有误"));
    let css = t.get("/static/app.css").await;
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    let js = t.get("/static/echarts.min.js").await;
    assert!(js.body.len() > 500_000, "ECharts is bundled");
}

#[tokio::test]
async fn the_ledger_exports_its_current_view() {
    let t = app().await;
    let xlsx = t.get("/facts.xlsx?indicator=gdp&sort=value&order=desc").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("attachment"));
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(xlsx.body)).expect("an xlsx workbook");
    let sheet = book.worksheet_range("指标台账").expect("the sheet");
    let rows: Vec<_> = sheet.rows().collect();
    assert_eq!(rows[0][0].to_string(), "地区");
    assert_eq!(rows[0][9].to_string(), "数值");
    assert_eq!(rows.len(), 1 + 3, "遵义市's 4700, the demo's 1286.5, 播州区's 420: {rows:?}");
    assert_eq!(rows[1][0].to_string(), "遵义市");
    assert_eq!(rows[1][9], calamine::Data::Float(4700.0), "numbers stay numbers");
    assert_eq!(rows[1][11].to_string(), "亿元");
    assert!(rows[1][13].to_string().contains("4700亿元"), "the sentence");

    let csv = t.get("/facts.csv?region=520304").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("\u{feff}地区,".as_bytes()), "UTF-8 with a BOM");
    assert_eq!(csv.text().lines().count(), 1 + 4);
    t.get("/facts.xlsx?sort=nope").await.assert_error_page();
}

trait ErrorPage {
    fn assert_error_page(&self);
}

impl ErrorPage for crate::util::Reply {
    #[track_caller]
    fn assert_error_page(&self) {
        assert_eq!(self.status, StatusCode::BAD_REQUEST);
        assert!(self.text().contains("sort must be"));
    }
}
