//! Per-period sums of the stored scorecards, added up by the database from the summary columns
//! (one aggregate over the scorecards' primary key, whatever the center's size): the center
//! overview's 12-month trends.

use jixiao_core::Period;
use jixiao_core::money::from_scaled;
use rust_decimal::Decimal;

use crate::{Store, StoreError, corrupt};

/// The stored scorecards of one period, summed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PeriodSummary {
    /// The period.
    pub period: Period,
    /// Scorecards (one per agent and team segment).
    pub cards: u32,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// Σ total score over the cards that have one.
    pub total_sum: Decimal,
    /// Cards that have a total score.
    pub totals: u32,
}

impl PeriodSummary {
    /// The mean total score of the cards that have one, to two decimals (half away from
    /// zero); `None` when none has.
    pub fn average_total(&self) -> Option<Decimal> {
        let n = Decimal::from(self.totals);
        let mean = self.total_sum.checked_div(n)?;
        Some(mean.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
    }
}

fn count(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

impl Store {
    /// The sums of the stored scorecards of each of `periods` that has any, oldest first.
    /// One query grouped by period; a period without cards has no summary.
    pub async fn period_summaries(
        &self,
        periods: &[Period],
    ) -> Result<Vec<PeriodSummary>, StoreError> {
        if periods.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (1..=periods.len()).map(|i| format!("${i}")).collect();
        // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back to BIGINT. The summary columns'
        // scales (migration 0001): points ×10⁴, total ×10².
        let sql = format!(
            "SELECT period, COUNT(*), CAST(SUM(handled) AS BIGINT), CAST(SUM(points) AS BIGINT), \
             CAST(SUM(total) AS BIGINT), COUNT(total) FROM scorecards \
             WHERE period IN ({}) GROUP BY period ORDER BY period",
            marks.join(", ")
        );
        let keys: Vec<String> = periods.iter().map(ToString::to_string).collect();
        type Row = (String, i64, Option<i64>, Option<i64>, Option<i64>, i64);
        let rows: Vec<Row> = on_pool!(self, p => {
            let mut q = sqlx::query_as(&sql);
            for k in &keys {
                q = q.bind(k);
            }
            q.fetch_all(p).await
        })?;
        rows.into_iter()
            .map(|(period, cards, handled, points, total, totals)| {
                Ok(PeriodSummary {
                    period: period
                        .parse()
                        .map_err(|_| corrupt("stored period", &period, "expected YYYY-MM"))?,
                    cards: count(cards),
                    handled: u64::try_from(handled.unwrap_or_default().max(0)).unwrap_or(0),
                    points: from_scaled(points.unwrap_or_default(), 4),
                    total_sum: from_scaled(total.unwrap_or_default(), 2),
                    totals: count(totals),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn the_average_total_counts_only_cards_with_a_total() {
        let s = PeriodSummary {
            period: "2026-10".parse().unwrap(),
            cards: 4,
            handled: 10,
            points: dec!(1.5),
            total_sum: dec!(170),
            totals: 3,
        };
        assert_eq!(s.average_total(), Some(dec!(56.67)));
        let none = PeriodSummary { totals: 0, ..s };
        assert_eq!(none.average_total(), None);
    }
}
