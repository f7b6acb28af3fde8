//! Attendance: the `attendance` table, and listing an employee's shifts.

use std::collections::HashSet;

use chrono::NaiveDate;
use jixiao_core::Period;
use jixiao_core::org::AgentRef;
use jixiao_core::record::AttendanceRecord;

use super::{Item, Kind, Problem, employee_ids, int, key_columns, period_and_date};
use crate::dialect::Col;
use crate::records::{page_of, record_filter};
use crate::{Page, PageReq, Store, StoreError, secs};

impl Kind for AttendanceRecord {
    const TABLE: &'static str = "attendance";
    const DATE_COLUMN: &'static str = "date";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "employee_id",
        "scheduled_mins",
        "worked_mins",
        "absent_mins",
        "late_mins",
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
        Ok(0)
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
            int(items, |i| i.rec.scheduled_mins.into()),
            int(items, |i| i.rec.worked_mins.into()),
            int(items, |i| i.rec.absent_mins.into()),
            int(items, |i| i.rec.late_mins.into()),
            int(items, |_| import_id),
        ]
    }
}

type AttendanceRow = (String, String, NaiveDate, String, i64, i64, i64, i64);

fn shift(r: AttendanceRow) -> Result<AttendanceRecord, StoreError> {
    Ok(AttendanceRecord {
        source: r.0,
        record_id: r.1,
        date: r.2,
        employee_no: AgentRef::parse(&r.3)?,
        scheduled_mins: secs(r.4),
        worked_mins: secs(r.5),
        absent_mins: secs(r.6),
        late_mins: secs(r.7),
    })
}

impl Store {
    /// An employee's attendance records in a period (optionally only while in one team), by
    /// date.
    pub async fn attendance_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<AttendanceRecord>, StoreError> {
        let filter = record_filter("a");
        let sql = format!(
            "SELECT a.source, a.record_id, a.date, e.employee_no, a.scheduled_mins, \
             a.worked_mins, a.absent_mins, a.late_mins \
             FROM attendance a JOIN employees e ON e.id = a.employee_id WHERE {filter} \
             ORDER BY a.date, a.source, a.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM attendance a WHERE {filter}");
        let (rows, total, page): (Vec<AttendanceRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(shift).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }
}
