//! The static assets, compiled into the binary: nothing is read from disk at run time and
//! no page needs the internet.

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::Ctx;
use crate::extractors::P;

/// `(name, media type, bytes)` of every asset under `/static/`.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../static/app.css")),
    ("app.js", "text/javascript; charset=utf-8", include_bytes!("../static/app.js")),
    (
        "echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../static/vendor/echarts.min.js"),
    ),
    ("favicon.svg", "image/svg+xml", include_bytes!("../static/favicon.svg")),
];

pub(crate) fn router() -> Router<Ctx> {
    Router::new().route("/static/{name}", get(asset)).route("/favicon.ico", get(favicon))
}

async fn asset(P(name): P<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, media_type, bytes)) => (
            [(header::CONTENT_TYPE, *media_type), (header::CACHE_CONTROL, "public, max-age=3600")],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

async fn favicon() -> Response {
    asset(P("favicon.svg".to_owned())).await
}
