//! One month of QA reviews: 6–10 per working agent, scores 60–100 following the agent's
//! quality, about 2 % critical failures, reviewed by the QA department.

use chrono::{Datelike, Weekday};
use jixiao_core::Period;
use jixiao_core::record::QaRecord;
use rust_decimal::Decimal;

use super::calls::absent_all_month;
use super::rng::Rng;
use super::{DemoCenter, tag, yyyymm};

/// Generates the month's reviews, agent by agent.
pub(crate) fn month(c: &DemoCenter, period: Period) -> Vec<QaRecord> {
    let ym = yyyymm(period);
    let absent = absent_all_month(c, period);
    let working_days: Vec<_> = period
        .first_day()
        .iter_days()
        .take(period.days() as usize)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .collect();
    let mut out = Vec::new();
    for (i, a) in c.agents.iter().enumerate() {
        // Nobody reviews an agent who was not there.
        let days: Vec<_> = working_days
            .iter()
            .copied()
            .filter(|&d| a.dept_on(d).is_some())
            .collect();
        if absent[i] || days.is_empty() {
            continue;
        }
        let mut rng = Rng::new(c.seed, &[tag::QA, ym, i as u64]);
        let reviews = rng.range(6, 10);
        let mut dates: Vec<_> = (0..reviews)
            .map(|_| days[rng.below(days.len() as u64) as usize])
            .collect();
        dates.sort();
        for reviewed_on in dates {
            let reviewer = if c.reviewers.is_empty() {
                None
            } else {
                let r = &c.reviewers[rng.below(c.reviewers.len() as u64) as usize];
                (r != &a.no).then(|| r.clone())
            };
            let mean = 86.0 + 5.0 * a.quality;
            let score = (mean + 6.0 * rng.normal()).clamp(60.0, 100.0);
            // Forms score in half points.
            let halves = (score * 2.0).round() as i64;
            let critical = rng.chance(if a.quality < -1.0 { 0.04 } else { 0.017 });
            out.push(QaRecord {
                source: "demo".into(),
                record_id: format!("Q{ym}-{:06}", out.len() + 1),
                employee_no: a.no.clone().into(),
                reviewer_no: reviewer,
                reviewed_on,
                score: Decimal::new(halves * 5, 1),
                critical_failure: critical,
                interaction_id: None,
                form: None,
                items: Vec::new(),
            });
        }
    }
    out
}
