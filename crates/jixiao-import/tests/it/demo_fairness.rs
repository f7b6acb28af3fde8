//! The demo's fairness plan: deterministic, inside its month, about real calls.

use std::collections::HashSet;

use jixiao_core::Period;
use jixiao_core::fairness::Outcome;
use jixiao_core::fairness::journey::{validate_line, validate_stage};
use jixiao_import::demo::fairness::{LINE_CODE, RECEPTION, STAGES};
use jixiao_import::demo::{DemoCenter, DemoParams};

fn center() -> DemoCenter {
    DemoCenter::generate(&DemoParams {
        seed: 5,
        agents: 40,
        ..DemoParams::default()
    })
}

#[test]
fn the_fairness_plan_is_deterministic_and_dated_inside_its_month() {
    let c = center();
    let oct: Period = "2026-10".parse().unwrap();
    let calls = c.calls_for(oct);
    let plan = c.fairness_for(oct, &calls).expect("enough calls");
    assert_eq!(Some(&plan), center().fairness_for(oct, &calls).as_ref());
    assert_eq!(STAGES.len(), 4, "咨询 → 受理 → 服务 → 回访");
    validate_line(LINE_CODE, "家电维修", 3).expect("a valid line code");
    for (code, name, _) in STAGES {
        validate_stage(&[], code, name).expect("a valid stage code");
    }
    for j in &plan.journeys {
        assert!(oct.contains(j.served_on));
        assert_eq!(j.staff.len(), STAGES.len(), "every stage staffed");
        if let Some(s) = &j.survey {
            assert!(oct.contains(s.surveyed_on) && s.surveyed_on >= j.served_on);
            assert!(
                j.staff.iter().all(|p| p.employee_no != s.proxy_no),
                "the proxy is never judged"
            );
        }
    }
    let surveys: Vec<_> = plan
        .journeys
        .iter()
        .filter_map(|j| j.survey.as_ref())
        .collect();
    assert!(
        surveys.len() >= 2 && surveys.len() < plan.journeys.len(),
        "one not surveyed yet"
    );
    let deficient: Vec<_> = surveys
        .iter()
        .flat_map(|s| &s.answers)
        .filter(|a| a.rating < 3)
        .collect();
    assert_eq!(deficient.len(), 1, "one deficient stage");
    let outcomes: Vec<_> = plan
        .complaints
        .iter()
        .map(|k| k.decision.as_ref().map(|d| d.outcome))
        .collect();
    assert_eq!(
        outcomes,
        [Some(Outcome::Upheld), Some(Outcome::NotUpheld), None]
    );
    assert!(RECEPTION < STAGES.len());
    let call_ids: HashSet<_> = plan.complaints.iter().map(|k| k.call.1.clone()).collect();
    assert_eq!(call_ids.len(), plan.complaints.len(), "distinct calls");
}

#[test]
fn each_complaint_is_about_a_real_call_of_the_attributed_agent_and_customer() {
    let c = center();
    let oct: Period = "2026-10".parse().unwrap();
    let calls = c.calls_for(oct);
    let plan = c.fairness_for(oct, &calls).unwrap();
    for k in &plan.complaints {
        let call = calls
            .iter()
            .find(|r| (&r.source, &r.record_id) == (&k.call.0, &k.call.1))
            .expect("the linked call exists");
        assert_eq!(call.customer_id.as_deref(), Some(k.customer_id.as_str()));
        assert_eq!(call.started_at, k.occurred_at);
        if let Some(no) = &k.attributed_no {
            assert_eq!(
                call.employee_no.as_ref().map(|a| a.as_str()),
                Some(no.as_str())
            );
        }
        if let Some(d) = &k.decision {
            assert!(oct.contains(d.decided_on) && d.decided_on >= k.registered_on);
        }
    }
}
