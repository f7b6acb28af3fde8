//! Manager actions on a period's lifecycle: opening the review window and adding an
//! adjustment to an agent's card. Both are manager-only (403 for everyone else, like closing).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, Utc};
use jixiao_store::{NewAdjustment, service};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::{AgentScope, Authorized, CsrfForm, HasCsrf, Managers, PeriodPath};
use crate::{AppState, WebError};

/// The review form.
#[derive(Debug, Deserialize)]
pub struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    until: String,
}

impl HasCsrf for ReviewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /p/{period}/review` (admin, manager): computed or in review → in review until `until`.
pub async fn review(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
    CsrfForm { user, form }: CsrfForm<ReviewForm>,
) -> Result<Response, WebError> {
    let until: NaiveDate = form
        .until
        .trim()
        .parse()
        .map_err(|_| WebError::Invalid(format!("invalid review end {:?}", form.until)))?;
    let by = &user.user.username;
    service::open_review(&state.store, period, until, by, Utc::now()).await?;
    tracing::info!(%period, %until, by, "review window opened");
    Ok(Redirect::to("/periods").into_response())
}

/// The adjustment form: amounts as typed (blank is zero).
#[derive(Debug, Deserialize)]
pub struct AdjustForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    pay: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    corrects: String,
}

impl HasCsrf for AdjustForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn amount(what: &str, s: &str) -> Result<Decimal, WebError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Decimal::ZERO);
    }
    s.parse()
        .map_err(|_| WebError::Invalid(format!("invalid {what} {s:?}")))
}

/// `POST /p/{period}/agents/{employee_no}/adjustments` (admin, manager): records an adjustment
/// in this (unclosed) period and returns to the agent page.
pub async fn adjust(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    scope: AgentScope,
    CsrfForm { user, form }: CsrfForm<AdjustForm>,
) -> Result<Response, WebError> {
    let corrects = match form.corrects.trim() {
        "" => None,
        p => Some(
            p.parse()
                .map_err(|e: jixiao_core::CoreError| WebError::Invalid(e.to_string()))?,
        ),
    };
    let adjustment = NewAdjustment {
        period: scope.period,
        employee_id: scope.employee.id,
        points: amount("points", &form.points)?,
        pay: amount("pay", &form.pay)?,
        reason: form.reason,
        corrects,
        author: user.user.username.clone(),
        at: Utc::now(),
    };
    service::add_adjustment(&state.store, &adjustment).await?;
    let back = format!(
        "/p/{}/agents/{}#adjustments",
        scope.period, scope.employee.employee_no
    );
    Ok(Redirect::to(&back).into_response())
}
