//! The web layer's one error type. Each variant has a stable code and a status, mapped to a
//! response in exactly one place ([`IntoResponse`] below).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::Period;
use jixiao_import::canonical::FileError;
use jixiao_store::StoreError;

use crate::i18n::{Lang, Tr};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 303 to `/login`: no live session.
    #[error("not signed in")]
    Unauthenticated,
    /// 401: a bearer token that is unknown or revoked.
    #[error("invalid or revoked API token")]
    InvalidToken,
    /// 404: missing, or not visible to this user (the two are indistinguishable on purpose).
    #[error("not found")]
    NotFound,
    /// 403: the role may not use this page.
    #[error("forbidden")]
    Forbidden,
    /// 403: the CSRF token or the request origin did not match.
    #[error("cross-site request refused")]
    Csrf,
    /// 409: the period is closed and cannot change.
    #[error("period {0} is closed")]
    PeriodClosed(Period),
    /// 409: the period cannot move to the state asked for (for example a review before the
    /// cards are computed).
    #[error("{0}")]
    InvalidTransition(String),
    /// 409: a conflicting record exists.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 422: the input cannot be used; the message is shown to the user.
    #[error("{0}")]
    Invalid(String),
    /// 422: the file (or API batch) as a whole is unusable; its own code says why.
    #[error("{0}")]
    File(FileError),
    /// 400: an API import without an `Idempotency-Key` header.
    #[error("the Idempotency-Key header is required")]
    IdempotencyKeyRequired,
    /// 422: the `Idempotency-Key` was already used for a different request.
    #[error("the Idempotency-Key was already used for a different request")]
    IdempotencyKeyReused,
    /// 409: a request with the same `Idempotency-Key` is still being processed.
    #[error("a request with this Idempotency-Key is still being processed; retry later")]
    IdempotencyInProgress,
    /// 500: anything else; logged once, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Unauthenticated => "unauthenticated",
            WebError::InvalidToken => "invalid_token",
            WebError::NotFound => "not_found",
            WebError::Forbidden => "forbidden",
            WebError::Csrf => "csrf",
            WebError::PeriodClosed(_) => "period_closed",
            WebError::InvalidTransition(_) => "invalid_transition",
            WebError::Conflict(_) => "conflict",
            WebError::Invalid(_) => "invalid_input",
            WebError::File(e) => e.code(),
            WebError::IdempotencyKeyRequired => "idempotency_key_required",
            WebError::IdempotencyKeyReused => "idempotency_key_reused",
            WebError::IdempotencyInProgress => "idempotency_key_in_progress",
            WebError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::SEE_OTHER,
            WebError::InvalidToken => StatusCode::UNAUTHORIZED,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::PeriodClosed(_)
            | WebError::InvalidTransition(_)
            | WebError::Conflict(_)
            | WebError::IdempotencyInProgress => StatusCode::CONFLICT,
            WebError::Invalid(_) | WebError::File(_) | WebError::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WebError::IdempotencyKeyRequired => StatusCode::BAD_REQUEST,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message a client may see: the error itself, except for internal errors, whose
    /// details are logged and never sent.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => "internal error".to_string(),
            other => other.to_string(),
        }
    }

    /// Wraps any internal failure.
    pub fn internal(e: impl std::fmt::Display) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => WebError::NotFound,
            StoreError::Conflict(what) => WebError::Conflict(what),
            StoreError::PeriodClosed(p) => WebError::PeriodClosed(p),
            e @ StoreError::InvalidTransition { .. } => WebError::InvalidTransition(e.to_string()),
            e @ StoreError::ReviewWindowClosed(_) => WebError::InvalidTransition(e.to_string()),
            StoreError::Core(c @ jixiao_core::CoreError::InvalidTransition { .. }) => {
                WebError::InvalidTransition(c.to_string())
            }
            StoreError::Core(c) => WebError::Invalid(c.to_string()),
            other => WebError::Internal(format!("{} ({})", other, other.code())),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::internal(format_args!("template: {e}"))
    }
}

/// The code, status and public message of an error, attached to every error response's
/// extensions so that the JSON API can render the same error as JSON (see `api::json_errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The error's own status (303 for "not signed in", which the API answers with 401).
    pub status: StatusCode,
    /// The stable code.
    pub code: &'static str,
    /// What the client may read.
    pub message: String,
}

/// The error page. It is bilingual because errors can happen before the language is known.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    status: u16,
    code: &'static str,
    zh: Tr,
    en: Tr,
    title_key: &'static str,
    detail: Option<String>,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let info = ErrorInfo {
            status: self.status(),
            code: self.code(),
            message: self.public_message(),
        };
        let mut res = self.page();
        res.extensions_mut().insert(info);
        res
    }
}

impl WebError {
    /// The response a browser gets: a redirect to the login form, or the error page.
    fn page(self) -> Response {
        if let WebError::Unauthenticated = self {
            return Redirect::to("/login").into_response();
        }
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "request failed");
        }
        let title_key = match &self {
            WebError::NotFound => "err_not_found",
            WebError::InvalidToken => "token_invalid",
            WebError::Forbidden => "err_forbidden",
            WebError::Csrf => "err_csrf",
            WebError::PeriodClosed(_) => "err_period_closed",
            WebError::InvalidTransition(_) => "lc_err_transition",
            WebError::Conflict(_) | WebError::IdempotencyInProgress => "err_conflict",
            WebError::Invalid(_)
            | WebError::File(_)
            | WebError::IdempotencyKeyRequired
            | WebError::IdempotencyKeyReused => "err_invalid",
            _ => "err_internal",
        };
        let detail = match &self {
            WebError::Invalid(m) => Some(m.clone()),
            WebError::File(e) => Some(e.to_string()),
            WebError::PeriodClosed(p) => Some(p.to_string()),
            WebError::InvalidTransition(m) => Some(m.clone()),
            _ => None,
        };
        let page = ErrorPage {
            status: status.as_u16(),
            code: self.code(),
            zh: Tr::new(Lang::ZhCn),
            en: Tr::new(Lang::En),
            title_key,
            detail,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => status.into_response(),
        }
    }
}

/// A numeric id from a path segment; anything else is a 404, like an id that does not exist
/// (pages and the API alike).
pub(crate) fn id_param(s: &str) -> Result<i64, WebError> {
    s.parse().map_err(|_| WebError::NotFound)
}
