//! `/config/pay` (admins and managers): each department's unit price per point, KPI bonus
//! base and table, rounding and labour budget, one form each. Saving stores them together and
//! recomputes the unclosed periods with cards; a refused form is shown again with why (422).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, CurrentUser, Managers};
use crate::i18n::Lang;
use crate::payconf::{self, PayForm};
use crate::view::payconf::{DeptPayVm, PayConfPage};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/pay", get(page))
        .route("/config/pay/{code}", post(save))
}

/// `?saved=CODE` after a save's redirect.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    saved: Option<String>,
}

/// The page; `refused` replaces one department's stored values by the refused submission.
async fn build(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    saved: Option<&str>,
    refused: Option<(&str, PayForm, String)>,
) -> Result<PayConfPage, WebError> {
    let mut departments: Vec<DeptPayVm> = payconf::all(&state.store)
        .await?
        .into_iter()
        .map(|(d, price, rules)| DeptPayVm {
            saved: saved == Some(d.code.as_str()),
            has_scheme: price.is_some(),
            form: payconf::form_of(price, &rules),
            error: None,
            code: d.code,
            name: d.name,
        })
        .collect();
    if let Some((code, form, error)) = refused
        && let Some(d) = departments.iter_mut().find(|d| d.code == code)
    {
        d.form = form;
        d.error = Some(error);
    }
    Ok(PayConfPage {
        c: Chrome::new(lang, user, None, Section::Periods),
        departments,
    })
}

/// `GET /config/pay`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = build(&state, lang, &auth.user, q.saved.as_deref(), None).await?;
    Ok(render(&page)?.into_response())
}

/// `POST /config/pay/{code}`: stores the department's unit price and pay rules, or shows the
/// page again with why they are refused (422, nothing stored).
pub async fn save(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Managers>,
    Path(code): Path<String>,
    CsrfForm { user, form }: CsrfForm<PayForm>,
) -> Result<Response, WebError> {
    let (d, _, _) = payconf::one(&state.store, &code).await?;
    let saved = match payconf::parse(&form) {
        Ok((price, rules)) => {
            payconf::save(&state.store, d.id, price, &rules, &user.user.username).await
        }
        Err(e) => Err(e),
    };
    match saved {
        // Department codes are short ASCII codes (`CALL`), safe in a query as they are.
        Ok(()) => Ok(
            Redirect::to(&format!("/config/pay?saved={}#pay-{}", d.code, d.code)).into_response(),
        ),
        Err(WebError::Invalid(m)) => {
            let page = build(&state, lang, &user, None, Some((&d.code, form, m))).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(e) => Err(e),
    }
}
