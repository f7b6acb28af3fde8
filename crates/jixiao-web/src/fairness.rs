//! Use cases behind the journey and complaint pages and their API (docs/FAIRNESS.md): who
//! may do what, what a viewer may see, and the store calls each page needs, gathered so that
//! handlers stay one call long. No HTTP and no HTML here.
//!
//! Roles: admins and managers do everything; QA registers and investigates complaints and
//! records surveys but does not decide; supervisors read complaints attributed to (journeys
//! staffed by) members of their teams; agents see no complaints, open journeys, enter their
//! staff and record surveys as the proxy. Out of scope is the same 404 as a missing id.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime, Utc};
use jixiao_core::Period;
use jixiao_core::fairness::{Outcome, Rating, StageAnswer, Survey};
use jixiao_core::org::Role;
use jixiao_store::fairness::{
    ComplaintDetail, Finding, HistoryEntry, JourneyDetail, NewAttribution, Visibility,
};
use jixiao_store::{Store, service};

use crate::WebError;
use crate::auth::{AgentScope, CurrentUser, Policy};
use crate::i18n::Tr;
use crate::view::fairness::{FindingVm, FindingsVm};

/// Admins, managers and QA: register and investigate complaints.
#[derive(Debug)]
pub struct Investigators;

impl Policy for Investigators {
    fn allows(role: Role) -> bool {
        matches!(role, Role::Admin | Role::Manager | Role::Qa)
    }
}

/// Everyone but supervisors (who only read): open journeys, enter their staff, record
/// surveys. An agent does so only on the journeys they opened.
#[derive(Debug)]
pub struct JourneyWriters;

impl Policy for JourneyWriters {
    fn allows(role: Role) -> bool {
        matches!(role, Role::Admin | Role::Manager | Role::Qa | Role::Agent)
    }
}

/// What the user may see of complaints, journeys and findings.
pub async fn visibility(store: &Store, user: &CurrentUser) -> Result<Visibility, WebError> {
    Ok(match user.user.role {
        r if r.sees_whole_center() => Visibility::All,
        Role::Supervisor => match user.user.employee_id {
            Some(id) => Visibility::Teams(store.teams_led_by(id).await?),
            None => Visibility::Teams(Vec::new()),
        },
        // An agent account without an employee sees nothing of anyone's.
        _ => Visibility::Employee(user.user.employee_id.unwrap_or(-1)),
    })
}

/// A complaint the user may see, else 404.
pub async fn visible_complaint(
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<ComplaintDetail, WebError> {
    let v = visibility(store, user).await?;
    if !store.complaint_visible(id, &v).await? {
        return Err(WebError::NotFound);
    }
    Ok(store.complaint(id).await?)
}

/// A journey the user may see, else 404.
pub async fn visible_journey(
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<JourneyDetail, WebError> {
    let v = visibility(store, user).await?;
    if !store.journey_visible(id, &v, &user.user.username).await? {
        return Err(WebError::NotFound);
    }
    Ok(store.journey(id).await?)
}

/// Complaints the user may list: agents none (404, as for a single one).
pub async fn complaint_visibility(
    store: &Store,
    user: &CurrentUser,
) -> Result<Visibility, WebError> {
    let v = visibility(store, user).await?;
    if matches!(v, Visibility::Employee(_)) {
        return Err(WebError::NotFound);
    }
    Ok(v)
}

/// The outcome as spelled in forms and JSON.
pub fn outcome(s: &str) -> Result<Outcome, WebError> {
    match s.trim() {
        "upheld" => Ok(Outcome::Upheld),
        "partly_upheld" => Ok(Outcome::PartlyUpheld),
        "not_upheld" => Ok(Outcome::NotUpheld),
        other => Err(WebError::Invalid(format!("invalid outcome {other:?}"))),
    }
}

/// A time as typed: `YYYY-MM-DD HH:MM[:SS]` or a form's `YYYY-MM-DDTHH:MM[:SS]`.
pub fn parse_time(s: &str) -> Result<NaiveDateTime, WebError> {
    let t = s.trim().replace('T', " ");
    ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(&t, f).ok())
        .ok_or_else(|| WebError::Invalid(format!("invalid time {s:?}")))
}

/// An optional time: blank is `None`.
pub fn parse_opt_time(s: &str) -> Result<Option<NaiveDateTime>, WebError> {
    match s.trim() {
        "" => Ok(None),
        t => parse_time(t).map(Some),
    }
}

/// A day `YYYY-MM-DD`; blank is today.
pub fn parse_day(s: &str) -> Result<NaiveDate, WebError> {
    match s.trim() {
        "" => Ok(Utc::now().date_naive()),
        t => t
            .parse()
            .map_err(|_| WebError::Invalid(format!("invalid date {s:?}"))),
    }
}

/// An id typed in a form or a path: anything else is invalid input.
pub fn parse_id(what: &str, s: &str) -> Result<i64, WebError> {
    s.trim()
        .parse()
        .map_err(|_| WebError::Invalid(format!("invalid {what} {s:?}")))
}

/// Blank is `None`, else the trimmed text.
pub fn opt_text(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|t| !t.is_empty())
}

/// An employee by number (invalid input when there is none: the number was typed).
pub async fn employee_id(store: &Store, employee_no: &str) -> Result<i64, WebError> {
    match store.employee_by_no(employee_no.trim()).await {
        Ok(e) => Ok(e.id),
        Err(jixiao_store::StoreError::NotFound(_)) => Err(WebError::Invalid(format!(
            "no employee {:?}",
            employee_no.trim()
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Checks the user may write to journey `id`: a writer's role, and an agent only on the
/// journeys they may see (those they opened or surveyed). 404 otherwise, like a missing one.
pub async fn writable_journey(
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<JourneyDetail, WebError> {
    if !JourneyWriters::allows(user.user.role) {
        return Err(WebError::Forbidden);
    }
    visible_journey(store, user, id).await
}

/// Attributes a complaint's failed stage to an employee (by number).
pub async fn attribute(
    store: &Store,
    user: &CurrentUser,
    complaint_id: i64,
    stage_id: i64,
    employee_no: &str,
    service_at: Option<NaiveDateTime>,
    note: &str,
) -> Result<(), WebError> {
    visible_complaint(store, user, complaint_id).await?;
    let a = NewAttribution {
        stage_id,
        employee_id: employee_id(store, employee_no).await?,
        service_at,
        note: opt_text(note),
    };
    store
        .add_attribution(complaint_id, &a, &user.user.username, Utc::now())
        .await?;
    Ok(())
}

/// Decides a complaint today (partly upheld: the attributions in `upheld` are marked upheld).
pub async fn decide(
    store: &Store,
    user: &CurrentUser,
    complaint_id: i64,
    outcome_text: &str,
    upheld: &[i64],
    reason: &str,
) -> Result<(), WebError> {
    visible_complaint(store, user, complaint_id).await?;
    let now = Utc::now();
    service::fairness::decide_complaint_marked(
        store,
        complaint_id,
        outcome(outcome_text)?,
        upheld,
        reason,
        &user.user.username,
        now,
        now.date_naive(),
    )
    .await?;
    Ok(())
}

/// Puts every employee the records show on the journey's stages (not yet on it).
pub async fn take_candidates(
    store: &Store,
    user: &CurrentUser,
    journey_id: i64,
) -> Result<usize, WebError> {
    writable_journey(store, user, journey_id).await?;
    let found = store.journey_candidates(journey_id).await?;
    let now = Utc::now();
    for c in &found {
        store
            .add_journey_participant(
                journey_id,
                c.stage_id,
                c.employee_id,
                c.record_ref.as_deref(),
                &user.user.username,
                now,
            )
            .await?;
    }
    Ok(found.len())
}

/// One stage's answer as typed: a rating 1–5 (blank: not rated), a named problem, a comment.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AnswerInput {
    /// The stage.
    pub stage_id: i64,
    /// 1 to 5; none when the customer did not rate the stage.
    pub rating: Option<u8>,
    /// A problem the customer named (makes the stage deficient whatever the rating).
    pub problem: Option<String>,
    /// A comment.
    pub comment: Option<String>,
}

/// The answers of the survey form: `rating_{stage}`, `problem_{stage}`, `comment_{stage}`.
pub fn answers_from_form(
    detail: &JourneyDetail,
    fields: &HashMap<String, String>,
) -> Result<Vec<AnswerInput>, WebError> {
    let field = |k: String| fields.get(&k).map(String::as_str).unwrap_or_default();
    detail
        .line
        .stages
        .iter()
        .map(|s| {
            let rating = match field(format!("rating_{}", s.id)).trim() {
                "" => None,
                r => Some(
                    r.parse::<u8>()
                        .map_err(|_| WebError::Invalid(format!("invalid rating {r:?}")))?,
                ),
            };
            Ok(AnswerInput {
                stage_id: s.id,
                rating,
                problem: opt_text(field(format!("problem_{}", s.id))),
                comment: opt_text(field(format!("comment_{}", s.id))),
            })
        })
        .collect()
}

/// Records the journey's survey with the user as proxy (their employee, if any). Returns
/// how many findings it made.
pub async fn record_survey(
    store: &Store,
    user: &CurrentUser,
    journey_id: i64,
    answers: &[AnswerInput],
    channel: &str,
    surveyed_on: NaiveDate,
) -> Result<usize, WebError> {
    writable_journey(store, user, journey_id).await?;
    let survey = survey_of(answers, user.user.employee_id)?;
    let (made, _unstaffed) = service::fairness::record_journey_survey(
        store,
        journey_id,
        &survey,
        channel.trim(),
        surveyed_on,
        &user.user.username,
        Utc::now(),
    )
    .await?;
    Ok(made.len())
}

/// The survey of the typed answers, with `proxy` as the proxy agent.
pub fn survey_of(answers: &[AnswerInput], proxy: Option<i64>) -> Result<Survey, WebError> {
    let answers = answers
        .iter()
        .map(|a| {
            Ok(StageAnswer {
                stage_id: a.stage_id,
                rating: a
                    .rating
                    .map(Rating::new)
                    .transpose()
                    .map_err(|e| WebError::from(jixiao_store::StoreError::from(e)))?,
                problem: a.problem.as_deref().and_then(opt_text),
                comment: a.comment.as_deref().and_then(opt_text),
            })
        })
        .collect::<Result<Vec<_>, WebError>>()?;
    Ok(Survey {
        proxy_employee_id: proxy,
        answers,
    })
}

/// Employee id → "number name", for labelling attributions and staff.
pub async fn employee_names(store: &Store) -> Result<BTreeMap<i64, String>, WebError> {
    Ok(store
        .employees()
        .await?
        .into_iter()
        .map(|e| (e.id, format!("{} {}", e.employee_no, e.name)))
        .collect())
}

/// Stage id → "line / stage" over every line.
pub async fn stage_names(store: &Store) -> Result<BTreeMap<i64, String>, WebError> {
    let mut out = BTreeMap::new();
    for l in store.journey_lines().await? {
        for s in &l.stages {
            out.insert(s.id, format!("{} / {}", l.name, s.name));
        }
    }
    Ok(out)
}

/// A complaint's page: the complaint, its history from the audit log and its findings.
pub struct ComplaintData {
    /// The complaint.
    pub detail: ComplaintDetail,
    /// Its audit entries.
    pub history: Vec<HistoryEntry>,
    /// The findings its decision made.
    pub findings: Vec<Finding>,
    /// Stage names.
    pub stages: BTreeMap<i64, String>,
    /// Employee names.
    pub employees: BTreeMap<i64, String>,
}

/// Loads what the complaint page shows, if the user may see it.
pub async fn complaint_page(
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<ComplaintData, WebError> {
    let detail = visible_complaint(store, user, id).await?;
    let v = visibility(store, user).await?;
    Ok(ComplaintData {
        history: store.complaint_history(id).await?,
        findings: store.findings_from(true, id, &v).await?,
        stages: stage_names(store).await?,
        employees: employee_names(store).await?,
        detail,
    })
}

/// The findings section of an agent's page: every finding counted in the period, each
/// linked to its journey or complaint when the viewer may open it.
pub async fn agent_findings(
    store: &Store,
    scope: &AgentScope,
    t: Tr,
) -> Result<FindingsVm, WebError> {
    let user = &scope.user;
    let found = store.findings_of(scope.period, scope.employee.id).await?;
    let v = visibility(store, user).await?;
    let mut rows = Vec::with_capacity(found.len());
    for f in &found {
        let href = match (f.complaint_id, f.journey_id) {
            (Some(c), _) if store.complaint_visible(c, &v).await? => {
                Some(format!("/complaints/{c}"))
            }
            (None, Some(j)) if store.journey_visible(j, &v, &user.user.username).await? => {
                Some(format!("/journeys/{j}"))
            }
            _ => None,
        };
        rows.push(FindingVm::new(t, f, href));
    }
    Ok(FindingsVm { rows })
}

/// The period a statistics page shows: the one asked for, else the newest with data.
pub async fn stats_period(store: &Store, asked: Option<&str>) -> Result<Period, WebError> {
    match asked.map(str::trim).filter(|s| !s.is_empty()) {
        Some(p) => p
            .parse()
            .map_err(|_| WebError::Invalid(format!("invalid period {p:?}"))),
        None => crate::queries::latest_period(store, Utc::now()).await,
    }
}
