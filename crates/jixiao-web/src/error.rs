//! The web layer's one error type. Each variant has a stable code and a status, mapped to a
//! response in exactly one place ([`IntoResponse`] below).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jixiao_core::Period;
use jixiao_store::StoreError;

use crate::i18n::{Lang, Tr};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// 303 to `/login`: no live session.
    #[error("not signed in")]
    Unauthenticated,
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
    /// 409: a conflicting record exists.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 422: the input cannot be used; the message is shown to the user.
    #[error("{0}")]
    Invalid(String),
    /// 500: anything else; logged once, never shown.
    #[error("internal error: {0}")]
    Internal(String),
}

impl WebError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Unauthenticated => "unauthenticated",
            WebError::NotFound => "not_found",
            WebError::Forbidden => "forbidden",
            WebError::Csrf => "csrf",
            WebError::PeriodClosed(_) => "period_closed",
            WebError::Conflict(_) => "conflict",
            WebError::Invalid(_) => "invalid_input",
            WebError::Internal(_) => "internal",
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated => StatusCode::SEE_OTHER,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::PeriodClosed(_) | WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
        if let WebError::Unauthenticated = self {
            return Redirect::to("/login").into_response();
        }
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code(), error = %self, "request failed");
        }
        let title_key = match &self {
            WebError::NotFound => "err_not_found",
            WebError::Forbidden => "err_forbidden",
            WebError::Csrf => "err_csrf",
            WebError::PeriodClosed(_) => "err_period_closed",
            WebError::Conflict(_) => "err_conflict",
            WebError::Invalid(_) => "err_invalid",
            _ => "err_internal",
        };
        let detail = match &self {
            WebError::Invalid(m) => Some(m.clone()),
            WebError::PeriodClosed(p) => Some(p.to_string()),
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
