//! Roll-ups of scorecards into team, department and center rows.
//!
//! Ratios are never averaged: every KPI is re-evaluated from Σ numerators ÷ Σ denominators of
//! the cards' measures, through the engine's own [`KpiValue::ratio`].

use std::collections::{BTreeMap, BTreeSet};

use jixiao_core::kpi::{KpiCode, KpiValue};
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;

/// Summed figures of a group of scorecards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollup {
    /// Distinct employees (an agent who moved between two teams of a group counts once).
    pub headcount: usize,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// Σ handle time ÷ Σ handled.
    pub aht: Option<Decimal>,
    /// Σ top-2 answers × 100 ÷ Σ answers.
    pub csat: Option<Decimal>,
    /// Σ QA scores ÷ Σ reviews.
    pub qa: Option<Decimal>,
    /// Σ variable pay.
    pub pay: Decimal,
    /// Cards per grade.
    pub grades: BTreeMap<String, u32>,
    /// Cards without a total.
    pub ungraded: u32,
}

/// Rolls cards up. Pure; the order of the cards does not matter.
pub fn rollup<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Rollup {
    let mut r = Rollup::default();
    let mut people = BTreeSet::new();
    let mut sums: BTreeMap<KpiCode, (Decimal, Decimal)> = BTreeMap::new();
    for c in cards {
        people.insert(c.employee_id);
        r.handled += c.handled;
        r.points += c.points;
        r.pay += c.variable_pay;
        match &c.grade {
            Some(g) => *r.grades.entry(g.clone()).or_default() += 1,
            None => r.ungraded += 1,
        }
        // Every library KPI where the card has them, so that a center's AHT covers the calls of
        // departments whose scheme does not score AHT; older stored cards only have `kpis`.
        let values: Vec<(KpiCode, &KpiValue)> = if c.measures.is_empty() {
            c.kpis.iter().map(|k| (k.kpi, &k.value)).collect()
        } else {
            c.measures.iter().map(|m| (m.kpi, &m.value)).collect()
        };
        for (kpi, v) in values {
            let s = sums.entry(kpi).or_default();
            s.0 += v.numerator;
            s.1 += v.denominator;
        }
    }
    r.headcount = people.len();
    let eval = |kpi: KpiCode| {
        sums.get(&kpi)
            .and_then(|(num, den)| KpiValue::ratio(kpi, *num, *den).value)
    };
    r.aht = eval(KpiCode::Aht);
    r.csat = eval(KpiCode::Csat);
    r.qa = eval(KpiCode::Qa);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_core::kpi::KpiValue;
    use jixiao_core::scorecard::KpiResult;
    use rust_decimal::dec;

    fn kpi(kpi: KpiCode, num: Decimal, den: Decimal) -> KpiResult {
        KpiResult {
            kpi,
            value: KpiValue {
                value: KpiValue::ratio(kpi, num, den).value,
                numerator: num,
                denominator: den,
            },
            floor: Decimal::ZERO,
            target: Decimal::ONE,
            rule: String::new(),
            linear: None,
            score: None,
            weight: dec!(50),
            effective_weight: None,
            library_kpi: None,
            scoring: None,
            deducted: None,
        }
    }

    fn card(
        id: i64,
        team: i64,
        handled: u64,
        kpis: Vec<KpiResult>,
        grade: Option<&str>,
    ) -> Scorecard {
        Scorecard {
            scheme: None,
            employee_id: id,
            employee_no: format!("A{id}"),
            name: String::new(),
            team_id: team,
            days: 31,
            handled,
            points: Decimal::from(handled),
            points_lines: vec![],
            kpis,
            total: grade.map(|_| dec!(80)),
            grade: grade.map(str::to_string),
            rank_in_team: None,
            unit_price: dec!(0.5),
            variable_pay: Decimal::from(handled) / dec!(2),
            rounding: String::new(),
            rounding_dp: None,
            pay_lines: Vec::new(),
            measures: Vec::new(),
            library: Vec::new(),
            adjustments: Vec::new(),
            unit_attainment: None,
            notes: vec![],
        }
    }

    #[test]
    fn a_department_whose_scheme_does_not_score_aht_still_counts_in_the_center_aht() {
        use jixiao_core::scorecard::Measure;
        let measured = |num, den| Measure {
            kpi: KpiCode::Aht,
            value: kpi(KpiCode::Aht, num, den).value,
        };
        // An agent scored on AHT (600 s over 1 call) and a marketing agent whose scheme has no
        // AHT but who handled 3 calls in 300 s.
        let mut a = card(
            1,
            1,
            1,
            vec![kpi(KpiCode::Aht, dec!(600), dec!(1))],
            Some("C"),
        );
        a.measures = vec![measured(dec!(600), dec!(1))];
        let mut b = card(2, 2, 3, vec![], Some("B"));
        b.measures = vec![measured(dec!(300), dec!(3))];
        assert_eq!(rollup([&a, &b]).aht, Some(dec!(225)));
        // Cards stored before measures existed fall back to their scored KPIs.
        b.measures.clear();
        assert_eq!(rollup([&a, &b]).aht, Some(dec!(600)));
    }

    #[test]
    fn team_aht_is_total_handle_time_over_total_handled_not_the_mean_of_agents() {
        // One call of 600 s and three calls of 100 s: mean of AHTs is 350, the true AHT 225.
        let a = card(
            1,
            1,
            1,
            vec![kpi(KpiCode::Aht, dec!(600), dec!(1))],
            Some("C"),
        );
        let b = card(
            2,
            1,
            3,
            vec![kpi(KpiCode::Aht, dec!(300), dec!(3))],
            Some("A"),
        );
        let r = rollup([&a, &b]);
        assert_eq!(r.aht, Some(dec!(225)));
        assert_eq!((r.handled, r.points, r.pay), (4, dec!(4), dec!(2)));
        assert_eq!(r.grades.get("A"), Some(&1));
        assert_eq!(r.headcount, 2);
    }

    #[test]
    fn csat_rolls_up_from_answer_counts_and_keeps_its_percentage_scale() {
        let a = card(1, 1, 0, vec![kpi(KpiCode::Csat, dec!(1), dec!(1))], None);
        let b = card(2, 1, 0, vec![kpi(KpiCode::Csat, dec!(1), dec!(3))], None);
        let r = rollup([&a, &b]);
        // 2 of 4 answers were top-2: 50 %, not the mean of 100 % and 33.33 %.
        assert_eq!(r.csat, Some(dec!(50)));
        assert_eq!(r.ungraded, 2);
    }

    #[test]
    fn groups_without_data_have_no_value_and_moved_agents_count_once() {
        let a = card(1, 1, 0, vec![kpi(KpiCode::Qa, dec!(0), dec!(0))], None);
        let b = card(1, 2, 0, vec![], None);
        let r = rollup([&a, &b]);
        assert_eq!((r.qa, r.aht, r.csat), (None, None, None));
        assert_eq!(r.headcount, 1);
        assert_eq!(rollup([]), Rollup::default());
    }

    #[test]
    fn qa_rolls_up_from_score_sums() {
        let a = card(1, 1, 0, vec![kpi(KpiCode::Qa, dec!(90), dec!(1))], None);
        let b = card(2, 1, 0, vec![kpi(KpiCode::Qa, dec!(150), dec!(3))], None);
        assert_eq!(rollup([&a, &b]).qa, Some(dec!(60)));
    }
}
