//! `POST /api/v1/competitions`: what the manager's form on `/competitions` does, through the
//! same use case ([`crate::compete::create_competition`]).

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use super::dto::ErrorBody;
use super::people::ApiCompetition;
use crate::auth::{Authorized, Managers};
use crate::compete::{self, CompetitionInput};
use crate::{AppState, WebError};

/// A competition to define.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CompetitionBody {
    /// Name.
    pub name: String,
    /// `points`, `total` or a library KPI code.
    pub metric: String,
    /// First month, `YYYY-MM`.
    pub first_period: String,
    /// Last month, `YYYY-MM`.
    pub last_period: String,
    /// Whether higher ranks first (default true).
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    /// `team` or `agent`.
    pub entrant_kind: String,
    /// Team codes (for `team`) or employee numbers (for `agent`).
    pub entrants: Vec<String>,
    /// The prize.
    #[serde(default)]
    pub prize: String,
}

fn yes() -> bool {
    true
}

/// Defines a competition (audited) and answers it with its standings.
#[utoipa::path(post, path = "/api/v1/competitions", operation_id = "create_competition", tag = "people",
    request_body = CompetitionBody,
    responses(
        (status = 200, description = "The competition", body = ApiCompetition),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins and managers define competitions", body = ErrorBody),
        (status = 422, description = "Unknown metric, kind or entrant, or bad months", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    auth: Authorized<Managers>,
    Json(b): Json<CompetitionBody>,
) -> Result<Json<ApiCompetition>, WebError> {
    let input = CompetitionInput {
        name: b.name,
        metric: b.metric,
        first: b.first_period,
        last: b.last_period,
        direction: if b.higher_is_better {
            "higher"
        } else {
            "lower"
        }
        .into(),
        kind: b.entrant_kind,
        entrants: b.entrants.join(","),
        prize: b.prize,
    };
    let id = compete::create_competition(&state.store, &auth.user, input).await?;
    let seen = compete::competition(&state.store, &auth.user, id).await?;
    Ok(Json(seen.into()))
}
