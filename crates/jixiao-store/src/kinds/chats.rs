//! Chat sessions: the `chat_sessions` table, and listing an agent's sessions.

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};
use jixiao_core::Period;
use jixiao_core::org::AgentRef;
use jixiao_core::record::ChatRecord;

use super::{Item, Kind, Problem, employee_ids, int, key_columns, opt_int, opt_text};
use super::{period_and_date, text};
use crate::dialect::Col;
use crate::records::{page_of, record_filter};
use crate::{Page, PageReq, Store, StoreError, secs};

impl Kind for ChatRecord {
    const TABLE: &'static str = "chat_sessions";
    const DATE_COLUMN: &'static str = "started_at";
    const COLUMNS: &'static [&'static str] = &[
        "source",
        "record_id",
        "period",
        "date",
        "started_at",
        "employee_id",
        "customer_id",
        "shop",
        "customer_messages",
        "agent_replies",
        "first_response_secs",
        "total_response_secs",
        "is_inquiry",
        "import_id",
    ];
    fn key(&self) -> (&str, &str) {
        (&self.source, &self.record_id)
    }
    fn date(&self) -> NaiveDate {
        ChatRecord::date(self)
    }
    fn date_value(&self) -> String {
        self.started_at.format("%Y-%m-%d %H:%M:%S").to_string()
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
            Col::Ts(items.iter().map(|i| i.rec.started_at).collect()),
            employee_ids(items),
            text(items, |i| i.rec.customer_id.clone()),
            opt_text(items, |i| i.rec.shop.clone()),
            int(items, |i| i.rec.customer_messages.into()),
            int(items, |i| i.rec.agent_replies.into()),
            opt_int(items, |i| i.rec.first_response_secs.map(i64::from)),
            int(items, |i| i.rec.total_response_secs.into()),
            Col::Bool(items.iter().map(|i| i.rec.is_inquiry).collect()),
            int(items, |_| import_id),
        ]
    }
}

type ChatRow = (
    String,
    String,
    NaiveDateTime,
    String,
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    i64,
    bool,
);

fn chat(r: ChatRow) -> Result<ChatRecord, StoreError> {
    Ok(ChatRecord {
        source: r.0,
        record_id: r.1,
        started_at: r.2,
        employee_no: AgentRef::parse(&r.3)?,
        customer_id: r.4,
        shop: r.5,
        customer_messages: secs(r.6),
        agent_replies: secs(r.7),
        first_response_secs: r.8.map(secs),
        total_response_secs: secs(r.9),
        is_inquiry: r.10,
    })
}

impl Store {
    /// Chat sessions an employee served in a period (optionally only while in one team), by
    /// start time.
    pub async fn chats_of(
        &self,
        employee_id: i64,
        team_id: Option<i64>,
        period: Period,
        page: PageReq,
    ) -> Result<Page<ChatRecord>, StoreError> {
        let filter = record_filter("s");
        let sql = format!(
            "SELECT s.source, s.record_id, s.started_at, e.employee_no, s.customer_id, s.shop, \
             s.customer_messages, s.agent_replies, s.first_response_secs, \
             s.total_response_secs, s.is_inquiry \
             FROM chat_sessions s JOIN employees e ON e.id = s.employee_id WHERE {filter} \
             ORDER BY s.started_at, s.source, s.record_id LIMIT $4 OFFSET $5"
        );
        let count = format!("SELECT COUNT(*) FROM chat_sessions s WHERE {filter}");
        let (rows, total, page): (Vec<ChatRow>, i64, PageReq) = self
            .paged_records(&sql, &count, employee_id, team_id, period, page)
            .await?;
        let items = rows.into_iter().map(chat).collect::<Result<_, _>>()?;
        Ok(page_of(items, total, page))
    }
}
