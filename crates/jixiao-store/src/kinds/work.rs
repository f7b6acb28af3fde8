//! Work records: the `work_records` table (quantities ×10²), and listing an employee's work.

use std::collections::HashSet;

use chrono::NaiveDate;
use jixiao_core::Period;
use jixiao_core::money::{from_scaled, to_scaled};
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::WorkRecord;

use super::text;
use super::{Item, Kind, Problem, employee_ids, int, key_columns, opt_text, period_and_date};
use crate::dialect::Col;
use crate::records::{page_of, record_filter};
use crate::{Page, PageReq, Store, StoreError};

/// Quantities are stored ×10².
pub(crate) const QUANTITY_SCALE: u32 = jixiao_core::record::QUANTITY_DP;

/// Work types are the source's own codes, not business types: they are not checked against
/// the business type list (which carries call coefficients), only by their shape.
impl Kind for WorkRecord {
    const TABLE: &'static str = "work_records";
    const DATE_COLUMN: &'static str = "date";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "employee_id",
        "work_type",
        "quantity",
        "note",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        self.date
    }
    fn date_value(&self) -> String {
        self.date.to_string()
    }
    fn employee_no(&self) -> Option<&AgentRef> {
        Some(&self.employee_no)
    }
    fn check(&self, _: &HashSet<String>) -> Result<i64, Problem> {
        to_scaled(self.quantity, QUANTITY_SCALE).ok_or_else(|| {
            (
                "quantity",
                self.quantity.to_string(),
                format!("a quantity has at most {QUANTITY_SCALE} decimal places"),
            )
        })
    }
    fn columns(items: &[Item<'_, Self>], import_id: i64) -> Vec<Col> {
        let [source, record_id] = key_columns(items);
        let [period, date] = period_and_date(items);
        vec![
            source,
            record_id,
            period,
            date,
            employee_ids(items),
            text(items, |i| i.rec.work_type.to_string()),
            int(items, |i| i.scaled),
            opt_text(items, |i| i.rec.note.clone()),
            int(items, |_| import_id),
        ]
    }
}

type WorkRow = (
    String,
    String,
    NaiveDate,
    String,
    String,
    i64,
    Option<String>,
);

fn work(r: WorkRow) -> Result<WorkRecord, StoreError> {
    Ok(WorkRecord {
        source: r.0,
        record_id: r.1,
        date: r.2,
        employee_no: AgentRef::parse(&r.3)?,
        work_type: TypeCode::parse(&r.4)?,
        quantity: from_scaled(r.5, QUANTITY_SCALE),
        note: r.6,
    })
}

impl Store {
    /// An employee's work records in a period (optionally only while in one team), by date.
    pub async fn work_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<WorkRecord>, StoreError> {
        let filter = record_filter("w");
        let sql = format!(
            "SELECT w.source, w.record_id, w.date, e.employee_no, w.work_type, w.quantity, \
             w.note FROM work_records w JOIN employees e ON e.id = w.employee_id \
             WHERE {filter} ORDER BY w.date, w.source, w.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM work_records w WHERE {filter}");
        let (rows, total, page): (Vec<WorkRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(work).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }
}
