//! Cross-site request forgery defences.
//!
//! Every POST must come from our own origin: a present `Sec-Fetch-Site` must be `same-origin`
//! (or `none`, a user-typed navigation) and a present `Origin` must match `Host`. Browsers send
//! at least one of them on every form POST; non-browser clients may send neither, and pass.
//! Session POSTs also echo the session's CSRF token in a hidden `csrf` field. The login form has
//! no session yet, so it relies on the origin check alone (a documented choice: a pre-session
//! token would only defend against login CSRF, which the origin check already stops).
//! A request authenticated by an API token (`Authorization: Bearer`) carries no cookie, so a
//! forged cross-site request cannot carry it either: it skips both checks.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderMap, header};
use serde::de::DeserializeOwned;

use super::CurrentUser;
use crate::{AppState, WebError};

/// Whether the request's Origin / Sec-Fetch-Site headers say it came from this site.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let get = |name| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = get("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return false;
    }
    match get(header::ORIGIN.as_str()) {
        None => true,
        Some(origin) => {
            let host = get(header::HOST.as_str()).unwrap_or_default();
            let origin_host = origin
                .strip_prefix("https://")
                .or_else(|| origin.strip_prefix("http://"));
            origin_host.is_some_and(|h| !host.is_empty() && h.eq_ignore_ascii_case(host))
        }
    }
}

/// Compares two tokens in time independent of where they differ.
pub fn tokens_match(expected: &str, given: &str) -> bool {
    let (a, b) = (expected.as_bytes(), given.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A form carrying the hidden `csrf` field.
pub trait HasCsrf {
    /// The submitted token (empty when missing).
    fn csrf(&self) -> &str;
}

/// A urlencoded form from a signed-in user that passed the origin and token checks.
#[derive(Debug)]
pub struct CsrfForm<T> {
    /// Who posted it.
    pub user: CurrentUser,
    /// The form. Today's forms carry only the token; the field is for forms with data.
    #[allow(dead_code)]
    pub form: T,
}

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + HasCsrf + Send,
{
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state).await?;
        let by_token = user.api_token.is_some();
        if !by_token && !same_origin(&parts.headers) {
            return Err(WebError::Csrf);
        }
        let req = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, state)
            .await
            .map_err(|_| WebError::Csrf)?;
        if !by_token && !tokens_match(&user.csrf, form.csrf()) {
            return Err(WebError::Csrf);
        }
        Ok(CsrfForm { user, form })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn requests_from_another_site_are_refused() {
        assert!(same_origin(&headers(&[("host", "jx.local:8080")])));
        assert!(same_origin(&headers(&[
            ("host", "jx.local:8080"),
            ("origin", "http://jx.local:8080"),
            ("sec-fetch-site", "same-origin"),
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "jx.local:8080"),
            ("origin", "http://evil.example"),
        ])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[
            ("host", "jx.local"),
            ("origin", "null")
        ])));
    }

    #[test]
    fn tokens_must_match_exactly_and_not_be_empty() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }
}
