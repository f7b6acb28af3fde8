//! [`Partial`]: the tallies one agent accumulates in one team over some days.
//!
//! The contract, as in DataFusion's `Accumulator`: `add_*` updates from single records,
//! [`Partial::merge`] combines two partials, and [`Partial::evaluate`] turns a partial into KPI
//! values. For any split of a record set into parts, merging the parts' partials and evaluating
//! gives exactly the same values as evaluating one partial of the whole set.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{KpiCode, KpiValue};
use crate::org::TypeCode;
use crate::record::{CallRecord, QaRecord};

/// Handled calls and their times for one business type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeTally {
    /// Handled calls.
    pub handled: u64,
    /// Σ talk seconds.
    pub talk_secs: u64,
    /// Σ hold seconds.
    pub hold_secs: u64,
    /// Σ after-call-work seconds.
    pub acw_secs: u64,
}

impl TypeTally {
    /// Talk + hold + after-call work.
    pub fn handle_secs(&self) -> u64 {
        self.talk_secs + self.hold_secs + self.acw_secs
    }

    fn merge(&mut self, o: &TypeTally) {
        self.handled += o.handled;
        self.talk_secs += o.talk_secs;
        self.hold_secs += o.hold_secs;
        self.acw_secs += o.acw_secs;
    }
}

/// Summable tallies from which every KPI of the slice is evaluated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partial {
    /// Handled calls by business type.
    pub by_type: BTreeMap<TypeCode, TypeTally>,
    /// Survey answers received.
    pub survey_answers: u64,
    /// Survey answers scoring 4 or 5.
    pub survey_top2: u64,
    /// QA reviews received.
    pub qa_reviews: u64,
    /// Σ QA scores, a critical failure counted as 0.
    pub qa_score_sum: Decimal,
    /// Reviews with a critical failure.
    pub qa_critical: u64,
}

impl Partial {
    /// Adds one call; abandoned calls are not handled and add nothing.
    pub fn add_call(&mut self, c: &CallRecord) {
        if !c.outcome.is_handled() {
            return;
        }
        let t = self.by_type.entry(c.business_type.clone()).or_default();
        t.merge(&TypeTally {
            handled: 1,
            talk_secs: c.talk_secs.into(),
            hold_secs: c.hold_secs.into(),
            acw_secs: c.acw_secs.into(),
        });
    }

    /// Adds one survey answer on the 1–5 scale.
    pub fn add_survey(&mut self, score: u8) {
        self.survey_answers += 1;
        if score >= 4 {
            self.survey_top2 += 1;
        }
    }

    /// Adds one QA review.
    pub fn add_qa(&mut self, r: &QaRecord) {
        self.qa_reviews += 1;
        if r.critical_failure {
            self.qa_critical += 1;
        } else {
            self.qa_score_sum += r.score;
        }
    }

    /// Combines another partial into this one.
    pub fn merge(&mut self, o: &Partial) {
        for (code, t) in &o.by_type {
            self.by_type.entry(code.clone()).or_default().merge(t);
        }
        self.survey_answers += o.survey_answers;
        self.survey_top2 += o.survey_top2;
        self.qa_reviews += o.qa_reviews;
        self.qa_score_sum += o.qa_score_sum;
        self.qa_critical += o.qa_critical;
    }

    /// Handled calls over all types.
    pub fn handled(&self) -> u64 {
        self.by_type.values().map(|t| t.handled).sum()
    }

    /// Handle seconds over all types.
    pub fn handle_secs(&self) -> u64 {
        self.by_type.values().map(TypeTally::handle_secs).sum()
    }

    /// Workload points under the given coefficients; a type without a coefficient earns 0.
    pub fn points(&self, coefficients: &BTreeMap<TypeCode, Decimal>) -> Decimal {
        self.by_type
            .iter()
            .map(|(code, t)| {
                Decimal::from(t.handled) * coefficients.get(code).copied().unwrap_or_default()
            })
            .sum()
    }

    /// Evaluates one KPI. Points need the coefficients; the other KPIs ignore them.
    pub fn evaluate(&self, kpi: KpiCode, coefficients: &BTreeMap<TypeCode, Decimal>) -> KpiValue {
        let one = Decimal::ONE;
        match kpi {
            KpiCode::Handled => {
                let n = Decimal::from(self.handled());
                KpiValue {
                    value: Some(n),
                    numerator: n,
                    denominator: one,
                }
            }
            KpiCode::Points => {
                let p = self.points(coefficients);
                KpiValue {
                    value: Some(p),
                    numerator: p,
                    denominator: one,
                }
            }
            KpiCode::Aht => KpiValue::ratio(kpi, self.handle_secs().into(), self.handled().into()),
            KpiCode::Csat => {
                KpiValue::ratio(kpi, self.survey_top2.into(), self.survey_answers.into())
            }
            KpiCode::Qa => KpiValue::ratio(kpi, self.qa_score_sum, self.qa_reviews.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Outcome;
    use rust_decimal::dec;

    fn call(t: &str, outcome: Outcome, talk: u32, hold: u32, acw: u32) -> CallRecord {
        CallRecord {
            source: "t".into(),
            record_id: "1".into(),
            started_at: "2026-10-01T09:00:00".parse().unwrap(),
            employee_no: None,
            business_type: TypeCode::parse(t).unwrap(),
            customer_id: None,
            outcome,
            wait_secs: 5,
            talk_secs: talk,
            hold_secs: hold,
            acw_secs: acw,
            channel: Default::default(),
            queue: None,
            transfer_to: None,
        }
    }

    fn coef() -> BTreeMap<TypeCode, Decimal> {
        [("INQ", dec!(1.0)), ("CMP", dec!(3.0))]
            .into_iter()
            .map(|(c, v)| (TypeCode::parse(c).unwrap(), v))
            .collect()
    }

    #[test]
    fn aht_includes_hold_and_after_call_work_and_ignores_abandoned_calls() {
        let mut p = Partial::default();
        p.add_call(&call("INQ", Outcome::Answered, 50, 10, 0));
        p.add_call(&call("CMP", Outcome::Transferred, 150, 0, 30));
        p.add_call(&call("INQ", Outcome::Abandoned, 0, 0, 0));
        let aht = p.evaluate(KpiCode::Aht, &coef());
        assert_eq!(aht.value, Some(dec!(120)));
        assert_eq!((aht.numerator, aht.denominator), (dec!(240), dec!(2)));
        assert_eq!(p.evaluate(KpiCode::Handled, &coef()).value, Some(dec!(2)));
        assert_eq!(p.evaluate(KpiCode::Points, &coef()).value, Some(dec!(4.0)));
    }

    #[test]
    fn csat_is_top_two_box_not_the_mean() {
        let mut p = Partial::default();
        for s in [5, 4, 3, 1] {
            p.add_survey(s);
        }
        // Mean would be 3.25 of 5; top-2-box is 2 of 4 answers.
        assert_eq!(p.evaluate(KpiCode::Csat, &coef()).value, Some(dec!(50)));
    }

    #[test]
    fn a_critical_failure_counts_as_zero_in_the_qa_mean() {
        let mut p = Partial::default();
        let mut r = QaRecord {
            source: "t".into(),
            record_id: "1".into(),
            employee_no: crate::org::AgentRef::parse("A1").unwrap(),
            reviewer_no: None,
            reviewed_on: "2026-10-02".parse().unwrap(),
            score: dec!(90),
            critical_failure: false,
            interaction_id: None,
            form: None,
            items: Vec::new(),
        };
        p.add_qa(&r);
        r.critical_failure = true;
        p.add_qa(&r);
        assert_eq!(p.evaluate(KpiCode::Qa, &coef()).value, Some(dec!(45)));
        assert_eq!(p.qa_critical, 1);
    }

    #[test]
    fn ratios_with_no_denominator_are_no_data_not_zero() {
        let p = Partial::default();
        for k in [KpiCode::Aht, KpiCode::Csat, KpiCode::Qa] {
            assert_eq!(p.evaluate(k, &coef()).value, None, "{k:?}");
        }
        assert_eq!(
            p.evaluate(KpiCode::Handled, &coef()).value,
            Some(Decimal::ZERO)
        );
    }

    #[test]
    fn a_single_record_gives_its_own_values() {
        let mut p = Partial::default();
        p.add_call(&call("CMP", Outcome::Answered, 181, 0, 0));
        p.add_survey(3);
        assert_eq!(p.evaluate(KpiCode::Aht, &coef()).value, Some(dec!(181)));
        assert_eq!(p.evaluate(KpiCode::Csat, &coef()).value, Some(dec!(0)));
    }

    #[test]
    fn ratios_are_rounded_half_away_from_zero_to_two_places() {
        let mut p = Partial::default();
        for s in [5, 4, 1] {
            p.add_survey(s);
        }
        assert_eq!(p.evaluate(KpiCode::Csat, &coef()).value, Some(dec!(66.67)));
    }
}
