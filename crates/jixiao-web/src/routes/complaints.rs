//! Complaint pages (docs/FAIRNESS.md): the scoped list with its register form, one
//! complaint with its investigation and decision forms, and the statistics. A complaint out
//! of the viewer's scope is the same 404 as a missing one; agents see none.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use jixiao_core::fairness::ComplaintStatus;
use jixiao_store::Page;
use jixiao_store::fairness::NewComplaint;
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{id_param, render};
use crate::auth::{Authorized, CsrfForm, CurrentUser, HasCsrf, Managers, Policy};
use crate::fairness::{self as uc, Investigators};
use crate::i18n::Lang;
use crate::queries;
use crate::view::fairness::{ComplaintPage, ComplaintRowVm, ComplaintStatsPage, ComplaintsPage};
use crate::view::{Chrome, Pager, Section};
use crate::{AppState, WebError};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/complaints", get(list).post(register))
        .route("/complaints/stats", get(stats))
        .route("/complaints/{id}", get(show))
        .route("/complaints/{id}/links", post(link))
        .route("/complaints/{id}/investigate", post(investigate))
        .route("/complaints/{id}/attributions", post(attribute))
        .route(
            "/complaints/{id}/attributions/{aid}/remove",
            post(remove_attribution),
        )
        .route("/complaints/{id}/attributions/{aid}/resolve", post(resolve))
        .route("/complaints/{id}/decide", post(decide))
}

csrf_form!(RegisterForm {
    channel,
    customer_id,
    occurred_at,
    summary,
    journey_id
});
csrf_form!(LinkForm {
    kind,
    source,
    record_id
});
csrf_form!(AttributeForm {
    stage_id,
    employee_no,
    service_at,
    note
});
csrf_form!(ReasonForm { reason });

/// The decision form: outcome, reason and an `upheld_{attribution}` checkbox per attribution.
#[derive(Debug, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl HasCsrf for DecideForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `?status=&page=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    page: Option<u32>,
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/complaints/{id}")).into_response()
}

/// `GET /complaints`: complaints in the viewer's scope, newest first, by status.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let v = uc::complaint_visibility(&state.store, &user).await?;
    let status = q.status.trim().to_string();
    let rows: Vec<ComplaintRowVm> = state
        .store
        .complaints(&v)
        .await?
        .iter()
        .filter(|c| status.is_empty() || c.status == status)
        .map(ComplaintRowVm::from)
        .collect();
    let req = queries::page_req(q.page);
    let Page {
        items: rows, total, ..
    } = Page::of(rows, req);
    let pager = Pager::new(req.page, req.per_page, total, |n| {
        format!("/complaints?status={status}&page={n}")
    });
    let page = ComplaintsPage {
        c: Chrome::new(lang, &user, None, Section::Fairness),
        rows,
        statuses: ComplaintStatus::ALL
            .iter()
            .map(|s| (s.as_str(), crate::view::fairness::status_key(s.as_str())))
            .collect(),
        status,
        pager,
        may_register: Investigators::allows(user.user.role),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /complaints` (admin, manager, QA): registers a complaint.
pub async fn register(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    CsrfForm { user, form }: CsrfForm<RegisterForm>,
) -> Result<Response, WebError> {
    let c = NewComplaint {
        channel: form.channel.trim().to_string(),
        customer_id: uc::opt_text(&form.customer_id),
        occurred_at: uc::parse_time(&form.occurred_at)?,
        summary: form.summary,
        journey_id: match form.journey_id.trim() {
            "" => None,
            j => Some(uc::parse_id("journey", j)?),
        },
    };
    let id = state
        .store
        .register_complaint(&c, &user.user.username, Utc::now())
        .await?;
    Ok(back(id))
}

/// `GET /complaints/{id}`.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let data = uc::complaint_page(&state.store, &user, id_param(&id)?).await?;
    let role = user.user.role;
    let c = Chrome::new(lang, &user, None, Section::Fairness);
    let page = ComplaintPage::build(
        c,
        &data,
        Investigators::allows(role),
        Managers::allows(role),
    );
    Ok(render(&page)?.into_response())
}

/// `POST /complaints/{id}/links`: links an interaction (call, ticket, chat).
pub async fn link(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<LinkForm>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    uc::visible_complaint(&state.store, &user, id).await?;
    state
        .store
        .link_complaint(
            id,
            form.kind.trim(),
            form.source.trim(),
            form.record_id.trim(),
            &user.user.username,
            Utc::now(),
        )
        .await?;
    Ok(back(id))
}

/// `POST /complaints/{id}/investigate`.
pub async fn investigate(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    uc::visible_complaint(&state.store, &user, id).await?;
    state
        .store
        .start_investigation(id, &user.user.username, Utc::now())
        .await?;
    Ok(back(id))
}

/// `POST /complaints/{id}/attributions`: attributes a failed stage to an employee; the
/// cross-check runs at once and shows on the page.
pub async fn attribute(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<AttributeForm>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    uc::attribute(
        &state.store,
        &user,
        id,
        uc::parse_id("stage", &form.stage_id)?,
        &form.employee_no,
        uc::parse_opt_time(&form.service_at)?,
        &form.note,
    )
    .await?;
    Ok(back(id))
}

/// `POST /complaints/{id}/attributions/{aid}/remove`: removes it with a reason (kept).
pub async fn remove_attribution(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    let (id, aid) = (id_param(&id)?, id_param(&aid)?);
    uc::visible_complaint(&state.store, &user, id).await?;
    state
        .store
        .remove_attribution(id, aid, &form.reason, &user.user.username, Utc::now())
        .await?;
    Ok(back(id))
}

/// `POST /complaints/{id}/attributions/{aid}/resolve`: resolves a mismatch in writing.
pub async fn resolve(
    State(state): State<AppState>,
    _auth: Authorized<Investigators>,
    Path((id, aid)): Path<(String, String)>,
    CsrfForm { user, form }: CsrfForm<ReasonForm>,
) -> Result<Response, WebError> {
    let (id, aid) = (id_param(&id)?, id_param(&aid)?);
    uc::visible_complaint(&state.store, &user, id).await?;
    state
        .store
        .resolve_mismatch(id, aid, &form.reason, &user.user.username, Utc::now())
        .await?;
    Ok(back(id))
}

/// `POST /complaints/{id}/decide` (admin, manager).
pub async fn decide(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<DecideForm>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    let upheld: Vec<i64> = form
        .rest
        .keys()
        .filter_map(|k| k.strip_prefix("upheld_")?.parse().ok())
        .collect();
    uc::decide(
        &state.store,
        &user,
        id,
        &form.outcome,
        &upheld,
        &form.reason,
    )
    .await?;
    Ok(back(id))
}

/// `?period=`.
#[derive(Debug, Deserialize)]
pub struct StatsQuery {
    period: Option<String>,
}

/// `GET /complaints/stats?period=`: per stage, team and employee (agents: 404).
pub async fn stats(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<StatsQuery>,
) -> Result<Response, WebError> {
    let v = uc::complaint_visibility(&state.store, &user).await?;
    let period = uc::stats_period(&state.store, q.period.as_deref()).await?;
    let s = state.store.complaint_stats(period, &v).await?;
    let c = Chrome::new(lang, &user, Some(period), Section::Fairness);
    let page = ComplaintStatsPage::build(c, period.to_string(), s);
    Ok(render(&page)?.into_response())
}
