//! Jixiao's storage: one [`Store`] that speaks SQLite (embedded default) and PostgreSQL
//! (production, shared by several app instances), with one migrations folder per backend, and
//! the application services ([`service`]) that combine storage with the pure engine.
//!
//! Nothing here knows HTTP or file formats. Queries are runtime `sqlx::query_as` with `$n`
//! placeholders that both backends accept; the few dialect differences live in clearly named
//! per-backend functions. Money and coefficients are stored as scaled BIGINTs (SQLite has no
//! exact decimal type).

mod error;
mod types;

pub mod service;

pub use error::StoreError;
pub use types::*;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::org::{Department, Employee, Membership, Role, Team};
use jixiao_core::period::PeriodStatus;
use jixiao_core::record::{CallRecord, QaRecord, SurveyRecord};
use jixiao_core::scheme::Scheme;
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (or in-memory for tests).
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// The storage contract. Cheap to clone (a pool handle).
#[derive(Clone)]
pub struct Store {
    // private: enum over sqlx::SqlitePool / sqlx::PgPool
}

impl Store {
    /// Connects to `sqlite://PATH` (created if missing), `sqlite::memory:` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        todo!()
    }
    /// Applies pending migrations of this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        todo!()
    }
    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        todo!()
    }

    // ---- organisation ----
    /// Creates or renames a department by code; returns its id.
    pub async fn upsert_department(&self, code: &str, name: &str) -> Result<i64, StoreError> {
        todo!()
    }
    /// Creates or updates a team by code; returns its id.
    pub async fn upsert_team(
        &self,
        department_id: i64,
        code: &str,
        name: &str,
        supervisor_id: Option<i64>,
    ) -> Result<i64, StoreError> {
        todo!()
    }
    /// Inserts employees (unique employee_no; Conflict on duplicates); returns ids in order.
    pub async fn insert_employees(
        &self,
        employees: &[NewEmployee],
    ) -> Result<Vec<i64>, StoreError> {
        todo!()
    }
    /// Adds a team membership.
    pub async fn add_membership(&self, m: &Membership) -> Result<(), StoreError> {
        todo!()
    }
    /// All departments ordered by code.
    pub async fn departments(&self) -> Result<Vec<Department>, StoreError> {
        todo!()
    }
    /// All teams ordered by code.
    pub async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        todo!()
    }
    /// One team, or NotFound.
    pub async fn team(&self, id: i64) -> Result<Team, StoreError> {
        todo!()
    }
    /// One employee, or NotFound.
    pub async fn employee(&self, id: i64) -> Result<Employee, StoreError> {
        todo!()
    }
    /// One employee by number, or NotFound.
    pub async fn employee_by_no(&self, employee_no: &str) -> Result<Employee, StoreError> {
        todo!()
    }
    /// Map employee_no → id for import validation.
    pub async fn employee_ids(&self) -> Result<std::collections::HashMap<String, i64>, StoreError> {
        todo!()
    }
    /// Memberships overlapping the period.
    pub async fn memberships_in(&self, period: Period) -> Result<Vec<Membership>, StoreError> {
        todo!()
    }
    /// Ids of the teams this employee leads.
    pub async fn teams_led_by(&self, employee_id: i64) -> Result<Vec<i64>, StoreError> {
        todo!()
    }
    /// Number of employees (the demo uses it to see whether a database is already filled).
    pub async fn employee_count(&self) -> Result<i64, StoreError> {
        todo!()
    }

    // ---- configuration ----
    /// Creates or updates a business type and its point coefficient.
    pub async fn upsert_business_type(&self, bt: &BusinessType) -> Result<(), StoreError> {
        todo!()
    }
    /// All business types ordered by code.
    pub async fn business_types(&self) -> Result<Vec<BusinessType>, StoreError> {
        todo!()
    }
    /// Sets a department's scheme (validated by the caller) and unit price per point.
    pub async fn set_department_rules(
        &self,
        department_id: i64,
        scheme: &Scheme,
        unit_price: Decimal,
    ) -> Result<(), StoreError> {
        todo!()
    }
    /// A department's scheme and unit price, NotFound if none set.
    pub async fn department_rules(
        &self,
        department_id: i64,
    ) -> Result<(Scheme, Decimal), StoreError> {
        todo!()
    }

    // ---- users and sessions ----
    /// Creates a user; Conflict if the username exists.
    pub async fn create_user(&self, u: &NewUser) -> Result<i64, StoreError> {
        todo!()
    }
    /// A user by username (for login), or NotFound.
    pub async fn user_by_username(&self, username: &str) -> Result<User, StoreError> {
        todo!()
    }
    /// Stores a session (the token is stored hashed by the caller).
    pub async fn create_session(&self, s: &NewSession) -> Result<(), StoreError> {
        todo!()
    }
    /// The live session with this token hash and its user, or NotFound (expired counts as missing).
    pub async fn session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(Session, User), StoreError> {
        todo!()
    }
    /// Deletes a session.
    pub async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        todo!()
    }
    /// Counts failed logins for a username since `since` (login rate limiting, shared by instances).
    pub async fn record_login_failure(
        &self,
        username: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        todo!()
    }
    /// Failed logins for a username since `since`.
    pub async fn login_failures_since(
        &self,
        username: &str,
        since: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        todo!()
    }

    // ---- records ----
    /// Writes an import atomically: the import row, its rejects, and the records. Records whose
    /// (source, record_id) exists with identical content are unchanged; with different content
    /// they replace the old row. Records dated in a closed period are not written and come back
    /// as rejects. Returns the outcome, including the periods touched.
    pub async fn write_import(
        &self,
        import: &NewImport,
        batch: &RecordBatch,
    ) -> Result<ImportOutcome, StoreError> {
        todo!()
    }
    /// Imports, newest first.
    pub async fn imports(&self, page: PageReq) -> Result<Page<ImportSummary>, StoreError> {
        todo!()
    }
    /// One import's reject rows.
    pub async fn import_rejects(&self, import_id: i64) -> Result<Vec<Reject>, StoreError> {
        todo!()
    }
    /// Calls handled by an employee in a period (optionally only while in one team), by time.
    pub async fn calls_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<CallRecord>, StoreError> {
        todo!()
    }
    /// Surveys about an employee in a period.
    pub async fn surveys_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<SurveyRecord>, StoreError> {
        todo!()
    }
    /// QA reviews of an employee in a period.
    pub async fn qa_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<QaRecord>, StoreError> {
        todo!()
    }

    // ---- periods and scorecards ----
    /// Per (employee, team) tallies for the period, aggregated in SQL with each record counted
    /// in the team the employee belonged to on the record's date.
    pub async fn tallies(&self, period: Period) -> Result<Vec<SegmentTally>, StoreError> {
        todo!()
    }
    /// Periods that have records or a status row, newest first.
    pub async fn periods(&self) -> Result<Vec<PeriodInfo>, StoreError> {
        todo!()
    }
    /// A period's status (Open when never closed).
    pub async fn period_info(&self, period: Period) -> Result<PeriodInfo, StoreError> {
        todo!()
    }
    /// Replaces the stored scorecards of an open period; PeriodClosed if closed.
    pub async fn save_scorecards(
        &self,
        period: Period,
        cards: &[Scorecard],
    ) -> Result<(), StoreError> {
        todo!()
    }
    /// Atomically stores the final scorecards and marks the period closed with its hash;
    /// PeriodClosed if it already was (also when another instance closed it first).
    pub async fn close_period(
        &self,
        period: Period,
        cards: &[Scorecard],
        hash: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        todo!()
    }
    /// Stored scorecards of a period, filtered, ordered by team then rank then employee_no.
    pub async fn scorecards(
        &self,
        period: Period,
        filter: &CardFilter,
    ) -> Result<Vec<Scorecard>, StoreError> {
        todo!()
    }

    // ---- audit ----
    /// Appends an audit entry.
    pub async fn audit(&self, entry: &NewAudit) -> Result<(), StoreError> {
        todo!()
    }
    /// Audit entries, newest first.
    pub async fn audit_log(&self, page: PageReq) -> Result<Page<AuditEntry>, StoreError> {
        todo!()
    }
}
