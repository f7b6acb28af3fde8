//! `/admin/tokens` (admin only): create and revoke the API tokens integrations use. A new
//! token's secret is shown once, on the page that answers the create form; only its SHA-256
//! is stored.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use jixiao_store::ApiToken;
use serde::Deserialize;

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Admins, Authorized, CsrfForm, CurrentUser, HasCsrf};
use crate::i18n::Lang;
use crate::queries;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// One token, formatted.
#[derive(Debug, Clone)]
pub struct TokenRowVm {
    /// Id.
    pub id: i64,
    /// What it is for.
    pub name: String,
    /// The user it acts as.
    pub username: String,
    /// Who created it.
    pub created_by: String,
    /// When (UTC).
    pub created_at: String,
    /// Last use (UTC), or "".
    pub last_used_at: String,
    /// When revoked (UTC), or "" while live.
    pub revoked_at: String,
}

/// A token just created, with its secret (shown this once).
#[derive(Debug, Clone)]
pub struct NewTokenVm {
    /// The secret.
    pub secret: String,
    /// What it is for.
    pub name: String,
    /// The user it acts as.
    pub username: String,
}

/// `/admin/tokens`.
#[derive(Template)]
#[template(path = "admin_tokens.html")]
pub struct TokensPage {
    /// Frame.
    pub c: Chrome,
    /// Every token, live first.
    pub rows: Vec<TokenRowVm>,
    /// The token this request created, if any.
    pub created: Option<NewTokenVm>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
    /// The form's username, kept after an error.
    pub username: String,
    /// The form's token name, kept after an error.
    pub name: String,
}

fn when(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

impl TokensPage {
    /// Builds the page.
    fn build(c: Chrome, tokens: Vec<ApiToken>) -> TokensPage {
        let rows = tokens
            .into_iter()
            .map(|t| TokenRowVm {
                id: t.id,
                name: t.name,
                username: t.username,
                created_by: t.created_by,
                created_at: when(Some(t.created_at)),
                last_used_at: when(t.last_used_at),
                revoked_at: when(t.revoked_at),
            })
            .collect();
        TokensPage {
            c,
            rows,
            created: None,
            error: None,
            username: String::new(),
            name: String::new(),
        }
    }
}

async fn page(state: &AppState, lang: Lang, user: &CurrentUser) -> Result<TokensPage, WebError> {
    let tokens = state.store.api_tokens().await?;
    let c = Chrome::new(lang, user, None, Section::Admin);
    Ok(TokensPage::build(c, tokens))
}

/// `GET /admin/tokens`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Admins>,
) -> Result<Response, WebError> {
    Ok(render(&page(&state, lang, &auth.user).await?)?.into_response())
}

/// The create form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    name: String,
}

impl HasCsrf for CreateForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /admin/tokens`: creates a token and shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    CsrfForm { user, form }: CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let (username, name) = (form.username.trim(), form.name.trim());
    let by = &user.user.username;
    let created = queries::create_api_token(&state.store, username, name, by, Utc::now()).await?;
    let mut p = page(&state, lang, &user).await?;
    match created {
        Ok((token, secret)) => {
            p.created = Some(NewTokenVm {
                secret,
                name: token.name,
                username: token.username,
            });
            Ok(render(&p)?.into_response())
        }
        Err(key) => {
            p.error = Some(key);
            p.username = username.to_string();
            p.name = name.to_string();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&p)?).into_response())
        }
    }
}

/// `POST /admin/tokens/{id}/revoke`.
pub async fn revoke(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = crate::error::id_param(&id)?;
    state
        .store
        .revoke_api_token(id, &user.user.username, Utc::now())
        .await?;
    tracing::info!(token_id = id, by = user.user.username, "api token revoked");
    Ok(Redirect::to("/admin/tokens").into_response())
}
