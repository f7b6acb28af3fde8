//! Service-journey pages (docs/FAIRNESS.md): lines and stages (`/config/journeys`,
//! managers), the scoped journey list with its open form, and one journey with its staff and
//! the survey form. A journey out of the viewer's scope is the same 404 as a missing one.

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use jixiao_core::fairness::StaffSource;
use jixiao_store::Page;
use jixiao_store::fairness::{NewJourney, NewLine, NewStage};
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{id_param, render};
use crate::auth::{Authorized, CsrfForm, CurrentUser, HasCsrf, Managers, Policy};
use crate::fairness::{self as uc, JourneyWriters};
use crate::i18n::Lang;
use crate::queries;
use crate::view::fairness::{
    FindingVm, JourneyLinesPage, JourneyPage, JourneyRowVm, JourneysPage, LineVm, sources,
};
use crate::view::{Chrome, Pager, Section};
use crate::{AppState, WebError};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/config/journeys", get(lines).post(create_line))
        .route("/config/journeys/{id}", post(update_line))
        .route("/config/journeys/{id}/stages", post(add_stage))
        .route("/journeys", get(list).post(open))
        .route("/journeys/{id}", get(show))
        .route("/journeys/{id}/participants", post(add_participant))
        .route("/journeys/{id}/participants/records", post(from_records))
        .route("/journeys/{id}/survey", post(survey))
}

fn number<T: std::str::FromStr>(what: &str, s: &str) -> Result<T, WebError> {
    s.trim()
        .parse()
        .map_err(|_| WebError::Invalid(format!("invalid {what} {s:?}")))
}

csrf_form!(LineForm {
    code,
    name,
    threshold,
    tolerance
});
csrf_form!(StageForm { code, name, source });
csrf_form!(OpenForm {
    line_id,
    customer_id,
    served_on,
    reference
});
csrf_form!(ParticipantForm {
    stage_id,
    employee_no
});

/// The survey form: channel, day, and `rating_/problem_/comment_{stage}` per stage.
#[derive(Debug, Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    surveyed_on: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

impl HasCsrf for SurveyForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn back(id: i64) -> Response {
    Redirect::to(&format!("/journeys/{id}")).into_response()
}

/// `GET /config/journeys` (admin, manager): lines with their stages, and the forms.
pub async fn lines(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
) -> Result<Response, WebError> {
    let lines = state.store.journey_lines().await?;
    let page = JourneyLinesPage {
        c: Chrome::new(lang, &auth.user, None, Section::Fairness),
        lines: lines.iter().map(LineVm::new).collect(),
        sources: sources(),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /config/journeys`: a new line.
pub async fn create_line(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    CsrfForm { user, form }: CsrfForm<LineForm>,
) -> Result<Response, WebError> {
    let l = NewLine {
        code: form.code.trim().to_string(),
        name: form.name.trim().to_string(),
        threshold: number("threshold", &form.threshold)?,
        tolerance_days: match form.tolerance.trim() {
            "" => 0,
            t => number("tolerance", t)?,
        },
    };
    state
        .store
        .create_journey_line(&l, &user.user.username, Utc::now())
        .await?;
    Ok(Redirect::to("/config/journeys").into_response())
}

/// `POST /config/journeys/{id}`: a line's threshold and tolerance.
pub async fn update_line(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<LineForm>,
) -> Result<Response, WebError> {
    state
        .store
        .update_journey_line(
            id_param(&id)?,
            number("threshold", &form.threshold)?,
            number("tolerance", &form.tolerance)?,
            &user.user.username,
            Utc::now(),
        )
        .await?;
    Ok(Redirect::to("/config/journeys").into_response())
}

/// `POST /config/journeys/{id}/stages`: appends a stage.
pub async fn add_stage(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<StageForm>,
) -> Result<Response, WebError> {
    let s = NewStage {
        line_id: id_param(&id)?,
        code: form.code.trim().to_string(),
        name: form.name.trim().to_string(),
        source: StaffSource::parse(form.source.trim())
            .map_err(|e| WebError::Invalid(e.to_string()))?,
    };
    state
        .store
        .add_journey_stage(&s, &user.user.username, Utc::now())
        .await?;
    Ok(Redirect::to("/config/journeys").into_response())
}

/// `?page=`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// `GET /journeys`: journeys in the viewer's scope, newest first.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let v = uc::visibility(&state.store, &user).await?;
    let all = state.store.journeys(&v, &user.user.username).await?;
    let req = queries::page_req(q.page);
    let Page { items, total, .. } = Page::of(all, req);
    let rows = items.iter().map(JourneyRowVm::from).collect();
    let lines = if JourneyWriters::allows(user.user.role) {
        state
            .store
            .journey_lines()
            .await?
            .into_iter()
            .map(|l| (l.id, l.name))
            .collect()
    } else {
        Vec::new()
    };
    let page = JourneysPage {
        c: Chrome::new(lang, &user, None, Section::Fairness),
        rows,
        pager: Pager::new(req.page, req.per_page, total, |n| {
            format!("/journeys?page={n}")
        }),
        lines,
        today: Utc::now().date_naive().to_string(),
        may_configure: Managers::allows(user.user.role),
    };
    Ok(render(&page)?.into_response())
}

/// `POST /journeys`: opens a journey (everyone but supervisors).
pub async fn open(
    State(state): State<AppState>,
    _auth: Authorized<JourneyWriters>,
    CsrfForm { user, form }: CsrfForm<OpenForm>,
) -> Result<Response, WebError> {
    let j = NewJourney {
        line_id: uc::parse_id("line", &form.line_id)?,
        customer_id: form.customer_id,
        served_on: uc::parse_day(&form.served_on)?,
        reference: uc::opt_text(&form.reference),
    };
    let id = state
        .store
        .create_journey(&j, &user.user.username, Utc::now())
        .await?;
    Ok(back(id))
}

/// `GET /journeys/{id}`: staff per stage, the survey (or its form) and its findings.
pub async fn show(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    let d = uc::visible_journey(&state.store, &user, id).await?;
    let may_write = JourneyWriters::allows(user.user.role);
    let candidates = if may_write && d.survey.is_none() {
        state.store.journey_candidates(id).await?
    } else {
        Vec::new()
    };
    let v = uc::visibility(&state.store, &user).await?;
    let names = uc::employee_names(&state.store).await?;
    let c = Chrome::new(lang, &user, None, Section::Fairness);
    let findings = state
        .store
        .findings_from(false, id, &v)
        .await?
        .iter()
        .map(|f| FindingVm::new(c.t, f, None))
        .collect();
    let page = JourneyPage::build(c, &d, &candidates, &names, findings, may_write);
    Ok(render(&page)?.into_response())
}

/// `POST /journeys/{id}/participants`: puts an employee (by number) on a stage by hand.
pub async fn add_participant(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<ParticipantForm>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    uc::writable_journey(&state.store, &user, id).await?;
    let employee = uc::employee_id(&state.store, &form.employee_no).await?;
    state
        .store
        .add_journey_participant(
            id,
            uc::parse_id("stage", &form.stage_id)?,
            employee,
            None,
            &user.user.username,
            Utc::now(),
        )
        .await?;
    Ok(back(id))
}

/// `POST /journeys/{id}/participants/records`: takes the staff the records show.
pub async fn from_records(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    uc::take_candidates(&state.store, &user, id).await?;
    Ok(back(id))
}

/// `POST /journeys/{id}/survey`: records the survey with the viewer as proxy.
pub async fn survey(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<SurveyForm>,
) -> Result<Response, WebError> {
    let id = id_param(&id)?;
    let d = uc::writable_journey(&state.store, &user, id).await?;
    let answers = uc::answers_from_form(&d, &form.rest)?;
    let day = uc::parse_day(&form.surveyed_on)?;
    uc::record_survey(&state.store, &user, id, &answers, &form.channel, day).await?;
    Ok(back(id))
}
