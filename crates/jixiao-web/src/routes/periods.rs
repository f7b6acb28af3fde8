//! The period list, closing a period, and the scorecard workbook.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use jixiao_store::service;

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Authorized, CsrfForm, Managers, PeriodPath, PeriodViewers, Policy};
use crate::i18n::Lang;
use crate::queries;
use crate::view::periods::PeriodsPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `GET /periods` (admin, manager, supervisor).
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<PeriodViewers>,
) -> Result<Response, WebError> {
    let periods = state.store.periods().await?;
    let can_close = Managers::allows(auth.user.user.role);
    let c = Chrome::new(lang, &auth.user, None, Section::Periods);
    // Pay totals are for managers: the budget block is left empty for supervisors.
    let budgets = if can_close {
        let listed: Vec<_> = periods.iter().map(|p| p.period).collect();
        service::budget_checks(&state.store, &listed).await?
    } else {
        Vec::new()
    };
    let mut page = PeriodsPage::build(c, periods, can_close);
    page.warn_running_reviews(Utc::now().date_naive());
    page.can_pay = can_close;
    page.budgets = budgets
        .iter()
        .map(crate::view::points::BudgetRowVm::new)
        .collect();
    Ok(render(&page)?.into_response())
}

/// `POST /p/{period}/close` (admin, manager): freezes the period; 409 if already closed.
pub async fn close(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    PeriodPath(period): PeriodPath,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let hash = service::close(&state.store, period, &user.user.username, Utc::now()).await?;
    tracing::info!(%period, hash, by = user.user.username, "period closed");
    Ok(Redirect::to("/periods").into_response())
}

/// `GET /p/{period}/export.xlsx`: the whole center for managers, own teams for supervisors.
pub async fn export(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<PeriodViewers>,
    PeriodPath(period): PeriodPath,
) -> Result<Response, WebError> {
    let bytes = queries::export(&state.store, period, &auth.user, lang).await?;
    let disposition = format!("attachment; filename=\"jixiao-{period}.xlsx\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
