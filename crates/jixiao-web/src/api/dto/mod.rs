//! The API's JSON shapes. Each is built from the domain type it shows, so the OpenAPI document
//! (derived from these structs) and the bytes sent can never disagree. Money, points, scores and
//! other decimals are strings (`"1234.50"`): exact, never binary floating point.

mod cards;
mod records;

pub use cards::{AgentCards, ApiScorecard, TeamCards};
pub use records::{ApiCall, ApiQa, ApiSurvey};

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::org::{Employee, Role, Team};
use jixiao_core::period::PeriodStatus;
use jixiao_core::record::Reject;
use jixiao_store::{ImportSummary, Page, PeriodInfo};
use serde::Serialize;
use utoipa::ToSchema;

/// Every error: `{ "error": { "code": …, "message": … } }`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// A stable machine-readable code and a message for people.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code, e.g. `not_found`, `invalid_token`, `idempotency_key_reused`.
    pub code: String,
    /// Human-readable explanation (never internal details).
    pub message: String,
}

/// A user's role; it decides what the user (or their token) may see.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiRole {
    /// Everything.
    Admin,
    /// The whole center, configuration, imports, closing periods.
    Manager,
    /// Only the teams they lead.
    Supervisor,
    /// The whole center's quality, no pay.
    Qa,
    /// Only themselves.
    Agent,
}

impl From<Role> for ApiRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Admin => ApiRole::Admin,
            Role::Manager => ApiRole::Manager,
            Role::Supervisor => ApiRole::Supervisor,
            Role::Qa => ApiRole::Qa,
            Role::Agent => ApiRole::Agent,
        }
    }
}

/// Who the request is authenticated as.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// User id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role.
    pub role: ApiRole,
    /// The employee the account belongs to (agents and supervisors).
    pub employee_id: Option<i64>,
    /// Preferred language, `zh-CN` or `en`.
    pub locale: String,
    /// `token` for a bearer token, `session` for a browser session.
    pub auth: String,
    /// The API token's id, when authenticated by one.
    pub token_id: Option<i64>,
}

/// Open or closed.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApiPeriodStatus {
    /// Records may arrive; scorecards are recomputed on every import.
    Open,
    /// Scorecards computed and saved; new records still recompute them.
    Computed,
    /// Agents see results and may appeal until `review_until`; records still recompute.
    InReview,
    /// Frozen: the snapshot and its hash are final.
    Closed,
}

/// An assessment period (a calendar month).
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPeriod {
    /// `YYYY-MM`.
    #[schema(example = "2026-10")]
    pub period: String,
    /// Open or closed.
    pub status: ApiPeriodStatus,
    /// SHA-256 of the closed snapshot.
    pub snapshot_hash: Option<String>,
    /// Who closed it.
    pub closed_by: Option<String>,
    /// When.
    pub closed_at: Option<DateTime<Utc>>,
    /// Last day of the review window, once a review was opened.
    pub review_until: Option<chrono::NaiveDate>,
}

impl From<PeriodInfo> for ApiPeriod {
    fn from(p: PeriodInfo) -> Self {
        ApiPeriod {
            period: p.period.to_string(),
            status: match p.status {
                PeriodStatus::Open => ApiPeriodStatus::Open,
                PeriodStatus::Computed => ApiPeriodStatus::Computed,
                PeriodStatus::InReview => ApiPeriodStatus::InReview,
                PeriodStatus::Closed => ApiPeriodStatus::Closed,
            },
            snapshot_hash: p.snapshot_hash,
            closed_by: p.closed_by,
            closed_at: p.closed_at,
            review_until: p.review_until,
        }
    }
}

/// The result of closing a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Closed {
    /// `YYYY-MM`.
    pub period: String,
    /// SHA-256 of the frozen scorecards.
    pub snapshot_hash: String,
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPage<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows across all pages.
    pub total: i64,
    /// This page, 1-based.
    pub page: u32,
    /// Rows per page (at most 500).
    pub per_page: u32,
}

impl<T> ApiPage<T> {
    /// Converts a store page row by row.
    pub fn from_page<S>(p: Page<S>, f: impl FnMut(S) -> T) -> ApiPage<T> {
        ApiPage {
            items: p.items.into_iter().map(f).collect(),
            total: p.total,
            page: p.page,
            per_page: p.per_page,
        }
    }
}

/// A team.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTeam {
    /// Id.
    pub id: i64,
    /// Department id.
    pub department_id: i64,
    /// Stable code, e.g. `CALL-03`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// The leading supervisor's employee id.
    pub supervisor_id: Option<i64>,
}

impl From<Team> for ApiTeam {
    fn from(t: Team) -> Self {
        ApiTeam {
            id: t.id,
            department_id: t.department_id,
            code: t.code,
            name: t.name,
            supervisor_id: t.supervisor_id,
        }
    }
}

/// An employee.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiEmployee {
    /// Id.
    pub id: i64,
    /// Employee number used in source files.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Position.
    pub position: String,
    /// Hire date.
    pub hire_date: NaiveDate,
}

impl From<Employee> for ApiEmployee {
    fn from(e: Employee) -> Self {
        ApiEmployee {
            id: e.id,
            employee_no: e.employee_no.to_string(),
            name: e.name,
            position: e.position,
            hire_date: e.hire_date,
        }
    }
}

/// One rejected row: where, what and why.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct ApiReject {
    /// Row: the line of a file (header = 1), or the 1-based index in `records` of an API batch.
    pub row: i64,
    /// Column (field) name.
    pub column: String,
    /// The value as found.
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

impl From<Reject> for ApiReject {
    fn from(r: Reject) -> Self {
        ApiReject {
            row: r.row,
            column: r.column,
            value: r.value,
            reason: r.reason,
        }
    }
}

/// An import's lineage and counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiImport {
    /// Id.
    pub id: i64,
    /// Record kind.
    pub kind: String,
    /// File name, or the `source_name` of an API batch.
    pub file_name: String,
    /// SHA-256 of the file (of the canonical JSON body for an API batch).
    pub file_hash: String,
    /// Bytes.
    pub file_size: i64,
    /// Rows read.
    pub rows_total: i64,
    /// New records.
    pub inserted: i64,
    /// Records that replaced an earlier version.
    pub replaced: i64,
    /// Records already present, identical.
    pub unchanged: i64,
    /// Rejected rows.
    pub rejected: i64,
    /// Who imported it.
    pub imported_by: String,
    /// When.
    pub imported_at: DateTime<Utc>,
}

impl From<ImportSummary> for ApiImport {
    fn from(i: ImportSummary) -> Self {
        ApiImport {
            id: i.id,
            kind: i.kind,
            file_name: i.file_name,
            file_hash: i.file_hash,
            file_size: i.file_size,
            rows_total: i.rows_total,
            inserted: i.inserted,
            replaced: i.replaced,
            unchanged: i.unchanged,
            rejected: i.rejected,
            imported_by: i.imported_by,
            imported_at: i.imported_at,
        }
    }
}

/// One page of an import's reject report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRejects {
    /// The import.
    pub import_id: i64,
    /// Rejected rows across all pages.
    pub total: i64,
    /// This page, 1-based.
    pub page: u32,
    /// Rows per page (50 unless asked, at most 500).
    pub per_page: u32,
    /// This page's rejected rows, by row.
    pub rejects: Vec<ApiReject>,
}
