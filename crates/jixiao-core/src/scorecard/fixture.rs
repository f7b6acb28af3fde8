//! Cards for the post-pass tests (quotas, unit attainment): `handled` calls of one type at one
//! point each, 100 s of talk apiece, scored for a full 30-day month at a unit price of 1.

use std::collections::BTreeMap;

use rust_decimal::{Decimal, dec};

use super::{Rules, Scorecard, SegmentInput, score_segment};
use crate::kpi::{MeasureTotals, Partial, TypeTally};
use crate::money::RoundingRule;
use crate::org::TypeCode;
use crate::scheme::Scheme;

/// The card of `employee_no` (id `employee_id`) in team `team_id` under `scheme`.
pub(crate) fn inq_card(
    scheme: &Scheme,
    employee_id: i64,
    employee_no: &str,
    team_id: i64,
    handled: u64,
) -> Scorecard {
    let coefficients: BTreeMap<TypeCode, Decimal> =
        [(TypeCode::parse("INQ").unwrap(), dec!(1))].into();
    let mut p = Partial::default();
    p.by_type.insert(
        TypeCode::parse("INQ").unwrap(),
        TypeTally {
            handled,
            talk_secs: handled * 100,
            hold_secs: 0,
            acw_secs: 0,
        },
    );
    let totals = MeasureTotals::from_partial(&p, &coefficients).unwrap();
    score_segment(
        &SegmentInput {
            employee_id,
            employee_no,
            name: "n",
            team_id,
            days: 30,
            period_days: 30,
            partial: &p,
            totals: &totals,
        },
        &Rules {
            scheme,
            coefficients: &coefficients,
            unit_price: dec!(1),
            rounding: RoundingRule::default(),
        },
    )
}
