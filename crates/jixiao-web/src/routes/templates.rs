//! Downloading the Excel template of a record kind, for teams that keep records by hand.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use jixiao_import::canonical::Kind;
use jixiao_import::{export, templates};

use crate::WebError;
use crate::auth::{Authorized, Managers};
use crate::i18n::Lang;

/// `GET /imports/templates/{kind}.xlsx`: whoever may import (admins, managers) may download
/// the templates; the labels follow the UI language.
pub async fn download(
    lang: Lang,
    _auth: Authorized<Managers>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let kind = file
        .strip_suffix(".xlsx")
        .and_then(Kind::parse)
        .ok_or(WebError::NotFound)?;
    let lang = match lang {
        Lang::ZhCn => export::Lang::Zh,
        Lang::En => export::Lang::En,
    };
    let bytes = templates::workbook(kind, lang).map_err(WebError::internal)?;
    let disposition = format!("attachment; filename=\"{}\"", templates::file_name(kind));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
