//! Organisation administration (admin only): departments, teams and their supervisors, and
//! dated memberships — which team an agent's records count for, so every change is audited
//! in the same transaction and none may reach into a closed period.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;

use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::lifecycle::invalid;
use crate::{NewAudit, Store, StoreError};

/// One membership with the names a page shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MembershipRow {
    /// Id.
    pub id: i64,
    /// The employee.
    pub employee_id: i64,
    /// Their number.
    pub employee_no: String,
    /// Their name.
    pub name: String,
    /// The team.
    pub team_id: i64,
    /// The team's code.
    pub team_code: String,
    /// First day.
    pub valid_from: NaiveDate,
    /// Last day; `None` while current.
    pub valid_to: Option<NaiveDate>,
}

type Row = (
    i64,
    i64,
    String,
    String,
    i64,
    String,
    NaiveDate,
    Option<NaiveDate>,
);

/// An organisation change to apply.
#[derive(Debug, Clone)]
pub enum OrgChange {
    /// Creates or renames a department by code.
    Department {
        /// Code.
        code: String,
        /// Name.
        name: String,
    },
    /// Creates or updates a team by code.
    Team {
        /// Department.
        department_id: i64,
        /// Code.
        code: String,
        /// Name.
        name: String,
        /// The supervising employee.
        supervisor_id: Option<i64>,
    },
    /// Moves an employee to a team from a date: the membership covering the date ends the day
    /// before, the new one runs until that membership's end (or open-ended).
    Move {
        /// The employee.
        employee_id: i64,
        /// The new team.
        team_id: i64,
        /// First day in the new team.
        from: NaiveDate,
    },
}

impl OrgChange {
    fn kind(&self) -> &'static str {
        match self {
            OrgChange::Department { .. } => "org.department",
            OrgChange::Team { .. } => "org.team",
            OrgChange::Move { .. } => "membership.move",
        }
    }
}

/// Refuses a move dated in or before a closed period: records already snapshotted keep
/// their team.
const CLOSED_FROM: &str = "SELECT period FROM periods WHERE status = 'closed' \
                           AND period >= $1 ORDER BY period LIMIT 1";

impl Store {
    /// Every membership, by team code, employee number and start.
    pub async fn memberships(&self) -> Result<Vec<MembershipRow>, StoreError> {
        let sql = "SELECT m.id, m.employee_id, e.employee_no, e.name, m.team_id, t.code, \
                   m.valid_from, m.valid_to FROM memberships m \
                   JOIN employees e ON e.id = m.employee_id JOIN teams t ON t.id = m.team_id \
                   ORDER BY t.code, e.employee_no, m.valid_from";
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|r| MembershipRow {
                id: r.0,
                employee_id: r.1,
                employee_no: r.2,
                name: r.3,
                team_id: r.4,
                team_code: r.5,
                valid_from: r.6,
                valid_to: r.7,
            })
            .collect())
    }

    /// Applies an organisation change and audits it; returns the department's or team's id
    /// (the new membership's for a move). A move is refused with PeriodClosed when `from` is
    /// in or before a closed period, NotFound without a membership covering `from`, Conflict
    /// when the employee is already in that team then or has a later membership; Invalid
    /// (a core error) when the team's department or supervisor, or the move's team, does not
    /// exist.
    pub async fn change_org(
        &self,
        change: &OrgChange,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let (subject, detail) = match change {
            OrgChange::Department { code, name } => {
                (code.clone(), serde_json::json!({ "name": name }))
            }
            OrgChange::Team {
                department_id,
                code,
                name,
                supervisor_id,
            } => (
                code.clone(),
                serde_json::json!({
                    "department_id": department_id,
                    "name": name,
                    "supervisor_id": supervisor_id,
                }),
            ),
            OrgChange::Move {
                employee_id,
                team_id,
                from,
            } => (
                employee_id.to_string(),
                serde_json::json!({ "team_id": team_id, "from": from.to_string() }),
            ),
        };
        for text in [&subject] {
            if text.trim().is_empty() || text.chars().count() > 100 {
                return Err(invalid("code", text, "1 to 100 characters"));
            }
        }
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id, detail) = match change {
                OrgChange::Department { code, name } => {
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO departments (code, name) VALUES ($1, $2) \
                         ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id",
                    )
                    .bind(code.trim())
                    .bind(name.trim())
                    .fetch_one(&mut *tx)
                    .await?;
                    (id, detail)
                }
                OrgChange::Team { department_id, code, name, supervisor_id } => {
                    // A missing department is the admin's mistake (422), not a foreign-key
                    // failure (500).
                    let dept: Option<(i64,)> =
                        sqlx::query_as("SELECT id FROM departments WHERE id = $1")
                            .bind(department_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if dept.is_none() {
                        return Err(invalid(
                            "department",
                            &department_id.to_string(),
                            "no such department",
                        ));
                    }
                    if let Some(sup) = supervisor_id {
                        let found: Option<(i64,)> =
                            sqlx::query_as("SELECT id FROM employees WHERE id = $1")
                                .bind(sup)
                                .fetch_optional(&mut *tx)
                                .await?;
                        if found.is_none() {
                            return Err(invalid("supervisor", &sup.to_string(), "no such employee"));
                        }
                    }
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO teams (department_id, code, name, supervisor_id) \
                         VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO UPDATE SET \
                         department_id = excluded.department_id, name = excluded.name, \
                         supervisor_id = excluded.supervisor_id RETURNING id",
                    )
                    .bind(department_id)
                    .bind(code.trim())
                    .bind(name.trim())
                    .bind(supervisor_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    (id, detail)
                }
                OrgChange::Move { employee_id, team_id, from } => {
                    let team: Option<(i64,)> = sqlx::query_as("SELECT id FROM teams WHERE id = $1")
                        .bind(team_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if team.is_none() {
                        return Err(invalid("team", &team_id.to_string(), "no such team"));
                    }
                    let closed: Option<(String,)> = sqlx::query_as(CLOSED_FROM)
                        .bind(Period::containing(*from).to_string())
                        .fetch_optional(&mut *tx)
                        .await?;
                    if let Some((closed,)) = closed {
                        return Err(StoreError::PeriodClosed(closed.parse()?));
                    }
                    let current: Option<(i64, i64, NaiveDate, Option<NaiveDate>)> =
                        sqlx::query_as(
                            "SELECT id, team_id, valid_from, valid_to FROM memberships \
                             WHERE employee_id = $1 AND valid_from <= $2 \
                             AND (valid_to IS NULL OR valid_to >= $2)",
                        )
                        .bind(employee_id)
                        .bind(*from)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let Some((old_id, old_team, old_from, old_to)) = current else {
                        return Err(StoreError::NotFound(format!(
                            "a membership of employee {employee_id} on {from}"
                        )));
                    };
                    let (later,): (i64,) = sqlx::query_as(
                        "SELECT COUNT(*) FROM memberships WHERE employee_id = $1 \
                         AND valid_from > $2",
                    )
                    .bind(employee_id)
                    .bind(*from)
                    .fetch_one(&mut *tx)
                    .await?;
                    if old_team == *team_id || later > 0 {
                        return Err(StoreError::Conflict(format!(
                            "employee {employee_id} is already in team {old_team} from \
                             {old_from}, or has a later membership"
                        )));
                    }
                    if old_from == *from {
                        sqlx::query("DELETE FROM memberships WHERE id = $1")
                            .bind(old_id)
                            .execute(&mut *tx)
                            .await?;
                    } else {
                        sqlx::query("UPDATE memberships SET valid_to = $2 WHERE id = $1")
                            .bind(old_id)
                            .bind(*from - chrono::Duration::days(1))
                            .execute(&mut *tx)
                            .await?;
                    }
                    let (id,): (i64,) = sqlx::query_as(
                        "INSERT INTO memberships (employee_id, team_id, valid_from, valid_to) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(employee_id)
                    .bind(team_id)
                    .bind(*from)
                    .bind(old_to)
                    .fetch_one(&mut *tx)
                    .await?;
                    let mut detail = detail;
                    detail["from_team_id"] = old_team.into();
                    (id, detail)
                }
            };
            tx.append_audit(&NewAudit {
                actor: by.to_string(),
                kind: change.kind().into(),
                subject,
                detail,
                at,
            })
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }
}
