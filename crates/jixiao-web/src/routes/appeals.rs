//! Appeals, feedback notes, notifications and the audit trail (docs/FAIRNESS.md). Scope is the
//! store's: an appeal or note out of the viewer's scope is the same 404 as a missing one.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use jixiao_core::appeal::AppealStatus;
use jixiao_store::AppealFilter;
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{id_param, render};
use crate::appeals::{self as uc, AppealInput, StepInput};
use crate::auth::{AgentScope, Authorized, CsrfForm, CurrentUser, HasCsrf, Managers};
use crate::i18n::Lang;
use crate::queries;
use crate::view::appeals::{
    AppealPage, AppealVm, AppealsPage, NotificationVm, NotificationsPage, status_key,
};
use crate::view::audit::{AuditPage, AuditRowVm, audit_csv, verification_text};
use crate::view::{Chrome, Pager, Section};
use crate::{AppState, WebError};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list))
        .route("/appeals/{id}", get(show))
        .route("/appeals/{id}/step", post(step))
        .route("/p/{period}/agents/{employee_no}/appeals", post(submit))
        .route("/p/{period}/agents/{employee_no}/notes", post(add_note))
        .route("/notes/{id}", get(note))
        .route("/notes/{id}/ack", post(ack))
        .route("/notifications", get(notifications))
        .route("/notifications/read", post(mark_read))
        .route("/audit", get(audit))
        .route("/audit.csv", get(audit_export))
}

csrf_form!(AppealForm {
    kind,
    target,
    reason,
    evidence
});
csrf_form!(StepForm {
    action,
    reason,
    points,
    pay
});
csrf_form!(NoteForm { kind, body });
csrf_form!(ReadForm { id });

/// `?status=&page=`.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    page: Option<u32>,
}

/// `GET /appeals`: the appeals in the viewer's scope, newest first.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let filter = AppealFilter {
        status: uc::status_filter(&q.status),
        ..AppealFilter::default()
    };
    let page = state
        .store
        .appeals(&user.user, &filter, queries::page_req(q.page))
        .await?;
    let c = Chrome::new(lang, &user, None, Section::Appeals);
    let pay = user.user.role.sees_pay();
    let status = q.status.trim().to_string();
    let pager = Pager::new(page.page, page.per_page, page.total, |n| {
        format!("/appeals?status={status}&page={n}")
    });
    let page = AppealsPage {
        rows: page
            .items
            .iter()
            .map(|a| AppealVm::new(c.t, a, pay))
            .collect(),
        statuses: AppealStatus::ALL
            .iter()
            .map(|s| (s.as_str(), status_key(*s)))
            .collect(),
        status,
        pager,
        c,
    };
    Ok(render(&page)?.into_response())
}

/// `GET /appeals/{id}`: the appeal, its history, the card before and after, and the steps
/// the viewer may take.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let a = state.store.appeal(&user.user, id_param(&id)?).await?;
    let actions = state
        .store
        .appeal_actions(&user.user, &a, uc::today())
        .await?;
    let c = Chrome::new(lang, &user, Some(a.period), Section::Appeals);
    let page = AppealPage::build(c, &a, &actions, user.user.role.sees_pay());
    Ok(render(&page)?.into_response())
}

/// `POST /appeals/{id}/step`: accept, reject, escalate or withdraw.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<StepForm>,
) -> Result<Response, WebError> {
    let input = StepInput {
        action: &form.action,
        reason: &form.reason,
        points: &form.points,
        pay: &form.pay,
    };
    let a = uc::step(&state.store, &user.user, id_param(&id)?, input).await?;
    tracing::info!(
        appeal = a.id,
        status = a.status.as_str(),
        by = user.user.username,
        "appeal step"
    );
    Ok(Redirect::to(&format!("/appeals/{}", a.id)).into_response())
}

/// `POST /p/{period}/agents/{employee_no}/appeals`: the agent appeals an item of their card.
pub async fn submit(
    State(state): State<AppState>,
    scope: AgentScope,
    CsrfForm { user, form }: CsrfForm<AppealForm>,
) -> Result<Response, WebError> {
    let input = AppealInput {
        kind: &form.kind,
        target: &form.target,
        reason: &form.reason,
        evidence: &form.evidence,
    };
    let a = uc::submit(
        &state.store,
        &user.user,
        scope.period,
        scope.employee.id,
        input,
    )
    .await?;
    Ok(Redirect::to(&format!("/appeals/{}", a.id)).into_response())
}

/// `POST /p/{period}/agents/{employee_no}/notes`: the agent's supervisor or a manager writes
/// a feedback or coaching note.
pub async fn add_note(
    State(state): State<AppState>,
    scope: AgentScope,
    CsrfForm { user, form }: CsrfForm<NoteForm>,
) -> Result<Response, WebError> {
    uc::add_note(
        &state.store,
        &user.user,
        scope.period,
        scope.employee.id,
        &form.kind,
        &form.body,
    )
    .await?;
    let back = format!(
        "/p/{}/agents/{}#notes",
        scope.period, scope.employee.employee_no
    );
    Ok(Redirect::to(&back).into_response())
}

async fn note_card(state: &AppState, user: &CurrentUser, id: i64) -> Result<String, WebError> {
    let n = state.store.note(&user.user, id).await?;
    let e = state.store.employee(n.employee_id).await?;
    Ok(format!("/p/{}/agents/{}#notes", n.period, e.employee_no))
}

/// `GET /notes/{id}`: the card the note is on (notification links lead here).
pub async fn note(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let to = note_card(&state, &user, id_param(&id)?).await?;
    Ok(Redirect::to(&to).into_response())
}

/// `POST /notes/{id}/ack`: the agent acknowledges a note on their card.
pub async fn ack(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    state
        .store
        .acknowledge_note(&user.user, id, Utc::now())
        .await?;
    let to = note_card(&state, &user, id).await?;
    Ok(Redirect::to(&to).into_response())
}

/// `?page=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// `GET /notifications`: the user's notifications, newest first.
pub async fn notifications(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = state
        .store
        .notifications(user.user.id, queries::page_req(q.page))
        .await?;
    let c = Chrome::new(lang, &user, None, Section::Appeals);
    let pager = Pager::new(page.page, page.per_page, page.total, |n| {
        format!("/notifications?page={n}")
    });
    let page = NotificationsPage {
        rows: page
            .items
            .iter()
            .map(|n| NotificationVm::new(c.t, n))
            .collect(),
        pager,
        c,
    };
    Ok(render(&page)?.into_response())
}

/// `POST /notifications/read`: marks one (`id`) or all of the user's notifications read.
pub async fn mark_read(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<ReadForm>,
) -> Result<Response, WebError> {
    let id = match form.id.trim() {
        "" => None,
        s => Some(id_param(s)?),
    };
    state
        .store
        .mark_notifications_read(user.user.id, id, Utc::now())
        .await?;
    Ok(Redirect::to("/notifications").into_response())
}

/// `?employee=&period=&kind=&page=`.
#[derive(Debug, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    employee: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    kind: String,
    page: Option<u32>,
}

impl AuditQuery {
    fn query_string(&self) -> String {
        let enc = |s: &str| {
            s.trim()
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                        char::from(b).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect::<String>()
        };
        format!(
            "employee={}&period={}&kind={}",
            enc(&self.employee),
            enc(&self.period),
            enc(&self.kind)
        )
    }
}

/// `GET /audit` (admin, manager): the log filtered by employee, period and kind, with whether
/// the hash chain verifies.
pub async fn audit(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let filter = uc::audit_filter(&state.store, &q.employee, &q.period, &q.kind).await?;
    let page = state
        .store
        .audit_search(&filter, queries::page_req(q.page))
        .await?;
    let verification = state.store.verify_audit_chain().await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Audit);
    let qs = q.query_string();
    let pager = Pager::new(page.page, page.per_page, page.total, |n| {
        format!("/audit?{qs}&page={n}")
    });
    let (intact, verification) = verification_text(c.t, &verification);
    let page = AuditPage {
        rows: page.items.iter().map(AuditRowVm::from).collect(),
        employee: q.employee.trim().to_string(),
        period: q.period.trim().to_string(),
        kind: q.kind.trim().to_string(),
        kinds: state.store.audit_kinds().await?,
        csv_href: format!("/audit.csv?{qs}"),
        intact,
        verification,
        pager,
        c,
    };
    Ok(render(&page)?.into_response())
}

/// `GET /audit.csv` (admin, manager): every entry matching the same filters.
pub async fn audit_export(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let filter = uc::audit_filter(&state.store, &q.employee, &q.period, &q.kind).await?;
    let entries = uc::audit_all(&state.store, &filter).await?;
    let body = audit_csv(&entries).map_err(WebError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit.csv\"".to_string(),
            ),
        ],
        body,
    )
        .into_response())
}
