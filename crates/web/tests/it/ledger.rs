//! The ledger (台账) over HTTP: every `/api/v1/tasks…` route with good and bad input,
//! the `.xlsx` out and back in, a malformed sheet refused with nothing imported, and the
//! pages with their forms.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::util::{Reply, TestApp, app, send_json};

async fn send(t: &TestApp, method: &str, uri: &str) -> Reply {
    t.send(Request::builder().method(method).uri(uri).body(Body::empty()).expect("a request")).await
}

/// `multipart/form-data` with text fields and files (`(field, file name, bytes)`).
async fn multipart(
    t: &TestApp,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Reply {
    let boundary = "----taizhang-ledger-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}

async fn form(t: &TestApp, uri: &str, pairs: &[(&str, &str)]) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}

/// The id of the 播州区 report.
async fn county(t: &TestApp) -> i64 {
    t.get("/api/v1/documents?region=520304").await.json()["items"][0]["id"].as_i64().expect("an id")
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().expect("items")
}

#[tokio::test]
async fn a_documents_targets_become_tasks_and_tasks_are_edited() {
    let t = app().await;
    let doc = county(&t).await;
    // The review section (一、2024年工作回顾) states results, not targets.
    let review =
        send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &json!({"section": 0}))
            .await;
    assert_eq!(review.json()["added"], json!([]), "{}", review.text());
    let r = send_json(
        &t,
        "POST",
        &format!("/api/v1/documents/{doc}/tasks"),
        &json!({"lead_unit": "区发展改革局"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["added"].as_array().expect("added").len(), 2, "6% and 5.5%");
    let again =
        send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &json!({})).await.json();
    assert_eq!(
        (again["added"].as_array().unwrap().len(), again["existing"].as_u64()),
        (0, Some(2))
    );

    let list = t.get("/api/v1/tasks").await.json();
    assert_eq!(list["total"], 2);
    let first = &items(&list)[0];
    assert_eq!(first["title"], "地区生产总值增长6%左右");
    assert_eq!(first["lead_unit"], "区发展改革局");
    assert_eq!(first["deadline"], "2025-12-31");
    assert_eq!(first["source"]["document_id"], doc);
    assert_eq!(first["source"]["text"], "地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。");
    // 2025 is over and nothing was reported: overdue, red.
    assert_eq!(
        (first["schedule"]["light"].as_str(), first["schedule"]["overdue"].as_bool()),
        (Some("red"), Some(true))
    );

    // By hand.
    let body = json!({
        "title": "新增城镇就业1万人", "lead_unit": "区人社局", "assisting_units": ["区财政局", "各镇街"],
        "start_date": "2026-01-01", "deadline": "2099年6月底", "status": "推进中",
    });
    let r = send_json(&t, "POST", "/api/v1/tasks", &body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let made = r.json();
    let id = made["id"].as_i64().expect("an id");
    assert_eq!((made["ord"].as_i64(), made["deadline"].as_str()), (Some(3), Some("2099-06-30")));
    assert_eq!(made["status"], "in_progress");
    assert_eq!(made["schedule"]["light"], "green");

    for (body, needle) in [
        (json!({"title": " "}), "目标任务不能为空"),
        (json!({"title": "x", "deadline": "下月"}), "完成时限：无法识别的日期“下月”"),
        (json!({"title": "x", "status": "搁置"}), "无法识别的状态“搁置”"),
        (json!({"title": "x", "start_date": "2026-02-30"}), "无法识别的开始时间"),
        (
            json!({"title": "x", "start_date": "2026-06-01", "deadline": "2026年3月底"}),
            "早于开始时间",
        ),
        (json!({"title": "x", "percent": 150}), "0到100"),
    ] {
        let r = send_json(&t, "POST", "/api/v1/tasks", &body).await;
        r.assert_error(StatusCode::BAD_REQUEST, "invalid");
        assert!(r.json()["error"]["message"].as_str().unwrap().contains(needle), "{}", r.text());
    }
    let r = t
        .send(
            Request::post("/api/v1/tasks")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.json()["error"]["code"], "bad_body");
    assert!(r.status.is_client_error());
    assert_eq!(t.get("/api/v1/tasks").await.json()["total"], 3, "nothing half-added");

    // Edit, filter, delete.
    let edit = json!({"title": "新增城镇就业1.2万人", "lead_unit": "区人社局", "deadline": "长期坚持", "problems": "岗位不足"});
    let r = send_json(&t, "PUT", &format!("/api/v1/tasks/{id}"), &edit).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let edited = r.json();
    assert_eq!(
        (edited["title"].as_str(), edited["deadline"].as_null()),
        (Some("新增城镇就业1.2万人"), Some(()))
    );
    assert_eq!(edited["ord"], 3, "序号 kept");
    assert_eq!(edited["schedule"]["light"], "none");
    send_json(&t, "PUT", "/api/v1/tasks/999", &edit)
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    let unit = t.get("/api/v1/tasks?unit=%E5%8C%BA%E4%BA%BA%E7%A4%BE%E5%B1%80").await.json();
    assert_eq!(unit["total"], 1);
    assert_eq!(t.get("/api/v1/tasks?light=red&overdue=1").await.json()["total"], 2);
    assert_eq!(
        t.get(&format!("/api/v1/tasks?document={doc}&status=not_started")).await.json()["total"],
        2
    );
    for uri in [
        "/api/v1/tasks?status=late",
        "/api/v1/tasks?light=blue",
        "/api/v1/tasks?overdue=maybe",
        "/api/v1/tasks?document=x",
    ] {
        t.get(uri).await.assert_error(StatusCode::BAD_REQUEST, "bad_query");
    }

    let detail = t.get(&format!("/api/v1/tasks/{id}")).await.json();
    assert_eq!(detail["task"]["problems"], "岗位不足");
    assert_eq!(detail["reports"], json!([]));
    t.get("/api/v1/tasks/999").await.assert_error(StatusCode::NOT_FOUND, "not_found");
    t.get("/api/v1/tasks/abc").await.assert_error(StatusCode::BAD_REQUEST, "bad_path");
    assert_eq!(
        send(&t, "DELETE", &format!("/api/v1/tasks/{id}")).await.status,
        StatusCode::NO_CONTENT
    );
    send(&t, "DELETE", &format!("/api/v1/tasks/{id}"))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");

    // One fact, even a result: a task of its own, once.
    let one = send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &json!({"fact": 0}))
        .await
        .json();
    assert_eq!(one["added"].as_array().unwrap().len(), 1, "{one}");
    let task = t.get(&format!("/api/v1/tasks/{}", one["added"][0])).await.json();
    assert_eq!(task["task"]["title"], "全区地区生产总值完成420亿元");
    let again =
        send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &json!({"fact": 0}))
            .await
            .json();
    assert_eq!(again["existing"], 1);
    for body in [json!({"fact": 99}), json!({"fact": 0, "section": 1})] {
        send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &body)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "invalid");
    }
    send_json(&t, "POST", "/api/v1/documents/999/tasks", &json!({}))
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    send_json(&t, "POST", &format!("/api/v1/documents/{doc}/tasks"), &json!({"section": 99}))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn reports_light_warnings_and_keep_their_evidence() {
    let t = app().await;
    let body = json!({"title": "建成5G基站300个", "lead_unit": "区大数据局", "start_date": "2020-01-01", "deadline": "2099年12月底"});
    let id =
        send_json(&t, "POST", "/api/v1/tasks", &body).await.json()["id"].as_i64().expect("an id");
    let uri = format!("/api/v1/tasks/{id}/reports");
    let fields = [
        ("period", "2026年5月"),
        ("unit", "区大数据局"),
        ("percent", "3"),
        ("note", "已建成9个"),
        ("value", "9"),
    ];
    let r = multipart(&t, &uri, &fields, &[("file", "验收单.txt", "验收合格".as_bytes())]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let detail = r.json();
    assert_eq!(detail["task"]["percent"], 3.0);
    assert_eq!(detail["task"]["progress"], "已建成9个");
    assert_eq!(detail["task"]["status"], "in_progress");
    let report = &detail["reports"][0];
    assert_eq!(
        (report["period"].as_str(), report["value"].as_f64()),
        (Some("2026年5月"), Some(9.0))
    );
    let file = &report["attachments"][0];
    assert_eq!((file["name"].as_str(), file["size"].as_u64()), (Some("验收单.txt"), Some(12)));

    let a = t.get(&format!("/attachments/{}", file["id"])).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body, "验收合格".as_bytes());
    assert!(a.headers[header::CONTENT_DISPOSITION].to_str().unwrap().starts_with("attachment"));
    assert_eq!(t.get("/attachments/999").await.status, StatusCode::NOT_FOUND);

    // Thresholds: the task is far behind its schedule, so it is red; with both at 100 and
    // the deadline far away, it is green again.
    let w = t.get("/api/v1/warnings").await.json();
    assert_eq!(w["thresholds"], json!({"yellow": 10.0, "red": 30.0}));
    assert_eq!(w["units"][0]["unit"], "区大数据局");
    let lag = detail["task"]["schedule"]["lag"].as_f64().expect("a lag");
    assert!(lag > 0.0, "{lag}");
    let r =
        send_json(&t, "PUT", "/api/v1/warnings/thresholds", &json!({"yellow": 100, "red": 100}))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(
        t.get(&format!("/api/v1/tasks/{id}")).await.json()["task"]["schedule"]["light"],
        "green"
    );
    for body in
        [json!({"yellow": 40, "red": 20}), json!({"yellow": -1, "red": 20}), json!({"yellow": "x"})]
    {
        let r = send_json(&t, "PUT", "/api/v1/warnings/thresholds", &body).await;
        assert!(r.status.is_client_error(), "{body}: {}", r.text());
    }

    for (fields, code) in [
        (vec![("period", "5月"), ("unit", "区大数据局"), ("percent", "120")], "invalid"),
        (vec![("period", "5月"), ("unit", "区大数据局"), ("percent", "许多")], "invalid"),
        (vec![("period", "5月"), ("unit", "")], "invalid"),
        (vec![("period", ""), ("unit", "区大数据局")], "invalid"),
        (vec![("period", "5月"), ("unit", "区大数据局"), ("reported_on", "上周")], "invalid"),
        (vec![("period", "5月"), ("unit", "区大数据局"), ("status", "搁置")], "invalid"),
    ] {
        multipart(&t, &uri, &fields, &[]).await.assert_error(StatusCode::BAD_REQUEST, code);
    }
    // The sheet back by 序号 updates the task in place.
    let sheet = t.get("/ledger.xlsx").await.body;
    let r = multipart(
        &t,
        "/api/v1/tasks/import",
        &[("mode", "update")],
        &[("file", "台账.xlsx", &sheet)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json(), json!({"added": [], "updated": [id]}));
    assert_eq!(t.get("/api/v1/tasks").await.json()["total"], 1);
    multipart(&t, "/api/v1/tasks/999/reports", &fields, &[])
        .await
        .assert_error(StatusCode::NOT_FOUND, "not_found");
    let r = t
        .send(
            Request::post(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.json()["error"]["code"], "bad_upload");
    assert_eq!(
        t.get(&format!("/api/v1/tasks/{id}")).await.json()["reports"].as_array().unwrap().len(),
        1
    );
}

#[tokio::test]
async fn the_ledger_goes_out_as_xlsx_and_comes_back() {
    let t = app().await;
    let doc = county(&t).await;
    send_json(
        &t,
        "POST",
        &format!("/api/v1/documents/{doc}/tasks"),
        &json!({"lead_unit": "区发展改革局"}),
    )
    .await;
    let r = t.get("/ledger.xlsx").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers[header::CONTENT_TYPE].to_str().unwrap().contains("spreadsheetml"));
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(r.body.clone())).expect("an xlsx");
    let sheet = book.worksheet_range_at(0).expect("a sheet").expect("readable");
    let header: Vec<String> =
        (0..8).map(|c| sheet.get_value((0, c)).expect("a cell").to_string()).collect();
    assert_eq!(
        header,
        [
            "序号",
            "目标任务",
            "责任单位",
            "配合单位",
            "完成时限",
            "进展情况",
            "存在问题",
            "下步打算"
        ]
    );
    assert_eq!(sheet.get_value((1, 1)), Some(&Data::String("地区生产总值增长6%左右".into())));
    assert_eq!(sheet.get_value((1, 4)), Some(&Data::String("2025年底".into())));

    let before = t.get("/api/v1/tasks").await.json();
    let r = multipart(
        &t,
        "/api/v1/tasks/import",
        &[("year", "2025")],
        &[("file", "台账.xlsx", &r.body)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let added: Vec<Value> = r.json()["added"].as_array().unwrap().clone();
    assert_eq!(added.len(), 2);
    let after = t.get("/api/v1/tasks").await.json();
    let after = json!({"items": items(&after).iter().filter(|t| added.contains(&t["id"])).cloned().collect::<Vec<_>>()});
    let strip = |v: &Value| -> Vec<Value> {
        items(v)
            .iter()
            .map(|t| {
                let mut t = t.clone();
                for k in ["id", "ord", "created_at", "updated_at"] {
                    t.as_object_mut().unwrap().remove(k);
                }
                t
            })
            .collect()
    };
    assert_eq!(strip(&after), strip(&before), "the same tasks again");

    // A malformed sheet: refused with the row and column, nothing imported.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in
        ["序号", "目标任务", "责任单位", "配合单位", "完成时限", "进展情况", "存在问题", "下步打算"]
            .iter()
            .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, title, deadline) in
        [(1, "任务一", "2026年底"), (2, "任务二", "2026年6月底"), (4, "任务四", "下月")]
    {
        sheet.write_string(r, 1, title).unwrap();
        sheet.write_string(r, 4, deadline).unwrap();
    }
    let bad = book.save_to_buffer().unwrap();
    let r = multipart(&t, "/api/v1/tasks/import", &[], &[("file", "bad.xlsx", &bad)]).await;
    r.assert_error(StatusCode::BAD_REQUEST, "bad_sheet");
    let message = r.json()["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("第5行 E列（完成时限）：无法识别的日期“下月”"), "{message}");
    assert_eq!(t.get("/api/v1/tasks").await.json()["total"], 4, "nothing half-imported");
    // The page says the same in HTML, with the same status.
    let r = multipart(&t, "/ledger/import", &[], &[("file", "bad.xlsx", &bad)]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("第5行 E列（完成时限）"), "{}", r.text());
    // By 序号: the ledger now has each 序号 twice, so the update is refused, whole.
    let r = t.get("/ledger.xlsx").await;
    let r = multipart(
        &t,
        "/api/v1/tasks/import",
        &[("mode", "update")],
        &[("file", "台账.xlsx", &r.body)],
    )
    .await;
    r.assert_error(StatusCode::BAD_REQUEST, "bad_sheet");
    assert!(r.text().contains("无法按序号更新"), "{}", r.text());
    multipart(&t, "/api/v1/tasks/import", &[("mode", "merge")], &[("file", "台账.xlsx", &bad)])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
    multipart(&t, "/api/v1/tasks/import", &[], &[("file", "x.xlsx", b"not a workbook")])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_sheet");
    multipart(&t, "/api/v1/tasks/import", &[("year", "2026")], &[])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_upload");
    multipart(&t, "/api/v1/tasks/import", &[("year", "明年")], &[("file", "台账.xlsx", &bad)])
        .await
        .assert_error(StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn the_pages_make_a_ledger_report_and_warn() {
    let t = app().await;
    let doc = county(&t).await;
    let html = t.get(&format!("/documents/{doc}")).await.text();
    assert!(
        html.contains("生成台账") && html.contains(&format!("action=\"/documents/{doc}/ledger\""))
    );

    let r = form(&t, &format!("/documents/{doc}/ledger"), &[("lead_unit", "区发展改革局")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let to = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/ledger?document={doc}&made=2&existing=0"));
    let html = t.get(&to).await.text();
    assert!(html.contains("已从文件生成 2 项任务"), "{html}");
    assert!(
        html.contains("地区生产总值增长6%左右") && html.contains("class=\"light red overdue\"")
    );

    let r = form(
        &t,
        "/ledger",
        &[
            ("title", "<b>新增</b>城镇就业1万人"),
            ("lead_unit", "区人社局"),
            ("assisting_units", "区财政局、各镇街"),
            ("start_date", "2020-01-01"),
            ("deadline", "2099年底"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let task = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let html = t.get(&task).await.text();
    assert!(!html.contains("<b>新增</b>"), "escaped");
    assert!(html.contains("新增") && html.contains("城镇就业1万人"));
    assert!(html.contains("区财政局、各镇街") && html.contains("id=\"report-form\""));

    let r = multipart(
        &t,
        &format!("{task}/reports"),
        &[("period", "2026年5月"), ("unit", "区人社局"), ("percent", "1"), ("note", "已新增100人")],
        &[("file", "名单.txt", b"list")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let html = t.get(&task).await.text();
    assert!(html.contains("已新增100人") && html.contains("名单.txt"));

    let r = form(
        &t,
        &task,
        &[("title", "新增城镇就业1万人"), ("lead_unit", "区人社局"), ("deadline", "下月")],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("无法识别的日期“下月”"));

    let sentence = t.get("/ledger/1").await.text();
    assert!(sentence.contains(&format!("href=\"/documents/{doc}#f")), "a link to the sentence");

    let html = t.get("/warnings").await.text();
    assert!(html.contains("区发展改革局") && html.contains("区人社局"));
    assert!(html.contains("/ledger?unit="));
    let r = form(&t, "/warnings", &[("yellow", "5"), ("red", "20")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(t.get("/warnings").await.text().contains("value=\"5\""));
    assert_eq!(
        form(&t, "/warnings", &[("yellow", "30"), ("red", "20")]).await.status,
        StatusCode::BAD_REQUEST
    );

    let r = form(&t, &format!("{task}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(t.get(&task).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/ledger?light=blue").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(form(&t, "/documents/999/ledger", &[]).await.status, StatusCode::NOT_FOUND);
}
