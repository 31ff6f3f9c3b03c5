//! taizhang-web: the web workspace. Pages in Chinese for the planning office (文件库, 指标台账,
//! 对标, 区域, 搜索) and a JSON API under `/api/v1` with its OpenAPI document at
//! `/api/openapi.json`, both over one [`taizhang_app::App`].
//!
//! Every asset is compiled into the binary, so no page needs the internet. Every response
//! carries a Content-Security-Policy that allows scripts from this server only; document
//! text is always escaped (templates escape by default, and the highlighter escapes what it
//! writes). No part of a request ever names a file on the server: uploads are read from the
//! request body, and their names only say what kind of document they are.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let app = taizhang_app::App::open("taizhang.sqlite").await.expect("the database opens");
//! let router = taizhang_web::router(std::sync::Arc::new(app), taizhang_web::Limits::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! axum::serve(listener, router).await
//! # }
//! ```
#![warn(missing_docs)]

mod api;
mod assess;
mod assets;
mod auth;
mod bulletin;
mod compare;
mod dto;
mod error;
mod export;
mod extractors;
mod highlight;
mod labels;
mod ledger;
mod pages;
mod projects;
mod security;
mod users;

use std::sync::Arc;

use axum::Router;
use taizhang_app::App;
use taizhang_app::ingest::FileOutcome;

pub use error::ApiError;

/// The fictional 示例市 2025 work report that `taizhang serve --demo` loads.
pub const DEMO_TEXT: &str = include_str!("../../../demo/shili_gwr_2025.txt");

/// The file name the demo document is stored under.
pub const DEMO_NAME: &str = "示例市2025年政府工作报告.txt";

/// Limits on what a request may send.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest document accepted in an upload, in bytes.
    pub max_file_bytes: u64,
    /// The largest upload request body, in bytes (several files together).
    pub max_request_bytes: usize,
    /// The most rows an export writes.
    pub max_export_rows: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 32 << 20, max_request_bytes: 128 << 20, max_export_rows: 200_000 }
    }
}

/// What every handler shares.
#[derive(Clone)]
struct Ctx {
    app: Arc<App>,
    limits: Limits,
    /// The filter choices, with the store generation they were counted at: every page
    /// shows them, and counting them reads every fact.
    facets: Arc<FacetsCache>,
}

/// The facets counted at a store generation.
type FacetsCache = std::sync::Mutex<Option<(String, Arc<api::Facets>)>>;

/// The whole site: pages, the JSON API, its OpenAPI document and the static assets, with
/// the security headers on every response.
pub fn router(app: Arc<App>, limits: Limits) -> Router {
    let ctx = Ctx { app, limits, facets: Arc::default() };
    let (api, openapi) = api_router(limits).split_for_parts();
    let openapi = Arc::new(openapi);
    Router::new()
        .merge(pages::router())
        .merge(ledger::pages(limits))
        .merge(assess::pages())
        .merge(auth::pages())
        .merge(users::pages())
        .merge(bulletin::pages())
        .merge(projects::pages())
        .merge(api)
        .route(
            "/api/openapi.json",
            axum::routing::get(move || {
                let openapi = Arc::clone(&openapi);
                async move { axum::Json(openapi.as_ref().clone()) }
            }),
        )
        .merge(assets::router())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), auth::gate))
        .with_state(ctx)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// The OpenAPI document of the JSON API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_router(Limits::default()).into_openapi()
}

fn api_router(limits: Limits) -> utoipa_axum::router::OpenApiRouter<Ctx> {
    api::router(limits)
        .merge(ledger::api(limits))
        .merge(assess::api())
        .merge(auth::api())
        .merge(users::api())
        .merge(bulletin::api())
        .merge(projects::api())
}

/// Stores the demo document (once: the same bytes are never stored twice).
pub async fn load_demo(app: &App) -> Result<FileOutcome, taizhang_app::Error> {
    let actor = taizhang_app::auth::Actor::command_line();
    app.ingest_bytes(&actor, DEMO_NAME, DEMO_TEXT.as_bytes().to_vec(), DEMO_TEXT.len() as u64).await
}
