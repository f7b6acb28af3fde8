//! The organisation: departments, teams, employees and their dated memberships.

use std::collections::HashMap;

use chrono::NaiveDate;
use jixiao_core::Period;
use jixiao_core::org::{Department, Employee, EmployeeNo, Membership, Team};

use crate::dialect::BeginWrite;
use crate::{DbResultExt, NewEmployee, Store, StoreError, corrupt, found};

type EmployeeRow = (i64, String, String, String, NaiveDate);
type TeamRow = (i64, i64, String, String, Option<i64>);

fn employee(r: EmployeeRow) -> Result<Employee, StoreError> {
    Ok(Employee {
        id: r.0,
        employee_no: EmployeeNo::parse(&r.1)?,
        name: r.2,
        position: r.3,
        hire_date: r.4,
    })
}

fn team(r: TeamRow) -> Team {
    Team {
        id: r.0,
        department_id: r.1,
        code: r.2,
        name: r.3,
        supervisor_id: r.4,
    }
}

/// Stands in for "no end date" in overlap checks; ISO text and DATE both order it last.
fn far_future() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

const EMPLOYEE_COLS: &str = "id, employee_no, name, position, hire_date";
const TEAM_COLS: &str = "id, department_id, code, name, supervisor_id";

impl Store {
    /// Creates or renames a department by code; returns its id.
    pub async fn upsert_department(&self, code: &str, name: &str) -> Result<i64, StoreError> {
        let sql = "INSERT INTO departments (code, name) VALUES ($1, $2) \
                   ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id";
        let (id,): (i64,) =
            on_pool!(self, p => sqlx::query_as(sql).bind(code).bind(name).fetch_one(p).await)?;
        Ok(id)
    }

    /// Creates or updates a team by code; returns its id.
    pub async fn upsert_team(
        &self,
        department_id: i64,
        code: &str,
        name: &str,
        supervisor_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        let sql = "INSERT INTO teams (department_id, code, name, supervisor_id) \
                   VALUES ($1, $2, $3, $4) ON CONFLICT (code) DO UPDATE SET \
                   department_id = excluded.department_id, name = excluded.name, \
                   supervisor_id = excluded.supervisor_id RETURNING id";
        let (id,): (i64,) = on_pool!(self, p => sqlx::query_as(sql)
            .bind(department_id)
            .bind(code)
            .bind(name)
            .bind(supervisor_id)
            .fetch_one(p)
            .await)?;
        Ok(id)
    }

    /// Inserts employees (unique employee_no; Conflict on duplicates); returns ids in order.
    pub async fn insert_employees(
        &self,
        employees: &[NewEmployee],
    ) -> Result<Vec<i64>, StoreError> {
        let sql = "INSERT INTO employees (employee_no, name, position, hire_date) \
                   VALUES ($1, $2, $3, $4) RETURNING id";
        on_pool!(self, p => {
            // One transaction: all or none, and one fsync instead of one per employee.
            let mut tx = p.begin_write().await?;
            let mut ids = Vec::with_capacity(employees.len());
            for e in employees {
                let (id,): (i64,) = sqlx::query_as(sql)
                    .bind(e.employee_no.as_str())
                    .bind(&e.name)
                    .bind(&e.position)
                    .bind(e.hire_date)
                    .fetch_one(&mut *tx)
                    .await
                    .conflict(|| format!("employee number {}", e.employee_no))?;
                ids.push(id);
            }
            tx.commit().await?;
            Ok(ids)
        })
    }

    /// Adds a team membership; Conflict if it overlaps another membership of the employee
    /// (a record must belong to exactly one team on its date).
    pub async fn add_membership(&self, m: &Membership) -> Result<(), StoreError> {
        if m.valid_to.is_some_and(|to| to < m.valid_from) {
            return Err(corrupt(
                "membership",
                &format!("{}..{:?}", m.valid_from, m.valid_to),
                "valid_to is before valid_from",
            ));
        }
        let overlap = "SELECT COUNT(*) FROM memberships WHERE employee_id = $1 \
                       AND valid_from <= $2 AND COALESCE(valid_to, $3) >= $4";
        let insert = "INSERT INTO memberships (employee_id, team_id, valid_from, valid_to) \
                      VALUES ($1, $2, $3, $4)";
        let end = m.valid_to.unwrap_or_else(far_future);
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (n,): (i64,) = sqlx::query_as(overlap)
                .bind(m.employee_id)
                .bind(end)
                .bind(far_future())
                .bind(m.valid_from)
                .fetch_one(&mut *tx)
                .await?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "employee {} already has a membership overlapping {}",
                    m.employee_id, m.valid_from
                )));
            }
            sqlx::query(insert)
                .bind(m.employee_id)
                .bind(m.team_id)
                .bind(m.valid_from)
                .bind(m.valid_to)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// All departments ordered by code.
    pub async fn departments(&self) -> Result<Vec<Department>, StoreError> {
        let sql = "SELECT id, code, name FROM departments ORDER BY code";
        let rows: Vec<(i64, String, String)> =
            on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, code, name)| Department { id, code, name })
            .collect())
    }

    /// All teams ordered by code.
    pub async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let sql = format!("SELECT {TEAM_COLS} FROM teams ORDER BY code");
        let rows: Vec<TeamRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(team).collect())
    }

    /// One team, or NotFound.
    pub async fn team(&self, id: i64) -> Result<Team, StoreError> {
        let sql = format!("SELECT {TEAM_COLS} FROM teams WHERE id = $1");
        let row: Option<TeamRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        found(row, || format!("team {id}")).map(team)
    }

    /// One employee, or NotFound.
    pub async fn employee(&self, id: i64) -> Result<Employee, StoreError> {
        let sql = format!("SELECT {EMPLOYEE_COLS} FROM employees WHERE id = $1");
        let row: Option<EmployeeRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        employee(found(row, || format!("employee {id}"))?)
    }

    /// One employee by number, or NotFound.
    pub async fn employee_by_no(&self, employee_no: &str) -> Result<Employee, StoreError> {
        let sql = format!("SELECT {EMPLOYEE_COLS} FROM employees WHERE employee_no = $1");
        let row: Option<EmployeeRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(employee_no).fetch_optional(p).await)?;
        employee(found(row, || format!("employee number {employee_no}"))?)
    }

    /// All employees ordered by employee number.
    pub async fn employees(&self) -> Result<Vec<Employee>, StoreError> {
        let sql = format!("SELECT {EMPLOYEE_COLS} FROM employees ORDER BY employee_no");
        let rows: Vec<EmployeeRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        rows.into_iter().map(employee).collect()
    }

    /// Map employee_no → id for import validation.
    pub async fn employee_ids(&self) -> Result<HashMap<String, i64>, StoreError> {
        let sql = "SELECT employee_no, id FROM employees";
        let rows: Vec<(String, i64)> = on_pool!(self, p => sqlx::query_as(sql).fetch_all(p).await)?;
        Ok(rows.into_iter().collect())
    }

    /// Memberships overlapping the period.
    pub async fn memberships_in(&self, period: Period) -> Result<Vec<Membership>, StoreError> {
        let sql = "SELECT employee_id, team_id, valid_from, valid_to FROM memberships \
                   WHERE valid_from <= $1 AND (valid_to IS NULL OR valid_to >= $2) \
                   ORDER BY team_id, employee_id, valid_from";
        let rows: Vec<(i64, i64, NaiveDate, Option<NaiveDate>)> = on_pool!(self, p => sqlx::query_as(sql)
            .bind(period.last_day())
            .bind(period.first_day())
            .fetch_all(p)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(employee_id, team_id, valid_from, valid_to)| Membership {
                employee_id,
                team_id,
                valid_from,
                valid_to,
            })
            .collect())
    }

    /// Ids of the teams this employee leads.
    pub async fn teams_led_by(&self, employee_id: i64) -> Result<Vec<i64>, StoreError> {
        let sql = "SELECT id FROM teams WHERE supervisor_id = $1 ORDER BY id";
        let rows: Vec<(i64,)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(employee_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Number of employees (the demo uses it to see whether a database is already filled).
    pub async fn employee_count(&self) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM employees";
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(sql).fetch_one(p).await)?;
        Ok(n)
    }
}
