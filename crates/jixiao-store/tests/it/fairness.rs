//! Journeys, complaints and their findings: every complaint transition, the cross-check on
//! constructed mismatches, the survey's findings, and findings on the scorecard measures.

use crate::fixtures::*;
use jixiao_core::fairness::{
    ComplaintStatus, CrossCheck, Mismatch, Outcome, Rating, StaffSource, StageAnswer, Survey,
};
use jixiao_store::fairness::{
    NewAttribution, NewComplaint, NewJourney, NewLine, NewStage, Visibility,
};
use jixiao_store::{PageReq, Store, StoreError, contract_test, service};

/// A repair line: consult (calls) → reception (tickets) → delivery (none). Returns
/// (line, [stage ids]).
async fn line(store: &Store) -> (i64, [i64; 3]) {
    let line = store
        .create_journey_line(
            &NewLine {
                code: "repair".into(),
                name: "Repair".into(),
                threshold: 3,
                tolerance_days: 0,
            },
            "boss",
            at("2026-10-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let mut ids = [0; 3];
    for (i, (code, source)) in [
        ("consult", StaffSource::Calls),
        ("reception", StaffSource::Tickets),
        ("delivery", StaffSource::None),
    ]
    .into_iter()
    .enumerate()
    {
        ids[i] = store
            .add_journey_stage(
                &NewStage {
                    line_id: line,
                    code: code.into(),
                    name: code.to_uppercase(),
                    source,
                },
                "boss",
                at("2026-10-01T00:00:00Z"),
            )
            .await
            .unwrap();
    }
    (line, ids)
}

async fn seeded(store: &Store) -> (Center, [i64; 3]) {
    let c = center(store).await;
    service::import(store, &new_import("a.csv"), &october(), &|_| {})
        .await
        .unwrap();
    let (_, stages) = line(store).await;
    (c, stages)
}

/// A complaint by customer C-c3 (A002's call c3 on 2026-10-10 10:00), under investigation.
async fn complaint(store: &Store) -> i64 {
    let id = store
        .register_complaint(
            &NewComplaint {
                channel: "phone".into(),
                customer_id: Some("C-c3".into()),
                occurred_at: chrono::NaiveDateTime::parse_from_str(
                    "2026-10-10 10:00:00",
                    "%Y-%m-%d %H:%M:%S",
                )
                .unwrap(),
                summary: "rude on the phone".into(),
                journey_id: None,
            },
            "qa1",
            at("2026-10-11T00:00:00Z"),
        )
        .await
        .unwrap();
    store
        .start_investigation(id, "qa1", at("2026-10-11T01:00:00Z"))
        .await
        .unwrap();
    id
}

fn attribution(stage_id: i64, employee_id: i64, when: Option<&str>) -> NewAttribution {
    NewAttribution {
        stage_id,
        employee_id,
        service_at: when
            .map(|w| chrono::NaiveDateTime::parse_from_str(w, "%Y-%m-%d %H:%M:%S").unwrap()),
        note: None,
    }
}

async fn status(store: &Store, id: i64) -> ComplaintStatus {
    store.complaint(id).await.unwrap().status().unwrap()
}

async fn measure(store: &Store, employee_id: i64, name: &str) -> rust_decimal::Decimal {
    store
        .tallies(oct())
        .await
        .unwrap()
        .iter()
        .filter(|s| s.employee_id == employee_id)
        .map(|s| s.totals.get(name))
        .sum()
}

const T: &str = "2026-10-12T00:00:00Z";

contract_test!(
    each_attribution_is_cross_checked_and_each_constructed_mismatch_is_named,
    |store| async move {
        let (c, [consult, reception, delivery]) = seeded(&store).await;
        let id = complaint(&store).await;
        let cases = [
            (attribution(consult, c.a2, None), CrossCheck::Ok),
            (
                attribution(reception, c.a2, None),
                CrossCheck::Mismatch(Mismatch::NotThisStage),
            ),
            (
                attribution(consult, c.a2, Some("2026-10-12 10:00:00")),
                CrossCheck::Mismatch(Mismatch::NotThisTime),
            ),
            (
                attribution(consult, c.a3, Some("2026-10-21 12:00:00")),
                CrossCheck::Mismatch(Mismatch::NotThisCustomer),
            ),
            (
                attribution(consult, c.a1, None),
                CrossCheck::Mismatch(Mismatch::NoRecord),
            ),
            (
                attribution(delivery, c.a1, None),
                CrossCheck::Mismatch(Mismatch::StageHasNoRecords),
            ),
        ];
        for (a, expected) in cases {
            let (_, check) = store.add_attribution(id, &a, "qa1", at(T)).await.unwrap();
            assert_eq!(check, expected, "{a:?}");
        }
        let stored: Vec<CrossCheck> = store
            .complaint(id)
            .await
            .unwrap()
            .attributions
            .iter()
            .map(|a| a.check)
            .collect();
        assert_eq!(stored.len(), 6);
        assert_eq!(stored[0], CrossCheck::Ok);
    }
);

contract_test!(
    an_upheld_complaint_needs_its_mismatches_resolved_and_its_finding_reaches_the_scorecard,
    |store| async move {
        let (c, [consult, reception, _]) = seeded(&store).await;
        let id = complaint(&store).await;
        store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        let (bad, _) = store
            .add_attribution(id, &attribution(reception, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        let on = d("2026-10-20");
        let blocked = service::fairness::decide_complaint(
            &store,
            id,
            Outcome::Upheld,
            "rude",
            "boss",
            at(T),
            on,
        )
        .await;
        assert_eq!(blocked.unwrap_err().code(), "invalid_transition");
        assert_eq!(status(&store, id).await, ComplaintStatus::Investigating);
        // A blank resolution is refused; a written one unblocks.
        assert!(
            store
                .resolve_mismatch(id, bad, "  ", "qa1", at(T))
                .await
                .is_err()
        );
        store
            .resolve_mismatch(id, bad, "ticket was filed by the call agent", "qa1", at(T))
            .await
            .unwrap();
        let made = service::fairness::decide_complaint(
            &store,
            id,
            Outcome::Upheld,
            "rude",
            "boss",
            at(T),
            on,
        )
        .await
        .unwrap();
        assert_eq!(made.len(), 2);
        assert_eq!(
            status(&store, id).await,
            ComplaintStatus::Decided(Outcome::Upheld)
        );
        assert_eq!(
            measure(&store, c.a2, "complaints_upheld").await,
            rust_decimal::dec!(2)
        );
        let findings = store.findings_of(oct(), c.a2).await.unwrap();
        assert_eq!(findings.len(), 2);
        assert_eq!(findings[0].complaint_id, Some(id));
        assert_eq!(store.finding(findings[0].id).await.unwrap(), findings[0]);
        assert_eq!(store.finding(9999).await.unwrap_err().code(), "not_found");
        // An overturned finding counts nothing.
        jixiao_store::testing::execute_raw(
            &store,
            &format!(
                "UPDATE findings SET status = 'overturned' WHERE id = {}",
                findings[0].id
            ),
        )
        .await;
        assert_eq!(
            measure(&store, c.a2, "complaints_upheld").await,
            rust_decimal::dec!(1)
        );
        let kinds: Vec<String> = store
            .audit_log(PageReq::default())
            .await
            .unwrap()
            .items
            .iter()
            .rev()
            .map(|e| e.kind.clone())
            .filter(|k| k.starts_with("complaint."))
            .collect();
        assert_eq!(
            kinds,
            [
                "complaint.register",
                "complaint.investigate",
                "complaint.attribute",
                "complaint.attribute",
                "complaint.resolve",
                "complaint.decide"
            ]
        );
    }
);

contract_test!(
    every_illegal_complaint_transition_is_refused,
    |store| async move {
        let (c, [consult, _, _]) = seeded(&store).await;
        let id = complaint(&store).await;
        let on = d("2026-10-20");
        // investigating → investigating
        let again = store.start_investigation(id, "qa1", at(T)).await;
        assert_eq!(again.unwrap_err().code(), "invalid_transition");
        // upholding with no attribution
        let empty = store
            .decide_complaint(id, Outcome::Upheld, "x", "boss", at(T), on)
            .await;
        assert_eq!(empty.unwrap_err().code(), "invalid_transition");
        store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        store
            .decide_complaint(id, Outcome::NotUpheld, "no evidence", "boss", at(T), on)
            .await
            .unwrap();
        // decided → anything
        for o in [Outcome::Upheld, Outcome::PartlyUpheld, Outcome::NotUpheld] {
            let r = store.decide_complaint(id, o, "x", "boss", at(T), on).await;
            assert_eq!(r.unwrap_err().code(), "invalid_transition");
        }
        assert_eq!(
            store
                .start_investigation(id, "qa1", at(T))
                .await
                .unwrap_err()
                .code(),
            "invalid_transition"
        );
        let late = store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await;
        assert_eq!(late.unwrap_err().code(), "invalid_transition");
        // registered → decided, and attributing before investigating
        let fresh = store
            .register_complaint(
                &NewComplaint {
                    channel: "letter".into(),
                    customer_id: None,
                    occurred_at: d("2026-10-02").and_hms_opt(9, 0, 0).unwrap(),
                    summary: "late".into(),
                    journey_id: None,
                },
                "qa1",
                at(T),
            )
            .await
            .unwrap();
        let r = store
            .decide_complaint(fresh, Outcome::NotUpheld, "x", "boss", at(T), on)
            .await;
        assert_eq!(r.unwrap_err().code(), "invalid_transition");
        let r = store
            .add_attribution(fresh, &attribution(consult, c.a1, None), "qa1", at(T))
            .await;
        assert_eq!(r.unwrap_err().code(), "invalid_transition");
        assert_eq!(store.findings_of(oct(), c.a2).await.unwrap(), vec![]);
    }
);

contract_test!(
    a_removed_attribution_is_kept_with_its_reason_and_partly_upheld_takes_only_the_marked,
    |store| async move {
        let (c, [consult, _, delivery]) = seeded(&store).await;
        let id = complaint(&store).await;
        let (a, _) = store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        let (b, _) = store
            .add_attribution(id, &attribution(consult, c.a1, None), "qa1", at(T))
            .await
            .unwrap();
        let (x, _) = store
            .add_attribution(id, &attribution(delivery, c.a3, None), "qa1", at(T))
            .await
            .unwrap();
        assert!(
            store
                .remove_attribution(id, b, "", "qa1", at(T))
                .await
                .is_err()
        );
        store
            .remove_attribution(id, b, "A001 was off that day", "qa1", at(T))
            .await
            .unwrap();
        assert!(
            store
                .remove_attribution(id, b, "again", "qa1", at(T))
                .await
                .is_err()
        );
        let detail = store.complaint(id).await.unwrap();
        let removed = detail.attributions.iter().find(|r| r.id == b).unwrap();
        assert!(removed.removed);
        assert_eq!(
            removed.removed_reason.as_deref(),
            Some("A001 was off that day")
        );
        let none = store
            .decide_complaint(
                id,
                Outcome::PartlyUpheld,
                "x",
                "boss",
                at(T),
                d("2026-10-20"),
            )
            .await;
        assert_eq!(none.unwrap_err().code(), "invalid_transition");
        store
            .mark_attribution(id, a, true, "qa1", at(T))
            .await
            .unwrap();
        // x is unmarked: its unresolved mismatch does not block a partly upheld decision.
        let _ = x;
        let made = store
            .decide_complaint(
                id,
                Outcome::PartlyUpheld,
                "only the call",
                "boss",
                at(T),
                d("2026-10-20"),
            )
            .await
            .unwrap();
        assert_eq!(made.iter().map(|m| m.1).collect::<Vec<_>>(), vec![c.a2]);
    }
);

contract_test!(
    a_finding_never_lands_in_a_closed_period,
    |store| async move {
        let (c, [consult, _, _]) = seeded(&store).await;
        let id = complaint(&store).await;
        store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T00:00:00Z"))
            .await
            .unwrap();
        let r = store
            .decide_complaint(id, Outcome::Upheld, "x", "boss", at(T), d("2026-10-30"))
            .await;
        assert!(matches!(r, Err(StoreError::PeriodClosed(_))), "{r:?}");
        assert_eq!(status(&store, id).await, ComplaintStatus::Investigating);
        // Decided in November, the finding counts there and October stays as closed.
        let made = store
            .decide_complaint(id, Outcome::Upheld, "x", "boss", at(T), d("2026-11-03"))
            .await
            .unwrap();
        let f = store.finding(made[0].0).await.unwrap();
        assert_eq!(f.period.to_string(), "2026-11");
    }
);

contract_test!(
    a_supervisor_sees_only_complaints_attributed_to_their_teams_members,
    |store| async move {
        let (c, [consult, _, _]) = seeded(&store).await;
        let id = complaint(&store).await;
        let t1 = Visibility::Teams(vec![c.t1]);
        let t2 = Visibility::Teams(vec![c.t2]);
        assert!(store.complaints(&t1).await.unwrap().is_empty());
        // A002 was in T1 on 2026-10-10.
        store
            .add_attribution(id, &attribution(consult, c.a2, None), "qa1", at(T))
            .await
            .unwrap();
        assert_eq!(store.complaints(&t1).await.unwrap().len(), 1);
        assert!(store.complaint_visible(id, &t1).await.unwrap());
        assert!(!store.complaint_visible(id, &t2).await.unwrap());
        assert!(store.complaints(&t2).await.unwrap().is_empty());
        assert!(
            store
                .complaints(&Visibility::Employee(c.a2))
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.complaints(&Visibility::All).await.unwrap().len(), 1);
        let stats = store
            .complaint_stats(oct(), &Visibility::All)
            .await
            .unwrap();
        assert_eq!(stats.stages.len(), 1);
        assert_eq!((stats.stages[0].complaints, stats.stages[0].upheld), (1, 0));
        assert!(
            store
                .complaint_stats(oct(), &t2)
                .await
                .unwrap()
                .teams
                .is_empty()
        );
    }
);

contract_test!(
    a_journey_survey_turns_deficient_stages_into_findings_and_never_judges_its_proxy,
    |store| async move {
        let (c, [consult, reception, delivery]) = seeded(&store).await;
        let line = store.journey_lines().await.unwrap()[0].id;
        let j = store
            .create_journey(
                &NewJourney {
                    line_id: line,
                    customer_id: "C-c3".into(),
                    served_on: d("2026-10-10"),
                    reference: Some("R-1".into()),
                },
                "agent1",
                at(T),
            )
            .await
            .unwrap();
        // The records show A002 on the consult stage (call c3 that day).
        let cand = store.journey_candidates(j).await.unwrap();
        assert_eq!(cand.len(), 1);
        assert_eq!((cand[0].stage_id, cand[0].employee_id), (consult, c.a2));
        assert_eq!(cand[0].record_ref.as_deref(), Some("calls:pbx:c3"));
        store
            .add_journey_participant(
                j,
                consult,
                c.a2,
                cand[0].record_ref.as_deref(),
                "agent1",
                at(T),
            )
            .await
            .unwrap();
        store
            .add_journey_participant(j, delivery, c.a3, None, "agent1", at(T))
            .await
            .unwrap();
        let answer = |stage_id, rating: u8, problem: Option<&str>| StageAnswer {
            stage_id,
            rating: Some(Rating::new(rating).unwrap()),
            problem: problem.map(str::to_string),
            comment: None,
        };
        let survey = |proxy| Survey {
            proxy_employee_id: Some(proxy),
            answers: vec![
                answer(consult, 2, None),
                answer(reception, 1, None),
                answer(delivery, 5, Some("left a mess")),
            ],
        };
        let judged = service::fairness::record_journey_survey(
            &store,
            j,
            &survey(c.a3),
            "call",
            d("2026-10-15"),
            "agent1",
            at(T),
        )
        .await;
        assert_eq!(judged.unwrap_err().code(), "invalid_value");
        let (made, unstaffed) = service::fairness::record_journey_survey(
            &store,
            j,
            &survey(c.a1),
            "call",
            d("2026-10-15"),
            "agent1",
            at(T),
        )
        .await
        .unwrap();
        assert_eq!(
            made.iter().map(|m| m.1).collect::<Vec<_>>(),
            vec![c.a2, c.a3]
        );
        assert_eq!(
            unstaffed.iter().map(|u| u.0).collect::<Vec<_>>(),
            vec![reception]
        );
        assert_eq!(
            measure(&store, c.a2, "journey_findings").await,
            rust_decimal::dec!(1)
        );
        let again = store
            .record_journey_survey(j, &survey(c.a1), "call", d("2026-10-15"), "agent1", at(T))
            .await;
        assert_eq!(again.unwrap_err().code(), "conflict");
        let late = store
            .add_journey_participant(j, reception, c.a1, None, "agent1", at(T))
            .await;
        assert_eq!(late.unwrap_err().code(), "invalid_transition");
        let detail = store.journey(j).await.unwrap();
        assert_eq!(detail.survey.unwrap().ratings.len(), 3);
        assert_eq!(
            store
                .findings_from(false, j, &Visibility::Employee(c.a2))
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .journeys(&Visibility::Teams(vec![c.t2]), "x")
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            store
                .journeys(&Visibility::Employee(c.a1), "agent1")
                .await
                .unwrap()
                .len(),
            1
        );
        assert!(
            store
                .journeys(&Visibility::Employee(c.a2), "agent2")
                .await
                .unwrap()
                .is_empty()
        );
    }
);
