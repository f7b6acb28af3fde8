//! `/api/v1/admin/…` writes (admin only): the users and teams administration the pages do,
//! through the same use cases ([`people::admin`]), so they validate and audit alike. Anything
//! a body names that does not exist (an employee number, a department, a team) is a 422 that
//! only an admin ever reaches; a user id in the path that does not exist is a 404.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use jixiao_store::{Store, UserSummary};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{ApiDepartment, ApiMembership, ApiUser};
use crate::api::dto::{ApiTeam, ErrorBody};
use crate::auth::{Admins, Authorized};
use crate::people::admin;
use crate::{AppState, WebError};

impl From<UserSummary> for ApiUser {
    fn from(u: UserSummary) -> Self {
        ApiUser {
            id: u.id,
            username: u.username,
            role: u.role.as_str().to_string(),
            employee_no: u.employee_no,
            locale: u.locale,
            deactivated_at: u.deactivated_at.map(|t| t.to_rfc3339()),
        }
    }
}

/// An account to create.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateUserRequest {
    /// Login name, 1–100 characters.
    pub username: String,
    /// At least 8 characters; stored as an Argon2 hash.
    pub password: String,
    /// admin, manager, supervisor, qa or agent.
    pub role: String,
    /// The linked employee's number (required for supervisors and agents).
    #[serde(default)]
    pub employee_no: Option<String>,
}

/// A new role and linked employee.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangeRoleRequest {
    /// admin, manager, supervisor, qa or agent.
    pub role: String,
    /// The linked employee's number (required for supervisors and agents; omit for none).
    #[serde(default)]
    pub employee_no: Option<String>,
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// At least 8 characters.
    pub password: String,
}

/// A department to create or rename (by code).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveDepartmentRequest {
    /// Stable code, 1–100 characters.
    pub code: String,
    /// Display name.
    pub name: String,
}

/// A team to create or update (by code).
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveTeamRequest {
    /// The department's id (see `GET /api/v1/admin/teams`).
    pub department_id: i64,
    /// Stable code, 1–100 characters.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The supervising employee's number; omit for none.
    #[serde(default)]
    pub supervisor_no: Option<String>,
}

/// An agent to move to a team from a date.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveRequest {
    /// The employee's number.
    pub employee_no: String,
    /// The new team's id.
    pub team_id: i64,
    /// First day in the new team, `YYYY-MM-DD`.
    pub from: String,
}

async fn user(store: &Store, id: i64) -> Result<Json<ApiUser>, WebError> {
    Ok(Json(store.user_summary(id).await?.into()))
}

/// Creates a user account (admin); audited as `user.create`.
#[utoipa::path(post, path = "/api/v1/admin/users", operation_id = "create_user", tag = "people",
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = ApiUser),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Bad username, short password, unknown role or employee, or a supervisor or agent without an employee", body = ErrorBody),
    ))]
pub async fn create_user(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Json(req): Json<CreateUserRequest>,
) -> Result<(StatusCode, Json<ApiUser>), WebError> {
    let input = admin::UserInput {
        username: req.username,
        password: req.password,
        role: req.role,
        employee_no: req.employee_no.unwrap_or_default(),
    };
    let locale = &state.settings.default_locale;
    let id = admin::create_user(&state.store, &input, locale, &auth.user.user.username).await?;
    Ok((StatusCode::CREATED, user(&state.store, id).await?))
}

/// Changes a user's role and linked employee (admin); audited as `user.role`.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/role", operation_id = "change_user_role", tag = "people",
    params(("id" = i64, Path, description = "User id")),
    request_body = ChangeRoleRequest,
    responses(
        (status = 200, description = "The user as changed", body = ApiUser),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "Unknown role or employee, or a supervisor or agent without an employee", body = ErrorBody),
    ))]
pub async fn change_role(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path(id): Path<String>,
    Json(req): Json<ChangeRoleRequest>,
) -> Result<Json<ApiUser>, WebError> {
    let id = crate::error::id_param(&id)?;
    let no = req.employee_no.unwrap_or_default();
    let by = &auth.user.user.username;
    admin::change_role(&state.store, id, &req.role, &no, by).await?;
    user(&state.store, id).await
}

/// Resets a user's password and ends their sessions (admin); audited as `user.password`.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/password", operation_id = "reset_user_password", tag = "people",
    params(("id" = i64, Path, description = "User id")),
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Reset"),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "The password is too short", body = ErrorBody),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path(id): Path<String>,
    Json(req): Json<ResetPasswordRequest>,
) -> Result<StatusCode, WebError> {
    let by = &auth.user.user.username;
    admin::reset_password(
        &state.store,
        crate::error::id_param(&id)?,
        &req.password,
        by,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deactivates a user (admin): sessions end, sign-in and API tokens are refused; audited as
/// `user.deactivate`. Deactivating an inactive user changes nothing.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/deactivate", operation_id = "deactivate_user", tag = "people",
    params(("id" = i64, Path, description = "User id")),
    responses(
        (status = 200, description = "The user, deactivated", body = ApiUser),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "An admin cannot deactivate themselves", body = ErrorBody),
    ))]
pub async fn deactivate(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Path(id): Path<String>,
) -> Result<Json<ApiUser>, WebError> {
    let id = crate::error::id_param(&id)?;
    let me = &auth.user.user;
    admin::deactivate(&state.store, id, me.id, &me.username).await?;
    user(&state.store, id).await
}

/// Creates or renames a department by code (admin); audited as `org.department`.
#[utoipa::path(post, path = "/api/v1/admin/departments", operation_id = "save_department", tag = "people",
    request_body = SaveDepartmentRequest,
    responses(
        (status = 200, description = "The department", body = ApiDepartment),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 422, description = "Empty or overlong code", body = ErrorBody),
    ))]
pub async fn save_department(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Json(req): Json<SaveDepartmentRequest>,
) -> Result<Json<ApiDepartment>, WebError> {
    let by = &auth.user.user.username;
    let id = admin::save_department(&state.store, &req.code, &req.name, by).await?;
    let d = state.store.departments().await?;
    let d = d
        .into_iter()
        .find(|d| d.id == id)
        .ok_or(WebError::NotFound)?;
    Ok(Json(ApiDepartment {
        id: d.id,
        code: d.code,
        name: d.name,
    }))
}

/// Creates or updates a team by code, with its department and supervisor (admin); audited as
/// `org.team`.
#[utoipa::path(post, path = "/api/v1/admin/teams", operation_id = "save_team", tag = "people",
    request_body = SaveTeamRequest,
    responses(
        (status = 200, description = "The team", body = ApiTeam),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 422, description = "No such department or supervisor, or an empty code", body = ErrorBody),
    ))]
pub async fn save_team(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Json(req): Json<SaveTeamRequest>,
) -> Result<Json<ApiTeam>, WebError> {
    let sup = req.supervisor_no.unwrap_or_default();
    let by = &auth.user.user.username;
    let (dept, code, name) = (req.department_id, &req.code, &req.name);
    let id = admin::save_team(&state.store, dept, code, name, &sup, by).await?;
    Ok(Json(state.store.team(id).await?.into()))
}

/// Moves an agent to a team from a date (admin): the membership covering the date ends the
/// day before, the new one takes over its end, and the open months from then on are
/// recomputed; audited as `membership.move`. Returns the employee's memberships.
#[utoipa::path(post, path = "/api/v1/admin/memberships/move", operation_id = "move_agent", tag = "people",
    request_body = MoveRequest,
    responses(
        (status = 200, description = "The employee's memberships after the move", body = Vec<ApiMembership>),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Admins only", body = ErrorBody),
        (status = 409, description = "Already in that team then, a later membership exists, or the date is in a closed period", body = ErrorBody),
        (status = 422, description = "No such employee or team, a bad date, or no team on that date", body = ErrorBody),
    ))]
pub async fn move_agent(
    State(state): State<AppState>,
    auth: Authorized<Admins>,
    Json(req): Json<MoveRequest>,
) -> Result<Json<Vec<ApiMembership>>, WebError> {
    let from: NaiveDate = req
        .from
        .trim()
        .parse()
        .map_err(|_| WebError::Invalid("from: expected YYYY-MM-DD".into()))?;
    let no = req.employee_no.trim();
    let by = &auth.user.user.username;
    admin::move_agent(&state.store, no, req.team_id, from, by).await?;
    let mine = state.store.memberships().await?;
    Ok(Json(
        mine.into_iter()
            .filter(|m| m.employee_no == no)
            .map(|m| ApiMembership {
                employee_no: m.employee_no,
                team_id: m.team_id,
                valid_from: m.valid_from.to_string(),
                valid_to: m.valid_to.map(|d| d.to_string()),
            })
            .collect(),
    ))
}
