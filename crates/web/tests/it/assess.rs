//! Assessment (考核) over HTTP: a scheme posted, listed, read back as its export,
//! replaced, run on gathered and hand-entered inputs, saved and deleted; faulty schemes
//! refused with every fault named.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::util::{Reply, TestApp, app};

async fn send(t: &TestApp, method: &str, uri: &str, body: &str) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("a request");
    t.send(request).await
}

/// 播州区's 2026 report: the 2025 result (made-up figure).
const COUNTY_2026: &str = "2026年播州区政府工作报告\n\
    一、2025年工作回顾\n\
    全区地区生产总值增长5.2%。\n";

fn scheme() -> Value {
    json!({
        "name": "2025年度县区经济发展考核",
        "year": 2025,
        "indicators": [
            {"key": "growth", "name": "地区生产总值增速", "weight": 10,
             "method": {"kind": "ratio", "cap": 1.2},
             "source": {"kind": "track", "indicator": "gdp_growth"}},
            {"key": "safety", "name": "安全生产", "method": {"kind": "veto"}}
        ],
        "lists": {"black": {"bottom_n": 1}}
    })
}

#[tokio::test]
async fn a_scheme_is_stored_run_and_saved() {
    let t = app().await;
    assert_eq!(
        t.upload(&[("播州区2026.txt", COUNTY_2026.as_bytes())]).await.status,
        StatusCode::OK
    );
    let r = send(&t, "POST", "/api/v1/schemes", &scheme().to_string()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_i64().expect("an id");

    let list = t.get("/api/v1/schemes").await.json();
    assert_eq!(list["items"][0]["name"], "2025年度县区经济发展考核");
    assert_eq!(list["items"][0]["full_marks"], 10.0);
    let exported = t.get(&format!("/api/v1/schemes/{id}")).await.json();
    assert_eq!(exported["indicators"][0]["method"], json!({"kind": "ratio", "cap": 1.2}));

    let body = json!({
        "inputs": [{"subject": "遵义市", "indicator": "safety", "count": 1, "note": "发生较大事故1起"}],
        "save": "2025年度"
    });
    let r = send(&t, "POST", &format!("/api/v1/schemes/{id}/run"), &body.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let run = r.json();
    assert!(run["run_id"].as_i64().is_some(), "{run}");
    let subjects = run["assessment"]["subjects"].as_array().expect("subjects");
    let of = |name: &str| subjects.iter().find(|s| s["subject"] == name).cloned();
    // 播州区: 5.2 / 6 = 0.8667 → 8.67 points of 10
    let bozhou = of("播州区").expect("播州区 was assessed");
    assert!((bozhou["total"].as_f64().expect("a total") - 52.0 / 6.0).abs() < 1e-9);
    assert_eq!(
        bozhou["items"][0]["explanation"],
        "目标6，实际5.2，完成率86.67%，得8.67分（满分10分，封顶1.2倍）"
    );
    // 遵义市: a target and no result yet, and a veto entered by hand → 0, last.
    let zunyi = of("遵义市").expect("遵义市 was assessed");
    assert_eq!(zunyi["total"], 0.0);
    assert_eq!(zunyi["vetoes"][0], "安全生产：发生较大事故1起");
    assert_eq!(run["assessment"]["black"][0]["subject"], "遵义市");

    // Replaced, then refused with every fault named.
    let mut edited = scheme();
    edited["name"] = json!("2025年度县区经济发展考核（修订）");
    let r = send(&t, "PUT", &format!("/api/v1/schemes/{id}"), &edited.to_string()).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    edited["indicators"][0]["weight"] = json!(0);
    edited["indicators"][1]["weight"] = json!(5);
    let r = send(&t, "PUT", &format!("/api/v1/schemes/{id}"), &edited.to_string()).await;
    r.assert_error(StatusCode::BAD_REQUEST, "invalid_scheme");
    let message = r.json()["error"]["message"].as_str().expect("a message").to_owned();
    assert!(
        message.contains("指标“地区生产总值增速”：按完成率计分的指标分值须为正数"),
        "{message}"
    );
    assert!(message.contains("指标“安全生产”：一票否决项不计分，分值须为0"), "{message}");
    send(&t, "POST", "/api/v1/schemes", "not json")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid_scheme");
    let bad_day = json!({"today": "下月"}).to_string();
    send(&t, "POST", &format!("/api/v1/schemes/{id}/run"), &bad_day)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");

    let r = send(&t, "DELETE", &format!("/api/v1/schemes/{id}"), "").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    t.get(&format!("/api/v1/schemes/{id}")).await.assert_error(StatusCode::NOT_FOUND, "not_found");
    send(&t, "POST", &format!("/api/v1/schemes/{id}/run"), "{}")
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
}

async fn form(t: &TestApp, uri: &str, pairs: &[(&str, &str)]) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}

#[tokio::test]
async fn the_pages_import_show_run_edit_and_delete_a_scheme() {
    let t = app().await;
    assert_eq!(
        t.upload(&[("播州区2026.txt", COUNTY_2026.as_bytes())]).await.status,
        StatusCode::OK
    );
    let empty = t.get("/assess").await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.text().contains("还没有考核方案"));

    let r = form(&t, "/assess", &[("json", &scheme().to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers[header::LOCATION].to_str().expect("a location").to_owned();
    let page = t.get(&to).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("2025年度县区经济发展考核"));
    assert!(html.contains("完成率计分，封顶1.2倍"));
    // 播州区: 5.2 / 6 × 10 = 8.67, with its explanation.
    assert!(html.contains("<td class=\"num\">8.67</td>"), "{html}");
    assert!(html.contains("完成率86.67%"));
    assert!(t.get("/assess").await.text().contains(&format!("href=\"{to}\"")));
    let xlsx = t.get(&format!("{to}/scores.xlsx?year=2025")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body.starts_with(b"PK"), "a zip");

    let mut edited = scheme();
    edited["name"] = json!("修订后的方案");
    let r = form(&t, &to, &[("json", &edited.to_string())]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert!(t.get(&to).await.text().contains("修订后的方案"));
    let r = form(&t, &to, &[("json", "{")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("不是有效的考核方案JSON"));
    assert_eq!(t.get(&format!("{to}?year=abc")).await.status, StatusCode::BAD_REQUEST);

    let r = form(&t, &format!("{to}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get(&to).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn inputs_entered_by_hand_are_kept_and_the_page_runs_with_them() {
    let t = app().await;
    assert_eq!(
        t.upload(&[("播州区2026.txt", COUNTY_2026.as_bytes())]).await.status,
        StatusCode::OK
    );
    let r = send(&t, "POST", "/api/v1/schemes", &scheme().to_string()).await;
    let id = r.json()["id"].as_i64().expect("an id");
    let page = t.get(&format!("/assess/{id}/inputs")).await;
    assert_eq!(page.status, StatusCode::OK);
    let page = page.text();
    assert!(
        page.contains("安全生产（次数）") && page.contains("地区生产总值增速（目标值与实际值）")
    );
    assert!(t.get(&format!("/assess/{id}")).await.text().contains("手工录入数据"));

    // The form: a veto for 播州区, a blank row dropped.
    let r = form(
        &t,
        &format!("/assess/{id}/inputs"),
        &[
            ("subject.0", "播州区"),
            ("indicator.0", "safety"),
            ("count.0", "1"),
            ("note.0", "发生较大安全生产事故1起"),
            ("subject.1", ""),
            ("indicator.1", "growth"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let to = r.headers["location"].to_str().expect("a location").to_owned();
    assert_eq!(to, format!("/assess/{id}?inputs=saved"));
    let shown = t.get(&to).await.text();
    assert!(shown.contains("已保存手工录入数据"), "{shown}");
    assert!(shown.contains("发生较大安全生产事故1起"), "the veto is in the run: {shown}");
    let kept = t.get(&format!("/api/v1/schemes/{id}/inputs")).await.json();
    assert_eq!(
        kept,
        json!([{"subject": "播州区", "indicator": "safety", "target": null,
        "actual": null, "count": 1, "note": "发生较大安全生产事故1起"}])
    );
    let again = t.get(&format!("/assess/{id}/inputs")).await.text();
    assert!(again.contains("value=\"发生较大安全生产事故1起\""), "shown to edit");

    // Faults: refused with what is wrong, and nothing changes.
    let r =
        form(&t, &format!("/assess/{id}/inputs"), &[("subject.0", "播州区"), ("count.0", "一次")])
            .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("第1行：次数应为数字，实为“一次”"), "{}", r.text());
    let bad = json!([{"subject": "播州区", "indicator": "growth", "actual": 5.0}]);
    send(&t, "PUT", &format!("/api/v1/schemes/{id}/inputs"), &bad.to_string())
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
    assert_eq!(t.get(&format!("/api/v1/schemes/{id}/inputs")).await.json(), kept);
    let good = json!([{"subject": "播州区", "indicator": "growth", "target": 6.0, "actual": 6.3}]);
    let r = send(&t, "PUT", &format!("/api/v1/schemes/{id}/inputs"), &good.to_string()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    t.get("/api/v1/schemes/999/inputs").await.assert_error(StatusCode::NOT_FOUND, "not_found");
}
