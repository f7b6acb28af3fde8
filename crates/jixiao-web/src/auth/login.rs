//! Signing in: rate limiting per username (shared by all instances through the database),
//! Argon2 verification, and a new database session.

use chrono::{DateTime, Duration, Utc};
use jixiao_store::{NewSession, StoreError, User};

use super::session::{new_token, token_hash};
use crate::password::{dummy_hash, verify_password};
use crate::{AppState, WebError};

/// Failed attempts allowed per username within [`WINDOW_MINUTES`].
pub const MAX_FAILURES: i64 = 5;
/// The rate-limit window.
pub const WINDOW_MINUTES: i64 = 15;

/// Why a sign-in did not succeed.
#[derive(Debug)]
pub enum LoginRefused {
    /// Unknown user or wrong password (indistinguishable on purpose).
    BadCredentials,
    /// Too many failures recently; try later.
    RateLimited,
    /// Something broke.
    Error(WebError),
}

impl From<StoreError> for LoginRefused {
    fn from(e: StoreError) -> Self {
        LoginRefused::Error(e.into())
    }
}

/// A new session: the cookie token (never stored) and the user.
#[derive(Debug)]
pub struct LoggedIn {
    /// The cookie value.
    pub token: String,
    /// The user.
    pub user: User,
}

/// Checks the rate limit and the password, then opens a session.
pub async fn login(
    state: &AppState,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<LoggedIn, LoginRefused> {
    let store = &state.store;
    let username = username.trim();
    let since = now - Duration::minutes(WINDOW_MINUTES);
    if store.login_failures_since(username, since).await? >= MAX_FAILURES {
        tracing::warn!(username, "login rate limited");
        return Err(LoginRefused::RateLimited);
    }
    let user = match store.user_by_username(username).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let phc = user
        .as_ref()
        .map_or(dummy_hash(), |u| u.password_hash.as_str());
    let ok = verify_password(password, phc);
    let Some(user) = user.filter(|_| ok) else {
        store.record_login_failure(username, now).await?;
        tracing::info!(username, "login failed");
        return Err(LoginRefused::BadCredentials);
    };
    let token = new_token().map_err(LoginRefused::Error)?;
    let csrf = new_token().map_err(LoginRefused::Error)?;
    store
        .create_session(&NewSession {
            token_hash: token_hash(&token),
            user_id: user.id,
            csrf_token: csrf,
            expires_at: now + Duration::hours(state.settings.session_hours),
        })
        .await?;
    tracing::info!(username, role = user.role.as_str(), "login");
    Ok(LoggedIn { token, user })
}
