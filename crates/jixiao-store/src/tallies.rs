//! Tallies: per (employee, team) partials aggregated in SQL, each record counted in the team the
//! employee belonged to on the record's date.

use std::collections::BTreeMap;

use jixiao_core::Period;
use jixiao_core::kpi::{Partial, TypeTally};
use jixiao_core::money::from_scaled;
use jixiao_core::org::TypeCode;

use crate::kinds::QA_SCALE;
use crate::{SegmentTally, Store, StoreError, unsigned};

/// The membership `m` covers the date of record `r` (a macro so it can be `concat!`ed).
macro_rules! covers {
    () => {
        "m.employee_id = r.employee_id AND m.valid_from <= r.date \
         AND (m.valid_to IS NULL OR r.date <= m.valid_to)"
    };
}

/// Joins record alias `r` to the membership covering its date.
const COVERING: &str = concat!("JOIN memberships m ON ", covers!());

/// Records with no covering membership, by table; `$1` is the period.
fn unassigned_sql(table: &str) -> String {
    format!(
        "SELECT COUNT(*) FROM {table} r WHERE r.period = $1 AND r.employee_id IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM memberships m WHERE {})",
        covers!()
    )
}

impl Store {
    /// Per (employee, team) tallies for the period, aggregated in SQL with each record counted
    /// in the team the employee belonged to on the record's date.
    ///
    /// Records of an employee on a date with no membership are not in any tally; see
    /// [`Store::unassigned_record_count`].
    pub async fn tallies(&self, period: Period) -> Result<Vec<SegmentTally>, StoreError> {
        // Abandoned calls add nothing to a partial, so they are filtered out, not summed as 0.
        let calls = format!(
            "SELECT r.employee_id, m.team_id, r.business_type, CAST(COUNT(*) AS BIGINT), \
             CAST(SUM(r.talk_secs) AS BIGINT), CAST(SUM(r.hold_secs) AS BIGINT), \
             CAST(SUM(r.acw_secs) AS BIGINT) FROM calls r {COVERING} \
             WHERE r.period = $1 AND r.outcome IN ('answered', 'transferred') \
             GROUP BY r.employee_id, m.team_id, r.business_type"
        );
        let surveys = format!(
            "SELECT r.employee_id, m.team_id, CAST(COUNT(*) AS BIGINT), \
             CAST(SUM(CASE WHEN r.score >= 4 THEN 1 ELSE 0 END) AS BIGINT) \
             FROM surveys r {COVERING} WHERE r.period = $1 GROUP BY r.employee_id, m.team_id"
        );
        let qa = format!(
            "SELECT r.employee_id, m.team_id, CAST(COUNT(*) AS BIGINT), \
             CAST(SUM(CASE WHEN r.critical_failure THEN 0 ELSE r.score END) AS BIGINT), \
             CAST(SUM(CASE WHEN r.critical_failure THEN 1 ELSE 0 END) AS BIGINT) \
             FROM qa_reviews r {COVERING} WHERE r.period = $1 GROUP BY r.employee_id, m.team_id"
        );
        let period = period.to_string();
        type CallRow = (i64, i64, String, i64, i64, i64, i64);
        type SurveyRow = (i64, i64, i64, i64);
        type QaRow = (i64, i64, i64, i64, i64);
        let (call_rows, survey_rows, qa_rows): (Vec<CallRow>, Vec<SurveyRow>, Vec<QaRow>) = on_pool!(self, p => (
            sqlx::query_as(&calls).bind(&period).fetch_all(p).await?,
            sqlx::query_as(&surveys).bind(&period).fetch_all(p).await?,
            sqlx::query_as(&qa).bind(&period).fetch_all(p).await?,
        ));

        let mut by_segment: BTreeMap<(i64, i64), Partial> = BTreeMap::new();
        for (employee, team, code, handled, talk, hold, acw) in call_rows {
            let partial = by_segment.entry((employee, team)).or_default();
            partial.by_type.insert(
                TypeCode::parse(&code)?,
                TypeTally {
                    handled: unsigned(handled),
                    talk_secs: unsigned(talk),
                    hold_secs: unsigned(hold),
                    acw_secs: unsigned(acw),
                },
            );
        }
        for (employee, team, answers, top2) in survey_rows {
            let partial = by_segment.entry((employee, team)).or_default();
            partial.survey_answers = unsigned(answers);
            partial.survey_top2 = unsigned(top2);
        }
        for (employee, team, reviews, sum, critical) in qa_rows {
            let partial = by_segment.entry((employee, team)).or_default();
            partial.qa_reviews = unsigned(reviews);
            partial.qa_score_sum = from_scaled(sum, QA_SCALE);
            partial.qa_critical = unsigned(critical);
        }
        Ok(by_segment
            .into_iter()
            .map(|((employee_id, team_id), partial)| SegmentTally {
                employee_id,
                team_id,
                partial,
            })
            .collect())
    }

    /// Records of the period (calls with an agent, surveys, QA reviews) dated on a day when
    /// their employee belonged to no team: they are in no tally, so pages can warn about them.
    pub async fn unassigned_record_count(&self, period: Period) -> Result<i64, StoreError> {
        let period = period.to_string();
        let mut total = 0;
        for table in ["calls", "surveys", "qa_reviews"] {
            let sql = unassigned_sql(table);
            let (n,): (i64,) =
                on_pool!(self, p => sqlx::query_as(&sql).bind(&period).fetch_one(p).await)?;
            total += n;
        }
        Ok(total)
    }
}
