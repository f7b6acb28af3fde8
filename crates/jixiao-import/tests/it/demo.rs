//! The seeded demo center: determinism, shapes and realism.

use std::collections::{BTreeMap, HashMap, HashSet};

use jixiao_core::Period;
use jixiao_core::kpi::{MeasureTotals, Partial};
use jixiao_core::money::RoundingRule;
use jixiao_core::org::TypeCode;
use jixiao_core::record::Outcome;
use jixiao_core::scorecard::{Rules, SegmentInput, score_segment};
use jixiao_import::canonical::{file_hash, write_calls};
use jixiao_import::demo::{DemoCenter, DemoParams};
use rust_decimal::Decimal;

fn oct() -> Period {
    "2026-10".parse().unwrap()
}

fn small(seed: u64) -> DemoCenter {
    DemoCenter::generate(&DemoParams {
        seed,
        agents: 60,
        ..DemoParams::default()
    })
}

fn calls_hash(c: &DemoCenter, p: Period) -> String {
    let mut buf = Vec::new();
    write_calls(&c.calls_for(p), &mut buf).unwrap();
    file_hash(&buf)
}

#[test]
fn the_same_seed_gives_the_same_center_and_months_in_any_order() {
    let a = small(7);
    let b = small(7);
    assert_eq!(a.employees, b.employees);
    assert_eq!(a.memberships, b.memberships);
    let sep: Period = "2026-09".parse().unwrap();
    let oct_first = calls_hash(&a, oct());
    assert_eq!(calls_hash(&b, sep), calls_hash(&a, sep));
    assert_eq!(calls_hash(&b, oct()), oct_first);
    assert_eq!(a.surveys_for(oct()), b.surveys_for(oct()));
    assert_eq!(a.qa_for(oct()), b.qa_for(oct()));
}

#[test]
fn one_month_run_gives_the_same_calls_and_surveys_as_the_separate_ones() {
    let c = small(7);
    let (calls, surveys) = c.month_records(oct());
    assert_eq!(calls, c.calls_for(oct()));
    assert_eq!(surveys, c.surveys_for(oct()));
    assert!(!surveys.is_empty());
}

#[test]
fn a_different_seed_gives_a_different_center() {
    assert_ne!(calls_hash(&small(7), oct()), calls_hash(&small(8), oct()));
    assert_ne!(small(7).employees, small(8).employees);
}

#[test]
fn the_default_center_has_four_departments_about_twenty_teams_and_300_agents() {
    let c = DemoCenter::generate(&DemoParams::default());
    let codes: Vec<&str> = c.departments.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["CALL", "MKT", "CMP", "QA"]);
    assert!(
        (18..=22).contains(&c.teams.len()),
        "{} teams",
        c.teams.len()
    );
    let agents = c.employees.iter().filter(|e| e.position == "agent").count();
    let sups: HashSet<_> = c
        .teams
        .iter()
        .filter_map(|t| t.supervisor_no.clone())
        .collect();
    assert_eq!(agents, 300);
    assert_eq!(sups.len(), c.teams.len(), "one supervisor per team");
    let split: Vec<_> = c
        .memberships
        .iter()
        .filter(|m| m.valid_to.is_some())
        .collect();
    assert!((2..=3).contains(&split.len()), "{} movers", split.len());
    for (_, scheme, price) in &c.schemes {
        scheme.validate().unwrap();
        assert!(*price > Decimal::ZERO);
    }
}

#[test]
fn a_month_has_realistic_volumes_outcomes_and_feedback() {
    let c = small(3);
    let calls = c.calls_for(oct());
    let ids: HashSet<_> = calls.iter().map(|r| &r.record_id).collect();
    assert_eq!(ids.len(), calls.len(), "record ids are unique");
    let abandoned = calls
        .iter()
        .filter(|r| r.outcome == Outcome::Abandoned)
        .count();
    let transferred = calls
        .iter()
        .filter(|r| r.outcome == Outcome::Transferred)
        .count();
    let share = |n: usize| n as f64 / calls.len() as f64;
    assert!(
        (0.035..0.065).contains(&share(abandoned)),
        "{}",
        share(abandoned)
    );
    assert!((0.025..0.055).contains(&share(transferred)));
    assert!(
        calls
            .iter()
            .all(|r| r.employee_no.is_none() == (r.outcome == Outcome::Abandoned))
    );
    // About 75,000 calls per 100 agents per month.
    assert!((30_000..60_000).contains(&calls.len()), "{}", calls.len());
    let handled = calls.len() - abandoned;
    let surveys = c.surveys_for(oct());
    let survey_share = surveys.len() as f64 / handled as f64;
    assert!((0.07..0.11).contains(&survey_share), "{survey_share}");
    let by_id: HashMap<_, _> = calls.iter().map(|r| (&r.record_id, r)).collect();
    for s in &surveys {
        let call = by_id[&s.call_record_id];
        assert_eq!(call.employee_no.as_ref(), Some(&s.employee_no));
    }
    let qa = c.qa_for(oct());
    let per_agent = qa.len() as f64 / 60.0;
    assert!((6.0..=10.0).contains(&per_agent), "{per_agent}");
    let customers: HashSet<_> = calls
        .iter()
        .filter_map(|r| r.customer_id.as_ref())
        .collect();
    assert!(
        customers.len() < calls.len() * 95 / 100,
        "some customers call again"
    );
}

#[test]
fn business_types_take_longer_the_higher_their_coefficient() {
    let c = small(5);
    let mut sums: BTreeMap<TypeCode, (u64, u64)> = BTreeMap::new();
    for r in c.calls_for(oct()).iter().filter(|r| r.outcome.is_handled()) {
        let e = sums.entry(r.business_type.clone()).or_default();
        e.0 += r.handle_secs();
        e.1 += 1;
    }
    let mut by_coef: Vec<(Decimal, f64)> = c
        .business_types
        .iter()
        .map(|(code, _, coef)| {
            let (secs, n) = sums[code];
            (*coef, secs as f64 / n as f64)
        })
        .collect();
    by_coef.sort_by_key(|a| a.0);
    assert!(by_coef.windows(2).all(|w| w[0].1 < w[1].1), "{by_coef:?}");
}

#[test]
fn a_benchmark_center_reaches_about_its_target_volume() {
    let p = DemoParams {
        agents: 400,
        months: vec![oct()],
        target_calls_per_month: Some(100_000),
        ..DemoParams::default()
    };
    let n = DemoCenter::generate(&p).calls_for(oct()).len();
    assert!((85_000..115_000).contains(&n), "{n}");
}

#[test]
fn scored_with_the_demo_schemes_agents_spread_over_every_grade() {
    let c = DemoCenter::generate(&DemoParams::default());
    let period = oct();
    let dept_of: HashMap<_, _> = c
        .employees
        .iter()
        .map(|e| (e.employee_no.clone(), e.department_code.clone()))
        .collect();
    let mut partials: BTreeMap<String, Partial> = BTreeMap::new();
    for r in c.calls_for(period) {
        if let Some(e) = &r.employee_no {
            partials.entry(e.to_string()).or_default().add_call(&r);
        }
    }
    for s in c.surveys_for(period) {
        partials
            .entry(s.employee_no.to_string())
            .or_default()
            .add_survey(s.score);
    }
    for q in c.qa_for(period) {
        partials
            .entry(q.employee_no.to_string())
            .or_default()
            .add_qa(&q);
    }
    let coefficients: BTreeMap<_, _> = c
        .business_types
        .iter()
        .map(|(t, _, k)| (t.clone(), *k))
        .collect();
    let mut grades: BTreeMap<String, usize> = BTreeMap::new();
    for (no, partial) in &partials {
        let (_, scheme, price) = c.schemes.iter().find(|s| s.0 == dept_of[no]).unwrap();
        let rules = Rules {
            scheme,
            coefficients: &coefficients,
            unit_price: *price,
            rounding: RoundingRule::default(),
        };
        let input = SegmentInput {
            employee_id: 0,
            employee_no: no,
            name: "",
            team_id: 0,
            days: period.days(),
            period_days: period.days(),
            partial,
            totals: &MeasureTotals::from_partial(partial, &coefficients).unwrap(),
        };
        let card = score_segment(&input, &rules);
        *grades.entry(card.grade.unwrap_or_default()).or_default() += 1;
    }
    eprintln!("grades: {grades:?}");
    for g in ["A", "B", "C", "D"] {
        let n = grades.get(g).copied().unwrap_or(0);
        assert!(n >= 5, "grade {g}: {n} of {grades:?}");
    }
}
