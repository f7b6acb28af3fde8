//! `/q/{quarter}` (`2026-Q3`) and `/y/{year}` (`2026`): every agent's quarter or year from the
//! summed months, in the caller's scope (docs/KPIS.md, "Quarters and years").

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::render;
use crate::auth::CurrentUser;
use crate::i18n::Lang;
use crate::spans::{SpanQuery, view};
use crate::view::spans::SpanPage;
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The routes of this module, merged into the app's router.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/q/{span}", get(page))
        .route("/y/{span}", get(page))
}

/// `GET /q/{quarter}`, `GET /y/{year}`.
pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    Path(span): Path<String>,
    Query(q): Query<SpanQuery>,
) -> Result<Response, WebError> {
    let v = view(&state.store, &user, &span, &q).await?;
    let show_pay = user.user.role.sees_pay();
    let c = Chrome::new(lang, &user, None, Section::Scores);
    Ok(render(&SpanPage::build(c, &v, show_pay))?.into_response())
}
