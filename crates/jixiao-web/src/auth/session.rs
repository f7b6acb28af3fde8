//! Database sessions: a random 32-byte token in an HttpOnly cookie, stored only as its SHA-256;
//! or, for integrations, an API token in `Authorization: Bearer …` (see [`bearer_user`]).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use chrono::{Duration, Utc};
use jixiao_store::{StoreError, User, api_token_hash};
use sha2::{Digest, Sha256};

use crate::{AppState, WebError};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "jixiao_session";
/// The language cookie's name.
pub const LANG_COOKIE: &str = "lang";

/// How often at most a token's `last_used_at` is written: every API call need not be a write.
const TOKEN_TOUCH_SECS: i64 = 60;

/// The signed-in user and their session's CSRF token.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The account.
    pub user: User,
    /// The token every form of this session must echo (empty for an API token).
    pub csrf: String,
    /// SHA-256 of the cookie token (to delete the session on logout), or of the API token.
    pub token_hash: String,
    /// The API token's id when the request carried `Authorization: Bearer`; such a request
    /// has no cookie, so cross-site forgery cannot ride on it and it skips the CSRF checks.
    pub api_token: Option<i64>,
    /// Unread notifications, for the navigation badge (0 for API tokens, which show no page).
    pub unread: i64,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, WebError> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        if let Some(secret) = bearer(&parts.headers) {
            let current = bearer_user(state, secret).await?;
            parts.extensions.insert(current.clone());
            return Ok(current);
        }
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(WebError::Unauthenticated)?;
        let hash = token_hash(&token);
        let (session, user) = match state.store.session(&hash, Utc::now()).await {
            Ok(found) => found,
            Err(StoreError::NotFound(_)) => return Err(WebError::Unauthenticated),
            Err(e) => return Err(e.into()),
        };
        let unread = state.store.unread_notifications(user.id).await?;
        let current = CurrentUser {
            user,
            csrf: session.csrf_token,
            token_hash: hash,
            api_token: None,
            unread,
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}

/// The secret of an `Authorization: Bearer <token>` header, if the request has one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim())
}

/// The user an API token acts as; an unknown or revoked token is refused (401), never treated
/// as anonymous. Records the use at most once a minute.
async fn bearer_user(state: &AppState, secret: &str) -> Result<CurrentUser, WebError> {
    let hash = api_token_hash(secret);
    let (token, user) = match state.store.user_by_api_token(&hash).await {
        Ok(found) => found,
        Err(StoreError::NotFound(_)) => return Err(WebError::InvalidToken),
        Err(e) => return Err(e.into()),
    };
    let now = Utc::now();
    state
        .store
        .touch_api_token(token.id, now, now - Duration::seconds(TOKEN_TOUCH_SECS))
        .await?;
    Ok(CurrentUser {
        user,
        csrf: String::new(),
        token_hash: hash,
        api_token: Some(token.id),
        unread: 0,
    })
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
    fn bearer_tokens_are_read_from_the_authorization_header_in_any_case() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), None);
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Bearer jx_abc"),
        );
        assert_eq!(bearer(&h), Some("jx_abc"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("bearer  jx_abc "),
        );
        assert_eq!(bearer(&h), Some("jx_abc"));
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static("Basic YTpi"),
        );
        assert_eq!(bearer(&h), None);
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
