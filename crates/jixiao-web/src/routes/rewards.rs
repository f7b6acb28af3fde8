//! `/config/pay-rules` (admins and managers): the reward and penalty rules in force, adding
//! one and retiring one. Computed periods are recomputed, so payslips show the change.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use jixiao_store::service;
use serde::Deserialize;

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Authorized, CsrfForm, Managers};
use crate::i18n::Lang;
use crate::rewards::RuleForm;
use crate::view::rewards::PayRulesPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/pay-rules", get(page).post(add))
        .route("/config/pay-rules/{id}/retire", post(retire))
}

/// `?saved=1`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    saved: Option<String>,
}

async fn build(state: &AppState, c: Chrome) -> Result<PayRulesPage, WebError> {
    let rules = state.store.pay_adjustment_rules().await?;
    let departments = state.store.departments().await?;
    Ok(PayRulesPage::build(c, &rules, &departments))
}

/// `GET /config/pay-rules`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let mut page = build(&state, c).await?;
    page.saved = q.saved.is_some();
    Ok(render(&page)?.into_response())
}

/// `POST /config/pay-rules`: adds a rule, or shows the page again with why not (422).
pub async fn add(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<RuleForm>,
) -> Result<Response, WebError> {
    let result = async {
        let (department, rule) = form.rule()?;
        let by = &user.user.username;
        service::add_pay_rule(&state.store, department, &rule, by, Utc::now()).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/config/pay-rules?saved=1").into_response()),
        Err(WebError::Invalid(why)) => {
            let c = Chrome::new(lang, &auth.user, None, Section::Periods);
            let mut page = build(&state, c).await?;
            page.error = Some(why);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}

/// `POST /config/pay-rules/{id}/retire`.
pub async fn retire(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<i64>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    service::retire_pay_rule(&state.store, id, &user.user.username, Utc::now()).await?;
    Ok(Redirect::to("/config/pay-rules?saved=1").into_response())
}
