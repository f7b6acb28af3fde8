//! User accounts, login sessions and failed-login counts (shared by every app instance).

use chrono::{DateTime, Utc};
use jixiao_core::org::Role;

use crate::{DbResultExt, NewSession, NewUser, Session, Store, StoreError, User, found};

type UserRow = (i64, String, String, String, Option<i64>, String);

fn user(r: UserRow) -> Result<User, StoreError> {
    Ok(User {
        id: r.0,
        username: r.1,
        password_hash: r.2,
        role: Role::parse(&r.3)?,
        employee_id: r.4,
        locale: r.5,
    })
}

impl Store {
    /// Creates a user; Conflict if the username exists.
    pub async fn create_user(&self, u: &NewUser) -> Result<i64, StoreError> {
        let sql = "INSERT INTO users (username, password_hash, role, employee_id, locale) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let (id,): (i64,) = on_pool!(self, p => sqlx::query_as(sql)
            .bind(&u.username)
            .bind(&u.password_hash)
            .bind(u.role.as_str())
            .bind(u.employee_id)
            .bind(&u.locale)
            .fetch_one(p)
            .await)
        .conflict(|| format!("user {}", u.username))?;
        Ok(id)
    }

    /// An active user by username (for login), or NotFound (also when deactivated).
    pub async fn user_by_username(&self, username: &str) -> Result<User, StoreError> {
        let sql = "SELECT id, username, password_hash, role, employee_id, locale \
                   FROM users WHERE username = $1 AND deactivated_at IS NULL";
        let row: Option<UserRow> =
            on_pool!(self, p => sqlx::query_as(sql).bind(username).fetch_optional(p).await)?;
        user(found(row, || format!("user {username}"))?)
    }

    /// Stores a session (the token is stored hashed by the caller).
    pub async fn create_session(&self, s: &NewSession) -> Result<(), StoreError> {
        let sql = "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) \
                   VALUES ($1, $2, $3, $4)";
        on_pool!(self, p => sqlx::query(sql)
            .bind(&s.token_hash)
            .bind(s.user_id)
            .bind(&s.csrf_token)
            .bind(s.expires_at)
            .execute(p)
            .await.map(|_| ()))
        .conflict(|| "session".to_string())?;
        Ok(())
    }

    /// The live session with this token hash and its user, or NotFound (expired counts as missing).
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(Session, User), StoreError> {
        // On SQLite timestamps are RFC 3339 text in UTC, which sorts like the instants it names.
        let sql = "SELECT s.user_id, s.csrf_token, s.expires_at, \
                   u.id, u.username, u.password_hash, u.role, u.employee_id, u.locale \
                   FROM sessions s JOIN users u ON u.id = s.user_id \
                   WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL";
        type Row = (
            i64,
            String,
            DateTime<Utc>,
            i64,
            String,
            String,
            String,
            Option<i64>,
            String,
        );
        let row: Option<Row> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(token_hash)
            .bind(now)
            .fetch_optional(p)
            .await)?;
        let r = found(row, || "session".to_string())?;
        let session = Session {
            user_id: r.0,
            csrf_token: r.1,
            expires_at: r.2,
        };
        Ok((session, user((r.3, r.4, r.5, r.6, r.7, r.8))?))
    }

    /// Deletes a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE token_hash = $1";
        on_pool!(self, p => sqlx::query(sql).bind(token_hash).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Deletes sessions that expired before `now`; returns how many.
    pub async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let sql = "DELETE FROM sessions WHERE expires_at <= $1";
        let r = on_pool!(self, p => sqlx::query(sql).bind(now).execute(p).await.map(|r| r.rows_affected()))?;
        Ok(r)
    }

    /// Counts failed logins for a username since `since` (login rate limiting, shared by instances).
    pub async fn record_login_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO login_failures (username, at) VALUES ($1, $2)";
        on_pool!(self, p => sqlx::query(sql).bind(username).bind(at).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Failed logins for a username since `since`.
    pub async fn login_failures_since(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM login_failures WHERE username = $1 AND at >= $2";
        let (n,): (i64,) =
            on_pool!(self, p => sqlx::query_as(sql).bind(username).bind(since).fetch_one(p).await)?;
        Ok(n)
    }
}
