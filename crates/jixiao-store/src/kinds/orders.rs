//! Orders: the `orders` table (amounts in fen), and listing the orders credited to an agent.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::Period;
use jixiao_core::money::{from_scaled, to_scaled};
use jixiao_core::org::AgentRef;
use jixiao_core::record::OrderRecord;
use rust_decimal::Decimal;

use super::text;
use super::{Item, Kind, Problem, employee_ids, int, key_columns, opt_text, period_and_date};
use crate::dialect::Col;
use crate::records::{page_of, record_filter};
use crate::{Page, PageReq, Store, StoreError};

/// Amounts are stored ×10² (fen).
pub(crate) const AMOUNT_SCALE: u32 = jixiao_core::record::AMOUNT_DP;

fn fen(what: &'static str, v: Decimal) -> Result<i64, Problem> {
    to_scaled(v, AMOUNT_SCALE).ok_or_else(|| {
        (
            what,
            v.to_string(),
            format!("an amount has at most {AMOUNT_SCALE} decimal places"),
        )
    })
}

impl Kind for OrderRecord {
    const TABLE: &'static str = "orders";
    const DATE_COLUMN: &'static str = "placed_at";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "placed_at",
        "paid_at",
        "amount",
        "refunded_amount",
        "customer_id",
        "employee_id",
        "session_record_id",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        OrderRecord::date(self)
    }
    fn date_value(&self) -> String {
        self.placed_at.format("%Y-%m-%d %H:%M:%S").to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        self.employee_no.as_ref()
    }
    /// Both amounts must fit in fen; the scaled value carried along is the amount.
    fn check(&self, _: &HashSet<String>) -> Result<i64, Problem> {
        fen("refunded_amount", self.refunded_amount)?;
        fen("amount", self.amount)
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        let [source, record_id] = key_columns(items);
        let [period, date] = period_and_date(items);
        vec![
            source,
            record_id,
            period,
            date,
            Col::Ts(items.iter().map(|i| i.rec.placed_at).collect()),
            Col::OptTs(items.iter().map(|i| i.rec.paid_at).collect()),
            int(items, |i| i.scaled),
            // `check` let only records whose refund fits in fen through.
            int(items, |i| {
                to_scaled(i.rec.refunded_amount, AMOUNT_SCALE).unwrap_or_default()
            }),
            text(items, |i| i.rec.customer_id.clone()),
            employee_ids(items),
            opt_text(items, |i| i.rec.session_record_id.clone()),
            int(items, |_| import_id),
        ]
    }
}

type OrderRow = (
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    i64,
    i64,
    String,
    String,
    Option<String>,
);

fn order(r: OrderRow) -> Result<OrderRecord, StoreError> {
    Ok(OrderRecord {
        source: r.0,
        record_id: r.1,
        placed_at: r.2,
        paid_at: r.3,
        amount: from_scaled(r.4, AMOUNT_SCALE),
        refunded_amount: from_scaled(r.5, AMOUNT_SCALE),
        customer_id: r.6,
        employee_no: Some(AgentRef::parse(&r.7)?),
        session_record_id: r.8,
    })
}

impl Store {
    /// Orders credited to an employee, placed in a period (optionally only while in one team),
    /// by time placed.
    pub async fn orders_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<OrderRecord>, StoreError> {
        let filter = record_filter("o");
        let sql = format!(
            "SELECT o.source, o.record_id, o.placed_at, o.paid_at, o.amount, \
             o.refunded_amount, o.customer_id, e.employee_no, o.session_record_id \
             FROM orders o JOIN employees e ON e.id = o.employee_id WHERE {filter} \
             ORDER BY o.placed_at, o.source, o.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM orders o WHERE {filter}");
        let (rows, total, page): (Vec<OrderRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(order).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }
}
