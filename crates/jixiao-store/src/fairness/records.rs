//! The service records the fairness workflows read: who served a customer, on which record
//! kind, when. Calls, tickets and chat sessions name a customer; work records do not.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use jixiao_core::fairness::{ServiceRecord, StaffSource};

use crate::{Store, StoreError};

/// A record with its key, `kind:source:record_id`, kept as a participant's lineage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyedRecord {
    pub record: ServiceRecord,
    pub key: String,
}

/// (kind, table, time column) of the kinds that name a customer.
const TIMED: [(StaffSource, &str, &str); 3] = [
    (StaffSource::Calls, "calls", "started_at"),
    (StaffSource::Tickets, "tickets", "created_at"),
    (StaffSource::Chats, "chat_sessions", "started_at"),
];

impl Store {
    /// Records dated `from..=to` served by `employee` or for `customer` (either may be None),
    /// of every kind; work records only by the employee (they name no customer).
    pub(crate) async fn service_records(
        &self,
        employee: Option<i64>,
        customer: Option<&str>,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<KeyedRecord>, StoreError> {
        let mut out = Vec::new();
        type Timed = (Option<i64>, Option<String>, NaiveDateTime, String, String);
        for (kind, table, at) in TIMED {
            let sql = format!(
                "SELECT employee_id, customer_id, {at}, source, record_id FROM {table} \
                 WHERE date >= $1 AND date <= $2 AND (employee_id = $3 OR customer_id = $4) \
                 ORDER BY {at}, source, record_id"
            );
            let rows: Vec<Timed> = on_pool!(self, p => {
                sqlx::query_as(&sql)
                    .bind(from)
                    .bind(to)
                    .bind(employee)
                    .bind(customer)
                    .fetch_all(p)
                    .await
            })?;
            out.extend(rows.into_iter().map(|(e, c, at, source, id)| KeyedRecord {
                record: ServiceRecord {
                    kind,
                    employee_id: e,
                    customer_id: c,
                    at,
                },
                key: format!("{}:{source}:{id}", kind.as_str()),
            }));
        }
        if let Some(employee) = employee {
            let sql = "SELECT date, source, record_id FROM work_records \
                       WHERE date >= $1 AND date <= $2 AND employee_id = $3 \
                       ORDER BY date, source, record_id";
            let rows: Vec<(NaiveDate, String, String)> = on_pool!(self, p => {
                sqlx::query_as(sql).bind(from).bind(to).bind(employee).fetch_all(p).await
            })?;
            out.extend(rows.into_iter().map(|(d, source, id)| KeyedRecord {
                record: ServiceRecord {
                    kind: StaffSource::Work,
                    employee_id: Some(employee),
                    customer_id: None,
                    at: d.and_time(NaiveTime::MIN),
                },
                key: format!("work:{source}:{id}"),
            }));
        }
        Ok(out)
    }
}
