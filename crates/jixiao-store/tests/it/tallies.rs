use std::collections::BTreeMap;

use crate::fixtures::*;
use jixiao_core::kpi::Partial;
use jixiao_core::org::Membership;
use jixiao_store::{CardFilter, SegmentTally, contract_test, service};

contract_test!(tallies_equal_a_hand_computation, |store| async move {
    let c = center(&store).await;
    let batch = october();
    store
        .write_import(&new_import("a.csv"), &batch)
        .await
        .unwrap();
    let ms = store.memberships_in(oct()).await.unwrap();
    let ids = store.employee_ids().await.unwrap();
    let team_on = |no: &str, date| -> (i64, i64) {
        let e = ids[no];
        let m: &Membership = ms
            .iter()
            .find(|m| m.employee_id == e && m.covers(date))
            .unwrap();
        (e, m.team_id)
    };
    let mut expected: BTreeMap<(i64, i64), Partial> = BTreeMap::new();
    for (_, r) in &batch.calls {
        if let Some(no) = &r.employee_no {
            expected
                .entry(team_on(no.as_str(), r.date()))
                .or_default()
                .add_call(r);
        }
    }
    for (_, r) in &batch.surveys {
        expected
            .entry(team_on(r.employee_no.as_str(), r.answered_on))
            .or_default()
            .add_survey(r.score);
    }
    for (_, r) in &batch.qa {
        expected
            .entry(team_on(r.employee_no.as_str(), r.reviewed_on))
            .or_default()
            .add_qa(r);
    }
    let expected: Vec<((i64, i64), Partial)> = expected.into_iter().collect();
    let partials: Vec<((i64, i64), Partial)> = store
        .tallies(oct())
        .await
        .unwrap()
        .into_iter()
        .map(|t: SegmentTally| ((t.employee_id, t.team_id), t.partial))
        .collect();
    assert_eq!(partials, expected);
    // Spot checks of the hand computation itself.
    let a1 = &expected.iter().find(|t| t.0.0 == c.a1).unwrap().1;
    assert_eq!(a1.handled(), 3);
    assert_eq!((a1.survey_answers, a1.survey_top2), (2, 1));
    assert_eq!((a1.qa_reviews, a1.qa_critical), (2, 1));
    assert_eq!(a1.qa_score_sum, rust_decimal::dec!(90));
});

contract_test!(
    an_agent_who_moves_team_mid_month_is_scored_in_each_team_for_their_days,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let a2: Vec<_> = cards.iter().filter(|k| k.employee_id == c.a2).collect();
        assert_eq!(a2.len(), 2);
        let (t1, t2) = (
            a2.iter().find(|k| k.team_id == c.t1).unwrap(),
            a2.iter().find(|k| k.team_id == c.t2).unwrap(),
        );
        assert_eq!((t1.days, t1.handled), (14, 1));
        assert_eq!((t2.days, t2.handled), (17, 1));
        assert_eq!(t1.points_lines[0].business_type.as_str(), "INQ");
        assert_eq!(t2.points_lines[0].business_type.as_str(), "CMP");
        assert_eq!(t2.points, rust_decimal::dec!(1.2345));
        // A003 joined on the 5th: 27 days.
        let a3 = cards.iter().find(|k| k.employee_id == c.a3).unwrap();
        assert_eq!(a3.days, 27);
    }
);

contract_test!(
    a_member_without_records_still_gets_a_scorecard,
    |store| async move {
        let c = center(&store).await;
        let cards = service::recompute(&store, oct()).await.unwrap();
        assert_eq!(cards.len(), 4);
        let a1 = cards.iter().find(|k| k.employee_id == c.a1).unwrap();
        assert_eq!(a1.handled, 0);
        assert_eq!(
            store
                .scorecards(oct(), &CardFilter::default())
                .await
                .unwrap(),
            cards
        );
    }
);

contract_test!(
    two_stints_in_one_team_in_one_month_are_one_scorecard,
    |store| async move {
        let c = center(&store).await;
        // A new agent in T1 from the 1st to the 5th and again from the 21st.
        let ids = store
            .insert_employees(&[jixiao_store::NewEmployee {
                employee_no: no("A004"),
                name: "Agent A004".into(),
                position: "agent".into(),
                hire_date: d("2026-10-01"),
            }])
            .await
            .unwrap();
        for (from, to) in [("2026-10-01", Some("2026-10-05")), ("2026-10-21", None)] {
            store
                .add_membership(&Membership {
                    employee_id: ids[0],
                    team_id: c.t1,
                    valid_from: d(from),
                    valid_to: to.map(d),
                })
                .await
                .unwrap();
        }
        let cards = service::compute(&store, oct()).await.unwrap();
        let a4: Vec<_> = cards.iter().filter(|k| k.employee_id == ids[0]).collect();
        assert_eq!(a4.len(), 1);
        assert_eq!(a4[0].days, 5 + 11);
    }
);

contract_test!(
    records_on_days_without_a_team_are_counted_as_unassigned,
    |store| async move {
        let c = center(&store).await;
        // A003 joined T2 on 2026-10-05; this call is from the 2nd.
        let batch = calls(vec![
            call("early", "A003", "2026-10-02 09:00:00", "INQ", 100),
            call("later", "A003", "2026-10-06 09:00:00", "INQ", 100),
        ]);
        store
            .write_import(&new_import("a.csv"), &batch)
            .await
            .unwrap();
        let tallies = store.tallies(oct()).await.unwrap();
        assert_eq!(tallies.len(), 1);
        assert_eq!((tallies[0].employee_id, tallies[0].team_id), (c.a3, c.t2));
        assert_eq!(tallies[0].partial.handled(), 1);
        assert_eq!(store.unassigned_record_count(oct()).await.unwrap(), 1);
    }
);
