//! Measures of the other record kinds, per segment: surveys and QA reviews (which also fill
//! today's partials), tickets, chat sessions and inquiries, orders, attendance, work records.
//! Each record counts in the team its employee belonged to on the record's date.

use std::collections::BTreeMap;

use jixiao_core::kpi::{MeasureTotals, Partial};
use jixiao_core::money::from_scaled;

use super::COVERING;
use super::sums::{Key, Sum, add, count_if, sum};
use crate::kinds::QA_SCALE;
use crate::{Backend, Store, StoreError, unsigned};

/// Money (order amounts) and work quantities are stored ×10².
const HUNDREDTHS: u32 = 2;

/// Whole seconds from `from` to `to` (NULL if either is), per backend: each side is truncated
/// to its second before subtracting, the same on both.
fn secs_between(backend: Backend, from: &str, to: &str) -> String {
    match backend {
        Backend::Sqlite => format!(
            "(CAST(strftime('%s', {to}) AS INTEGER) - CAST(strftime('%s', {from}) AS INTEGER))"
        ),
        Backend::Postgres => format!(
            "(CAST(FLOOR(EXTRACT(EPOCH FROM {to})) AS BIGINT) \
             - CAST(FLOOR(EXTRACT(EPOCH FROM {from})) AS BIGINT))"
        ),
    }
}

/// A per-segment query over `table` (alias `r`) selecting `cols` for the period's records.
fn by_segment(table: &str, cols: &[String], filter: &str) -> String {
    format!(
        "SELECT r.employee_id, m.team_id, {} FROM {table} r {COVERING} \
         WHERE r.period = $1{filter} GROUP BY r.employee_id, m.team_id",
        cols.join(", ")
    )
}

/// An inquiry (agent, day, buyer) converted: the buyer paid an order credited to the agent
/// that the source links to a session of that day, or, with no link, placed that day.
const CONVERTED: &str = "EXISTS (SELECT 1 FROM orders o WHERE o.employee_id = r.employee_id \
     AND o.customer_id = r.customer_id AND o.paid_at IS NOT NULL \
     AND ((o.session_record_id IS NULL AND o.date = r.date) \
       OR EXISTS (SELECT 1 FROM chat_sessions s WHERE s.source = o.source \
         AND s.record_id = o.session_record_id AND s.date = r.date)))";

const PAID: &str = "r.paid_at IS NOT NULL";

impl Store {
    /// Surveys and QA reviews into both the partials and the measures of their segments.
    pub(super) async fn tally_feedback(
        &self,
        period: &str,
        partials: &mut BTreeMap<Key, Partial>,
        totals: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let surveys = by_segment(
            "surveys",
            &["CAST(COUNT(*) AS BIGINT)".into(), count_if("r.score >= 4")],
            "",
        );
        let qa = by_segment(
            "qa_reviews",
            &[
                "CAST(COUNT(*) AS BIGINT)".into(),
                sum("CASE WHEN r.critical_failure THEN 0 ELSE r.score END"),
                count_if("r.critical_failure"),
            ],
            "",
        );
        type SurveyRow = (i64, i64, i64, i64);
        type QaRow = (i64, i64, i64, i64, i64);
        let (survey_rows, qa_rows): (Vec<SurveyRow>, Vec<QaRow>) = on_pool!(self, p => (
            sqlx::query_as(&surveys).bind(period).fetch_all(p).await?,
            sqlx::query_as(&qa).bind(period).fetch_all(p).await?,
        ));
        for (employee, team, answers, top2) in survey_rows {
            let partial = partials.entry((employee, team)).or_default();
            partial.survey_answers = unsigned(answers);
            partial.survey_top2 = unsigned(top2);
            let t = totals.entry((employee, team)).or_default();
            add(t, "surveys", answers.into())?;
            add(t, "surveys_top2", top2.into())?;
        }
        for (employee, team, reviews, score_sum, critical) in qa_rows {
            let partial = partials.entry((employee, team)).or_default();
            partial.qa_reviews = unsigned(reviews);
            partial.qa_score_sum = from_scaled(score_sum, QA_SCALE);
            partial.qa_critical = unsigned(critical);
            let t = totals.entry((employee, team)).or_default();
            add(t, "qa_reviews", reviews.into())?;
            add(t, "qa_score_sum", partial.qa_score_sum)?;
            add(t, "qa_critical_failures", critical.into())?;
        }
        Ok(())
    }

    /// Tickets, chats, inquiries, orders, attendance and work records into the measures.
    pub(super) async fn tally_kinds(
        &self,
        period: &str,
        totals: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let secs = |from, to| sum(&secs_between(self.backend(), from, to));
        let tickets = by_segment(
            "tickets",
            &[
                "CAST(COUNT(*) AS BIGINT)".into(),
                count_if("r.first_response_at IS NOT NULL"),
                secs("r.created_at", "r.first_response_at"),
                count_if("r.resolved_at IS NOT NULL"),
                secs("r.created_at", "r.resolved_at"),
                count_if("r.sla_met"),
                count_if("r.sla_met IS NOT NULL"),
                count_if("r.resolved_at IS NOT NULL AND r.reopen_count > 0"),
            ],
            " AND r.employee_id IS NOT NULL",
        );
        const TICKETS: &[Sum] = &[
            ("tickets", 0),
            ("tickets_responded", 0),
            ("first_response_secs", 0),
            ("tickets_resolved", 0),
            ("resolution_secs", 0),
            ("sla_met", 0),
            ("sla_total", 0),
            ("reopened", 0),
        ];
        let chats = by_segment(
            "chat_sessions",
            &[
                "CAST(COUNT(*) AS BIGINT)".into(),
                count_if("r.first_response_secs IS NOT NULL"),
                sum("r.first_response_secs"),
                sum("r.agent_replies"),
                sum("r.total_response_secs"),
            ],
            "",
        );
        const CHATS: &[Sum] = &[
            ("chat_sessions", 0),
            ("chat_sessions_responded", 0),
            ("chat_first_response_secs", 0),
            ("chat_replies", 0),
            ("chat_response_secs", 0),
        ];
        // A buyer counts once per agent per day (询单人数), so the sessions are made distinct
        // first; the alias `r` keeps the membership join the same as everywhere else.
        let inquiries = format!(
            "SELECT r.employee_id, m.team_id, CAST(COUNT(*) AS BIGINT), {} FROM \
             (SELECT DISTINCT employee_id, date, customer_id FROM chat_sessions \
             WHERE period = $1 AND is_inquiry) r {COVERING} GROUP BY r.employee_id, m.team_id",
            count_if(CONVERTED)
        );
        const INQUIRIES: &[Sum] = &[("inquiries", 0), ("inquiries_converted", 0)];
        let paid_sum = |col: &str| sum(&format!("CASE WHEN {PAID} THEN {col} ELSE 0 END"));
        let orders = by_segment(
            "orders",
            &[
                count_if(PAID),
                format!("CAST(COUNT(DISTINCT CASE WHEN {PAID} THEN r.customer_id END) AS BIGINT)"),
                paid_sum("r.amount"),
                count_if(&format!("{PAID} AND r.refunded_amount > 0")),
                paid_sum("r.refunded_amount"),
            ],
            " AND r.employee_id IS NOT NULL",
        );
        const ORDERS: &[Sum] = &[
            ("orders_paid", 0),
            ("buyers_paid", 0),
            ("order_amount", HUNDREDTHS),
            ("orders_refunded", 0),
            ("refund_amount", HUNDREDTHS),
        ];
        let attendance = by_segment(
            "attendance",
            &[
                count_if("r.scheduled_mins > 0"),
                sum("r.scheduled_mins"),
                sum("r.worked_mins"),
                sum("r.absent_mins"),
                count_if("r.late_mins > 0"),
                sum("r.late_mins"),
            ],
            "",
        );
        const ATTENDANCE: &[Sum] = &[
            ("shifts", 0),
            ("scheduled_mins", 0),
            ("worked_mins", 0),
            ("absent_mins", 0),
            ("late_count", 0),
            ("late_mins", 0),
        ];
        let work = by_segment("work_records", &[sum("r.quantity")], "");
        const WORK: &[Sum] = &[("work_items", HUNDREDTHS)];
        for (sql, sums) in [
            (tickets, TICKETS),
            (chats, CHATS),
            (inquiries, INQUIRIES),
            (orders, ORDERS),
            (attendance, ATTENDANCE),
            (work, WORK),
        ] {
            self.add_sums(&sql, period, &[], sums, totals).await?;
        }
        Ok(())
    }

    /// The center's surveys and QA reviews: every record of the period, in a team or not.
    pub(super) async fn center_feedback(
        &self,
        period: &str,
        into: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let zero = "CAST(0 AS BIGINT), CAST(0 AS BIGINT)";
        let surveys = format!(
            "SELECT {zero}, CAST(COUNT(*) AS BIGINT), {} FROM surveys r WHERE r.period = $1",
            count_if("r.score >= 4")
        );
        let qa = format!(
            "SELECT {zero}, CAST(COUNT(*) AS BIGINT), {}, {} FROM qa_reviews r \
             WHERE r.period = $1",
            sum("CASE WHEN r.critical_failure THEN 0 ELSE r.score END"),
            count_if("r.critical_failure"),
        );
        const SURVEYS: &[Sum] = &[("surveys", 0), ("surveys_top2", 0)];
        const QA: &[Sum] = &[
            ("qa_reviews", 0),
            ("qa_score_sum", QA_SCALE),
            ("qa_critical_failures", 0),
        ];
        self.add_sums(&surveys, period, &[], SURVEYS, into).await?;
        self.add_sums(&qa, period, &[], QA, into).await
    }
}
