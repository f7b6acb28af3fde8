//! Tickets: the `tickets` table, and listing an agent's tickets.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::Period;
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::TicketRecord;

use super::{Item, Kind, Problem, employee_ids, int, key_columns, known_type, period_and_date};
use super::{opt_text, text};
use crate::dialect::Col;
use crate::records::{page_of, record_filter};
use crate::{Page, PageReq, Store, StoreError, secs};

impl Kind for TicketRecord {
    const TABLE: &'static str = "tickets";
    const DATE_COLUMN: &'static str = "created_at";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "reopen_count",
        "reassignment_count",
        "priority",
        "category",
        "employee_id",
        "sla_met",
        "customer_id",
        "business_type",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        TicketRecord::date(self)
    }
    fn date_value(&self) -> String {
        self.created_at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        self.employee_no.as_ref()
    }
    fn check(&self, types: &HashSet<String>) -> Result<i64, Problem> {
        known_type(self.business_type.as_ref(), types)
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        let ts = |f: fn(&TicketRecord) -> Option<NaiveDateTime>| {
            Col::OptTs(items.iter().map(|i| f(i.rec)).collect())
        };
        let [source, record_id] = key_columns(items);
        let [period, date] = period_and_date(items);
        vec![
            source,
            record_id,
            period,
            date,
            Col::Ts(items.iter().map(|i| i.rec.created_at).collect()),
            ts(|r| r.first_response_at),
            ts(|r| r.resolved_at),
            ts(|r| r.closed_at),
            int(items, |i| i.rec.reopen_count.into()),
            int(items, |i| i.rec.reassignment_count.into()),
            text(items, |i| i.rec.priority.clone()),
            text(items, |i| i.rec.category.clone()),
            employee_ids(items),
            Col::OptBool(items.iter().map(|i| i.rec.sla_met).collect()),
            opt_text(items, |i| i.rec.customer_id.clone()),
            opt_text(items, |i| {
                i.rec.business_type.as_ref().map(|t| t.to_string())
            }),
            int(items, |_| import_id),
        ]
    }
}

type TicketRow = (
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    i64,
    i64,
    String,
    String,
    String,
    Option<bool>,
    Option<String>,
    Option<String>,
);

fn ticket(r: TicketRow) -> Result<TicketRecord, StoreError> {
    Ok(TicketRecord {
        source: r.0,
        record_id: r.1,
        created_at: r.2,
        first_response_at: r.3,
        resolved_at: r.4,
        closed_at: r.5,
        reopen_count: secs(r.6),
        reassignment_count: secs(r.7),
        priority: r.8,
        category: r.9,
        employee_no: Some(AgentRef::parse(&r.10)?),
        sla_met: r.11,
        customer_id: r.12,
        business_type: r.13.as_deref().map(TypeCode::parse).transpose()?,
    })
}

impl Store {
    /// Tickets assigned to an employee, created in a period (optionally only while in one
    /// team), by creation time.
    pub async fn tickets_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<TicketRecord>, StoreError> {
        let filter = record_filter("t");
        let sql = format!(
            "SELECT t.source, t.record_id, t.created_at, t.first_response_at, t.resolved_at, \
             t.closed_at, t.reopen_count, t.reassignment_count, t.priority, t.category, \
             e.employee_no, t.sla_met, t.customer_id, t.business_type \
             FROM tickets t JOIN employees e ON e.id = t.employee_id WHERE {filter} \
             ORDER BY t.created_at, t.source, t.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM tickets t WHERE {filter}");
        let (rows, total, page): (Vec<TicketRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(ticket).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }
}
