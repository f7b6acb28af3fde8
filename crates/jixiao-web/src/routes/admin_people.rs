//! `/admin/users` and `/admin/teams` (admin only): accounts (Argon2 passwords, roles, linked
//! employees, deactivation) and the organisation (departments, teams, supervisors, dated
//! memberships). Every change is audited by the store. A form the admin must fix re-renders
//! its page with the message above the forms (status 422 or 409); the use cases live in
//! [`people::admin`], shared with the JSON API.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;

use super::render;
use super::session::CsrfOnly;
use crate::auth::{Admins, Authorized, CsrfForm, CurrentUser, HasCsrf};
use crate::i18n::Lang;
use crate::people::{self, admin};
use crate::view::admin::{TeamsPage, UsersPage};
use crate::view::{Chrome, Section};
use crate::{AppState, WebError};

/// The users page, with a form error above the forms if one is given.
async fn users_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    failed: Option<WebError>,
    q: &UsersQuery,
) -> Result<Response, WebError> {
    let data = people::users(&state.store).await?;
    let c = Chrome::new(lang, user, None, Section::Admin);
    let search = q.q.as_deref().unwrap_or("").trim();
    let mut page = UsersPage::build(c, data, search, q.page.unwrap_or(1).max(1));
    let Some(e) = failed else {
        return Ok(render(&page)?.into_response());
    };
    page.error = Some(admin::form_error_key(&e));
    page.message = Some(e.to_string());
    Ok((e.status(), render(&page)?).into_response())
}

/// Back to the users page after a change, or the page again with what to fix.
async fn after_user_change<T>(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    result: Result<T, WebError>,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users").into_response()),
        Err(e) if admin::is_form_error(&e) => {
            users_page(state, lang, user, Some(e), &UsersQuery::default()).await
        }
        Err(e) => Err(e),
    }
}

/// `?q=&page=` of the users page: a search in user names and employee numbers, and the page.
#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    q: Option<String>,
    page: Option<u32>,
}

/// `GET /admin/users?q=&page=`: 50 accounts a page, found by user name or employee number.
pub async fn users(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Admins>,
    Query(q): Query<UsersQuery>,
) -> Result<Response, WebError> {
    users_page(&state, lang, &auth.user, None, &q).await
}

/// The fields of the user forms (each form sends the ones it has).
#[derive(Debug, Deserialize)]
pub struct UserForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    employee_no: String,
}

impl HasCsrf for UserForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// `POST /admin/users`: creates an account.
pub async fn create_user(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    CsrfForm { user, form }: CsrfForm<UserForm>,
) -> Result<Response, WebError> {
    let input = admin::UserInput {
        username: form.username,
        password: form.password,
        role: form.role,
        employee_no: form.employee_no,
    };
    let locale = &state.settings.default_locale;
    let r = admin::create_user(&state.store, &input, locale, &user.user.username).await;
    after_user_change(&state, lang, &user, r).await
}

/// `POST /admin/users/{id}/role`: a new role and linked employee.
pub async fn change_role(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<UserForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let r = admin::change_role(
        &state.store,
        crate::error::id_param(&id)?,
        &form.role,
        &form.employee_no,
        by,
    );
    let r = r.await;
    after_user_change(&state, lang, &user, r).await
}

/// `POST /admin/users/{id}/password`: resets the password (Argon2) and ends their sessions.
pub async fn reset_password(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    Path(id): Path<String>,
    CsrfForm { user, form }: CsrfForm<UserForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let r = admin::reset_password(
        &state.store,
        crate::error::id_param(&id)?,
        &form.password,
        by,
    )
    .await;
    after_user_change(&state, lang, &user, r).await
}

/// `POST /admin/users/{id}/deactivate`: locks the account out; an admin cannot lock out
/// themselves.
pub async fn deactivate(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    Path(id): Path<String>,
    CsrfForm { user, .. }: CsrfForm<CsrfOnly>,
) -> Result<Response, WebError> {
    let (me, by) = (user.user.id, &user.user.username);
    let r = admin::deactivate(&state.store, crate::error::id_param(&id)?, me, by).await;
    after_user_change(&state, lang, &user, r).await
}

/// The teams page, with a form error above the forms if one is given.
async fn teams_page(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    failed: Option<WebError>,
) -> Result<Response, WebError> {
    let data = people::org(&state.store).await?;
    let c = Chrome::new(lang, user, None, Section::Admin);
    let mut page = TeamsPage::build(c, data);
    let Some(e) = failed else {
        return Ok(render(&page)?.into_response());
    };
    page.error = Some(admin::form_error_key(&e));
    page.message = Some(e.to_string());
    Ok((e.status(), render(&page)?).into_response())
}

/// Back to the teams page after a change, or the page again with what to fix.
async fn after_org_change(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    result: Result<i64, WebError>,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(Redirect::to("/admin/teams").into_response()),
        Err(e) if admin::is_form_error(&e) => teams_page(state, lang, user, Some(e)).await,
        Err(e) => Err(e),
    }
}

/// `GET /admin/teams`.
pub async fn teams(
    State(state): State<AppState>,
    lang: Lang,
    auth: Authorized<Admins>,
) -> Result<Response, WebError> {
    teams_page(&state, lang, &auth.user, None).await
}

/// The fields of the organisation forms (each form sends the ones it has).
#[derive(Debug, Deserialize)]
pub struct OrgForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    department_id: String,
    #[serde(default)]
    supervisor_no: String,
    #[serde(default)]
    employee_no: String,
    #[serde(default)]
    team_id: String,
    #[serde(default)]
    from: String,
}

impl HasCsrf for OrgForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

fn id_field(s: &str, what: &str) -> Result<i64, WebError> {
    s.trim()
        .parse()
        .map_err(|_| WebError::Invalid(format!("{what}: expected an id")))
}

/// `POST /admin/teams/departments`: creates or renames a department.
pub async fn save_department(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    CsrfForm { user, form }: CsrfForm<OrgForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let r = admin::save_department(&state.store, &form.code, &form.name, by).await;
    after_org_change(&state, lang, &user, r).await
}

/// `POST /admin/teams`: creates or updates a team and its supervisor.
pub async fn save_team(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    CsrfForm { user, form }: CsrfForm<OrgForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let r = match id_field(&form.department_id, "department") {
        Ok(dept) => {
            let (code, name, sup) = (&form.code, &form.name, &form.supervisor_no);
            admin::save_team(&state.store, dept, code, name, sup, by).await
        }
        Err(e) => Err(e),
    };
    after_org_change(&state, lang, &user, r).await
}

/// `POST /admin/teams/move`: moves an agent to a team from a date (the open periods it
/// touches are recomputed).
pub async fn move_agent(
    State(state): State<AppState>,
    lang: Lang,
    _auth: Authorized<Admins>,
    CsrfForm { user, form }: CsrfForm<OrgForm>,
) -> Result<Response, WebError> {
    let by = &user.user.username;
    let parsed = id_field(&form.team_id, "team").and_then(|team| {
        let from: NaiveDate = form
            .from
            .trim()
            .parse()
            .map_err(|_| WebError::Invalid("from: expected YYYY-MM-DD".into()))?;
        Ok((team, from))
    });
    let r = match parsed {
        Ok((team, from)) => {
            admin::move_agent(&state.store, &form.employee_no, team, from, by).await
        }
        Err(e) => Err(e),
    };
    after_org_change(&state, lang, &user, r).await
}
