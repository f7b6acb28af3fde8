//! Complaints: registration (any channel), links to interactions or a journey, the
//! investigation (attributions cross-checked against the records, removals and mismatch
//! resolutions in writing) and the decision, whose findings are written in the same
//! transaction. Every step is audited; nothing is deleted.

use chrono::{DateTime, NaiveDateTime, Utc};
use jixiao_core::Period;
use jixiao_core::fairness::complaint::{self, Claim};
use jixiao_core::fairness::{Attribution, ComplaintStatus, CrossCheck, Outcome, cross_check};
use serde::Serialize;

use super::findings::{NewFinding, insert_finding};
use super::{Visibility, id_list};
use crate::audit::AppendAudit;
use crate::dialect::BeginWrite;
use crate::lifecycle::invalid;
use crate::{DbResultExt, NewAudit, Store, StoreError, found};

/// A complaint to register.
#[derive(Debug, Clone)]
pub struct NewComplaint {
    /// How it came in: phone, online, letter, import…
    pub channel: String,
    /// The customer, if known (needed for the cross-check).
    pub customer_id: Option<String>,
    /// When the service complained about happened.
    pub occurred_at: NaiveDateTime,
    /// What the customer says.
    pub summary: String,
    /// The journey it is about, if any.
    pub journey_id: Option<i64>,
}

/// An attribution to add.
#[derive(Debug, Clone)]
pub struct NewAttribution {
    /// The failed stage.
    pub stage_id: i64,
    /// Who was responsible.
    pub employee_id: i64,
    /// When the service was given (default: the complaint's time).
    pub service_at: Option<NaiveDateTime>,
    /// The investigator's note.
    pub note: Option<String>,
}

/// A complaint in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintRow {
    /// Id.
    pub id: i64,
    /// Channel.
    pub channel: String,
    /// Customer.
    pub customer_id: Option<String>,
    /// Service time.
    pub occurred_at: NaiveDateTime,
    /// Summary.
    pub summary: String,
    /// Journey.
    pub journey_id: Option<i64>,
    /// Status (stored spelling).
    pub status: String,
    /// The decision's reason.
    pub decision_reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Who registered it.
    pub registered_by: String,
    /// When.
    pub registered_at: DateTime<Utc>,
}

/// A linked interaction.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintLink {
    /// `calls`, `tickets` or `chats`.
    pub kind: String,
    /// Source system.
    pub source: String,
    /// Record id there.
    pub record_id: String,
}

/// An attribution with its cross-check and history.
#[derive(Debug, Clone, Serialize)]
pub struct AttributionRow {
    /// Id.
    pub id: i64,
    /// Stage.
    pub stage_id: i64,
    /// Employee.
    pub employee_id: i64,
    /// Service time claimed.
    pub service_at: NaiveDateTime,
    /// Note.
    pub note: Option<String>,
    /// `ok` or the mismatch.
    pub check: CrossCheck,
    /// Marked upheld (for a partly upheld decision).
    pub upheld: bool,
    /// Mismatch resolution.
    pub resolution: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// Removed (kept, counts nothing).
    pub removed: bool,
    /// Why removed.
    pub removed_reason: Option<String>,
    /// Who removed it.
    pub removed_by: Option<String>,
    /// Who added it.
    pub added_by: String,
}

/// A complaint with its links and attributions.
#[derive(Debug, Clone, Serialize)]
pub struct ComplaintDetail {
    /// The row.
    pub complaint: ComplaintRow,
    /// Linked interactions.
    pub links: Vec<ComplaintLink>,
    /// Attributions, removed ones included, oldest first.
    pub attributions: Vec<AttributionRow>,
}

impl ComplaintDetail {
    /// The parsed status.
    pub fn status(&self) -> Result<ComplaintStatus, StoreError> {
        Ok(ComplaintStatus::parse(&self.complaint.status)?)
    }
}

type CRow = (
    i64,
    String,
    Option<String>,
    NaiveDateTime,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    String,
    DateTime<Utc>,
);

const C_COLUMNS: &str = "c.id, c.channel, c.customer_id, c.occurred_at, c.summary, \
     c.journey_id, c.status, c.decision_reason, c.decided_by, c.decided_at, c.registered_by, \
     c.registered_at";

fn crow(r: CRow) -> ComplaintRow {
    ComplaintRow {
        id: r.0,
        channel: r.1,
        customer_id: r.2,
        occurred_at: r.3,
        summary: r.4,
        journey_id: r.5,
        status: r.6,
        decision_reason: r.7,
        decided_by: r.8,
        decided_at: r.9,
        registered_by: r.10,
        registered_at: r.11,
    }
}

type ARow = (
    i64,
    i64,
    i64,
    NaiveDateTime,
    Option<String>,
    String,
    bool,
    Option<String>,
    Option<String>,
    bool,
    Option<String>,
    Option<String>,
    String,
);

const A_SELECT: &str = "SELECT id, stage_id, employee_id, service_at, note, check_result, \
     upheld, resolution, resolved_by, removed, removed_reason, removed_by, added_by \
     FROM complaint_attributions WHERE complaint_id = $1 ORDER BY id";

fn arow(r: ARow) -> Result<AttributionRow, StoreError> {
    Ok(AttributionRow {
        id: r.0,
        stage_id: r.1,
        employee_id: r.2,
        service_at: r.3,
        note: r.4,
        check: CrossCheck::parse(&r.5)?,
        upheld: r.6,
        resolution: r.7,
        resolved_by: r.8,
        removed: r.9,
        removed_reason: r.10,
        removed_by: r.11,
        added_by: r.12,
    })
}

/// `WHERE …` limiting complaints `c` to a supervisor's: attributed (removed or not) to a
/// member of their teams on the attribution's service day. Agents see none.
fn visible(v: &Visibility) -> String {
    match v {
        Visibility::All => String::new(),
        Visibility::Employee(_) => " WHERE 1 = 0".into(),
        Visibility::Teams(teams) => format!(
            " WHERE EXISTS (SELECT 1 FROM complaint_attributions a JOIN memberships m \
             ON m.employee_id = a.employee_id WHERE a.complaint_id = c.id \
             AND m.team_id IN ({}) AND m.valid_from <= a.service_date \
             AND (m.valid_to IS NULL OR a.service_date <= m.valid_to))",
            id_list(teams)
        ),
    }
}

fn audit(by: &str, kind: &str, id: i64, detail: serde_json::Value, at: DateTime<Utc>) -> NewAudit {
    NewAudit {
        actor: by.to_string(),
        kind: kind.into(),
        subject: format!("complaint:{id}"),
        detail,
        at,
    }
}

/// In transaction `$tx`: locks complaint `$id` when it is investigating (a no-op update, so
/// PostgreSQL holds the row), else returns the state machine's refusal (or NotFound).
macro_rules! lock_investigating {
    ($tx:ident, $id:expr) => {{
        let id: i64 = $id;
        let n = sqlx::query(
            "UPDATE complaints SET status = status WHERE id = $1 AND status = 'investigating'",
        )
        .bind(id)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if n == 0 {
            let s: Option<(String,)> =
                sqlx::query_as("SELECT status FROM complaints WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
            let (s,) = found(s, || format!("complaint {id}"))?;
            ComplaintStatus::parse(&s)?.ensure_investigating()?;
        }
    }};
}

/// In transaction `$tx`: attribution `$aid` of complaint `$cid`, active; NotFound otherwise.
macro_rules! active_attribution {
    ($tx:ident, $cid:expr, $aid:expr) => {{
        let row: Option<(i64, bool, String)> = sqlx::query_as(
            "SELECT employee_id, removed, check_result FROM complaint_attributions \
             WHERE id = $1 AND complaint_id = $2",
        )
        .bind($aid)
        .bind($cid)
        .fetch_optional(&mut *$tx)
        .await?;
        let (employee_id, removed, check) = found(row, || format!("attribution {}", $aid))?;
        if removed {
            return Err(invalid("attribution", &$aid.to_string(), "already removed"));
        }
        (employee_id, check)
    }};
}

impl Store {
    /// Registers a complaint (audited `complaint.register`).
    pub async fn register_complaint(
        &self,
        c: &NewComplaint,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        self.insert_complaint(c, None, by, at).await
    }

    /// Registers a complaint imported from a file under its source `reference` (audited
    /// `complaint.register`, with the reference); `None` when a complaint with that reference
    /// already exists (re-importing a file changes nothing).
    pub async fn register_imported_complaint(
        &self,
        c: &NewComplaint,
        reference: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let reference = complaint::reason("complaint reference", reference)?;
        let sql = "SELECT id FROM complaints WHERE reference = $1";
        let known: Option<(i64,)> =
            on_pool!(self, p => sqlx::query_as(sql).bind(&reference).fetch_optional(p).await)?;
        if known.is_some() {
            return Ok(None);
        }
        match self.insert_complaint(c, Some(&reference), by, at).await {
            Ok(id) => Ok(Some(id)),
            // A concurrent import registered it first: unchanged as well.
            Err(StoreError::Conflict(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn insert_complaint(
        &self,
        c: &NewComplaint,
        reference: Option<&str>,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let channel = complaint::reason("complaint channel", &c.channel)?;
        let summary = complaint::reason("complaint summary", &c.summary)?;
        let customer = c
            .customer_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(j) = c.journey_id {
            self.journey(j).await?;
        }
        let sql = "INSERT INTO complaints (channel, customer_id, occurred_at, summary, journey_id, \
                   status, registered_by, registered_at, reference) \
                   VALUES ($1, $2, $3, $4, $5, 'registered', $6, $7, $8) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let (id,): (i64,) = sqlx::query_as(sql)
                .bind(&channel)
                .bind(customer)
                .bind(c.occurred_at)
                .bind(&summary)
                .bind(c.journey_id)
                .bind(by)
                .bind(at)
                .bind(reference)
                .fetch_one(&mut *tx)
                .await
                .conflict(|| format!("complaint {}", reference.unwrap_or_default()))?;
            let mut detail = serde_json::json!({
                "channel": channel, "customer_id": customer,
                "occurred_at": c.occurred_at.to_string(), "summary": summary,
                "journey_id": c.journey_id,
            });
            if let Some(r) = reference {
                detail["reference"] = r.into();
            }
            tx.append_audit(&audit(by, "complaint.register", id, detail, at)).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Links an interaction (`calls`, `tickets`, `chats`) to an undecided complaint (audited
    /// `complaint.link`).
    pub async fn link_complaint(
        &self,
        id: i64,
        kind: &str,
        source: &str,
        record_id: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if !matches!(kind, "calls" | "tickets" | "chats") {
            return Err(invalid(
                "link kind",
                kind,
                "expected calls, tickets or chats",
            ));
        }
        let source = complaint::reason("record source", source)?;
        let record_id = complaint::reason("record id", record_id)?;
        if !self.complaint(id).await?.status()?.is_open() {
            return Err(invalid("complaint", &id.to_string(), "already decided"));
        }
        let sql = "INSERT INTO complaint_links (complaint_id, kind, source, record_id, linked_by, \
                   linked_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            sqlx::query(sql)
                .bind(id).bind(kind).bind(&source).bind(&record_id).bind(by).bind(at)
                .execute(&mut *tx)
                .await
                .conflict(|| format!("link {kind}:{source}:{record_id}"))?;
            tx.append_audit(&audit(by, "complaint.link", id, serde_json::json!({
                "kind": kind, "source": source, "record_id": record_id,
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// registered → investigating (audited `complaint.investigate`); any other state is
    /// refused by the state machine.
    pub async fn start_investigation(
        &self,
        id: i64,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            let n = sqlx::query(
                "UPDATE complaints SET status = 'investigating' WHERE id = $1 AND status = 'registered'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                let s: Option<(String,)> = sqlx::query_as("SELECT status FROM complaints WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let (s,) = found(s, || format!("complaint {id}"))?;
                ComplaintStatus::parse(&s)?.start_investigation()?;
            }
            tx.append_audit(&audit(by, "complaint.investigate", id, serde_json::json!({
                "from": "registered", "to": "investigating",
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds an attribution to an investigated complaint, cross-checked against the records
    /// of the employee and the customer around the service time (the stage's line sets the
    /// tolerance). Audited `complaint.attribute` with the check. Returns its id and check.
    pub async fn add_attribution(
        &self,
        id: i64,
        a: &NewAttribution,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(i64, CrossCheck), StoreError> {
        let c = self.complaint(id).await?;
        c.status()?.ensure_investigating()?;
        let (stage, line) = self.stage_and_line(a.stage_id).await?;
        self.employee(a.employee_id).await?;
        let service_at = a.service_at.unwrap_or(c.complaint.occurred_at);
        let day = service_at.date();
        // A week beyond the tolerance, so that "served this customer, but on another day"
        // can be told from "no record at all".
        let slack = chrono::Days::new(u64::from(line.tolerance.days) + 7);
        let records = self
            .service_records(
                Some(a.employee_id),
                c.complaint.customer_id.as_deref(),
                day - slack,
                day + slack,
            )
            .await?;
        let records: Vec<_> = records.into_iter().map(|r| r.record).collect();
        let claim = Claim {
            employee_id: a.employee_id,
            source: stage.source,
            at: service_at,
            customer_id: c.complaint.customer_id.as_deref(),
        };
        let check = cross_check(&claim, &records, line.tolerance);
        let note = a.note.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let sql = "INSERT INTO complaint_attributions (complaint_id, stage_id, employee_id, \
                   service_at, service_date, note, check_result, added_by, added_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            lock_investigating!(tx, id);
            let (aid,): (i64,) = sqlx::query_as(sql)
                .bind(id).bind(a.stage_id).bind(a.employee_id).bind(service_at).bind(day)
                .bind(note).bind(check.as_str()).bind(by).bind(at)
                .fetch_one(&mut *tx)
                .await?;
            tx.append_audit(&audit(by, "complaint.attribute", id, serde_json::json!({
                "attribution_id": aid, "stage_id": a.stage_id, "employee_id": a.employee_id,
                "service_at": service_at.to_string(), "note": note, "check": check.as_str(),
            }), at)).await?;
            tx.commit().await?;
            Ok((aid, check))
        })
    }

    /// Marks an attribution removed, with a written reason (audited `complaint.unattribute`);
    /// the row stays.
    pub async fn remove_attribution(
        &self,
        id: i64,
        attribution_id: i64,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = complaint::reason("removal reason", reason)?;
        let sql = "UPDATE complaint_attributions SET removed = $3, removed_reason = $4, \
                   removed_by = $5, removed_at = $6 WHERE id = $1 AND complaint_id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            lock_investigating!(tx, id);
            let (employee_id, _) = active_attribution!(tx, id, attribution_id);
            sqlx::query(sql)
                .bind(attribution_id).bind(id).bind(true).bind(&reason).bind(by).bind(at)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&audit(by, "complaint.unattribute", id, serde_json::json!({
                "attribution_id": attribution_id, "employee_id": employee_id, "reason": reason,
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Marks an attribution upheld or not, for a partly upheld decision (audited
    /// `complaint.mark`).
    pub async fn mark_attribution(
        &self,
        id: i64,
        attribution_id: i64,
        upheld: bool,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql =
            "UPDATE complaint_attributions SET upheld = $3 WHERE id = $1 AND complaint_id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            lock_investigating!(tx, id);
            let (employee_id, _) = active_attribution!(tx, id, attribution_id);
            sqlx::query(sql).bind(attribution_id).bind(id).bind(upheld).execute(&mut *tx).await?;
            tx.append_audit(&audit(by, "complaint.mark", id, serde_json::json!({
                "attribution_id": attribution_id, "employee_id": employee_id, "upheld": upheld,
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Resolves an attribution's cross-check mismatch with a written reason (audited
    /// `complaint.resolve`, the mismatch kept beside it). Refused when the check was ok.
    pub async fn resolve_mismatch(
        &self,
        id: i64,
        attribution_id: i64,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let reason = complaint::reason("resolution", reason)?;
        let sql = "UPDATE complaint_attributions SET resolution = $3, resolved_by = $4, \
                   resolved_at = $5 WHERE id = $1 AND complaint_id = $2";
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            lock_investigating!(tx, id);
            let (employee_id, check) = active_attribution!(tx, id, attribution_id);
            if check == "ok" {
                return Err(invalid("attribution", &attribution_id.to_string(), "the records confirm it; there is no mismatch to resolve"));
            }
            sqlx::query(sql).bind(attribution_id).bind(id).bind(&reason).bind(by).bind(at)
                .execute(&mut *tx)
                .await?;
            tx.append_audit(&audit(by, "complaint.resolve", id, serde_json::json!({
                "attribution_id": attribution_id, "employee_id": employee_id,
                "mismatch": check, "resolution": reason,
            }), at)).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Decides an investigated complaint with a written reason: the state machine picks the
    /// attributions that become findings (dated the decision's day, so counted in its
    /// period: PeriodClosed if that period is closed), all in one transaction audited
    /// `complaint.decide`. Returns (finding id, employee id) pairs.
    pub async fn decide_complaint(
        &self,
        id: i64,
        outcome: Outcome,
        reason: &str,
        by: &str,
        at: DateTime<Utc>,
        on: chrono::NaiveDate,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let reason = complaint::reason("decision reason", reason)?;
        let to = ComplaintStatus::Decided(outcome).as_str();
        let flip = "UPDATE complaints SET status = $2, decision_reason = $3, decided_by = $4, \
                    decided_at = $5 WHERE id = $1 AND status = 'investigating'";
        let c = self.complaint(id).await?;
        on_pool!(self, p => {
            let mut tx = p.begin_write().await?;
            lock_investigating!(tx, id);
            ensure_open!(tx, Period::containing(on));
            let rows: Vec<ARow> = sqlx::query_as(A_SELECT).bind(id).fetch_all(&mut *tx).await?;
            let rows = rows.into_iter().map(arow).collect::<Result<Vec<_>, _>>()?;
            let view: Vec<Attribution> = rows.iter().map(|r| Attribution {
                id: r.id,
                employee_id: r.employee_id,
                removed: r.removed,
                upheld: r.upheld,
                check: r.check,
                resolution: r.resolution.clone(),
            }).collect();
            let chosen = jixiao_core::fairness::decide(ComplaintStatus::Investigating, outcome, &view)?;
            sqlx::query(flip).bind(id).bind(to).bind(&reason).bind(by).bind(at)
                .execute(&mut *tx)
                .await?;
            let mut made = Vec::new();
            for r in rows.iter().filter(|r| chosen.contains(&r.id)) {
                let nf = NewFinding {
                    origin: "complaint",
                    employee_id: r.employee_id,
                    date: on,
                    journey_id: c.complaint.journey_id,
                    stage_id: Some(r.stage_id),
                    complaint_id: Some(id),
                    attribution_id: Some(r.id),
                    reason: format!("complaint #{id} {to}: {reason}"),
                };
                let fid = insert_finding!(tx, &nf, at);
                made.push((fid, r.employee_id));
            }
            tx.append_audit(&audit(by, "complaint.decide", id, serde_json::json!({
                "from": "investigating", "to": to, "reason": reason,
                "findings": made.iter().map(|(f, e)| serde_json::json!({"id": f, "employee_id": e})).collect::<Vec<_>>(),
            }), at)).await?;
            tx.commit().await?;
            Ok(made)
        })
    }

    /// Complaints `v` may see, newest first (at most 500).
    pub async fn complaints(&self, v: &Visibility) -> Result<Vec<ComplaintRow>, StoreError> {
        let sql = format!(
            "SELECT {C_COLUMNS} FROM complaints c{} ORDER BY c.id DESC LIMIT 500",
            visible(v)
        );
        let rows: Vec<CRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(crow).collect())
    }

    /// Whether `v` may see complaint `id` (false when it does not exist).
    pub async fn complaint_visible(&self, id: i64, v: &Visibility) -> Result<bool, StoreError> {
        let filter = visible(v);
        let cond = if filter.is_empty() {
            " WHERE c.id = $1".to_string()
        } else {
            format!("{filter} AND c.id = $1")
        };
        let sql = format!("SELECT COUNT(*) FROM complaints c{cond}");
        let (n,): (i64,) = on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_one(p).await)?;
        Ok(n > 0)
    }

    /// One complaint with links and attributions; NotFound if absent.
    pub async fn complaint(&self, id: i64) -> Result<ComplaintDetail, StoreError> {
        let sql = format!("SELECT {C_COLUMNS} FROM complaints c WHERE c.id = $1");
        let links = "SELECT kind, source, record_id FROM complaint_links WHERE complaint_id = $1 ORDER BY id";
        type LRow = (String, String, String);
        let (row, links, attrs): (Option<CRow>, Vec<LRow>, Vec<ARow>) = on_pool!(self, p => (
            sqlx::query_as(&sql).bind(id).fetch_optional(p).await?,
            sqlx::query_as(links).bind(id).fetch_all(p).await?,
            sqlx::query_as(A_SELECT).bind(id).fetch_all(p).await?,
        ));
        let complaint = crow(found(row, || format!("complaint {id}"))?);
        Ok(ComplaintDetail {
            complaint,
            links: links
                .into_iter()
                .map(|(kind, source, record_id)| ComplaintLink {
                    kind,
                    source,
                    record_id,
                })
                .collect(),
            attributions: attrs.into_iter().map(arow).collect::<Result<_, _>>()?,
        })
    }
}
