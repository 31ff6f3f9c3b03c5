//! Logging in and out, the gate every request passes, and the user and CSRF token pages
//! are rendered with.
//!
//! A browser holds its session in an HttpOnly, SameSite=Lax cookie; a script or another
//! program may send the same token as `Authorization: Bearer …` (from `POST
//! /api/v1/login`). Only the token's SHA-256 is stored, in the database, so that several
//! servers on one PostgreSQL database serve one site. A request that changes something
//! with the cookie must also carry the session's CSRF token: in the `X-CSRF-Token` header
//! (scripts), a `_csrf` form field (forms) or a `_csrf` query parameter (file-upload
//! forms). A bearer token needs none: no browser sends it by itself.
//!
//! Without a session, pages redirect to `/login` and the API answers 401. What each role may
//! change is decided in `app` ([`taizhang_app::auth`]); a refusal there is a 403.

use std::net::SocketAddr;

use askama::Template;
use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::{Deserialize, Serialize};
use taizhang_app::auth::{Actor, Role, Session};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{ApiError, Ctx};

/// The cookie that holds the session token.
pub(crate) const COOKIE: &str = "taizhang_session";

/// The header scripts send the CSRF token in.
const CSRF_HEADER: &str = "x-csrf-token";

/// The largest form body the gate reads to find its `_csrf` field.
const MAX_FORM_BYTES: usize = 4 << 20;

/// Who is asking, as the gate found them; in the request's extensions.
#[derive(Debug, Clone)]
pub(crate) struct Current {
    pub(crate) actor: Actor,
    pub(crate) csrf_token: String,
}

tokio::task_local! {
    /// The user a page is rendered for, so that the layout can show them and put the CSRF
    /// token in its forms without every page passing them along.
    static PAGE_USER: Current;
}

/// The CSRF token of the session a page is rendered for; empty outside a request.
pub(crate) fn csrf_token() -> String {
    PAGE_USER.try_with(|c| c.csrf_token.clone()).unwrap_or_default()
}

/// The user a page is rendered for, if any.
pub(crate) fn page_user() -> Option<Actor> {
    PAGE_USER.try_with(|c| c.actor.clone()).ok()
}

/// Whether the page's user has `role` or a role above it.
pub(crate) fn page_user_is(role: &str) -> bool {
    let wanted = Role::parse(role).unwrap_or(Role::Admin);
    PAGE_USER.try_with(|c| c.actor.role <= wanted).unwrap_or(false)
}

/// Whether the page's user may report progress on a task `lead_unit` leads.
pub(crate) fn page_may_report(lead_unit: &str) -> bool {
    PAGE_USER
        .try_with(|c| c.actor.may(taizhang_app::auth::Action::ReportProgress, Some(lead_unit)))
        .unwrap_or(false)
}

/// The actor of a request that passed the gate.
pub(crate) struct User(pub(crate) Actor);

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<User, ApiError> {
        parts.extensions.get::<Current>().map(|c| User(c.actor.clone())).ok_or_else(unauthenticated)
    }
}

/// The address a request came from, for the rate limit and the audit log.
pub(crate) struct Peer(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Peer, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "本机".to_owned(), |c| c.0.ip().to_string()),
        ))
    }
}

fn unauthenticated() -> ApiError {
    ApiError {
        status: StatusCode::UNAUTHORIZED,
        code: "unauthenticated",
        message: "请先登录".into(),
    }
}

fn csrf_refused() -> ApiError {
    ApiError {
        status: StatusCode::FORBIDDEN,
        code: "csrf",
        message: "请求缺少有效的安全令牌（CSRF），请刷新页面后重试".into(),
    }
}

/// Paths anyone may reach: the login page and its API, the assets, the API document.
fn is_public(path: &str) -> bool {
    matches!(path, "/login" | "/api/v1/login" | "/favicon.ico" | "/api/openapi.json")
        || path.starts_with("/static/")
}

/// The gate: finds the session, refuses what needs one without it, checks the CSRF token
/// of cookie requests that change something, and renders the pages for the user.
pub(crate) async fn gate(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if is_public(&path) {
        return next.run(request).await;
    }
    let (token, by_cookie) = match bearer(request.headers()) {
        Some(t) => (Some(t), false),
        None => (cookie(request.headers(), COOKIE), true),
    };
    let session = match token {
        Some(t) => match ctx.app.session(&t).await {
            Ok(s) => s,
            Err(e) => return ApiError::from(e).into_response(),
        },
        None => None,
    };
    let Some(Session { actor, csrf_token }) = session else {
        return if path.starts_with("/api/") {
            unauthenticated().into_response()
        } else {
            let target = request.uri().path_and_query().map_or("/", |p| p.as_str());
            let next = form_urlencoded::byte_serialize(target.as_bytes()).collect::<String>();
            Redirect::to(&format!("/login?next={next}")).into_response()
        };
    };
    let mut request = request;
    if by_cookie && !is_safe(request.method()) {
        request = match checked_csrf(request, &csrf_token).await {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
    }
    let current = Current { actor, csrf_token };
    request.extensions_mut().insert(current.clone());
    PAGE_USER.scope(current, next.run(request)).await
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The request back, once its CSRF token matches `expected`.
async fn checked_csrf(request: Request, expected: &str) -> Result<Request, ApiError> {
    let matches = |given: &str| constant_time_eq(given.as_bytes(), expected.as_bytes());
    if let Some(given) = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if matches(given) { Ok(request) } else { Err(csrf_refused()) };
    }
    if let Some(query) = request.uri().query()
        && let Some((_, given)) =
            form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == "_csrf")
    {
        return if matches(&given) { Ok(request) } else { Err(csrf_refused()) };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(csrf_refused());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES).await.map_err(|_| ApiError {
        status: StatusCode::PAYLOAD_TOO_LARGE,
        code: "too_large",
        message: "表单过大".into(),
    })?;
    let ok = form_urlencoded::parse(&bytes).any(|(k, v)| k == "_csrf" && matches(&v));
    if !ok {
        return Err(csrf_refused());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The `Set-Cookie` that keeps `token` for the session's life, `Secure` when the request
/// came over HTTPS (directly or through a proxy that says so).
fn session_cookie(token: &str, headers: &HeaderMap) -> HeaderValue {
    let max_age = taizhang_app::auth::SESSION_LIFETIME.as_secs();
    let secure = if over_https(headers) { "; Secure" } else { "" };
    let value =
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value).expect("a token is hex digits")
}

fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"))
        .expect("a constant header value")
}

fn over_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// Where to go after login: a path on this site, never another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/documents".to_owned(),
    }
}

// ---- pages ----

/// The login page and logging out.
pub(crate) fn pages() -> Router<Ctx> {
    Router::new()
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    nav: &'static str,
    next: String,
    username: String,
    error: String,
    no_users: bool,
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
}

async fn login_page(
    State(ctx): State<Ctx>,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    let no_users = !ctx.app.has_users().await.unwrap_or(true);
    let page = LoginPage {
        nav: "",
        next: safe_next(q.next.as_deref()),
        username: String::new(),
        error: String::new(),
        no_users,
    };
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_form(
    State(ctx): State<Ctx>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match ctx.app.login(&form.username, &form.password, &peer).await {
        Ok(login) => {
            let mut response = Redirect::to(&next).into_response();
            response
                .headers_mut()
                .insert(header::SET_COOKIE, session_cookie(&login.token, &headers));
            response
        }
        Err(e) => {
            let error = ApiError::from(e);
            let page = LoginPage {
                nav: "",
                next,
                username: form.username,
                error: error.message.clone(),
                no_users: false,
            };
            let mut response = html(error.status, &page);
            if error.status == StatusCode::TOO_MANY_REQUESTS {
                response.headers_mut().insert(header::RETRY_AFTER, retry_after());
            }
            response
        }
    }
}

async fn logout_form(State(ctx): State<Ctx>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, COOKIE) {
        // Failing to forget the session is no reason to keep the user in.
        let _ = ctx.app.logout(&token).await;
    }
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().insert(header::SET_COOKIE, cleared_cookie());
    response
}

fn retry_after() -> HeaderValue {
    HeaderValue::from(taizhang_app::auth::FAILURE_WINDOW.as_secs())
}

fn html(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(body) => (status, Html(body)).into_response(),
        Err(e) => ApiError::internal(&e).into_response(),
    }
}

// ---- API ----

/// Logging in and out through the API.
pub(crate) fn api() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(api_login)).routes(routes!(api_logout)).routes(routes!(me))
}

/// A login request.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct LoginRequest {
    /// The login name.
    username: String,
    /// The password.
    password: String,
}

/// A session: its token, to send as `Authorization: Bearer …`, and who it is for.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LoginReply {
    /// The session token.
    token: String,
    /// The CSRF token, needed only with the session cookie.
    csrf_token: String,
    /// When the session ends, RFC 3339 UTC.
    expires_at: String,
    /// Who logged in.
    user: Me,
}

/// The user of a session.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Me {
    /// The login name.
    username: String,
    /// The name shown.
    display_name: String,
    /// `admin`, `planner`, `reporter` or `viewer`.
    role: String,
    /// The role in Chinese.
    role_label: String,
    /// A reporter's unit.
    unit: String,
}

impl From<&Actor> for Me {
    fn from(a: &Actor) -> Me {
        Me {
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.as_str().to_owned(),
            role_label: a.role.label().to_owned(),
            unit: a.unit.clone(),
        }
    }
}

/// Log in: a session token for `Authorization: Bearer …`, and the session cookie.
#[utoipa::path(post, path = "/api/v1/login", tag = "users", request_body = LoginRequest,
    responses((status = 200, body = LoginReply),
              (status = 401, description = "Wrong user name or password", body = crate::error::ErrorBody),
              (status = 429, description = "Too many failed logins", body = crate::error::ErrorBody)))]
async fn api_login(
    State(ctx): State<Ctx>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Json(req): Json<LoginRequest>,
) -> Result<Response, ApiError> {
    match ctx.app.login(&req.username, &req.password, &peer).await {
        Ok(login) => {
            let cookie = session_cookie(&login.token, &headers);
            let reply = LoginReply {
                user: Me::from(&login.actor),
                token: login.token,
                csrf_token: login.csrf_token,
                expires_at: login.expires_at,
            };
            let mut response = Json(reply).into_response();
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(e) => {
            let error = ApiError::from(e);
            let limited = error.status == StatusCode::TOO_MANY_REQUESTS;
            let mut response = error.into_response();
            if limited {
                response.headers_mut().insert(header::RETRY_AFTER, retry_after());
            }
            Ok(response)
        }
    }
}

/// Log out: ends the session of the token or cookie the request carries.
#[utoipa::path(post, path = "/api/v1/logout", tag = "users",
    responses((status = 204, description = "Logged out")))]
async fn api_logout(State(ctx): State<Ctx>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(token) = bearer(&headers).or_else(|| cookie(&headers, COOKIE)) {
        ctx.app.logout(&token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, cleared_cookie());
    Ok(response)
}

/// Who the session is for.
#[utoipa::path(get, path = "/api/v1/me", tag = "users",
    responses((status = 200, body = Me), (status = 401, body = crate::error::ErrorBody)))]
async fn me(User(actor): User) -> Json<Me> {
    Json(Me::from(&actor))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/ledger?unit=x")), "/ledger?unit=x");
        assert_eq!(safe_next(Some("//evil.example/")), "/documents");
        assert_eq!(safe_next(Some("https://evil.example/")), "/documents");
        assert_eq!(safe_next(Some("/\\evil.example")), "/documents");
        assert_eq!(safe_next(None), "/documents");
    }

    #[test]
    fn tokens_come_from_the_header_or_the_cookie() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; taizhang_session=abc; b=2"));
        assert_eq!(cookie(&h, COOKIE).as_deref(), Some("abc"));
        assert_eq!(bearer(&h), None);
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer xyz"));
        assert_eq!(bearer(&h).as_deref(), Some("xyz"));
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
