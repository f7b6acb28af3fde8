//! Targets for the pages and the API: the set-a-target form read into a plan (explicit values
//! written with the codes people know: `CALL=6000`, `CALL-01=3000`, `CALL-01/A001=120`), who
//! may see which units, and setting a department's head.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use jixiao_core::org::Role;
use jixiao_core::targets::{SplitMethod, TargetPlan, UnitKey};
use jixiao_store::service::{self, TargetScope};
use jixiao_store::{Store, StoreError};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::{CurrentUser, HasCsrf};

/// The set-a-target form of `/config/targets`.
#[derive(Debug, Default, Deserialize)]
pub struct TargetForm {
    #[serde(default)]
    csrf: String,
    /// `YYYY-MM`.
    #[serde(default)]
    pub period: String,
    /// The additive measure.
    #[serde(default)]
    pub measure: String,
    /// The center's target.
    #[serde(default)]
    pub whole: String,
    /// Decimal places of the shares, 0–2.
    #[serde(default)]
    pub dp: String,
    /// Center → departments: `explicit`, `headcount` or `history`.
    #[serde(default)]
    pub departments: String,
    /// Department → teams.
    #[serde(default)]
    pub teams: String,
    /// Team → agents.
    #[serde(default)]
    pub agents: String,
    /// Explicit values, one `CODE=value` a line.
    #[serde(default)]
    pub explicit: String,
}

impl HasCsrf for TargetForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// The remove-a-target and department-head forms.
#[derive(Debug, Default, Deserialize)]
pub struct SmallForm {
    #[serde(default)]
    csrf: String,
    /// `YYYY-MM`.
    #[serde(default)]
    pub period: String,
    /// The measure to remove.
    #[serde(default)]
    pub measure: String,
    /// The department (id) whose head is set.
    #[serde(default)]
    pub department_id: String,
    /// The head's employee number; empty clears it.
    #[serde(default)]
    pub employee_no: String,
}

impl HasCsrf for SmallForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Parses a split method's stored spelling.
pub fn split(s: &str) -> Result<SplitMethod, WebError> {
    match s.trim() {
        "explicit" => Ok(SplitMethod::Explicit),
        "headcount" | "" => Ok(SplitMethod::Headcount),
        "history" => Ok(SplitMethod::History),
        other => Err(WebError::Invalid(format!("unknown split method {other:?}"))),
    }
}

/// Reads the form into a plan, resolving the codes of the explicit values to unit keys.
pub async fn plan(store: &Store, form: &TargetForm) -> Result<TargetPlan, WebError> {
    let invalid = |what: &str| WebError::Invalid(what.to_string());
    let whole: Decimal = form.whole.trim().parse().map_err(|_| invalid("target"))?;
    let dp: u32 = match form.dp.trim() {
        "" => 0,
        s => s.parse().map_err(|_| invalid("decimal places"))?,
    };
    let mut explicit = BTreeMap::new();
    let lines: Vec<&str> = form
        .explicit
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if !lines.is_empty() {
        let departments = store.departments().await?;
        let teams = store.teams().await?;
        let employees = store.employees().await?;
        for line in lines {
            let bad =
                || WebError::Invalid(format!("explicit target {line:?}: expected CODE=value"));
            let (code, value) = line.split_once('=').ok_or_else(bad)?;
            let value: Decimal = value.trim().parse().map_err(|_| bad())?;
            let code = code.trim();
            let unknown = || WebError::Invalid(format!("explicit target {line:?}: unknown unit"));
            let key = if let Some((team, no)) = code.split_once('/') {
                let t = teams.iter().find(|t| t.code == team).ok_or_else(unknown)?;
                let e = employees
                    .iter()
                    .find(|e| e.employee_no.as_str() == no)
                    .ok_or_else(unknown)?;
                UnitKey::Agent {
                    team: t.id,
                    employee: e.id,
                }
            } else if let Some(d) = departments.iter().find(|d| d.code == code) {
                UnitKey::Department(d.id)
            } else {
                let t = teams.iter().find(|t| t.code == code).ok_or_else(unknown)?;
                UnitKey::Team(t.id)
            };
            explicit.insert(key.to_string(), value);
        }
    }
    Ok(TargetPlan {
        measure: form.measure.trim().to_string(),
        whole,
        dp,
        departments: split(&form.departments)?,
        teams: split(&form.teams)?,
        agents: split(&form.agents)?,
        explicit,
    })
}

/// Which units a user may see in a target overview: managers and admins all, a supervisor the
/// teams they lead (and those teams' agents); anyone else nothing (`None`).
pub async fn scope(store: &Store, user: &CurrentUser) -> Result<Option<TargetScope>, WebError> {
    Ok(match user.user.role {
        Role::Admin | Role::Manager => Some(TargetScope::All),
        Role::Supervisor => {
            let teams = match user.user.employee_id {
                Some(id) => store.teams_led_by(id).await?,
                None => Vec::new(),
            };
            Some(TargetScope::Teams(teams))
        }
        _ => None,
    })
}

/// Sets the head of a department to the employee numbered `employee_no` (blank clears it),
/// audited, recomputing the periods whose leaders' cards change with it. An unknown employee
/// number is invalid input; an unknown department is NotFound.
pub async fn set_head(
    store: &Store,
    department_id: i64,
    employee_no: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), WebError> {
    let head = match employee_no.trim() {
        "" => None,
        no => match store.employee_by_no(no).await {
            Ok(e) => Some(e.id),
            Err(StoreError::NotFound(_)) => {
                return Err(WebError::Invalid(format!("unknown employee {no}")));
            }
            Err(e) => return Err(e.into()),
        },
    };
    service::set_department_head(store, department_id, head, by, at).await?;
    tracing::info!(department_id, head, by, "department head set");
    Ok(())
}
