//! Database sessions: a random 32-byte token in an HttpOnly cookie, stored only as its SHA-256.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::Utc;
use jixiao_store::{StoreError, User};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jixiao_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "lang";

/// The signed-in user and their session's CSRF token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: User,
    /// The token every form of this session must echo.
    pub csrf: String,
    /// SHA-256 of the cookie token (to delete the session on logout).
    pub token_hash: String,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(WebError::Unauthenticated)?;
        let hash = token_hash(&token);
        let (session, user) = match state.store.session(&hash, Utc::now()).await {
            Ok(found) => found,
            Err(StoreError::NotFound(_)) => return Err(WebError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let current = CurrentUser {
            user,
            csrf: session.csrf_token,
            token_hash: hash,
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// The signed-in user, if any (for pages anyone may see, like the login form).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        match CurrentUser::from_request_parts(parts, state).await {
            Ok(u) => Ok(MaybeUser(Some(u))),
            Err(WebError::Unauthenticated) => Ok(MaybeUser(None)),
            Err(e) => Err(e),
        }
    }
}

/// A cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A fresh random token: 32 bytes from the OS, hex-encoded.
pub fn new_token() -> Result<String, WebError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(WebError::internal)?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 hex of a token, the only form in which it is stored.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when configured.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v =
        format!("{name}={value}; Max-Age={max_age_secs}; Path=/; HttpOnly; SameSite=Lax{secure}");
    HeaderValue::from_str(&v).expect("cookie values are hex or language tags")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear_cookie(name: &str, secure: bool) -> HeaderValue {
    set_cookie(name, "", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_among_several_headers_and_pairs() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; lang=en"));
        h.append(
            header::COOKIE,
            HeaderValue::from_static("jixiao_session=abc"),
        );
        assert_eq!(cookie(&h, "lang").as_deref(), Some("en"));
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "missing"), None);
    }

    #[test]
    fn tokens_are_64_hex_chars_and_stored_hashed() {
        let t = new_token().unwrap();
        assert_eq!(t.len(), 64);
        assert_ne!(token_hash(&t), t);
        assert_eq!(token_hash(&t).len(), 64);
    }

    #[test]
    fn session_cookies_are_http_only_lax_and_secure_when_asked() {
        let c = set_cookie(SESSION_COOKIE, "x", 60, true);
        let s = c.to_str().unwrap();
        assert!(s.contains("HttpOnly") && s.contains("SameSite=Lax") && s.contains("Secure"));
        assert!(s.contains("Path=/"));
        assert!(
            !set_cookie(SESSION_COOKIE, "x", 60, false)
                .to_str()
                .unwrap()
                .contains("Secure")
        );
    }
}
