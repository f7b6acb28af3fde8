//! Active findings into the scorecard measures: complaint findings → `complaints_upheld`,
//! survey findings → `journey_findings`, each in the team its employee belonged to on the
//! finding's date. Overturned findings count nothing.

use std::collections::BTreeMap;

use jixiao_core::kpi::MeasureTotals;

use super::COVERING;
use super::sums::{Key, Sum, count_if};
use crate::{Store, StoreError};

impl Store {
    /// Adds the period's active findings to the segments' measures.
    pub(super) async fn tally_findings(
        &self,
        period: &str,
        totals: &mut BTreeMap<Key, MeasureTotals>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT r.employee_id, m.team_id, {}, {} FROM findings r {COVERING} \
             WHERE r.period = $1 AND r.status = 'active' GROUP BY r.employee_id, m.team_id",
            count_if("r.origin = 'complaint'"),
            count_if("r.origin = 'survey'"),
        );
        const SUMS: &[Sum] = &[("complaints_upheld", 0), ("journey_findings", 0)];
        self.add_sums(&sql, period, &[], SUMS, totals).await
    }
}
