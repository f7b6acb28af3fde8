//! Use cases behind the appeal, note, notification and audit pages and their API: the store
//! calls each needs, gathered so handlers stay one call long. No HTTP and no HTML here.

use chrono::{NaiveDate, Utc};
use jixiao_core::appeal::{Action, AppealStatus, NoteKind, TargetKind};
use jixiao_core::org::Role;
use jixiao_store::{
    Appeal, AppealFilter, AppealStep, AuditEntry, AuditFilter, NewAppeal, NewNote, Page, PageReq,
    Store, User, service,
};
use rust_decimal::Decimal;

use crate::WebError;
use crate::auth::AgentScope;
use crate::i18n::Tr;
use crate::view::appeals::{AgentAppealsVm, AppealVm, NoteVm};

/// Today, for review windows (UTC, like the rest of the server's clock).
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The appeals-and-notes section of an agent's page, for whoever the scope let in.
pub async fn agent_section(
    store: &Store,
    scope: &AgentScope,
    t: Tr,
) -> Result<AgentAppealsVm, WebError> {
    let user = &scope.user.user;
    let (period, employee) = (scope.period, &scope.employee);
    let filter = AppealFilter {
        period: Some(period),
        employee_id: Some(employee.id),
        status: None,
    };
    let pay = user.role.sees_pay();
    let appeals = store
        .appeals(
            user,
            &filter,
            PageReq {
                page: 1,
                per_page: 100,
            },
        )
        .await?;
    let own = user.employee_id == Some(employee.id);
    let base = format!("/p/{period}/agents/{}", employee.employee_no);
    let window = store.review_window_open(period, today()).await?;
    let findings = if own && window {
        store
            .findings_of(period, employee.id)
            .await?
            .into_iter()
            .filter(|f| f.status == "active")
            .map(|f| (f.id, f.reason))
            .collect()
    } else {
        Vec::new()
    };
    let notes = store.notes_of(period, employee.id).await?;
    let may_note = !own
        && (matches!(user.role, Role::Admin | Role::Manager)
            || (user.role == Role::Supervisor && scope.visible_teams.is_some()));
    Ok(AgentAppealsVm {
        shown: true,
        appeals: appeals
            .items
            .iter()
            .map(|a| AppealVm::new(t, a, pay))
            .collect(),
        appeal_action: (own && window).then(|| format!("{base}/appeals")),
        findings,
        notes: notes.iter().map(|n| NoteVm::new(n, own)).collect(),
        note_action: may_note.then(|| format!("{base}/notes")),
    })
}

/// An appeal as typed on the agent page or sent to the API.
pub struct AppealInput<'a> {
    /// `kpi`, `deduction`, `qa` or `finding`.
    pub kind: &'a str,
    /// The item.
    pub target: &'a str,
    /// Why.
    pub reason: &'a str,
    /// Evidence.
    pub evidence: &'a str,
}

/// Submits the user's appeal against their card of `period`.
pub async fn submit(
    store: &Store,
    user: &User,
    period: jixiao_core::Period,
    employee_id: i64,
    input: AppealInput<'_>,
) -> Result<Appeal, WebError> {
    let kind = TargetKind::parse(input.kind).map_err(|e| WebError::Invalid(e.to_string()))?;
    let a = NewAppeal {
        period,
        employee_id,
        target_kind: kind,
        target_ref: input.target.to_string(),
        reason: input.reason.to_string(),
        evidence: input.evidence.to_string(),
        today: today(),
        at: Utc::now(),
    };
    Ok(store.submit_appeal(user, &a).await?)
}

/// A step as typed: amounts blank = zero.
pub struct StepInput<'a> {
    /// `accept`, `reject`, `escalate`, `withdraw`.
    pub action: &'a str,
    /// Why.
    pub reason: &'a str,
    /// Correction points.
    pub points: &'a str,
    /// Correction pay.
    pub pay: &'a str,
}

fn amount(what: &str, s: &str) -> Result<Decimal, WebError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(Decimal::ZERO);
    }
    s.parse()
        .map_err(|_| WebError::Invalid(format!("invalid {what} {s:?}")))
}

/// Takes a step on an appeal (recomputing the period when it is accepted).
pub async fn step(
    store: &Store,
    user: &User,
    id: i64,
    input: StepInput<'_>,
) -> Result<Appeal, WebError> {
    let action = Action::parse(input.action).map_err(|e| WebError::Invalid(e.to_string()))?;
    let s = AppealStep {
        action,
        reason: input.reason.to_string(),
        points: amount("points", input.points)?,
        pay: amount("pay", input.pay)?,
        today: today(),
        at: Utc::now(),
    };
    Ok(service::step_appeal(store, user, id, &s).await?)
}

/// Records a note on an agent's card.
pub async fn add_note(
    store: &Store,
    user: &User,
    period: jixiao_core::Period,
    employee_id: i64,
    kind: &str,
    body: &str,
) -> Result<jixiao_store::Note, WebError> {
    let kind = NoteKind::parse(kind).map_err(|e| WebError::Invalid(e.to_string()))?;
    let n = NewNote {
        period,
        employee_id,
        kind,
        body: body.to_string(),
        at: Utc::now(),
    };
    Ok(store.add_note(user, &n).await?)
}

/// The status filter as given (blank or unknown: all).
pub fn status_filter(s: &str) -> Option<AppealStatus> {
    AppealStatus::parse(s.trim()).ok()
}

/// The audit filter from what was typed: an unknown employee number matches nothing, a
/// malformed period is refused.
pub async fn audit_filter(
    store: &Store,
    employee_no: &str,
    period: &str,
    kind: &str,
) -> Result<AuditFilter, WebError> {
    let employee_id = match employee_no.trim() {
        "" => None,
        no => match store.employee_by_no(no).await {
            Ok(e) => Some(e.id),
            Err(jixiao_store::StoreError::NotFound(_)) => Some(-1),
            Err(e) => return Err(e.into()),
        },
    };
    let period = match period.trim() {
        "" => None,
        p => Some(
            p.parse()
                .map_err(|e: jixiao_core::CoreError| WebError::Invalid(e.to_string()))?,
        ),
    };
    let kind = Some(kind.trim().to_string()).filter(|k| !k.is_empty());
    Ok(AuditFilter {
        employee_id,
        period,
        kind,
    })
}

/// Every entry matching `filter`, newest first, read a page at a time (the CSV export).
pub async fn audit_all(store: &Store, filter: &AuditFilter) -> Result<Vec<AuditEntry>, WebError> {
    let mut out = Vec::new();
    let mut page = 1;
    loop {
        let p: Page<AuditEntry> = store
            .audit_search(
                filter,
                PageReq {
                    page,
                    per_page: 500,
                },
            )
            .await?;
        let done = p.items.len() < 500;
        out.extend(p.items);
        if done {
            return Ok(out);
        }
        page += 1;
    }
}
