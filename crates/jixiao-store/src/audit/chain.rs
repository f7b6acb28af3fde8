//! The hash chain: how an entry is encoded and hashed, how it is appended under a lock, how the
//! whole chain is checked, and the one-off sealing of entries older than the chain.
//!
//! Hashes cover what the database gives back, not what was handed in: the timestamp is truncated
//! to microseconds (PostgreSQL's TIMESTAMPTZ precision) before it is stored, and the detail is
//! stored and hashed as canonical JSON (keys sorted at every level, serde_json's compact form),
//! so an entry re-read from either backend re-encodes to the same bytes.

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::postgres::PgConnection;
use sqlx::sqlite::SqliteConnection;

use crate::dialect::{BeginWrite, Dialect};
use crate::{NewAudit, Store, StoreError};

/// Versions the encoding, so a future change cannot be confused with this one.
const DOMAIN: &[u8] = b"jixiao-audit-chain-v1";
/// Entries read per query while verifying: bounded memory, whatever the log's length.
const VERIFY_PAGE: i64 = 1_000;

const LAST_LINK: &str = "SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1";
const INSERT_LINK: &str = "INSERT INTO audit_log \
     (id, actor, kind, subject, detail_json, at, prev_hash, entry_hash, employee_id, period) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
const CHAIN_PAGE: &str = "SELECT id, actor, kind, subject, detail_json, at, prev_hash, entry_hash, \
     employee_id, period FROM audit_log WHERE id > $1 ORDER BY id LIMIT $2";

/// The outcome of [`Store::verify_audit_chain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuditVerification {
    /// Every entry matches its hash and links to the entry before it.
    Intact {
        /// Entries checked.
        entries: u64,
        /// The last entry's hash (none for an empty log): record it elsewhere to detect a
        /// truncated tail later, which the chain alone cannot.
        head: Option<String>,
    },
    /// The first entry, in id order, that fails.
    Broken {
        /// The failing entry's id.
        id: i64,
        /// What is wrong with it.
        problem: ChainProblem,
        /// Entries before it that checked out.
        verified: u64,
    },
}

/// Why an entry fails verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ChainProblem {
    /// Its content no longer matches its hash: the entry was edited.
    Altered,
    /// Its link does not match and ids before it are missing (or it is the first entry but
    /// links to something): entries before it were deleted.
    Missing,
    /// Its link does not match the entry before it, with no id gap: an entry was inserted or
    /// replaced, or the previous entry was edited and re-hashed.
    Unlinked,
    /// Its hash checks out but the employee or period it is filed under (the audit page's
    /// filters) does not follow from its content: the filing columns were edited to hide it.
    Misfiled,
}

impl ChainProblem {
    /// Stable code shared by the CLI and any API.
    pub fn code(self) -> &'static str {
        match self {
            ChainProblem::Altered => "audit.altered",
            ChainProblem::Missing => "audit.missing",
            ChainProblem::Unlinked => "audit.unlinked",
            ChainProblem::Misfiled => "audit.misfiled",
        }
    }

    /// One line for people.
    pub fn describe(self) -> &'static str {
        match self {
            ChainProblem::Altered => "its content does not match its hash (edited)",
            ChainProblem::Missing => "entries before it are missing (deleted)",
            ChainProblem::Unlinked => {
                "it does not link to the entry before it (inserted, replaced or re-hashed)"
            }
            ChainProblem::Misfiled => {
                "its employee or period filter columns do not match its content (edited)"
            }
        }
    }
}

/// The instant as stored and hashed.
fn stored_instant(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// Keys sorted at every level, whether or not serde_json's `preserve_order` is on somewhere in
/// the dependency graph.
fn sorted(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut pairs: Vec<(&String, &Value)> = m.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                pairs
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sorted(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// The employee and period an entry is filed under for the audit page's filters, derived from
/// hashed content only: `detail.employee_id`, and the subject when it is a period (`YYYY-MM`),
/// else `detail.period`. Not covered by the hash, but recomputed from what is and compared by
/// [`Store::verify_audit_chain`], so editing them is caught like editing the content.
fn filed_under(subject: &str, detail: &Value) -> (Option<i64>, Option<String>) {
    let employee = detail.get("employee_id").and_then(Value::as_i64);
    let period = if subject.parse::<jixiao_core::Period>().is_ok() {
        Some(subject.to_string())
    } else {
        detail
            .get("period")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    (employee, period)
}

fn canonical_detail(v: &Value) -> String {
    sorted(v).to_string()
}

/// A stored detail as hashed: its canonical form, or the raw text when it is not JSON (which
/// then never matches, since the hash at append time covered canonical JSON).
fn canonical_stored_detail(text: &str) -> String {
    serde_json::from_str::<Value>(text).map_or_else(|_| text.to_string(), |v| canonical_detail(&v))
}

/// The fields an entry hash covers.
struct Link<'a> {
    id: i64,
    actor: &'a str,
    kind: &'a str,
    subject: &'a str,
    detail: &'a str,
    at: DateTime<Utc>,
    prev_hash: &'a str,
}

impl Link<'_> {
    /// Hex SHA-256 of the domain tag then each field as (u64 big-endian byte length, bytes):
    /// length prefixes make the encoding unambiguous whatever the fields contain.
    fn hash(&self) -> String {
        let id = self.id.to_string();
        let at = self.at.to_rfc3339_opts(SecondsFormat::Micros, true);
        let mut h = Sha256::new();
        h.update(DOMAIN);
        for field in [
            id.as_str(),
            self.actor,
            self.kind,
            self.subject,
            self.detail,
            at.as_str(),
            self.prev_hash,
        ] {
            h.update(u64::try_from(field.len()).unwrap_or(u64::MAX).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Appends an entry to the chain inside the caller's write transaction.
pub(crate) trait AppendAudit {
    /// Locks the chain, links the entry to the last one and inserts it; returns its id.
    async fn append_audit(&mut self, entry: &NewAudit) -> Result<i64, sqlx::Error>;
}

/// One body for both connection types (generic code cannot name the executor). Ids are assigned
/// here, last + 1 under the lock, so they are gap-free and a gap means a deletion.
macro_rules! append_audit_on {
    ($conn:ty) => {
        impl AppendAudit for $conn {
            async fn append_audit(&mut self, entry: &NewAudit) -> Result<i64, sqlx::Error> {
                self.lock_audit_chain().await?;
                let last: Option<(i64, String)> =
                    sqlx::query_as(LAST_LINK).fetch_optional(&mut *self).await?;
                let (id, prev_hash) = last.map_or((1, String::new()), |(id, h)| (id + 1, h));
                let detail = canonical_detail(&entry.detail);
                let at = stored_instant(entry.at);
                let entry_hash = Link {
                    id,
                    actor: &entry.actor,
                    kind: &entry.kind,
                    subject: &entry.subject,
                    detail: &detail,
                    at,
                    prev_hash: &prev_hash,
                }
                .hash();
                let (employee_id, period) = filed_under(&entry.subject, &entry.detail);
                sqlx::query(INSERT_LINK)
                    .bind(id)
                    .bind(&entry.actor)
                    .bind(&entry.kind)
                    .bind(&entry.subject)
                    .bind(&detail)
                    .bind(at)
                    .bind(&prev_hash)
                    .bind(&entry_hash)
                    .bind(employee_id)
                    .bind(period)
                    .execute(&mut *self)
                    .await?;
                Ok(id)
            }
        }
    };
}

append_audit_on!(SqliteConnection);
append_audit_on!(PgConnection);

/// One stored entry with its links.
type ChainRow = (
    i64,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    String,
    String,
    Option<i64>,
    Option<String>,
);

/// Recomputes a stored entry's hash, linked to `prev_hash`.
fn rehash(row: &ChainRow, prev_hash: &str) -> String {
    let (id, actor, kind, subject, detail, at, ..) = row;
    Link {
        id: *id,
        actor,
        kind,
        subject,
        detail: &canonical_stored_detail(detail),
        at: *at,
        prev_hash,
    }
    .hash()
}

/// The problem with `row`, given the previous entry's (id, hash), if any.
fn check(row: &ChainRow, prev: Option<&(i64, String)>) -> Option<ChainProblem> {
    let (id, .., stored_prev, stored_hash, employee_id, period) = row;
    let expected_prev = prev.map_or("", |(_, h)| h.as_str());
    if stored_prev != expected_prev {
        let gap = prev.is_none_or(|(prev_id, _)| prev_id.checked_add(1) != Some(*id));
        return Some(if gap {
            ChainProblem::Missing
        } else {
            ChainProblem::Unlinked
        });
    }
    if rehash(row, stored_prev) != *stored_hash {
        return Some(ChainProblem::Altered);
    }
    let detail = serde_json::from_str::<Value>(&row.4).unwrap_or(Value::Null);
    let filed = filed_under(&row.3, &detail);
    (filed != (*employee_id, period.clone())).then_some(ChainProblem::Misfiled)
}

impl Store {
    /// Recomputes every audit entry in id order and reports the first that fails.
    ///
    /// Detects edited, deleted and inserted entries anywhere but at the end: deleting the last
    /// entries leaves a valid, shorter chain, so compare `head` with a recorded one for that.
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification, StoreError> {
        let mut verified = 0u64;
        let mut prev: Option<(i64, String)> = None;
        loop {
            let after = prev.as_ref().map_or(i64::MIN, |(id, _)| *id);
            let rows: Vec<ChainRow> = on_pool!(self, p => sqlx::query_as(CHAIN_PAGE)
                .bind(after)
                .bind(VERIFY_PAGE)
                .fetch_all(p)
                .await)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                if let Some(problem) = check(&row, prev.as_ref()) {
                    return Ok(AuditVerification::Broken {
                        id: row.0,
                        problem,
                        verified,
                    });
                }
                verified += 1;
                prev = Some((row.0, row.7));
            }
        }
        Ok(AuditVerification::Intact {
            entries: verified,
            head: prev.map(|(_, h)| h),
        })
    }

    /// Chains the entries written before migration 0002, in id order; returns how many.
    ///
    /// Runs only while no entry has a hash yet: once the chain has started, an empty hash is
    /// tampering for [`Store::verify_audit_chain`] to report, not something to seal silently.
    pub(crate) async fn seal_legacy_audit(&self) -> Result<u64, StoreError> {
        // Asked at every start: whether one row is unsealed, not how many.
        const UNSEALED: &str = "SELECT 1 FROM audit_log WHERE entry_hash = '' LIMIT 1";
        const SEALED: &str = "SELECT COUNT(*) FROM audit_log WHERE entry_hash <> ''";
        const ALL: &str = "SELECT id, actor, kind, subject, detail_json, at, prev_hash, \
                           entry_hash, employee_id, period FROM audit_log ORDER BY id";
        const SEAL: &str = "UPDATE audit_log SET prev_hash = $1, entry_hash = $2, \
                            employee_id = $3, period = $4 WHERE id = $5";
        let unsealed: Option<(i32,)> =
            on_pool!(self, p => sqlx::query_as(UNSEALED).fetch_optional(p).await)?;
        if unsealed.is_none() {
            return Ok(0);
        }
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            tx.lock_audit_chain().await?;
            let (sealed,): (i64,) = sqlx::query_as(SEALED).fetch_one(&mut *tx).await?;
            if sealed > 0 {
                return Ok(0);
            }
            let rows: Vec<ChainRow> = sqlx::query_as(ALL).fetch_all(&mut *tx).await?;
            let mut prev_hash = String::new();
            for row in &rows {
                let hash = rehash(row, &prev_hash);
                let detail = serde_json::from_str::<Value>(&row.4).unwrap_or(Value::Null);
                let (employee_id, period) = filed_under(&row.3, &detail);
                sqlx::query(SEAL)
                    .bind(&prev_hash)
                    .bind(&hash)
                    .bind(employee_id)
                    .bind(period)
                    .bind(row.0)
                    .execute(&mut *tx)
                    .await?;
                prev_hash = hash;
            }
            tx.commit().await?;
            Ok(crate::unsigned(i64::try_from(rows.len()).unwrap_or(i64::MAX)))
        })
    }
}
