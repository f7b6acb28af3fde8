//! One agent's scorecards and the records behind them.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use jixiao_core::org::Role;
use serde::Deserialize;

use super::render;
use crate::auth::{AgentScope, Managers, Policy};
use crate::i18n::Lang;
use crate::queries;
use crate::view::agent::AgentPage;
use crate::view::lifecycle::AdjustmentsVm;
use crate::view::records::{RecordKind, RecordsPage};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// `GET /p/{period}/agents/{employee_no}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    scope: AgentScope,
) -> Result<Response, WebError> {
    let data = queries::agent_cards(&state.store, &scope).await?;
    let role = scope.user.user.role;
    let c = Chrome::new(lang, &scope.user, Some(scope.period), Section::Scores);
    let mut page = AgentPage::build(
        c,
        scope.period,
        &scope.employee,
        &data,
        role.sees_pay(),
        role != Role::Agent,
    );
    let status = state.store.period_info(scope.period).await?.status;
    page.adj = AdjustmentsVm::build(
        scope.period,
        scope.employee.employee_no.as_str(),
        &data.cards,
        role.sees_pay(),
        Managers::allows(role) && status.accepts_records(),
    );
    page.extras = crate::people::agent_extras(&state.store, &scope, page.c.t).await?;
    page.fair = crate::appeals::agent_section(&state.store, &scope, page.c.t).await?;
    page.found = crate::fairness::agent_findings(&state.store, &scope, page.c.t).await?;
    Ok(render(&page)?.into_response())
}

/// `?page=N&team=T`.
#[derive(Debug, Deserialize)]
pub struct RecordsQuery {
    page: Option<u32>,
    team: Option<i64>,
}

async fn records(
    state: AppState,
    lang: Lang,
    scope: AgentScope,
    q: RecordsQuery,
    kind: RecordKind,
) -> Result<Response, WebError> {
    let req = queries::page_req(q.page);
    let (team, meta, table) = queries::records(&state.store, &scope, kind, q.team, req).await?;
    let base = format!("/p/{}/agents/{}", scope.period, scope.employee.employee_no);
    let c = Chrome::new(lang, &scope.user, Some(scope.period), Section::Scores);
    let who = (
        scope.employee.employee_no.to_string(),
        scope.employee.name.clone(),
        scope.period.to_string(),
    );
    let page = RecordsPage::build(c, kind, base, team, &meta, table, who);
    Ok(render(&page)?.into_response())
}

/// `GET …/calls`.
pub async fn calls(
    State(s): State<AppState>,
    lang: Lang,
    scope: AgentScope,
    Query(q): Query<RecordsQuery>,
) -> Result<Response, WebError> {
    records(s, lang, scope, q, RecordKind::Calls).await
}

/// `GET …/surveys`.
pub async fn surveys(
    State(s): State<AppState>,
    lang: Lang,
    scope: AgentScope,
    Query(q): Query<RecordsQuery>,
) -> Result<Response, WebError> {
    records(s, lang, scope, q, RecordKind::Surveys).await
}

/// `GET …/qa`.
pub async fn qa(
    State(s): State<AppState>,
    lang: Lang,
    scope: AgentScope,
    Query(q): Query<RecordsQuery>,
) -> Result<Response, WebError> {
    records(s, lang, scope, q, RecordKind::Qa).await
}
