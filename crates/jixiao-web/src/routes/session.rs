//! Sign in, sign out, and the language switch.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, http::HeaderValue};
use chrono::Utc;
use serde::Deserialize;

use super::render;
use crate::auth::{
    CsrfForm, HasCsrf, LANG_COOKIE, LoginRefused, MaybeUser, SESSION_COOKIE, clear_cookie, cookie,
    login as sign_in, same_origin, set_cookie,
};
use crate::i18n::{Lang, Tr};
use crate::view::login::LoginPage;
use crate::{AppState, WebError};

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

/// A form with nothing but the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl HasCsrf for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `GET /login`.
pub async fn login_form(lang: Lang, MaybeUser(user): MaybeUser) -> Result<Response, WebError> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let page = LoginPage {
        t: Tr::new(lang),
        error: None,
        username: String::new(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /login`: no session yet, so the origin check stands in for the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Err(WebError::Csrf);
    }
    let refused = |status, key| -> Result<Response, WebError> {
        let page = LoginPage {
            t: Tr::new(lang),
            error: Some(key),
            username: form.username.clone(),
        };
        Ok((status, render(&page)?).into_response())
    };
    match sign_in(&state, &form.username, &form.password, Utc::now()).await {
        Ok(ok) => {
            let max_age = state.settings.session_hours * 3600;
            let secure = state.settings.secure_cookies;
            let mut res = Redirect::to("/").into_response();
            let h = res.headers_mut();
            h.append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, &ok.token, max_age, secure),
            );
            if cookie(&headers, LANG_COOKIE).is_none()
                && let Some(l) = Lang::parse(&ok.user.locale)
            {
                h.append(header::SET_COOKIE, lang_cookie(l, secure));
            }
            Ok(res)
        }
        Err(LoginRefused::BadCredentials) => refused(StatusCode::UNAUTHORIZED, "login_failed"),
        Err(LoginRefused::RateLimited) => {
            refused(StatusCode::TOO_MANY_REQUESTS, "login_rate_limited")
        }
        Err(LoginRefused::Error(e)) => Err(e),
    }
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    state.store.delete_session(&user.token_hash).await?;
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        clear_cookie(SESSION_COOKIE, state.settings.secure_cookies),
    );
    Ok(res)
}

fn lang_cookie(lang: Lang, secure: bool) -> HeaderValue {
    set_cookie(LANG_COOKIE, lang.tag(), 365 * 24 * 3600, secure)
}

/// `GET /lang/{code}`: remembers the language in a cookie and goes back to the referring page
/// (only when it is a page of this site).
pub async fn set_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = Lang::parse(&code).ok_or(WebError::NotFound)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://"))
        .and_then(|(_, rest)| rest.strip_prefix(host))
        .filter(|path| path.starts_with('/') && !path.starts_with("//") && !host.is_empty())
        .unwrap_or("/");
    let mut res = Redirect::to(back).into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        lang_cookie(lang, state.settings.secure_cookies),
    );
    Ok(res)
}
