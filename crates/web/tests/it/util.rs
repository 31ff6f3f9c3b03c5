//! A router over a fresh SQLite database, and requests to it.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use taizhang_app::App;
use taizhang_app::auth::{Actor, NewUserRequest, Role};
use taizhang_web::Limits;
use tower::ServiceExt;

/// A fictional county report (a real county code, made-up figures).
pub const COUNTY: &str = "2025年播州区政府工作报告\n\
    （2025年1月10日在播州区第一届人民代表大会第五次会议上）\n\
    一、2024年工作回顾\n\
    全区地区生产总值完成420亿元，增长6.1%。\n\
    二、2025年主要目标\n\
    地区生产总值增长6%左右，城镇调查失业率控制在5.5%以内。\n";

/// A fictional prefecture report.
pub const CITY: &str = "2025年遵义市政府工作报告\n\
    一、2024年工作回顾\n\
    全市地区生产总值完成4700亿元，增长5.9%。\n\
    二、2025年主要目标\n\
    地区生产总值增长6.5%左右。\n";

/// A router over a test database, and the session its requests carry (an administrator's,
/// unless made with [`TestApp::as_user`] or [`TestApp::anonymous`]).
#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub app: Arc<App>,
    pub session: Option<Session>,
    _dir: Arc<tempfile::TempDir>,
}

/// A logged-in session: the token of its cookie and its CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub csrf: String,
}

/// The password every test user has.
pub const PASSWORD: &str = "correct horse battery";

/// A router over a fresh database holding the demo document and the two reports above.
pub async fn app() -> TestApp {
    app_with(Limits::default()).await
}

pub async fn app_with(limits: Limits) -> TestApp {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("t.sqlite").display().to_string();
    let app = Arc::new(App::open(&db).await.expect("the app opens"));
    taizhang_web::load_demo(&app).await.expect("the demo loads");
    for (name, text) in [("播州区.txt", COUNTY), ("遵义市.txt", CITY)] {
        let actor = Actor::command_line();
        app.ingest_bytes(&actor, name, text.as_bytes().to_vec(), 1 << 20).await.expect("ingested");
    }
    let router = taizhang_web::router(Arc::clone(&app), limits);
    let t = TestApp { router, app, session: None, _dir: Arc::new(dir) };
    t.as_user("admin", Role::Admin, "").await
}

impl TestApp {
    /// The same site as `username`, added with `role` and `unit` if new, logged in.
    pub async fn as_user(&self, username: &str, role: Role, unit: &str) -> TestApp {
        if self.app.store().user_by_name(username).await.expect("users read").is_none() {
            let user = NewUserRequest {
                username: username.into(),
                display_name: String::new(),
                role,
                unit: unit.into(),
                password: PASSWORD.into(),
            };
            self.app.add_user(&Actor::command_line(), &user).await.expect("the user is added");
        }
        let login = self.app.login(username, PASSWORD, "127.0.0.1").await.expect("logged in");
        TestApp {
            session: Some(Session { token: login.token, csrf: login.csrf_token }),
            ..self.clone()
        }
    }

    /// The same site with no session.
    pub fn anonymous(&self) -> TestApp {
        TestApp { session: None, ..self.clone() }
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8")
    }

    /// Asserts an error reply with this status and code.
    #[track_caller]
    pub fn assert_error(&self, status: StatusCode, code: &str) {
        assert_eq!(self.status, status, "{}", String::from_utf8_lossy(&self.body));
        let json = self.json();
        assert_eq!(json["error"]["code"], code, "{json}");
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
}

impl TestApp {
    /// Sends `request` with the session's cookie and, unless it carries its own, the
    /// session's CSRF token.
    pub async fn send(&self, mut request: Request<Body>) -> Reply {
        if let Some(session) = &self.session {
            let h = request.headers_mut();
            if !h.contains_key(header::COOKIE) {
                let cookie = format!("taizhang_session={}", session.token);
                h.insert(header::COOKIE, cookie.parse().expect("a header value"));
            }
            if !h.contains_key("x-csrf-token") {
                h.insert("x-csrf-token", session.csrf.parse().expect("a header value"));
            }
        }
        let response = self.router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.into_body().collect().await.expect("a body").to_bytes().to_vec();
        Reply { status, headers, body }
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.send(Request::get(uri).body(Body::empty()).expect("a request")).await
    }

    /// Uploads files as `multipart/form-data` fields named `file`.
    pub async fn upload(&self, files: &[(&str, &[u8])]) -> Reply {
        let boundary = "----taizhang-test-boundary";
        let mut body = Vec::new();
        for (name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
                     filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let request = Request::post("/api/v1/documents")
            .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
            .body(Body::from(body))
            .expect("a request");
        self.send(request).await
    }
}

/// Sends `body` as JSON with `method` to `uri`.
pub async fn send_json(t: &TestApp, method: &str, uri: &str, body: &serde_json::Value) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .expect("a request");
    t.send(request).await
}

/// Posts an HTML form (`application/x-www-form-urlencoded`) to `uri`.
pub async fn post_form(t: &TestApp, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}

/// Posts `bytes` to `uri` as the `file` field of a `multipart/form-data` form.
pub async fn send_file(t: &TestApp, uri: &str, bytes: &[u8]) -> Reply {
    let boundary = "----taizhang-test-sheet";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.xlsx\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .expect("a request");
    t.send(request).await
}
