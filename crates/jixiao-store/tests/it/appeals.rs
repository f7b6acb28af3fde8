//! Appeals, notes and notifications: every transition and every permission, on both databases.

use crate::fixtures::*;
use jixiao_core::appeal::{Action, AppealStatus, NoteKind, TargetKind};
use jixiao_core::org::Role;
use jixiao_store::{
    AppealFilter, AppealStep, AuditFilter, NewAppeal, NewEmployee, NewNote, NewUser, PageReq,
    Store, StoreError, User, contract_test, notify_employee, service, testing,
};
use rust_decimal::{Decimal, dec};

/// The fixture center, imported and in review until 2026-11-10, with accounts: agent A001
/// (`a1`), agent A003 (`a3`, team T2), supervisor S001 of T1 (`s1`, also holding an agent
/// account `s1agent`), supervisor S002 of T2 (`s2`), a manager (`boss`) and a QA user.
struct World {
    store: Store,
    a1: User,
    a3: User,
    s1: User,
    s1_agent: User,
    s2: User,
    boss: User,
    qa: User,
    a1_id: i64,
    s1_id: i64,
}

async fn user(store: &Store, name: &str, role: Role, employee_id: Option<i64>) -> User {
    store
        .create_user(&NewUser {
            username: name.into(),
            password_hash: "x".into(),
            role,
            employee_id,
            locale: "en".into(),
        })
        .await
        .unwrap();
    store.user_by_username(name).await.unwrap()
}

async fn world(store: Store) -> World {
    let c = center(&store).await;
    let sups = store
        .insert_employees(&["S001", "S002"].map(|n| NewEmployee {
            employee_no: no(n),
            name: format!("Sup {n}"),
            position: "supervisor".into(),
            hire_date: d("2024-01-01"),
        }))
        .await
        .unwrap();
    store
        .upsert_team(c.dept, "T1", "Team 1", Some(sups[0]))
        .await
        .unwrap();
    store
        .upsert_team(c.dept, "T2", "Team 2", Some(sups[1]))
        .await
        .unwrap();
    service::import(&store, &new_import("a.csv"), &october(), &|_| {})
        .await
        .unwrap();
    service::open_review(
        &store,
        oct(),
        d("2026-11-10"),
        "boss",
        at("2026-11-01T00:00:00Z"),
    )
    .await
    .unwrap();
    World {
        a1: user(&store, "a1", Role::Agent, Some(c.a1)).await,
        a3: user(&store, "a3", Role::Agent, Some(c.a3)).await,
        s1: user(&store, "s1", Role::Supervisor, Some(sups[0])).await,
        s1_agent: user(&store, "s1agent", Role::Agent, Some(sups[0])).await,
        s2: user(&store, "s2", Role::Supervisor, Some(sups[1])).await,
        boss: user(&store, "boss", Role::Manager, None).await,
        qa: user(&store, "qa", Role::Qa, None).await,
        a1_id: c.a1,
        s1_id: sups[0],
        store,
    }
}

fn new_appeal(employee_id: i64, kind: TargetKind, target: &str) -> NewAppeal {
    NewAppeal {
        period: oct(),
        employee_id,
        target_kind: kind,
        target_ref: target.into(),
        reason: "the call was transferred by the system".into(),
        evidence: "call c7".into(),
        today: d("2026-11-03"),
        at: at("2026-11-03T09:00:00Z"),
    }
}

fn step(action: Action, points: Decimal) -> AppealStep {
    AppealStep {
        action,
        reason: "checked the recording".into(),
        points,
        pay: Decimal::ZERO,
        today: d("2026-11-04"),
        at: at("2026-11-04T09:00:00Z"),
    }
}

async fn kpi_appeal(w: &World) -> i64 {
    w.store
        .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Kpi, "aht"))
        .await
        .unwrap()
        .id
}

fn not_found<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(matches!(r, Err(StoreError::NotFound(_))), "{r:?}");
}

fn illegal<T: std::fmt::Debug>(r: Result<T, StoreError>) {
    assert!(
        matches!(&r, Err(e) if e.code() == "invalid_transition"),
        "{r:?}"
    );
}

contract_test!(
    an_accepted_kpi_appeal_becomes_an_adjustment_with_the_card_before_and_after,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        let a = service::step_appeal(&w.store, &w.s1, id, &step(Action::Accept, dec!(3.5)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Accepted);
        assert_eq!(a.decided_by.as_deref(), Some("s1"));
        let (before, after) = (a.before.unwrap(), a.after.unwrap());
        assert_eq!(after.points - before.points, dec!(3.5));
        assert!(a.adjustment_id.is_some());
        let adj = w.store.adjustments(oct(), Some(w.a1_id)).await.unwrap();
        assert_eq!(adj.len(), 1);
        assert!(adj[0].1.reason.starts_with(&format!("appeal #{id}")));
        let steps: Vec<&str> = a.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(steps, ["submit", "accept"]);
        // Audited with the employee and period, so the audit page finds it.
        let log = w
            .store
            .audit_search(
                &AuditFilter {
                    employee_id: Some(w.a1_id),
                    period: Some(oct()),
                    kind: Some("appeal".into()),
                },
                PageReq::default(),
            )
            .await
            .unwrap();
        let kinds: Vec<&str> = log.items.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["appeal.accept", "appeal.submit"]);
        assert!(matches!(
            w.store.verify_audit_chain().await.unwrap(),
            jixiao_store::AuditVerification::Intact { .. }
        ));
        // The agent was told, the supervisor was told of the submission.
        let mine = w
            .store
            .notifications(w.a1.id, PageReq::default())
            .await
            .unwrap();
        assert!(mine.items.iter().any(|n| n.kind == "appeal.accepted"));
        let sup = w
            .store
            .notifications(w.s1.id, PageReq::default())
            .await
            .unwrap();
        assert!(sup.items.iter().any(|n| n.kind == "appeal.submitted"));
        let other = w
            .store
            .notifications(w.s2.id, PageReq::default())
            .await
            .unwrap();
        assert_eq!(other.total, 0);
    }
);

contract_test!(
    accepting_a_kpi_appeal_needs_a_correction,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        let r = service::step_appeal(&w.store, &w.s1, id, &step(Action::Accept, dec!(0))).await;
        assert!(matches!(r, Err(StoreError::Core(_))), "{r:?}");
    }
);

contract_test!(
    an_accepted_finding_appeal_overturns_the_finding,
    |store| async move {
        let w = world(store).await;
        testing::execute_raw(
            &w.store,
            &format!(
                "INSERT INTO findings (origin, employee_id, period, date, reason, status, \
                 created_at) VALUES ('complaint', {}, '2026-10', '2026-10-10', 'rude', \
                 'active', '2026-10-11T00:00:00Z')",
                w.a1_id
            ),
        )
        .await;
        let fid = testing::scalar_raw(&w.store, "SELECT MAX(id) FROM findings").await;
        // Someone else's finding, or a made-up one, cannot be appealed.
        not_found(
            w.store
                .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Finding, "999"))
                .await,
        );
        let id = w
            .store
            .submit_appeal(
                &w.a1,
                &new_appeal(w.a1_id, TargetKind::Finding, &fid.to_string()),
            )
            .await
            .unwrap()
            .id;
        // A finding is overturned, not corrected.
        assert!(
            service::step_appeal(&w.store, &w.s1, id, &step(Action::Accept, dec!(1)))
                .await
                .is_err()
        );
        let a = service::step_appeal(&w.store, &w.s1, id, &step(Action::Accept, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Accepted);
        assert!(a.before.is_some() && a.after.is_some());
        let f = w.store.finding(fid).await.unwrap();
        assert_eq!(f.status, "overturned");
        assert_eq!(f.overturned_by.as_deref(), Some("s1"));
        // An overturned finding cannot be appealed again.
        let again = w
            .store
            .submit_appeal(
                &w.a1,
                &new_appeal(w.a1_id, TargetKind::Finding, &fid.to_string()),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Core(_))), "{again:?}");
    }
);

contract_test!(
    a_qa_appeal_must_name_one_of_the_agents_reviews,
    |store| async move {
        let w = world(store).await;
        // q3 is A002's review.
        not_found(
            w.store
                .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Qa, "q3"))
                .await,
        );
        let a = w
            .store
            .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Qa, "q2"))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Submitted);
        // The same item twice while the first is open: conflict.
        let twin = w
            .store
            .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Qa, "q2"))
            .await;
        assert!(matches!(twin, Err(StoreError::Conflict(_))), "{twin:?}");
    }
);

contract_test!(
    appeals_are_taken_only_while_the_review_window_is_open,
    |store| async move {
        let w = world(store).await;
        let late = NewAppeal {
            today: d("2026-11-11"),
            ..new_appeal(w.a1_id, TargetKind::Kpi, "aht")
        };
        let r = w.store.submit_appeal(&w.a1, &late).await;
        assert!(matches!(r, Err(StoreError::ReviewWindowClosed(_))), "{r:?}");
        // A closed period refuses appeals and decisions.
        let id = kpi_appeal(&w).await;
        service::close(&w.store, oct(), "boss", at("2026-11-12T00:00:00Z"))
            .await
            .unwrap();
        let r = w
            .store
            .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Kpi, "fcr"))
            .await;
        assert!(matches!(r, Err(StoreError::PeriodClosed(_))), "{r:?}");
        let r = service::step_appeal(&w.store, &w.s1, id, &step(Action::Reject, dec!(0))).await;
        assert!(matches!(r, Err(StoreError::PeriodClosed(_))), "{r:?}");
    }
);

contract_test!(
    nobody_decides_their_own_appeal_even_with_a_supervisor_account,
    |store| async move {
        let w = world(store).await;
        // S001 appeals their own card through their agent account… S001 has no card, so give
        // the supervisor's own appeal a card-less check first: refused as not found.
        not_found(
            w.store
                .submit_appeal(&w.s1_agent, &new_appeal(w.s1_id, TargetKind::Kpi, "aht"))
                .await,
        );
        // A001 appeals; A001 cannot decide it, whatever the step.
        let id = kpi_appeal(&w).await;
        illegal(
            w.store
                .step_appeal(&w.a1, id, &step(Action::Accept, dec!(1)))
                .await,
        );
        illegal(
            w.store
                .step_appeal(&w.a1, id, &step(Action::Reject, dec!(0)))
                .await,
        );
        // An agent cannot appeal someone else's card.
        illegal(
            w.store
                .submit_appeal(&w.a3, &new_appeal(w.a1_id, TargetKind::Kpi, "fcr"))
                .await,
        );
    }
);

contract_test!(
    a_supervisor_cannot_see_or_decide_another_teams_appeals,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        not_found(
            w.store
                .step_appeal(&w.s2, id, &step(Action::Reject, dec!(0)))
                .await,
        );
        not_found(w.store.appeal(&w.s2, id).await);
        not_found(w.store.appeal(&w.a3, id).await);
        not_found(w.store.appeal(&w.qa, id).await);
        let page = |u: User| {
            let store = w.store.clone();
            async move {
                store
                    .appeals(&u, &AppealFilter::default(), PageReq::default())
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!(page(w.s2.clone()).await, 0);
        assert_eq!(page(w.a3.clone()).await, 0);
        assert_eq!(page(w.s1.clone()).await, 1);
        assert_eq!(page(w.a1.clone()).await, 1);
        assert_eq!(page(w.boss.clone()).await, 1);
        assert!(w.store.appeal(&w.s1, id).await.is_ok());
    }
);

contract_test!(
    a_rejected_appeal_is_escalated_once_by_the_agent_and_decided_by_a_manager,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        let a = service::step_appeal(&w.store, &w.s1, id, &step(Action::Reject, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Rejected);
        assert!(a.after.is_none());
        let a = w
            .store
            .step_appeal(&w.a1, id, &step(Action::Escalate, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Escalated);
        let managers = w
            .store
            .notifications(w.boss.id, PageReq::default())
            .await
            .unwrap();
        assert!(managers.items.iter().any(|n| n.kind == "appeal.escalated"));
        // The supervisor no longer decides it; the manager does.
        illegal(
            w.store
                .step_appeal(&w.s1, id, &step(Action::Accept, dec!(1)))
                .await,
        );
        let a = service::step_appeal(&w.store, &w.boss, id, &step(Action::Reject, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Rejected);
        // Only once.
        illegal(
            w.store
                .step_appeal(&w.a1, id, &step(Action::Escalate, dec!(0)))
                .await,
        );
        let steps: Vec<&str> = a.events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(steps, ["submit", "reject", "escalate", "reject"]);
    }
);

contract_test!(
    escalating_a_rejection_after_the_window_is_refused,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        w.store
            .step_appeal(&w.s1, id, &step(Action::Reject, dec!(0)))
            .await
            .unwrap();
        let late = AppealStep {
            today: d("2026-11-11"),
            ..step(Action::Escalate, dec!(0))
        };
        illegal(w.store.step_appeal(&w.a1, id, &late).await);
    }
);

contract_test!(
    the_supervisor_escalates_instead_of_deciding_and_the_manager_accepts,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        let a = w
            .store
            .step_appeal(&w.s1, id, &step(Action::Escalate, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Escalated);
        let a = service::step_appeal(&w.store, &w.boss, id, &step(Action::Accept, dec!(-2)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Accepted);
        assert_eq!(a.after.unwrap().points - a.before.unwrap().points, dec!(-2));
    }
);

contract_test!(
    only_the_agent_withdraws_and_only_a_submitted_appeal,
    |store| async move {
        let w = world(store).await;
        let id = kpi_appeal(&w).await;
        illegal(
            w.store
                .step_appeal(&w.s1, id, &step(Action::Withdraw, dec!(0)))
                .await,
        );
        illegal(
            w.store
                .step_appeal(&w.boss, id, &step(Action::Withdraw, dec!(0)))
                .await,
        );
        let a = w
            .store
            .step_appeal(&w.a1, id, &step(Action::Withdraw, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.status, AppealStatus::Withdrawn);
        illegal(
            w.store
                .step_appeal(&w.a1, id, &step(Action::Withdraw, dec!(0)))
                .await,
        );
        illegal(
            w.store
                .step_appeal(&w.s1, id, &step(Action::Accept, dec!(1)))
                .await,
        );
        // Withdrawn, so the item can be appealed again.
        assert!(
            w.store
                .submit_appeal(&w.a1, &new_appeal(w.a1_id, TargetKind::Kpi, "aht"))
                .await
                .is_ok()
        );
    }
);

contract_test!(
    notes_are_written_by_the_agents_supervisor_and_acknowledged_by_the_agent,
    |store| async move {
        let w = world(store).await;
        let n = NewNote {
            period: oct(),
            employee_id: w.a1_id,
            kind: NoteKind::Coaching,
            body: "Practise the hold script.".into(),
            at: at("2026-11-02T09:00:00Z"),
        };
        not_found(w.store.add_note(&w.s2, &n).await);
        not_found(w.store.add_note(&w.a1, &n).await);
        not_found(w.store.add_note(&w.qa, &n).await);
        let note = w.store.add_note(&w.s1, &n).await.unwrap();
        assert!(w.store.add_note(&w.boss, &n).await.is_ok());
        assert_eq!(w.store.notes_of(oct(), w.a1_id).await.unwrap().len(), 2);
        not_found(
            w.store
                .acknowledge_note(&w.s1, note.id, at("2026-11-03T00:00:00Z"))
                .await,
        );
        not_found(
            w.store
                .acknowledge_note(&w.a3, note.id, at("2026-11-03T00:00:00Z"))
                .await,
        );
        let acked = w
            .store
            .acknowledge_note(&w.a1, note.id, at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(acked.acknowledged_by.as_deref(), Some("a1"));
        // Again: the first time stays.
        let again = w
            .store
            .acknowledge_note(&w.a1, note.id, at("2026-11-04T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(again.acknowledged_at, acked.acknowledged_at);
        let mine = w
            .store
            .notifications(w.a1.id, PageReq::default())
            .await
            .unwrap();
        assert_eq!(
            mine.items.iter().filter(|n| n.kind == "note.added").count(),
            2
        );
        let log = w
            .store
            .audit_search(
                &AuditFilter {
                    kind: Some("note".into()),
                    ..AuditFilter::default()
                },
                PageReq::default(),
            )
            .await
            .unwrap();
        assert_eq!(log.total, 3);
        let scoped = |u: User| {
            let store = w.store.clone();
            async move {
                store
                    .notes(&u, None, None, PageReq::default())
                    .await
                    .unwrap()
                    .total
            }
        };
        assert_eq!(scoped(w.s2.clone()).await, 0);
        assert_eq!(scoped(w.a3.clone()).await, 0);
        assert_eq!(scoped(w.a1.clone()).await, 2);
    }
);

contract_test!(
    notifications_are_per_user_and_marked_read_only_by_their_owner,
    |store| async move {
        let w = world(store).await;
        // The review opened before the accounts existed; a new notice for A001.
        notify_employee(
            &w.store,
            w.a1_id,
            "finding.new",
            "2026-10 · rude",
            "/p/2026-10/agents/A001",
        )
        .await
        .unwrap();
        assert_eq!(w.store.unread_notifications(w.a1.id).await.unwrap(), 1);
        let id = w
            .store
            .notifications(w.a1.id, PageReq::default())
            .await
            .unwrap()
            .items[0]
            .id;
        not_found(
            w.store
                .mark_notifications_read(w.a3.id, Some(id), at("2026-11-05T00:00:00Z"))
                .await,
        );
        w.store
            .mark_notifications_read(w.a1.id, Some(id), at("2026-11-05T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(w.store.unread_notifications(w.a1.id).await.unwrap(), 0);
        // Opening a review notifies every agent account with a card in the period.
        service::open_review(
            &w.store,
            oct(),
            d("2026-11-12"),
            "boss",
            at("2026-11-05T00:00:00Z"),
        )
        .await
        .unwrap();
        let mine = w
            .store
            .notifications(w.a1.id, PageReq::default())
            .await
            .unwrap();
        assert_eq!(mine.items[0].kind, "period.review");
        assert_eq!(mine.items[0].link, "/p/2026-10/agents/A001");
        assert_eq!(w.store.unread_notifications(w.s1.id).await.unwrap(), 0);
        w.store
            .mark_notifications_read(w.a1.id, None, at("2026-11-06T00:00:00Z"))
            .await
            .unwrap();
        assert_eq!(w.store.unread_notifications(w.a1.id).await.unwrap(), 0);
    }
);

/// A001's card total now.
async fn total_of(store: &Store, employee_id: i64) -> Option<Decimal> {
    store
        .scorecards(oct(), &jixiao_store::CardFilter::default())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.employee_id == employee_id)
        .and_then(|c| c.total)
}

contract_test!(
    a_deduction_from_a_finding_disappears_when_its_appeal_is_accepted,
    |store| async move {
        use jixiao_core::kpi::KpiCode;
        use jixiao_core::scheme::SchemeItem;
        use jixiao_core::scoring::{DeductionRule, ScoringRule};
        let w = world(store).await;
        // The scheme deducts 10 per upheld complaint, at 20 %.
        let mut s = scheme();
        s.items[0].weight = dec!(20);
        s.items.push(SchemeItem {
            kpi: KpiCode::Qa,
            weight: dec!(20),
            floor: dec!(0),
            target: dec!(100),
            prorate: false,
            library_kpi: Some("complaints_upheld".into()),
            scoring: Some(ScoringRule::DeductionPerEvent(DeductionRule {
                points: dec!(10),
                cap: None,
            })),
        });
        let dept = w.store.departments().await.unwrap()[0].id;
        w.store
            .set_department_rules(dept, &s, dec!(0.85))
            .await
            .unwrap();
        service::recompute(&w.store, oct()).await.unwrap();
        let clean = total_of(&w.store, w.a1_id).await.expect("a scored card");
        testing::execute_raw(
            &w.store,
            &format!(
                "INSERT INTO findings (origin, employee_id, period, date, reason, status, \
                 created_at) VALUES ('complaint', {}, '2026-10', '2026-10-10', 'rude', \
                 'active', '2026-10-11T00:00:00Z')",
                w.a1_id
            ),
        )
        .await;
        service::recompute(&w.store, oct()).await.unwrap();
        let deducted = total_of(&w.store, w.a1_id).await.unwrap();
        assert_eq!(clean - deducted, dec!(2), "10 points at 20 %");
        let fid = testing::scalar_raw(&w.store, "SELECT MAX(id) FROM findings").await;
        let id = w
            .store
            .submit_appeal(
                &w.a1,
                &new_appeal(w.a1_id, TargetKind::Finding, &fid.to_string()),
            )
            .await
            .unwrap()
            .id;
        let a = service::step_appeal(&w.store, &w.s1, id, &step(Action::Accept, dec!(0)))
            .await
            .unwrap();
        assert_eq!(a.before.unwrap().total, Some(deducted));
        assert_eq!(a.after.unwrap().total, Some(clean), "the score is restored");
        assert_eq!(total_of(&w.store, w.a1_id).await, Some(clean));
    }
);
