//! `/api/v1` for behaviour ratings, teams compared, competitions, and the users and teams
//! administration: the data of those pages, same extractors, same scope. The admin writes
//! are in [`admin`].

pub(super) mod admin;

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use jixiao_core::behaviour::AnchoredScale;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{ApiTeam, ErrorBody};
use crate::auth::{
    Admins, Authorized, CurrentUser, PeriodPath, PeriodViewers, RaterScope, TeamScope,
    visible_teams,
};
use crate::compete::{self, SeenCompetition};
use crate::view::rollup::rollup;
use crate::{AppState, WebError, people};

/// One level of the anchored behaviour scale.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAnchor {
    /// 1–5.
    pub level: u8,
    /// Its score, 0–100.
    pub score: Decimal,
    /// The behaviour that earns it, in English.
    pub text_en: String,
    /// The behaviour that earns it, in Chinese.
    pub text_zh: String,
}

/// A stored behaviour rating.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRating {
    /// The agent's number.
    pub employee_no: String,
    /// The agent's name.
    pub name: String,
    /// The team segment rated.
    pub team_id: i64,
    /// 1–5.
    pub level: u8,
    /// The rater's comment.
    pub comment: String,
    /// Who rated.
    pub rated_by: String,
    /// When (RFC 3339).
    pub rated_at: String,
}

/// A team's ratings of a period and the scale they are given on.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamRatings {
    /// The month.
    pub period: String,
    /// The team.
    pub team: ApiTeam,
    /// The scale, level 1 first.
    pub scale: Vec<ApiAnchor>,
    /// Ratings, by employee number.
    pub ratings: Vec<ApiRating>,
}

/// A rating to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RateRequest {
    /// The agent's employee number (a member of the team during the period).
    pub employee_no: String,
    /// 1–5.
    pub level: u8,
    /// Why (optional, at most 1000 characters).
    #[serde(default)]
    pub comment: String,
}

async fn team_ratings(state: &AppState, scope: TeamScope) -> Result<TeamRatings, WebError> {
    let ratings = state
        .store
        .behaviour_ratings(scope.period, Some(scope.team.id), None)
        .await?;
    Ok(TeamRatings {
        period: scope.period.to_string(),
        team: scope.team.into(),
        scale: AnchoredScale::standard()
            .anchors()
            .iter()
            .map(|a| ApiAnchor {
                level: a.level,
                score: a.score,
                text_en: a.text_en.clone(),
                text_zh: a.text_zh.clone(),
            })
            .collect(),
        ratings: ratings
            .into_iter()
            .map(|r| ApiRating {
                employee_no: r.employee_no,
                name: r.name,
                team_id: r.team_id,
                level: r.level,
                comment: r.comment,
                rated_by: r.rated_by,
                rated_at: r.rated_at.to_rfc3339(),
            })
            .collect(),
    })
}

/// A team's behaviour ratings (admin, manager, QA; a supervisor their own teams).
#[utoipa::path(get, path = "/api/v1/periods/{period}/teams/{team_id}/behaviour", operation_id = "list_behaviour_ratings", tag = "people",
    params(("period" = String, Path, description = "The month, YYYY-MM"), ("team_id" = i64, Path, description = "Team id")),
    responses(
        (status = 200, description = "The scale and the team's ratings", body = TeamRatings),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such team, or not in the caller's scope", body = ErrorBody),
    ))]
pub async fn ratings(
    State(state): State<AppState>,
    scope: TeamScope,
) -> Result<Json<TeamRatings>, WebError> {
    Ok(Json(team_ratings(&state, scope).await?))
}

/// Rates an agent of the team (admin, manager; a supervisor their own teams): audited, and
/// the period is recomputed. 409 `period_closed` in a closed period.
#[utoipa::path(post, path = "/api/v1/periods/{period}/teams/{team_id}/behaviour", operation_id = "rate_behaviour", tag = "people",
    params(("period" = String, Path, description = "The month, YYYY-MM"), ("team_id" = i64, Path, description = "Team id")),
    request_body = RateRequest,
    responses(
        (status = 200, description = "Recorded; the team's ratings", body = TeamRatings),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "QA may not rate", body = ErrorBody),
        (status = 404, description = "No such team or member, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "The period is closed", body = ErrorBody),
        (status = 422, description = "Level outside 1–5 or comment too long", body = ErrorBody),
    ))]
pub async fn rate(
    State(state): State<AppState>,
    RaterScope(scope): RaterScope,
    Json(req): Json<RateRequest>,
) -> Result<Json<TeamRatings>, WebError> {
    let by = scope.user.user.username.clone();
    people::rate(
        &state.store,
        scope.period,
        scope.team.id,
        req.employee_no.trim(),
        req.level,
        &req.comment,
        &by,
    )
    .await?;
    Ok(Json(team_ratings(&state, scope).await?))
}

/// A user account (never its password hash).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUser {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// admin, manager, supervisor, qa or agent.
    pub role: String,
    /// The linked employee's number.
    pub employee_no: Option<String>,
    /// Preferred language.
    pub locale: String,
    /// When deactivated (RFC 3339); null while active.
    pub deactivated_at: Option<String>,
}

/// Every user account (admin).
#[utoipa::path(get, path = "/api/v1/admin/users", operation_id = "list_users", tag = "people",
    responses(
        (status = 200, description = "Every user", body = Vec<ApiUser>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
    ))]
pub async fn users(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
) -> Result<Json<Vec<ApiUser>>, WebError> {
    let users = state.store.users().await?;
    Ok(Json(users.into_iter().map(ApiUser::from).collect()))
}

/// A dated membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiMembership {
    /// The employee's number.
    pub employee_no: String,
    /// The team.
    pub team_id: i64,
    /// First day.
    pub valid_from: String,
    /// Last day; null while current.
    pub valid_to: Option<String>,
}

/// A department.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDepartment {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
}

/// The organisation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOrg {
    /// Departments.
    pub departments: Vec<ApiDepartment>,
    /// Teams.
    pub teams: Vec<ApiTeam>,
    /// Every membership.
    pub memberships: Vec<ApiMembership>,
}

/// Departments, teams and dated memberships (admin).
#[utoipa::path(get, path = "/api/v1/admin/teams", operation_id = "get_org", tag = "people",
    responses(
        (status = 200, description = "The organisation", body = ApiOrg),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
    ))]
pub async fn org(
    State(state): State<AppState>,
    _auth: Authorized<Admins>,
) -> Result<Json<ApiOrg>, WebError> {
    let d = people::org(&state.store).await?;
    Ok(Json(ApiOrg {
        departments: d
            .departments
            .into_iter()
            .map(|x| ApiDepartment {
                id: x.id,
                code: x.code,
                name: x.name,
            })
            .collect(),
        teams: d.teams.into_iter().map(ApiTeam::from).collect(),
        memberships: d
            .memberships
            .into_iter()
            .map(|m| ApiMembership {
                employee_no: m.employee_no,
                team_id: m.team_id,
                valid_from: m.valid_from.to_string(),
                valid_to: m.valid_to.map(|d| d.to_string()),
            })
            .collect(),
    }))
}

/// One team's figures from sums.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiComparedTeam {
    /// The team.
    pub team: ApiTeam,
    /// Distinct agents.
    pub headcount: usize,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// Σ handle seconds ÷ Σ handled.
    pub aht: Option<Decimal>,
    /// Σ top-2 answers × 100 ÷ Σ answers.
    pub csat: Option<Decimal>,
    /// Σ QA scores ÷ Σ reviews.
    pub qa: Option<Decimal>,
}

/// Teams side by side (admin, manager; a supervisor their own teams): `?teams=1,2,3`.
#[utoipa::path(get, path = "/api/v1/periods/{period}/compare", operation_id = "compare_teams", tag = "people",
    params(("period" = String, Path, description = "The month, YYYY-MM"),
           ("teams" = String, Query, description = "Team ids, comma separated")),
    responses(
        (status = 200, description = "The teams' figures, in the order asked", body = Vec<ApiComparedTeam>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "QA and agents do not compare teams", body = ErrorBody),
        (status = 404, description = "A team unknown or outside the caller's scope", body = ErrorBody),
    ))]
pub async fn compare(
    State(state): State<AppState>,
    auth: Authorized<PeriodViewers>,
    PeriodPath(period): PeriodPath,
    RawQuery(query): RawQuery,
) -> Result<Json<Vec<ApiComparedTeam>>, WebError> {
    let ids = compete::team_ids(query.as_deref().unwrap_or_default())?;
    let visible = visible_teams(&state, &auth.user).await?;
    let d = compete::compare(&state.store, period, visible.as_ref(), &ids).await?;
    Ok(Json(
        d.teams
            .into_iter()
            .map(|(team, cards)| {
                let r = rollup(&cards);
                ApiComparedTeam {
                    team: team.into(),
                    headcount: r.headcount,
                    handled: r.handled,
                    points: r.points,
                    aht: r.aht,
                    csat: r.csat,
                    qa: r.qa,
                }
            })
            .collect(),
    ))
}

/// One entrant's place.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiStanding {
    /// 1 is best; equal values share a rank; null without data.
    pub rank: Option<u32>,
    /// Team id or employee id.
    pub entrant_id: i64,
    /// Team code or employee number.
    pub code: String,
    /// Team or agent name.
    pub label: String,
    /// The value ranked on.
    pub value: Option<Decimal>,
}

/// A competition with its standings.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCompetition {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// `points`, `total` or a library KPI code.
    pub metric: String,
    /// First month.
    pub first_period: String,
    /// Last month.
    pub last_period: String,
    /// `team` or `agent`.
    pub entrant_kind: String,
    /// Whether higher ranks first.
    pub higher_is_better: bool,
    /// The prize.
    pub prize: String,
    /// The caller's (or their team's) best rank.
    pub my_rank: Option<u32>,
    /// Standings, best first.
    pub standings: Vec<ApiStanding>,
}

impl From<SeenCompetition> for ApiCompetition {
    fn from(s: SeenCompetition) -> Self {
        let my_rank = s.my_rank();
        let c = s.competition;
        ApiCompetition {
            id: c.id,
            name: c.name,
            metric: c.metric,
            first_period: c.first_period.to_string(),
            last_period: c.last_period.to_string(),
            entrant_kind: c.entrant_kind.as_str().to_string(),
            higher_is_better: c.higher_is_better,
            prize: c.prize,
            my_rank,
            standings: s
                .standings
                .into_iter()
                .map(|r| ApiStanding {
                    rank: r.rank,
                    entrant_id: r.entrant_id,
                    code: r.code,
                    label: r.label,
                    value: r.value,
                })
                .collect(),
        }
    }
}

/// The competitions the caller may see: all for admin, manager and QA; those the caller (or
/// their team, or a supervisor's teams and agents) is in for everyone else.
#[utoipa::path(get, path = "/api/v1/competitions", operation_id = "list_competitions", tag = "people",
    responses(
        (status = 200, description = "Competitions with standings, newest first", body = Vec<ApiCompetition>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
    ))]
pub async fn competitions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<ApiCompetition>>, WebError> {
    let seen = compete::competitions(&state.store, &user).await?;
    Ok(Json(seen.into_iter().map(ApiCompetition::from).collect()))
}

/// One competition the caller may see.
#[utoipa::path(get, path = "/api/v1/competitions/{id}", operation_id = "get_competition", tag = "people",
    params(("id" = i64, Path, description = "Competition id")),
    responses(
        (status = 200, description = "The competition and its standings", body = ApiCompetition),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 404, description = "No such competition, or not visible to the caller", body = ErrorBody),
    ))]
pub async fn competition(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ApiCompetition>, WebError> {
    let id = crate::error::id_param(&id)?;
    let seen = compete::competition(&state.store, &user, id).await?;
    Ok(Json(seen.into()))
}
