//! Uploading source files (imported in the background), the import list, a job's progress
//! page and reject reports.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CurrentUser, Managers, same_origin, tokens_match};
use crate::i18n::Lang;
use crate::jobs::{self, JobScope, Upload};
use crate::queries;
use crate::view::imports::{ImportsPage, JobPage, replaced_csv as replaced_to_csv};
use crate::view::profiles::options;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};
use jixiao_import::presets::Preset;

/// `?page=N`.
#[derive(Debug, Deserialize)]
pub struct PageQuery {
    page: Option<u32>,
}

/// `GET /imports` (admin, manager).
pub async fn list(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Managers>,
    Query(q): Query<PageQuery>,
) -> Result<Response, WebError> {
    let page = state.store.imports(queries::page_req(q.page)).await?;
    let held_total = state.store.held_count().await?;
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    let page = ImportsPage {
        held_total,
        profiles: options(crate::profiles::list(&state.store).await?),
        presets: Preset::ALL.iter().map(|p| p.name()).collect(),
        ..ImportsPage::build(c, page)
    };
    Ok(render(&page)?.into_response())
}

/// A multipart upload from a manager that passed the origin and CSRF checks.
#[derive(Debug)]
pub struct UploadForm {
    user: CurrentUser,
    upload: Upload,
}

impl FromRequest<AppState> for UploadForm {
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
        let (mut csrf, mut kind, mut mode, mut file) =
            (String::new(), String::new(), String::new(), None);
        let mut profile = String::new();
        let bad = |e: axum::extract::multipart::MultipartError| WebError::Invalid(e.body_text());
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "kind" => kind = field.text().await.map_err(bad)?,
                "mode" => mode = field.text().await.map_err(bad)?,
                "profile" => profile = field.text().await.map_err(bad)?,
                "file" => {
                    let name = field.file_name().unwrap_or("upload.csv").to_string();
                    file = Some((name, field.bytes().await.map_err(bad)?.to_vec()));
                }
                _ => {}
            }
        }
        if !tokens_match(&auth.user.csrf, &csrf) {
            return Err(WebError::Csrf);
        }
        let (file_name, bytes) =
            file.ok_or_else(|| WebError::Invalid("no file was uploaded".into()))?;
        // The same select offers the built-in presets, as `preset:<name>`.
        let upload = Upload::prepare(&state.store, kind, file_name, bytes, &mode, &profile).await?;
        Ok(UploadForm {
            user: auth.user,
            upload,
        })
    }
}

/// `POST /imports`: accepts the file as a background job and sends the browser to its page.
pub async fn upload(State(state): State<AppState>, form: UploadForm) -> Result<Response, WebError> {
    let id = jobs::start(
        &state.store,
        form.upload,
        &form.user.user.username,
        Utc::now(),
    )
    .await?;
    Ok(Redirect::to(&format!("/imports/jobs/{id}")).into_response())
}

/// `GET /imports/jobs/{id}`: the job's progress, refreshed every second, then its result.
pub async fn job(
    State(state): State<AppState>,
    lang: Lang,
    scope: JobScope,
) -> Result<Response, WebError> {
    let job = scope.job.seen_at(Utc::now());
    let result = jobs::result(&state.store, &job).await?;
    let c = Chrome::new(lang, &scope.user, None, Section::Imports);
    Ok(render(&JobPage::build(c, job, result))?.into_response())
}

/// `GET /imports/{id}/rejects.csv`.
pub async fn rejects_csv(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let import = state.store.import(id).await?;
    let rejects = state.store.import_rejects(id).await?;
    // The same report `jixiao import` writes: file, row, column, value, reason.
    let mut body = Vec::new();
    jixiao_import::canonical::write_rejects(&import.file_name, &rejects, &mut body)
        .map_err(WebError::internal)?;
    let disposition = format!("attachment; filename=\"import-{id}-rejects.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

/// `GET /imports/{id}/replaced.csv`: the records this import replaced, and the import each
/// replaced version came from.
pub async fn replaced_csv(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let records = state.store.replaced_records(id).await?;
    let body = replaced_to_csv(&records).map_err(WebError::internal)?;
    let disposition = format!("attachment; filename=\"import-{id}-replaced.csv\"");
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
