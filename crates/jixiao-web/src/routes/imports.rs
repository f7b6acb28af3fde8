//! Uploading source files, the import list and reject reports.

use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Deserialize;

use super::render;
use crate::auth::{Authorized, CurrentUser, Managers, same_origin, tokens_match};
use crate::i18n::Lang;
use crate::queries::{self, ImportResult, Upload};
use crate::view::imports::{
    ImportFailedPage, ImportResultPage, ImportsPage, rejects_csv as to_csv,
};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

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
    let c = Chrome::new(lang, &auth.user, None, Section::Imports);
    Ok(render(&ImportsPage::build(c, page))?.into_response())
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
        let (mut csrf, mut kind, mut file) = (String::new(), String::new(), None);
        let bad = |e: axum::extract::multipart::MultipartError| WebError::Invalid(e.body_text());
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "kind" => kind = field.text().await.map_err(bad)?,
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
        Ok(UploadForm {
            user: auth.user,
            upload: Upload {
                kind,
                file_name,
                bytes,
            },
        })
    }
}

/// `POST /imports`: imports the file and shows what happened.
pub async fn upload(
    State(state): State<AppState>,
    lang: Lang,
    form: UploadForm,
) -> Result<Response, WebError> {
    let result = queries::import_upload(
        &state.store,
        &form.upload,
        &form.user.user.username,
        Utc::now(),
    )
    .await?;
    let c = Chrome::new(lang, &form.user, None, Section::Imports);
    let file_name = form.upload.file_name;
    Ok(match result {
        ImportResult::Done {
            rows_total,
            outcome,
        } => render(&ImportResultPage::build(
            c,
            file_name,
            &form.upload.kind,
            rows_total,
            outcome,
        ))?
        .into_response(),
        ImportResult::FileRejected(e) => {
            let page = ImportFailedPage {
                c,
                file_name,
                message: e.to_string(),
            };
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response()
        }
    })
}

/// `GET /imports/{id}/rejects.csv`.
pub async fn rejects_csv(
    State(state): State<AppState>,
    _auth: Authorized<Managers>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let rejects = state.store.import_rejects(id).await?;
    let body = to_csv(&rejects).map_err(WebError::internal)?;
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
