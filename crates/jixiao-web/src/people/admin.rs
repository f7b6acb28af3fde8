//! The users and teams administration's write use cases (admin only), shared by the
//! `/admin/users` and `/admin/teams` forms and their `/api/v1/admin/…` twins, so both validate
//! alike. Every change is audited by the store in the same transaction.

use chrono::{NaiveDate, Utc};
use jixiao_core::org::Role;
use jixiao_store::{NewUser, OrgChange, Store, StoreError, UserChange, service};

use crate::{WebError, hash_password};

/// Shortest password an admin may set.
pub const MIN_PASSWORD: usize = 8;

fn bad(what: &str) -> WebError {
    WebError::Invalid(what.to_string())
}

/// An account to create, as typed.
#[derive(Debug, Clone, Default)]
pub struct UserInput {
    /// Login name, 1–100 characters.
    pub username: String,
    /// At least [`MIN_PASSWORD`] characters.
    pub password: String,
    /// admin, manager, supervisor, qa or agent.
    pub role: String,
    /// The linked employee's number ("" for none; required for supervisors and agents).
    pub employee_no: String,
}

/// The Argon2 hash of an acceptable password.
fn password(pw: &str) -> Result<String, WebError> {
    if pw.chars().count() < MIN_PASSWORD || pw.len() > 1024 {
        return Err(bad("a password needs at least 8 characters"));
    }
    Ok(hash_password(pw))
}

/// The employee an employee number names; "" is none, an unknown number is invalid input.
async fn employee_id(store: &Store, no: &str) -> Result<Option<i64>, WebError> {
    let no = no.trim();
    if no.is_empty() {
        return Ok(None);
    }
    match store.employee_by_no(no).await {
        Ok(e) => Ok(Some(e.id)),
        Err(StoreError::NotFound(_)) => Err(bad("no employee with that number")),
        Err(e) => Err(e.into()),
    }
}

/// Supervisors and agents are scoped by their employee: the link is required.
async fn role_and_employee(
    store: &Store,
    role: &str,
    employee_no: &str,
) -> Result<(Role, Option<i64>), WebError> {
    let role = Role::parse(role.trim()).map_err(|e| bad(&e.to_string()))?;
    let employee = employee_id(store, employee_no).await?;
    if matches!(role, Role::Supervisor | Role::Agent) && employee.is_none() {
        return Err(bad("supervisors and agents need a linked employee"));
    }
    Ok((role, employee))
}

/// Creates an account (Argon2 password) in `locale`; returns its id. Conflict if the username
/// is taken.
pub async fn create_user(
    store: &Store,
    input: &UserInput,
    locale: &str,
    by: &str,
) -> Result<i64, WebError> {
    let username = input.username.trim();
    if username.is_empty() || username.chars().count() > 100 {
        return Err(bad("a username needs 1 to 100 characters"));
    }
    let (role, employee_id) = role_and_employee(store, &input.role, &input.employee_no).await?;
    let new = NewUser {
        username: username.to_string(),
        password_hash: password(&input.password)?,
        role,
        employee_id,
        locale: locale.to_string(),
    };
    Ok(store.create_user_audited(&new, by, Utc::now()).await?)
}

/// Gives a user a new role and linked employee. NotFound if there is no such user.
pub async fn change_role(
    store: &Store,
    id: i64,
    role: &str,
    employee_no: &str,
    by: &str,
) -> Result<(), WebError> {
    let (role, employee_id) = role_and_employee(store, role, employee_no).await?;
    let change = UserChange::Role { role, employee_id };
    Ok(store.change_user(id, &change, by, Utc::now()).await?)
}

/// Resets a user's password and ends their sessions.
pub async fn reset_password(store: &Store, id: i64, pw: &str, by: &str) -> Result<(), WebError> {
    let change = UserChange::Password(password(pw)?);
    Ok(store.change_user(id, &change, by, Utc::now()).await?)
}

/// Locks a user out (sessions end; sign-in and tokens refused). An admin cannot lock out
/// themselves: that could leave the center without an admin.
pub async fn deactivate(store: &Store, id: i64, by_id: i64, by: &str) -> Result<(), WebError> {
    if id == by_id {
        return Err(WebError::Conflict("you cannot deactivate yourself".into()));
    }
    Ok(store
        .change_user(id, &UserChange::Deactivate, by, Utc::now())
        .await?)
}

/// Creates or renames a department by code; returns its id.
pub async fn save_department(
    store: &Store,
    code: &str,
    name: &str,
    by: &str,
) -> Result<i64, WebError> {
    let change = OrgChange::Department {
        code: code.trim().to_string(),
        name: name.trim().to_string(),
    };
    Ok(service::change_org(store, &change, by, Utc::now()).await?)
}

/// Creates or updates a team by code, with its supervisor (an employee number, "" for none);
/// returns its id. A department that does not exist is invalid input.
pub async fn save_team(
    store: &Store,
    department_id: i64,
    code: &str,
    name: &str,
    supervisor_no: &str,
    by: &str,
) -> Result<i64, WebError> {
    let change = OrgChange::Team {
        department_id,
        code: code.trim().to_string(),
        name: name.trim().to_string(),
        supervisor_id: employee_id(store, supervisor_no).await?,
    };
    Ok(service::change_org(store, &change, by, Utc::now()).await?)
}

/// Moves an agent to a team from a date (the open periods from then on are recomputed);
/// returns the new membership's id. A team that does not exist, or a date on which the
/// employee has no team, is invalid input.
pub async fn move_agent(
    store: &Store,
    employee_no: &str,
    team_id: i64,
    from: NaiveDate,
    by: &str,
) -> Result<i64, WebError> {
    let employee_id = employee_id(store, employee_no)
        .await?
        .ok_or_else(|| bad("employee number required"))?;
    let change = OrgChange::Move {
        employee_id,
        team_id,
        from,
    };
    match service::change_org(store, &change, by, Utc::now()).await {
        Ok(id) => Ok(id),
        // The employee exists (just looked up): only the date is wrong, which the admin
        // should read on the form rather than as a missing page.
        Err(StoreError::NotFound(_)) => Err(bad("the employee has no team on that date")),
        Err(e) => Err(e.into()),
    }
}

/// Whether an error is the admin's to fix on the form (shown above it again) rather than a
/// missing page or a failure.
pub fn is_form_error(e: &WebError) -> bool {
    matches!(
        e,
        WebError::Invalid(_)
            | WebError::Conflict(_)
            | WebError::PeriodClosed(_)
            | WebError::InvalidTransition(_)
    )
}

/// The catalog key titling a form error (the same titles as the error page).
pub fn form_error_key(e: &WebError) -> &'static str {
    match e {
        WebError::Conflict(_) => "err_conflict",
        WebError::PeriodClosed(_) => "err_period_closed",
        WebError::InvalidTransition(_) => "lc_err_transition",
        _ => "err_invalid",
    }
}
