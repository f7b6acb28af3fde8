//! API tokens (integrations act as a user, with that user's role scope) and the idempotency keys
//! of API batches. Only the SHA-256 of a token's secret is stored; the secret is shown once.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use jixiao_core::org::Role;

use crate::{ApiToken, DbResultExt, IdempotencyClaim, NewAudit, Store, StoreError, User, found};

/// Claim attempts when another request releases the key between our insert and our read.
const CLAIM_ATTEMPTS: usize = 3;

/// Every API token starts with this, so that a leaked one is recognisable (secret scanners).
pub const API_TOKEN_PREFIX: &str = "jx_";

/// A fresh API token secret: `jx_` + 32 random bytes in hex.
pub fn new_api_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::NoRandomness(e.to_string()))?;
    Ok(format!("{API_TOKEN_PREFIX}{}", hex::encode(bytes)))
}

/// The SHA-256 hex of a token secret: the only form in which it is stored and looked up.
pub fn api_token_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

type TokenRow = (
    i64,
    i64,
    String,
    String,
    String,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

const TOKEN_COLUMNS: &str = "t.id, t.user_id, u.username, t.name, t.created_by, t.created_at, \
                             t.last_used_at, t.revoked_at";

fn token(r: TokenRow) -> ApiToken {
    ApiToken {
        id: r.0,
        user_id: r.1,
        username: r.2,
        name: r.3,
        created_by: r.4,
        created_at: r.5,
        last_used_at: r.6,
        revoked_at: r.7,
    }
}

impl Store {
    /// Creates a token for `username` and audits it; returns the token and its secret, which
    /// is not stored and cannot be shown again. NotFound if the user does not exist.
    pub async fn create_api_token(
        &self,
        username: &str,
        name: &str,
        created_by: &str,
        at: DateTime<Utc>,
    ) -> Result<(ApiToken, String), StoreError> {
        let owner = self.user_by_username(username).await?;
        let secret = new_api_secret()?;
        let insert = "INSERT INTO api_tokens (user_id, name, token_hash, created_by, created_at) \
                      VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let audit = |id: i64| NewAudit {
            actor: created_by.to_string(),
            kind: "api_token.create".into(),
            subject: owner.username.clone(),
            detail: serde_json::json!({ "token_id": id, "name": name }),
            at,
        };
        let id = on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(insert)
                .bind(owner.id)
                .bind(name)
                .bind(api_token_hash(&secret))
                .bind(created_by)
                .bind(at)
                .fetch_one(&mut *tx)
                .await
                .conflict(|| "api token".to_string())?;
            tx.append_audit(&audit(id)).await?;
            tx.commit().await?;
            id
        });
        Ok((self.api_token(id).await?, secret))
    }

    /// One token (never its secret), or NotFound.
    pub async fn api_token(&self, id: i64) -> Result<ApiToken, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.id = $1"
        );
        let row: Option<TokenRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        Ok(token(found(row, || format!("api token {id}"))?))
    }

    /// Every token, live ones first, newest first.
    pub async fn api_tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t JOIN users u ON u.id = t.user_id \
             ORDER BY (t.revoked_at IS NOT NULL), t.id DESC"
        );
        let rows: Vec<TokenRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(token).collect())
    }

    /// Revokes a token and audits it; revoking a revoked token changes nothing. NotFound if
    /// there is no such token.
    pub async fn revoke_api_token(
        &self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let existing = self.api_token(id).await?;
        if existing.revoked_at.is_some() {
            return Ok(());
        }
        let sql = "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
        let audit = NewAudit {
            actor: by.to_string(),
            kind: "api_token.revoke".into(),
            subject: existing.username.clone(),
            detail: serde_json::json!({ "token_id": id, "name": existing.name }),
            at,
        };
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(sql).bind(id).bind(at).execute(&mut *tx).await?.rows_affected();
            // Zero rows: another instance revoked it meanwhile, and audited that.
            if n > 0 {
                tx.append_audit(&audit).await?;
            }
            tx.commit().await?;
        });
        Ok(())
    }

    /// The live (not revoked) token with this secret hash and its user, or NotFound.
    pub async fn user_by_api_token(
        &self,
        token_hash: &str,
    ) -> Result<(ApiToken, User), StoreError> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS}, u.id, u.username, u.password_hash, u.role, u.employee_id, \
             u.locale FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL"
        );
        type Row = (
            i64,
            i64,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<DateTime<Utc>>,
            i64,
            String,
            String,
            String,
            Option<i64>,
            String,
        );
        let row: Option<Row> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(token_hash).fetch_optional(p).await)?;
        let r = found(row, || "api token".to_string())?;
        let owner = User {
            id: r.8,
            username: r.9,
            password_hash: r.10,
            role: Role::parse(&r.11)?,
            employee_id: r.12,
            locale: r.13,
        };
        Ok((token((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7)), owner))
    }

    /// Records that a token was used at `at`, unless it was already recorded after `since`
    /// (callers throttle so that every API call is not also a write).
    pub async fn touch_api_token(
        &self,
        id: i64,
        at: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE api_tokens SET last_used_at = $2 \
                   WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)";
        on_pool!(self, p => sqlx::query(sql).bind(id).bind(at).bind(since).execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Claims an idempotency key for a request: [`IdempotencyClaim::Claimed`] the first time
    /// (the caller then answers and calls [`Store::finish_idempotency`], or
    /// [`Store::release_idempotency`] if it failed), the stored answer when the same request
    /// comes again, `Mismatch` for a different request under the same key, `InProgress` while
    /// the first is still running. A claim older than `stale_before` that never finished (the
    /// instance died) is taken over.
    pub async fn claim_idempotency(
        &self,
        user_id: i64,
        key: &str,
        request_hash: &str,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<IdempotencyClaim, StoreError> {
        let claim = "INSERT INTO api_idempotency (user_id, key, request_hash, created_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, key) DO NOTHING";
        let read = "SELECT request_hash, status, response_json, created_at FROM api_idempotency \
                    WHERE user_id = $1 AND key = $2";
        // Conditional on the stale row still being there, so two takers cannot both win.
        let take_over = "UPDATE api_idempotency SET request_hash = $3, created_at = $4 \
                         WHERE user_id = $1 AND key = $2 AND status IS NULL AND created_at = $5";
        type Row = (String, Option<i64>, Option<String>, DateTime<Utc>);
        for _ in 0..CLAIM_ATTEMPTS {
            let claimed = on_pool!(self, p => sqlx::query(claim)
                .bind(user_id).bind(key).bind(request_hash).bind(at)
                .execute(p).await.map(|r| r.rows_affected()))?;
            if claimed > 0 {
                return Ok(IdempotencyClaim::Claimed);
            }
            let row: Option<Row> = on_pool!(self, p => sqlx::query_as(read)
                .bind(user_id).bind(key).fetch_optional(p).await)?;
            // Released between our insert and this read: try again from the start.
            let Some((hash, status, body, created_at)) = row else {
                continue;
            };
            return match (status, body) {
                (Some(status), Some(body)) if hash == request_hash => Ok(IdempotencyClaim::Done {
                    status: u16::try_from(status).unwrap_or(500),
                    body: serde_json::from_str(&body)
                        .map_err(|e| crate::corrupt("idempotent response", key, e.to_string()))?,
                }),
                (Some(_), _) => Ok(IdempotencyClaim::Mismatch),
                (None, _) if created_at < stale_before => {
                    let n = on_pool!(self, p => sqlx::query(take_over)
                        .bind(user_id).bind(key).bind(request_hash).bind(at).bind(created_at)
                        .execute(p).await.map(|r| r.rows_affected()))?;
                    Ok(if n > 0 {
                        IdempotencyClaim::Claimed
                    } else {
                        IdempotencyClaim::InProgress
                    })
                }
                (None, _) if hash != request_hash => Ok(IdempotencyClaim::Mismatch),
                (None, _) => Ok(IdempotencyClaim::InProgress),
            };
        }
        Ok(IdempotencyClaim::InProgress)
    }

    /// Stores the answer to a claimed key, to be replayed for the same request.
    pub async fn finish_idempotency(
        &self,
        user_id: i64,
        key: &str,
        status: u16,
        body: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE api_idempotency SET status = $3, response_json = $4 \
                   WHERE user_id = $1 AND key = $2";
        on_pool!(self, p => sqlx::query(sql)
            .bind(user_id).bind(key).bind(i64::from(status)).bind(body.to_string())
            .execute(p).await.map(|_| ()))?;
        Ok(())
    }

    /// Gives a claimed key back (the request failed before it had an answer worth keeping), so
    /// that the client can retry under the same key.
    pub async fn release_idempotency(&self, user_id: i64, key: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM api_idempotency \
                   WHERE user_id = $1 AND key = $2 AND status IS NULL";
        on_pool!(self, p => sqlx::query(sql).bind(user_id).bind(key).execute(p).await.map(|_| ()))?;
        Ok(())
    }
}
