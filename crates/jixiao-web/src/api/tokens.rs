//! The API twin of `/admin/tokens` (admin only): the API tokens integrations use, creating one
//! (its secret answered this once; only its SHA-256 is stored) and revoking one. The list never
//! holds a secret or a hash.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use jixiao_store::ApiToken;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::ErrorBody;
use super::error_json;
use crate::auth::{Admins, Authorized};
use crate::i18n::{Lang, Tr};
use crate::queries;
use crate::{AppState, WebError};

/// An API token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTokenInfo {
    /// Id.
    pub id: i64,
    /// What it is for, e.g. `pbx-nightly`.
    pub name: String,
    /// The user it acts as (with that user's role scope).
    pub username: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last authenticated use (recorded at most about once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<ApiToken> for ApiTokenInfo {
    fn from(t: ApiToken) -> Self {
        ApiTokenInfo {
            id: t.id,
            name: t.name,
            username: t.username,
            created_by: t.created_by,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked_at: t.revoked_at,
        }
    }
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateTokenRequest {
    /// The user it acts as, 1–100 characters.
    #[serde(default)]
    pub username: String,
    /// What it is for, 1–100 characters.
    #[serde(default)]
    pub name: String,
}

/// A token just created, with its secret: shown this once, never again.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedToken {
    /// The token.
    pub token: ApiTokenInfo,
    /// The secret to send as `Authorization: Bearer <secret>`.
    #[schema(example = "jx_0123…")]
    pub secret: String,
}

/// Every API token, live first, newest first; never a secret.
#[utoipa::path(get, path = "/api/v1/tokens", operation_id = "list_tokens", tag = "tokens",
    responses(
        (status = 200, description = "The tokens", body = [ApiTokenInfo]),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
) -> Result<Json<Vec<ApiTokenInfo>>, WebError> {
    let tokens = state.store.api_tokens().await?;
    Ok(Json(tokens.into_iter().map(ApiTokenInfo::from).collect()))
}

/// Creates a token acting as a user, audited; the answer holds its secret, this once.
#[utoipa::path(post, path = "/api/v1/tokens", operation_id = "create_token", tag = "tokens",
    request_body = CreateTokenRequest,
    responses(
        (status = 201, description = "Created, with its secret", body = CreatedToken),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
        (status = 422, description = "A username or name empty or too long (`token_invalid_form`), or no such user (`token_unknown_user`)", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Json(req): Json<CreateTokenRequest>,
) -> Result<Response, WebError> {
    let by = &auth.user.user.username;
    let created =
        queries::create_api_token(&state.store, &req.username, &req.name, by, Utc::now()).await?;
    match created {
        Ok((token, secret)) => {
            let body = CreatedToken {
                token: token.into(),
                secret,
            };
            Ok((StatusCode::CREATED, Json(body)).into_response())
        }
        Err(key) => {
            let message = Tr::new(Lang::En).get(key);
            Ok(error_json(StatusCode::UNPROCESSABLE_ENTITY, key, message))
        }
    }
}

/// Revokes a token, audited: it authenticates nothing from now on (revoking again changes
/// nothing).
#[utoipa::path(post, path = "/api/v1/tokens/{id}/revoke", operation_id = "revoke_token", tag = "tokens",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 200, description = "Revoked; the token as it is now", body = ApiTokenInfo),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins", body = ErrorBody),
        (status = 404, description = "No such token", body = ErrorBody),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path(id): Path<String>,
) -> Result<Json<ApiTokenInfo>, WebError> {
    let id = crate::error::id_param(&id)?;
    let by = &auth.user.user.username;
    state.store.revoke_api_token(id, by, Utc::now()).await?;
    tracing::info!(token_id = id, by, "api token revoked");
    Ok(Json(state.store.api_token(id).await?.into()))
}
