//! Errors as the API and the pages answer them: a status, a stable code and a message for
//! the user. Internal failures are logged in full and answered without their details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// An error answered to a client: `{"error": {"code": "…", "message": "…"}}`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// The HTTP status: 4xx for the client's mistakes, 5xx for ours.
    pub status: StatusCode,
    /// A stable, machine-readable code (`bad_query`, `not_found`, `internal`).
    pub code: &'static str,
    /// What went wrong, for the user; never internals.
    pub message: String,
}

/// The body of an error response.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

/// An error's code and message.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// A stable, machine-readable code.
    code: &'static str,
    /// What went wrong, for the user.
    message: String,
}

impl ApiError {
    /// A 400 for a request that cannot be understood.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, code, message: message.into() }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::NOT_FOUND, code: "not_found", message: message.into() }
    }

    /// A 500 that says nothing of `cause`, which goes to the log.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!("internal error: {cause}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "内部错误，详情见服务器日志 (internal error; see the server log)".into(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.status, self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code, message: self.message } };
        (self.status, Json(body)).into_response()
    }
}

impl From<taizhang_store::Error> for ApiError {
    fn from(e: taizhang_store::Error) -> ApiError {
        use taizhang_store::Error as E;
        match &e {
            E::NotFound { .. } => ApiError::not_found(e.to_string()),
            E::Changed { what, .. } => ApiError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: format!("{what}刚被他人修改，请刷新后重试"),
            },
            E::TooLarge { .. } => ApiError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "too_large",
                message: e.to_string(),
            },
            _ if e.is_user() => ApiError::bad_request("bad_request", e.to_string()),
            _ => ApiError::internal(&e),
        }
    }
}

impl From<taizhang_index::Error> for ApiError {
    fn from(e: taizhang_index::Error) -> ApiError {
        match e {
            taizhang_index::Error::User(u) => ApiError::bad_request("bad_query", u.to_string()),
            taizhang_index::Error::Internal(i) => ApiError::internal(&i),
        }
    }
}

impl From<taizhang_app::Error> for ApiError {
    fn from(e: taizhang_app::Error) -> ApiError {
        match e {
            taizhang_app::Error::Store(e) => e.into(),
            taizhang_app::Error::Index(e) => e.into(),
            taizhang_app::Error::Invalid(m) => ApiError::bad_request("invalid", m),
            taizhang_app::Error::Forbidden(m) => {
                ApiError { status: StatusCode::FORBIDDEN, code: "forbidden", message: m }
            }
            e @ taizhang_app::Error::LoginFailed => ApiError {
                status: StatusCode::UNAUTHORIZED,
                code: "login_failed",
                message: e.to_string(),
            },
            e @ taizhang_app::Error::RateLimited { .. } => ApiError {
                status: StatusCode::TOO_MANY_REQUESTS,
                code: "rate_limited",
                message: e.to_string(),
            },
            other => ApiError::internal(&other),
        }
    }
}
