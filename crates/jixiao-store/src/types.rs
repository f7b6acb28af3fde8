//! Plain data passed in and out of the store.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::kpi::Partial;
use jixiao_core::org::{EmployeeNo, Role, TypeCode};
use jixiao_core::period::PeriodStatus;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{ImportMode, ImportStatus};

/// An employee to insert.
#[derive(Debug, Clone)]
pub struct NewEmployee {
    /// Employee number.
    pub employee_no: EmployeeNo,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
    /// Hire date.
    pub hire_date: NaiveDate,
}

/// A business type and its point coefficient (per handled call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessType {
    /// Code used in source files.
    pub code: TypeCode,
    /// Display name.
    pub name: String,
    /// Points per handled call (up to 4 decimals).
    pub coefficient: Decimal,
}

/// A user account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// The employee the account belongs to (agents and supervisors).
    pub employee_id: Option<i64>,
    /// Preferred language, `zh-CN` or `en`.
    pub locale: String,
}

/// A stored user account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Argon2 PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// The employee the account belongs to.
    pub employee_id: Option<i64>,
    /// Preferred language.
    pub locale: String,
}

/// A login session to store.
#[derive(Debug, Clone)]
pub struct NewSession {
    /// SHA-256 of the cookie token (the token itself is never stored).
    pub token_hash: String,
    /// The user.
    pub user_id: i64,
    /// The CSRF token forms must echo.
    pub csrf_token: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// A stored session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The user.
    pub user_id: i64,
    /// The CSRF token.
    pub csrf_token: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// The lineage of one import.
#[derive(Debug, Clone)]
pub struct NewImport {
    /// `calls`, `surveys` or `qa`.
    pub kind: String,
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 of the file bytes.
    pub file_hash: String,
    /// Bytes.
    pub file_size: i64,
    /// Rows read (data rows, header excluded).
    pub rows_total: i64,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: DateTime<Utc>,
    /// Strict (all or nothing) or lenient (good rows land).
    pub mode: ImportMode,
    /// The mapping profile the file was read through, if any (lineage).
    pub profile: Option<String>,
}

pub use jixiao_core::record::{RecordBatch, Reject};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    /// The import's id.
    pub import_id: i64,
    /// New records.
    pub inserted: i64,
    /// Records that replaced a different earlier version.
    pub replaced: i64,
    /// Records already present with identical content.
    pub unchanged: i64,
    /// All rejects, parse and store stage.
    pub rejects: Vec<Reject>,
    /// Open periods whose records changed (to recompute).
    pub periods_touched: Vec<Period>,
    /// Done, or refused (a strict import with rejects: no record landed).
    pub status: ImportStatus,
    /// Records held because their agent is neither an employee number nor an alias of their
    /// source (see `Store::unmatched`); they count once the alias is mapped.
    pub held: i64,
}

/// An import as listed.
#[derive(Debug, Clone, Serialize)]
pub struct ImportSummary {
    /// Id.
    pub id: i64,
    /// Kind.
    pub kind: String,
    /// File name.
    pub file_name: String,
    /// SHA-256.
    pub file_hash: String,
    /// Bytes.
    pub file_size: i64,
    /// Rows read.
    pub rows_total: i64,
    /// New.
    pub inserted: i64,
    /// Replaced.
    pub replaced: i64,
    /// Unchanged.
    pub unchanged: i64,
    /// Rejected.
    pub rejected: i64,
    /// Who.
    pub imported_by: String,
    /// When.
    pub imported_at: DateTime<Utc>,
    /// Strict or lenient.
    pub mode: ImportMode,
    /// The mapping profile, if any.
    pub profile: Option<String>,
    /// Done or refused.
    pub status: ImportStatus,
    /// Records held for an unknown agent at import time.
    pub held: i64,
}

/// One agent's tallies while in one team during a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentTally {
    /// Employee.
    pub employee_id: i64,
    /// Team.
    pub team_id: i64,
    /// The tallies.
    pub partial: Partial,
    /// Every base measure of the segment's records, by name (see `Store::tallies`).
    pub totals: jixiao_core::kpi::MeasureTotals,
}

/// A period's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodInfo {
    /// The month.
    pub period: Period,
    /// Open or closed.
    pub status: PeriodStatus,
    /// Snapshot hash once closed.
    pub snapshot_hash: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    pub closed_at: Option<DateTime<Utc>>,
    /// The last day agents may see results and appeal, once a review was opened.
    pub review_until: Option<chrono::NaiveDate>,
}

/// Which scorecards to read.
#[derive(Debug, Clone, Default)]
pub struct CardFilter {
    /// Only these teams (None = all).
    pub team_ids: Option<Vec<i64>>,
    /// Only this employee.
    pub employee_id: Option<i64>,
    /// Only this department.
    pub department_id: Option<i64>,
}

/// A page request: 1-based page number and size (capped at 500).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    /// 1-based page.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl Default for PageReq {
    fn default() -> Self {
        PageReq {
            page: 1,
            per_page: 50,
        }
    }
}

/// One page of rows and the total row count.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows across all pages.
    pub total: i64,
    /// This page, 1-based.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// Page `req` of rows loaded whole (lists filtered or grouped in memory): that page's rows
    /// and the total over all.
    pub fn of(items: Vec<T>, req: PageReq) -> Page<T> {
        let per = req.per_page as usize;
        let skip = (req.page.max(1) as usize - 1).saturating_mul(per);
        Page {
            total: i64::try_from(items.len()).unwrap_or(i64::MAX),
            items: items.into_iter().skip(skip).take(per).collect(),
            page: req.page,
            per_page: req.per_page,
        }
    }
}

/// An audit entry to append.
#[derive(Debug, Clone)]
pub struct NewAudit {
    /// Who (username or `system`).
    pub actor: String,
    /// What kind, e.g. `import`, `period.close`, `rules.update`.
    pub kind: String,
    /// The subject, e.g. `2026-10`.
    pub subject: String,
    /// Details as JSON.
    pub detail: serde_json::Value,
    /// When.
    pub at: DateTime<Utc>,
}

/// A stored audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    /// Sequence number.
    pub id: i64,
    /// Who.
    pub actor: String,
    /// Kind.
    pub kind: String,
    /// Subject.
    pub subject: String,
    /// Details.
    pub detail: serde_json::Value,
    /// When (microsecond precision: what both backends store).
    pub at: DateTime<Utc>,
    /// Hex SHA-256 linking this entry to the previous one (see `Store::verify_audit_chain`).
    pub entry_hash: String,
}

/// An API token as listed (its secret is never stored, only its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Id.
    pub id: i64,
    /// The user the token acts as.
    pub user_id: i64,
    /// That user's login name.
    pub username: String,
    /// What the token is for, e.g. `pbx-nightly`.
    pub name: String,
    /// Who created it.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Last authenticated use (recorded at most about once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked; a revoked token authenticates nothing.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What claiming an idempotency key found.
#[derive(Debug, Clone, PartialEq)]
pub enum IdempotencyClaim {
    /// The key is new (or its earlier claim was abandoned): process the request.
    Claimed,
    /// The same request was answered before: replay this answer.
    Done {
        /// The HTTP status.
        status: u16,
        /// The JSON body.
        body: serde_json::Value,
    },
    /// The key was used for a different request.
    Mismatch,
    /// The same key is being processed right now by another request.
    InProgress,
}
