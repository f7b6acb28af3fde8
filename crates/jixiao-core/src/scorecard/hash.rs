//! The snapshot hash: a content hash of a period's scorecards that does not depend on their
//! order or on the decimal scale a backend returned (1.50 and 1.5 hash alike).

use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use super::Scorecard;
use crate::scoring::ScoringRule;

/// A content hash of a set of scorecards, independent of their order.
pub fn snapshot_hash(cards: &[Scorecard]) -> String {
    let mut sorted: Vec<&Scorecard> = cards.iter().collect();
    sorted.sort_by(|a, b| (a.team_id, &a.employee_no).cmp(&(b.team_id, &b.employee_no)));
    let mut h = Sha256::new();
    for c in sorted {
        let json = serde_json::to_string(&normalised(c)).expect("scorecards serialise");
        h.update(json.as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize())
}

fn n(d: Decimal) -> Decimal {
    d.normalize()
}

fn normalised(c: &Scorecard) -> Scorecard {
    let mut c = c.clone();
    c.points = n(c.points);
    c.unit_price = n(c.unit_price);
    c.variable_pay = n(c.variable_pay);
    c.total = c.total.map(n);
    for l in &mut c.points_lines {
        l.coefficient = n(l.coefficient);
        l.points = n(l.points);
    }
    for m in &mut c.measures {
        m.value.value = m.value.value.map(n);
        m.value.numerator = n(m.value.numerator);
        m.value.denominator = n(m.value.denominator);
    }
    for v in &mut c.library {
        v.value = v.value.map(n);
        v.numerator = n(v.numerator);
        v.denominator = n(v.denominator);
    }
    for k in &mut c.kpis {
        k.value.value = k.value.value.map(n);
        k.value.numerator = n(k.value.numerator);
        k.value.denominator = n(k.value.denominator);
        k.floor = n(k.floor);
        k.target = n(k.target);
        k.score = k.score.map(n);
        k.weight = n(k.weight);
        k.effective_weight = k.effective_weight.map(n);
        k.deducted = k.deducted.map(n);
        if let Some(rule) = &mut k.linear {
            rule.floor = n(rule.floor);
            rule.target = n(rule.target);
        }
        if let Some(rule) = &mut k.scoring {
            normalise_rule(rule);
        }
    }
    c
}

fn normalise_rule(rule: &mut ScoringRule) {
    match rule {
        ScoringRule::Linear(r) => {
            r.floor = n(r.floor);
            r.target = n(r.target);
        }
        ScoringRule::Steps(r) => {
            for b in &mut r.bands {
                b.edge = n(b.edge);
                b.score = n(b.score);
            }
        }
        ScoringRule::PassFail(r) => r.threshold = n(r.threshold),
        ScoringRule::DeductionPerEvent(r) => {
            r.points = n(r.points);
            r.cap = r.cap.map(n);
        }
        ScoringRule::Percentile(_) => {}
    }
}
