//! Complaint import (`POST /complaints/import`), survey links (`POST /journeys/{id}/survey-link`)
//! and the public survey page `GET/POST /s/{token}` (docs/FAIRNESS.md). The public page has no
//! session: the unguessable single-use token is the credential; its POST still passes the
//! site's origin check.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Authorized, CsrfForm, CurrentUser, same_origin, tokens_match};
use crate::fairness::Investigators;
use crate::fairness_extra::{self as fx, ImportReport, LinkState};
use crate::i18n::{Lang, Tr};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/complaints/import", post(import))
        .route("/journeys/{id}/survey-link", post(create_link))
        .route("/s/{token}", get(survey).post(answer))
}

/// The import's result page.
#[derive(Template)]
#[template(path = "complaint_import.html")]
pub struct ImportPage {
    c: Chrome,
    report: ImportReport,
}

/// The new link, shown once.
#[derive(Template)]
#[template(path = "survey_link.html")]
pub struct LinkPage {
    c: Chrome,
    id: i64,
    url: String,
}

/// The public survey page.
#[derive(Template)]
#[template(path = "survey.html")]
pub struct SurveyPage {
    t: Tr,
    token: String,
    stages: Vec<(i64, String)>,
    done: bool,
    message: &'static str,
}

/// A CSV upload from an investigator that passed the origin and CSRF checks.
#[derive(Debug)]
pub struct ImportForm {
    user: CurrentUser,
    bytes: Vec<u8>,
}

impl FromRequest<AppState> for ImportForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let auth = Authorized::<Investigators>::from_request_parts(&mut parts, state).await?;
        if !same_origin(&parts.headers) {
            return Err(WebError::Csrf);
        }
        let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| WebError::Invalid(e.body_text()))?;
        let bad = |e: axum::extract::multipart::MultipartError| WebError::Invalid(e.body_text());
        let (mut csrf, mut file) = (String::new(), None);
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "file" => file = Some(field.bytes().await.map_err(bad)?.to_vec()),
                _ => {}
            }
        }
        if !tokens_match(&auth.user.csrf, &csrf) {
            return Err(WebError::Csrf);
        }
        let bytes = file.ok_or_else(|| WebError::Invalid("no file was uploaded".into()))?;
        Ok(ImportForm {
            user: auth.user,
            bytes,
        })
    }
}

/// `POST /complaints/import` (admin, manager, QA): registers each good row, shows the rest.
pub async fn import(
    State(state): State<AppState>,
    lang: Lang,
    form: ImportForm,
) -> Result<Response, WebError> {
    let report = fx::import_complaints(&state.store, &form.user, &form.bytes).await?;
    let page = ImportPage {
        c: Chrome::new(lang, &form.user, None, Section::Fairness),
        report,
    };
    Ok(render(&page)?.into_response())
}

/// `POST /journeys/{id}/survey-link`: a single-use link with the viewer as proxy.
pub async fn create_link(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let id = crate::error::id_param(&id)?;
    let token = fx::create_survey_link(&state.store, &user, id).await?;
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let page = LinkPage {
        c: Chrome::new(lang, &user, None, Section::Fairness),
        id,
        url: state.settings.absolute(host, &format!("/s/{token}")),
    };
    Ok(render(&page)?.into_response())
}

fn done(lang: Lang, status: StatusCode, message: &'static str) -> Result<Response, WebError> {
    let page = SurveyPage {
        t: Tr::new(lang),
        token: String::new(),
        stages: Vec::new(),
        done: true,
        message,
    };
    Ok((status, render(&page)?).into_response())
}

/// `GET /s/{token}` (public): the journey's stages to rate; 404 for an unknown token, 410
/// once answered.
pub async fn survey(
    State(state): State<AppState>,
    lang: Lang,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    match fx::survey_link(&state.store, &token).await? {
        LinkState::Spent => done(lang, StatusCode::GONE, "survey_spent"),
        LinkState::Open(_, d) => {
            let page = SurveyPage {
                t: Tr::new(lang),
                token,
                stages: d
                    .line
                    .stages
                    .iter()
                    .map(|s| (s.id, s.name.clone()))
                    .collect(),
                done: false,
                message: "",
            };
            Ok(render(&page)?.into_response())
        }
    }
}

/// `POST /s/{token}` (public, origin-checked): records the answers, spends the link.
pub async fn answer(
    State(state): State<AppState>,
    lang: Lang,
    headers: HeaderMap,
    Path(token): Path<String>,
    Form(fields): Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) {
        return Err(WebError::Csrf);
    }
    if fx::answer_survey_link(&state.store, &token, &fields).await? {
        done(lang, StatusCode::OK, "survey_thanks")
    } else {
        done(lang, StatusCode::GONE, "survey_spent")
    }
}
