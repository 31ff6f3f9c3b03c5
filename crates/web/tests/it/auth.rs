//! Users, sessions and who may change what, over HTTP.
//!
//! The authorization matrix: every role × every action that changes something × a thing of
//! the user's own unit and of another's. Each combination the rules forbid must be refused
//! with a 403 and recorded in the audit log as refused; each they allow must succeed and
//! be recorded as done. Then the gate itself: no session, a wrong or missing CSRF token,
//! bearer tokens, rate-limited logins, ended sessions.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};
use taizhang_app::auth::{Actor, AuditFilter, AuditOutcome, Role};
use taizhang_app::ledger::date::Date;
use taizhang_store::Task;

use crate::util::{COUNTY, PASSWORD, Reply, TestApp, app, post_form, send_file, send_json};

/// The unit the reporter of the matrix reports for.
const OWN_UNIT: &str = "区交通运输局";
/// Another unit.
const OTHER_UNIT: &str = "区财政局";

/// Whose thing an action touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Nobody's: documents, schemes, settings, users.
    Nobody,
    /// A task led by the actor's unit.
    Own,
    /// A task led by another unit.
    Other,
}

/// Every action that changes something, with what it touches.
const ACTIONS: [(&str, Owner); 22] = [
    ("document.upload", Owner::Nobody),
    ("document.delete", Owner::Nobody),
    ("task.add", Owner::Nobody),
    ("task.from_document", Owner::Nobody),
    ("task.import", Owner::Nobody),
    ("task.update", Owner::Own),
    ("task.update", Owner::Other),
    ("task.delete", Owner::Own),
    ("task.delete", Owner::Other),
    ("report.add", Owner::Own),
    ("report.add", Owner::Other),
    ("setting.thresholds", Owner::Nobody),
    ("setting.tolerance", Owner::Nobody),
    ("scheme.add", Owner::Nobody),
    ("scheme.update", Owner::Nobody),
    ("scheme.delete", Owner::Nobody),
    ("scheme.inputs", Owner::Nobody),
    ("assessment.run", Owner::Nobody),
    ("project.update", Owner::Nobody),
    ("project.import", Owner::Nobody),
    ("user.add", Owner::Nobody),
    ("user.update", Owner::Nobody),
];

/// What the rules allow, written out here rather than asked of the code under test.
fn allowed(role: Role, action: &str, owner: Owner) -> bool {
    match role {
        Role::Admin => true,
        Role::Planner => !action.starts_with("user."),
        Role::Reporter => action == "report.add" && owner == Owner::Own,
        Role::Viewer => false,
    }
}

/// The audit log's name for the action a request of the matrix makes.
fn recorded_action(action: &str) -> &str {
    match action {
        "task.from_document" => "task.add",
        "setting.thresholds" | "setting.tolerance" => "setting.update",
        "scheme.inputs" => "scheme.update",
        // A refused add is recorded under the action checked; a done one under its own.
        other => other,
    }
}

fn scheme_json(name: &str) -> String {
    json!({
        "name": name,
        "indicators": [{"key": "safety", "name": "安全生产", "method": {"kind": "veto"}}]
    })
    .to_string()
}

async fn add_task(t: &TestApp, unit: &str) -> i64 {
    let task =
        Task { title: format!("{unit}的任务"), lead_unit: unit.into(), ..Task::default() };
    t.app.add_task(&Actor::command_line(), task, Date::today()).await.expect("a task")
}

async fn multipart(t: &TestApp, uri: &str, fields: &[(&str, &str, Option<&str>)]) -> Reply {
    let boundary = "----matrix";
    let mut body = String::new();
    for (name, value, file) in fields {
        let file = file.map(|f| format!("; filename=\"{f}\"")).unwrap_or_default();
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}

/// Makes the request of `action` as `t`'s user, on things made for it by the command line.
async fn attempt(t: &TestApp, admin: &TestApp, action: &str, owner: Owner, n: usize) -> Reply {
    let unit = if owner == Owner::Own { OWN_UNIT } else { OTHER_UNIT };
    match action {
        "document.upload" => {
            let text = format!("2025年播州区政府工作报告（第{n}稿）\n地区生产总值增长6%左右。\n");
            t.upload(&[(&format!("报告{n}.txt"), text.as_bytes())]).await
        }
        "document.delete" => {
            let text = format!("2024年播州区政府工作报告（第{n}稿）\n地区生产总值增长7%。\n");
            let r = admin.upload(&[(&format!("删{n}.txt"), text.as_bytes())]).await;
            let id = r.json()["files"][0]["id"].as_i64().expect("an uploaded document");
            send_json(t, "DELETE", &format!("/api/v1/documents/{id}"), &json!({})).await
        }
        "task.add" => {
            send_json(t, "POST", "/api/v1/tasks", &json!({"title": "新任务", "lead_unit": unit}))
                .await
        }
        "task.from_document" => {
            let docs = admin.get("/api/v1/documents").await.json();
            let id = docs["items"]
                .as_array()
                .expect("documents")
                .iter()
                .find(|d| d["title"].as_str().is_some_and(|t| t.contains("播州区")))
                .and_then(|d| d["id"].as_i64())
                .expect("the county report");
            let uri = format!("/api/v1/documents/{id}/tasks");
            send_json(t, "POST", &uri, &json!({"lead_unit": format!("单位{n}")})).await
        }
        "task.import" => {
            let sheet = admin.get("/ledger.xlsx").await;
            assert_eq!(sheet.status, StatusCode::OK);
            send_file(t, "/api/v1/tasks/import", &sheet.body).await
        }
        "task.update" => {
            let id = add_task(admin, unit).await;
            let task = json!({"title": "改过的任务", "lead_unit": unit});
            send_json(t, "PUT", &format!("/api/v1/tasks/{id}"), &task).await
        }
        "task.delete" => {
            let id = add_task(admin, unit).await;
            send_json(t, "DELETE", &format!("/api/v1/tasks/{id}"), &json!({})).await
        }
        "report.add" => {
            let id = add_task(admin, unit).await;
            let fields =
                [("period", "2026年5月", None), ("unit", unit, None), ("percent", "40", None)];
            multipart(t, &format!("/api/v1/tasks/{id}/reports"), &fields).await
        }
        "setting.thresholds" => {
            send_json(t, "PUT", "/api/v1/warnings/thresholds", &json!({"yellow": 5, "red": 20}))
                .await
        }
        "setting.tolerance" => {
            send_json(t, "PUT", "/api/v1/tolerances/gdp_growth", &json!({"tolerance": 0.3})).await
        }
        "scheme.add" => {
            let request = Request::post("/api/v1/schemes")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(scheme_json(&format!("方案{n}"))))
                .expect("a request");
            t.send(request).await
        }
        "scheme.update" | "scheme.delete" | "scheme.inputs" | "assessment.run" => {
            let scheme =
                taizhang_app::assess::Scheme::from_json(&scheme_json(&format!("旧方案{n}")))
                    .expect("a scheme");
            let id = t.app.add_scheme(&Actor::command_line(), &scheme).await.expect("added");
            let uri = format!("/api/v1/schemes/{id}");
            match action {
                "scheme.update" => {
                    let request = Request::put(uri.as_str())
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(Body::from(scheme_json(&format!("新方案{n}"))))
                        .expect("a request");
                    t.send(request).await
                }
                "scheme.delete" => send_json(t, "DELETE", &uri, &json!({})).await,
                "scheme.inputs" => {
                    let inputs =
                        json!([{"subject": "县住建局", "indicator": "safety", "count": 1}]);
                    send_json(t, "PUT", &format!("{uri}/inputs"), &inputs).await
                }
                _ => {
                    send_json(t, "POST", &format!("{uri}/run"), &json!({"save": "2026年度"})).await
                }
            }
        }
        "project.update" => {
            let stages = admin.get("/api/v1/projects/stages").await.json();
            send_json(t, "PUT", "/api/v1/projects/stages", &stages).await
        }
        "project.import" => {
            // A company no document names: the import enters it, so that it writes.
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.write_row(0, 0, ["企业名称", "清单"]).expect("a header");
            sheet.write_row(1, 0, [format!("拟招企业{n}"), "拟招企业".into()]).expect("a row");
            send_file(t, "/api/v1/projects/import", &book.save_to_buffer().expect("a sheet")).await
        }
        "user.add" => {
            let user =
                json!({"username": format!("new{n}"), "role": "viewer", "password": PASSWORD});
            send_json(t, "POST", "/api/v1/users", &user).await
        }
        "user.update" => {
            let name = format!("target{n}");
            admin.as_user(&name, Role::Viewer, "").await;
            send_json(t, "PATCH", &format!("/api/v1/users/{name}"), &json!({"role": "planner"}))
                .await
        }
        other => panic!("no request for {other}"),
    }
}

#[tokio::test]
async fn every_role_may_do_what_the_rules_allow_and_nothing_else() {
    let admin = app().await;
    let users = [
        (Role::Admin, admin.clone()),
        (Role::Planner, admin.as_user("planner", Role::Planner, "").await),
        (Role::Reporter, admin.as_user("reporter", Role::Reporter, OWN_UNIT).await),
        (Role::Viewer, admin.as_user("viewer", Role::Viewer, "").await),
    ];
    let mut n = 0;
    for (role, t) in &users {
        let username = match role {
            Role::Admin => "admin",
            Role::Planner => "planner",
            Role::Reporter => "reporter",
            Role::Viewer => "viewer",
        };
        for (action, owner) in ACTIONS {
            n += 1;
            let refusals_before = refusals(&admin, username).await;
            let r = attempt(t, &admin, action, owner, n).await;
            let case = format!("{role:?} {action} ({owner:?}): {} {}", r.status, r.text());
            if allowed(*role, action, owner) {
                assert!(r.status.is_success(), "allowed but refused: {case}");
            } else {
                r.assert_error(StatusCode::FORBIDDEN, "forbidden");
                let refused = refusals(&admin, username).await;
                assert_eq!(
                    refused.len(),
                    refusals_before.len() + 1,
                    "one refusal recorded: {case}"
                );
                let entry = &refused[0];
                assert_eq!(entry.change.action, recorded_action_refused(action), "{case}");
                assert!(!entry.change.detail.is_empty(), "the refusal says why: {case}");
            }
        }
    }
    // Every change that was allowed is in the log as done, by its user.
    let (done, _) = admin
        .app
        .audit_log(
            &Actor::command_line(),
            &AuditFilter { outcome: Some(AuditOutcome::Done), ..AuditFilter::default() },
        )
        .await
        .expect("the log reads");
    for action in ["document.upload", "task.update", "report.add", "scheme.add", "assessment.run"] {
        assert!(
            done.iter().any(|e| e.change.action == action && e.change.actor == "planner"),
            "a done {action} by the planner is logged"
        );
    }
    assert!(done.iter().any(|e| e.change.action == "report.add" && e.change.actor == "reporter"));
    assert!(done.iter().any(|e| e.change.action == "user.add" && e.change.actor == "admin"));
}

/// The action a refusal is recorded under: the one checked.
fn recorded_action_refused(action: &str) -> &str {
    match action {
        "scheme.add" | "scheme.delete" => "scheme.update",
        "user.add" => "user.update",
        other => recorded_action(other),
    }
}

async fn refusals(t: &TestApp, username: &str) -> Vec<taizhang_app::auth::AuditRow> {
    let filter = AuditFilter {
        actor: Some(username.into()),
        outcome: Some(AuditOutcome::Refused),
        ..AuditFilter::default()
    };
    t.app.audit_log(&Actor::command_line(), &filter).await.expect("the log reads").0
}

#[tokio::test]
async fn a_reporter_reports_for_their_own_unit_whatever_the_form_says() {
    let admin = app().await;
    let reporter = admin.as_user("reporter", Role::Reporter, OWN_UNIT).await;
    let id = add_task(&admin, OWN_UNIT).await;
    let fields =
        [("period", "2026年5月", None), ("unit", OTHER_UNIT, None), ("percent", "50", None)];
    let r = multipart(&reporter, &format!("/api/v1/tasks/{id}/reports"), &fields).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["reports"][0]["unit"], OWN_UNIT);
    // The page's form is refused on another unit's task, with a page saying why.
    let other = add_task(&admin, OTHER_UNIT).await;
    let fields = [("period", "2026年5月", None), ("percent", "50", None)];
    let r = multipart(&reporter, &format!("/ledger/{other}/reports"), &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.text().contains("只能填报本单位"), "{}", r.text());
}

#[tokio::test]
async fn without_a_session_pages_go_to_login_and_the_api_answers_401() {
    let t = app().await.anonymous();
    let r = t.get("/ledger?unit=x").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.headers[header::LOCATION], "/login?next=%2Fledger%3Funit%3Dx");
    t.get("/api/v1/tasks").await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    // The login page, the assets and the API document need no session.
    assert_eq!(t.get("/login").await.status, StatusCode::OK);
    assert_eq!(t.get("/static/app.css").await.status, StatusCode::OK);
    assert_eq!(t.get("/api/openapi.json").await.status, StatusCode::OK);
}

#[tokio::test]
async fn logging_in_with_the_form_sets_an_httponly_cookie_and_goes_where_asked() {
    let admin = app().await;
    admin.as_user("zhang", Role::Planner, "").await;
    let t = admin.anonymous();
    let r = post_form(
        &t,
        "/login",
        &[("username", "zhang"), ("password", PASSWORD), ("next", "/warnings")],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.headers[header::LOCATION], "/warnings");
    let cookie = r.headers[header::SET_COOKIE].to_str().expect("ASCII");
    assert!(cookie.starts_with("taizhang_session="), "{cookie}");
    for part in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    let token = cookie["taizhang_session=".len()..].split(';').next().expect("a token");
    let request = Request::get("/ledger")
        .header(header::COOKIE, format!("taizhang_session={token}"))
        .body(Body::empty())
        .expect("a request");
    let page = t.send(request).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("zhang"), "the page names the user");

    let wrong =
        post_form(&t, "/login", &[("username", "zhang"), ("password", "not it at all")]).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text().contains("用户名或密码错误"));
    // An unknown name gets the same answer as a wrong password.
    let unknown =
        post_form(&t, "/login", &[("username", "nobody"), ("password", "whatever1")]).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(unknown.text().contains("用户名或密码错误"));
}

#[tokio::test]
async fn a_cookie_request_that_changes_something_needs_the_csrf_token() {
    let t = app().await;
    let session = t.session.clone().expect("logged in");
    let task = json!({"title": "任务", "lead_unit": "某局"}).to_string();
    let without = Request::post("/api/v1/tasks")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("taizhang_session={}", session.token))
        .header("x-csrf-token", "")
        .body(Body::from(task.clone()))
        .expect("a request");
    t.send(without).await.assert_error(StatusCode::FORBIDDEN, "csrf");
    let wrong = Request::post("/api/v1/tasks")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("taizhang_session={}", session.token))
        .header("x-csrf-token", "0".repeat(64))
        .body(Body::from(task.clone()))
        .expect("a request");
    t.send(wrong).await.assert_error(StatusCode::FORBIDDEN, "csrf");
    // A form carries it as a field.
    let anon = t.anonymous();
    let form = |csrf: &str| {
        Request::post("/warnings")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("taizhang_session={}", session.token))
            .body(Body::from(format!("yellow=5&red=25&_csrf={csrf}")))
            .expect("a request")
    };
    assert_eq!(anon.send(form("bad")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(anon.send(form(&session.csrf)).await.status, StatusCode::SEE_OTHER);
    // A bearer token needs none: no browser sends it on its own.
    let bearer = Request::post("/api/v1/tasks")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {}", session.token))
        .body(Body::from(task))
        .expect("a request");
    assert_eq!(anon.send(bearer).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn the_api_logs_in_with_a_bearer_token_and_logs_out() {
    let admin = app().await;
    admin.as_user("li", Role::Viewer, "").await;
    let t = admin.anonymous();
    let r =
        send_json(&t, "POST", "/api/v1/login", &json!({"username": "li", "password": PASSWORD}))
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let body = r.json();
    assert_eq!(body["user"]["role"], "viewer");
    let token = body["token"].as_str().expect("a token").to_owned();
    let me = |token: &str| {
        Request::get("/api/v1/me")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .expect("a request")
    };
    assert_eq!(t.send(me(&token)).await.json()["username"], "li");
    let out = Request::post("/api/v1/logout")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .expect("a request");
    assert_eq!(t.send(out).await.status, StatusCode::NO_CONTENT);
    t.send(me(&token)).await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
}

#[tokio::test]
async fn too_many_failed_logins_are_refused_unheard_for_a_while() {
    let admin = app().await;
    admin.as_user("wang", Role::Viewer, "").await;
    let t = admin.anonymous();
    let login = |password: &str| json!({"username": "wang", "password": password});
    for _ in 0..5 {
        let r = send_json(&t, "POST", "/api/v1/login", &login("wrong password")).await;
        r.assert_error(StatusCode::UNAUTHORIZED, "login_failed");
    }
    // Now even the right password is not heard.
    let r = send_json(&t, "POST", "/api/v1/login", &login(PASSWORD)).await;
    r.assert_error(StatusCode::TOO_MANY_REQUESTS, "rate_limited");
    assert_eq!(r.headers[header::RETRY_AFTER], "900");
    // Another user from elsewhere is not held up by it.
    admin.as_user("zhao", Role::Viewer, "").await;
    let other = json!({"username": "zhao", "password": PASSWORD});
    assert_eq!(send_json(&t, "POST", "/api/v1/login", &other).await.status, StatusCode::OK);
    // Every attempt is in the log: the first login, five failures, one refused unheard.
    let filter = AuditFilter { actor: Some("wang".into()), ..AuditFilter::default() };
    let (rows, total) = admin.app.audit_log(&Actor::command_line(), &filter).await.expect("read");
    assert_eq!(total, 7);
    assert!(rows[0].change.detail.contains("尝试过多"), "{:?}", rows[0]);
}

#[tokio::test]
async fn a_new_password_or_disabling_ends_the_sessions() {
    let admin = app().await;
    let user = admin.as_user("chen", Role::Planner, "").await;
    assert_eq!(user.get("/api/v1/tasks").await.status, StatusCode::OK);
    let r =
        send_json(&admin, "PATCH", "/api/v1/users/chen", &json!({"password": "another secret"}))
            .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    user.get("/api/v1/tasks").await.assert_error(StatusCode::UNAUTHORIZED, "unauthenticated");
    assert!(admin.app.login("chen", "another secret", "127.0.0.1").await.is_ok());
    let r = send_json(&admin, "PATCH", "/api/v1/users/chen", &json!({"disabled": true})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert!(admin.app.login("chen", "another secret", "127.0.0.1").await.is_err());
    // The last administrator cannot be demoted.
    let r = send_json(&admin, "PATCH", "/api/v1/users/admin", &json!({"role": "viewer"})).await;
    r.assert_error(StatusCode::BAD_REQUEST, "invalid");
}

#[tokio::test]
async fn the_audit_log_shows_who_changed_what_before_and_after() {
    let t = app().await;
    let planner = t.as_user("planner", Role::Planner, "").await;
    let id = add_task(&t, OWN_UNIT).await;
    let task = json!({"title": "修建农村公路50公里", "lead_unit": OTHER_UNIT});
    let r = send_json(&planner, "PUT", &format!("/api/v1/tasks/{id}"), &task).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let log = t.get(&format!("/api/v1/audit?target=task&id={id}")).await.json();
    let entry = &log["items"][0];
    assert_eq!(entry["actor"], "planner");
    assert_eq!(entry["action"], "task.update");
    assert_eq!(entry["action_label"], "修改任务");
    let changes: Vec<&str> =
        entry["changes"].as_array().expect("changes").iter().filter_map(Value::as_str).collect();
    assert!(
        changes.contains(&format!("lead_unit：{OWN_UNIT} → {OTHER_UNIT}").as_str()),
        "{changes:?}"
    );
    // The page and the export show it too; a viewer may not see it.
    let page = t.get("/audit?actor=planner").await;
    assert!(page.text().contains("修改任务"), "{}", page.text());
    let csv = t.get("/audit.csv?actor=planner").await;
    assert_eq!(csv.status, StatusCode::OK);
    let text = csv.text();
    assert!(text.starts_with('\u{FEFF}') && text.contains("修建农村公路50公里"), "{text}");
    let viewer = t.as_user("viewer", Role::Viewer, "").await;
    viewer.get("/api/v1/audit").await.assert_error(StatusCode::FORBIDDEN, "forbidden");
    // Uploads are logged with the file's name.
    let text = COUNTY.replace("420亿元", "421亿元");
    t.upload(&[("播州区2025.txt", text.as_bytes())]).await;
    let log = t.get("/api/v1/audit?action=document").await.json();
    assert!(
        log["items"].as_array().expect("items").iter().any(|e| e["detail"] == "播州区2025.txt")
    );
}
