//! `/imports/profiles` (admins and managers): the mapping profiles, saved and shipped, and the
//! editor that previews a sample file's first rows as the profile will read them.
//!
//! The editor is one multipart form (the TOML, the version it was opened at, a sample file)
//! with two buttons: Preview renders the same page with the table, Save checks and stores the
//! profile. A shipped profile is read-only: saving it under another name makes a copy.

use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Multipart, Path, Query};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;

use super::session::CsrfOnly;
use super::{MAX_UPLOAD_BYTES, render};
use crate::auth::{Authorized, CsrfForm, CurrentUser, Managers, same_origin, tokens_match};
use crate::i18n::Lang;
use crate::profiles::{self, STARTER};
use crate::view::profiles::{EditPage, PreviewVm, ProblemVm, ProfilesPage, href};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The profile routes, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    // The editor's form carries the sample file on both buttons.
    let big = || DefaultBodyLimit::max(MAX_UPLOAD_BYTES);
    Router::new()
        .route("/imports/profiles", get(list))
        .route("/imports/profiles/new", get(new_form))
        .route(
            "/imports/profiles/new/preview",
            post(preview_new).layer(big()),
        )
        .route("/imports/profiles/new/save", post(save_new).layer(big()))
        .route("/imports/profiles/{name}", get(edit_form))
        .route(
            "/imports/profiles/{name}/preview",
            post(preview_existing).layer(big()),
        )
        .route(
            "/imports/profiles/{name}/save",
            post(save_existing).layer(big()),
        )
        .route("/imports/profiles/{name}/delete", post(delete))
}

/// `GET /imports/profiles`.
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
) -> Result<Response, WebError> {
    let entries = profiles::list(&state.store).await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&ProfilesPage::build(c, entries))?.into_response())
}

/// `?from=NAME`: open the new-profile editor on a copy of that profile.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    from: Option<String>,
}

/// `GET /imports/profiles/new[?from=NAME]`.
pub async fn new_form(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    let toml = match q.from.as_deref().filter(|f| !f.is_empty()) {
        Some(from) => profiles::copy_of(&state.store, from).await?,
        None => STARTER.to_string(),
    };
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&EditPage::build(c, None, toml, None, false))?.into_response())
}

/// `?saved=1` after a save's redirect.
#[derive(Debug, Deserialize)]
pub struct EditQuery {
    saved: Option<String>,
}

/// `GET /imports/profiles/{name}`.
pub async fn edit_form(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Path(name): Path<String>,
    Query(q): Query<EditQuery>,
) -> Result<Response, WebError> {
    let opened = profiles::open(&state.store, &name).await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    let mut page = EditPage::build(c, Some(name), opened.toml, opened.version, opened.builtin)
        .updated(opened.updated);
    page.saved = q.saved.is_some();
    Ok(render(&page)?.into_response())
}

/// The editor's form, from a manager that passed the origin and CSRF checks.
#[derive(Debug)]
pub struct ProfileForm {
    user: CurrentUser,
    toml: String,
    version: Option<i64>,
    /// The sample file's name and bytes, when one was chosen.
    sample: Option<(String, Vec<u8>)>,
}

impl FromRequest<AppState> for ProfileForm {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        let (mut parts, body) = req.into_parts();
        let auth = Authorized::<Managers>::from_request_parts(&mut parts, state).await?;
        if !same_origin(&parts.headers) {
            return Err(WebError::Csrf);
        }
        let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|e| WebError::Invalid(e.body_text()))?;
        let bad = |e: axum::extract::multipart::MultipartError| WebError::Invalid(e.body_text());
        let (mut csrf, mut toml, mut version, mut sample) =
            (String::new(), String::new(), String::new(), None);
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "toml" => toml = field.text().await.map_err(bad)?,
                "version" => version = field.text().await.map_err(bad)?,
                "sample" => {
                    let name = field.file_name().unwrap_or_default().to_string();
                    let bytes = field.bytes().await.map_err(bad)?.to_vec();
                    // A file input left empty still sends a part, nameless and empty.
                    if !(name.is_empty() && bytes.is_empty()) {
                        sample = Some((name, bytes));
                    }
                }
                _ => {}
            }
        }
        if !tokens_match(&auth.user.csrf, &csrf) {
            return Err(WebError::Csrf);
        }
        let version = match version.trim() {
            "" => None,
            v => Some(
                v.parse()
                    .map_err(|_| WebError::Invalid("version must be a number".into()))?,
            ),
        };
        Ok(ProfileForm {
            user: auth.user,
            toml,
            version,
            sample,
        })
    }
}

/// The editor showing what the form sent.
fn editor(lang: Lang, original: Option<String>, form: &ProfileForm) -> EditPage {
    let c = Chrome::new(lang, &form.user, None, Section::Imports);
    let builtin = original.as_deref().is_some_and(profiles::is_builtin);
    EditPage::build(c, original, form.toml.clone(), form.version, builtin)
}

/// Renders the preview of the form's sample (or only checks the text, without one).
async fn preview(
    lang: Lang,
    original: Option<String>,
    form: ProfileForm,
) -> Result<Response, WebError> {
    let mut page = editor(lang, original, &form);
    let outcome = match form.sample {
        Some((name, bytes)) => profiles::preview(&form.toml, bytes)
            .await?
            .map(|p| Some(PreviewVm::build(name, p))),
        None => profiles::check(&form.toml).map(|_| None),
    };
    let status = match outcome {
        Ok(preview) => {
            page.no_sample = preview.is_none();
            page.preview = preview;
            StatusCode::OK
        }
        Err(problem) => {
            page.error = Some(ProblemVm::new(&page.c.t, problem));
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    Ok((status, render(&page)?).into_response())
}

/// Saves the form's profile and opens it, or shows why it cannot be saved.
async fn save(
    state: AppState,
    lang: Lang,
    original: Option<String>,
    form: ProfileForm,
) -> Result<Response, WebError> {
    let by = &form.user.user.username;
    let outcome = profiles::save(
        &state.store,
        &form.toml,
        original.as_deref(),
        form.version,
        by,
        Utc::now(),
    )
    .await?;
    match outcome {
        Ok(saved) => {
            tracing::info!(
                profile = saved.name,
                version = saved.version,
                by,
                "mapping profile saved"
            );
            Ok(Redirect::to(&format!("{}?saved=1", href(&saved.name))).into_response())
        }
        Err(problem) => {
            let mut page = editor(lang, original, &form);
            page.error = Some(ProblemVm::new(&page.c.t, problem));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

/// `POST /imports/profiles/new/preview`.
pub async fn preview_new(lang: Lang, form: ProfileForm) -> Result<Response, WebError> {
    preview(lang, None, form).await
}

/// `POST /imports/profiles/{name}/preview`.
pub async fn preview_existing(
    lang: Lang,
    Path(name): Path<String>,
    form: ProfileForm,
) -> Result<Response, WebError> {
    preview(lang, Some(name), form).await
}

/// `POST /imports/profiles/new/save`.
pub async fn save_new(
    State(state): State<AppState>,
    lang: Lang,
    form: ProfileForm,
) -> Result<Response, WebError> {
    save(state, lang, None, form).await
}

/// `POST /imports/profiles/{name}/save`.
pub async fn save_existing(
    State(state): State<AppState>,
    lang: Lang,
    Path(name): Path<String>,
    form: ProfileForm,
) -> Result<Response, WebError> {
    save(state, lang, Some(name), form).await
}

/// `POST /imports/profiles/{name}/delete`: a saved profile; imports keep its name.
pub async fn delete(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(name): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    state
        .store
        .delete_mapping_profile(&name, by, Utc::now())
        .await?;
    tracing::info!(profile = name, by, "mapping profile deleted");
    Ok(Redirect::to("/imports/profiles").into_response())
}
