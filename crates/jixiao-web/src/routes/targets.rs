//! `/config/targets` (admins and managers): a period's targets, split center → departments →
//! teams → agents, with the check that the parts add back up and each unit's attainment;
//! setting and removing a target; department heads.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use jixiao_core::Period;
use jixiao_store::service::{self, TargetScope};
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CsrfForm, Managers};
use crate::i18n::Lang;
use crate::targets::{SmallForm, TargetForm, plan, set_head};
use crate::view::targets::{DepartmentVm, TargetsPage};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/targets", get(page).post(set))
        .route("/config/targets/delete", post(delete))
        .route("/config/targets/head", post(head))
}

/// `?period=YYYY-MM&saved=1`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    period: Option<String>,
    saved: Option<String>,
}

fn period_or_latest(asked: Option<&str>, known: &[Period]) -> Result<Period, WebError> {
    match asked {
        Some(p) => p.parse().map_err(|_| WebError::NotFound),
        None => Ok(known
            .first()
            .copied()
            .unwrap_or_else(|| Period::containing(Utc::now().date_naive()))),
    }
}

async fn build(state: &AppState, c: Chrome, asked: Option<&str>) -> Result<TargetsPage, WebError> {
    let known: Vec<Period> = state
        .store
        .periods()
        .await?
        .into_iter()
        .map(|p| p.period)
        .collect();
    let period = period_or_latest(asked, &known)?;
    let targets = service::target_overview(&state.store, period, &TargetScope::All).await?;
    let heads = state.store.department_heads().await?;
    let employees = state.store.employees().await?;
    let departments = state
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| DepartmentVm {
            head: heads
                .get(&d.id)
                .and_then(|h| employees.iter().find(|e| e.id == *h))
                .map(|e| format!("{} {}", e.employee_no, e.name))
                .unwrap_or_default(),
            label: format!("{} {}", d.code, d.name),
            id: d.id,
        })
        .collect();
    let periods = known.iter().take(12).map(ToString::to_string).collect();
    Ok(TargetsPage::build(
        c,
        period.to_string(),
        periods,
        &targets,
        departments,
    ))
}

/// `GET /config/targets`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let mut page = build(&state, c, q.period.as_deref()).await?;
    page.saved = q.saved.is_some();
    Ok(render(&page)?.into_response())
}

/// The page again with why a change was refused (422), or the error itself.
async fn refused(
    state: &AppState,
    lang: Lang,
    auth: &Authorized<Managers>,
    period: &str,
    e: WebError,
) -> Result<Response, WebError> {
    let why = match &e {
        WebError::Invalid(m) | WebError::Conflict(m) => m.clone(),
        WebError::PeriodClosed(p) => format!("period {p} is closed"),
        _ => return Err(e),
    };
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    let mut page = build(state, c, Some(period)).await?;
    page.error = Some(why);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

fn saved(period: &str) -> Response {
    Redirect::to(&format!("/config/targets?period={period}&saved=1")).into_response()
}

fn form_period(p: &str) -> Result<Period, WebError> {
    p.trim()
        .parse()
        .map_err(|_| WebError::Invalid("period".into()))
}

/// `POST /config/targets`: splits and stores a target.
pub async fn set(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<TargetForm>,
) -> Result<Response, WebError> {
    let result = async {
        let period = form_period(&form.period)?;
        let plan = plan(&state.store, &form).await?;
        service::set_target(&state.store, period, &plan, &user.user.username, Utc::now()).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(saved(form.period.trim())),
        Err(e) => refused(&state, lang, &auth, form.period.trim(), e).await,
    }
}

/// `POST /config/targets/delete`.
pub async fn delete(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<SmallForm>,
) -> Result<Response, WebError> {
    let result = async {
        let period = form_period(&form.period)?;
        let by = &user.user.username;
        service::delete_target(&state.store, period, form.measure.trim(), by, Utc::now()).await?;
        Ok::<(), WebError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(saved(form.period.trim())),
        Err(e) => refused(&state, lang, &auth, form.period.trim(), e).await,
    }
}

/// `POST /config/targets/head`: sets (or, with no employee number, clears) a department's head.
pub async fn head(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<SmallForm>,
) -> Result<Response, WebError> {
    let result = async {
        let department: i64 = form
            .department_id
            .trim()
            .parse()
            .map_err(|_| WebError::Invalid("department".into()))?;
        let by = &user.user.username;
        set_head(&state.store, department, &form.employee_no, by, Utc::now()).await
    }
    .await;
    match result {
        Ok(()) => Ok(saved(form.period.trim())),
        Err(e) => refused(&state, lang, &auth, form.period.trim(), e).await,
    }
}
