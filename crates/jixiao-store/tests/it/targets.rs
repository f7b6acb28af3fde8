//! Targets: stored plans and allocations, the add-back-up check, leaders' unit attainment.

use std::collections::BTreeMap;

use crate::fixtures::*;
use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::SchemeItem;
use jixiao_core::targets::{SplitMethod, TargetPlan, UNIT_ATTAINMENT};
use jixiao_store::service::{self, TargetScope};
use jixiao_store::{CardFilter, PageReq, Store, StoreError, contract_test};
use rust_decimal::{Decimal, dec};

fn plan(whole: Decimal, splits: [SplitMethod; 3]) -> TargetPlan {
    TargetPlan {
        measure: "points".into(),
        whole,
        dp: 2,
        departments: splits[0],
        teams: splits[1],
        agents: splits[2],
        explicit: BTreeMap::new(),
    }
}

/// The fixture scheme with 20 % of its points weight moved to the unit's attainment.
async fn with_unit_item(store: &Store, dept: i64) {
    let mut s = scheme();
    s.items[0].weight = dec!(20);
    s.items.push(SchemeItem {
        kpi: KpiCode::Points,
        weight: dec!(20),
        floor: dec!(0),
        target: dec!(100),
        prorate: false,
        library_kpi: Some(UNIT_ATTAINMENT.into()),
        scoring: None,
    });
    store
        .set_department_rules(dept, &s, dec!(0.85))
        .await
        .unwrap();
}

async fn audit_kinds(store: &Store) -> Vec<String> {
    let log = store.audit_log(PageReq::default()).await.unwrap();
    log.items.iter().map(|e| e.kind.clone()).collect()
}

contract_test!(
    a_center_target_is_split_to_teams_and_agents_stored_and_audited,
    |store| async move {
        let c = center(&store).await;
        let p = plan(
            dec!(1000),
            [
                SplitMethod::Headcount,
                SplitMethod::Headcount,
                SplitMethod::Headcount,
            ],
        );
        let stored = service::set_target(&store, oct(), &p, "boss", at("2026-10-01T00:00:00Z"))
            .await
            .unwrap();
        let get = |u: String| {
            stored
                .allocations
                .iter()
                .find(|a| a.unit == u)
                .unwrap_or_else(|| panic!("{u}"))
                .target
        };
        assert_eq!(stored.allocations[0].unit, "center");
        assert_eq!(get(format!("department:{}", c.dept)), dec!(1000));
        // T1 has A001 and A002 (until the 14th), T2 has A002 and A003: two heads each.
        assert_eq!(get(format!("team:{}", c.t1)), dec!(500));
        assert_eq!(get(format!("agent:{}:{}", c.t2, c.a3)), dec!(250));
        assert_eq!(store.targets(oct()).await.unwrap(), vec![stored.clone()]);
        // Setting it again replaces it.
        let again = plan(
            dec!(999.99),
            [
                SplitMethod::Headcount,
                SplitMethod::Headcount,
                SplitMethod::Headcount,
            ],
        );
        service::set_target(&store, oct(), &again, "boss", at("2026-10-02T00:00:00Z"))
            .await
            .unwrap();
        let all = store.targets(oct()).await.unwrap();
        assert_eq!(all.len(), 1);
        let sum: Decimal = all[0]
            .allocations
            .iter()
            .filter(|a| a.unit.starts_with("agent:"))
            .map(|a| a.target)
            .sum();
        assert_eq!(sum, dec!(999.99));
        assert!(jixiao_core::targets::mismatches(&all[0].allocations).is_empty());
        let kinds = audit_kinds(&store).await;
        assert_eq!(kinds.iter().filter(|k| *k == "target.set").count(), 2);
        service::delete_target(&store, oct(), "points", "boss", at("2026-10-03T00:00:00Z"))
            .await
            .unwrap();
        assert!(store.targets(oct()).await.unwrap().is_empty());
        assert!(
            audit_kinds(&store)
                .await
                .contains(&"target.delete".to_string())
        );
    }
);

contract_test!(
    explicit_targets_that_do_not_add_up_and_closed_periods_are_refused,
    |store| async move {
        let c = center(&store).await;
        let mut p = plan(
            dec!(1000),
            [
                SplitMethod::Headcount,
                SplitMethod::Explicit,
                SplitMethod::Headcount,
            ],
        );
        p.explicit.insert(format!("team:{}", c.t1), dec!(600));
        p.explicit.insert(format!("team:{}", c.t2), dec!(300));
        let err = service::set_target(&store, oct(), &p, "boss", at("2026-10-01T00:00:00Z"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "targets_do_not_add_up");
        p.measure = "aht".into();
        let err = service::set_target(&store, oct(), &p, "boss", at("2026-10-01T00:00:00Z"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value");
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-03T00:00:00Z"))
            .await
            .unwrap();
        let ok = plan(
            dec!(10),
            [
                SplitMethod::Headcount,
                SplitMethod::Headcount,
                SplitMethod::Headcount,
            ],
        );
        let closed =
            service::set_target(&store, oct(), &ok, "boss", at("2026-11-04T00:00:00Z")).await;
        assert!(
            matches!(closed, Err(StoreError::PeriodClosed(_))),
            "{closed:?}"
        );
        assert!(store.targets(oct()).await.unwrap().is_empty());
    }
);

contract_test!(
    a_supervisor_is_scored_on_the_teams_attainment_and_a_head_on_the_departments,
    |store| async move {
        let c = center(&store).await;
        with_unit_item(&store, c.dept).await;
        store
            .upsert_team(c.dept, "T1", "Team 1", Some(c.a1))
            .await
            .unwrap();
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let mut p = plan(
            dec!(20),
            [
                SplitMethod::Headcount,
                SplitMethod::Explicit,
                SplitMethod::Headcount,
            ],
        );
        p.explicit.insert(format!("team:{}", c.t1), dec!(10));
        p.explicit.insert(format!("team:{}", c.t2), dec!(10));
        service::set_target(&store, oct(), &p, "boss", at("2026-10-05T00:00:00Z"))
            .await
            .unwrap();
        let cards = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        let team_points: Decimal = cards
            .iter()
            .filter(|k| k.team_id == c.t1)
            .map(|k| k.points)
            .sum();
        let sup = cards.iter().find(|k| k.employee_id == c.a1).unwrap();
        let unit = sup
            .unit_attainment
            .as_ref()
            .expect("the supervisor has a unit");
        assert_eq!(unit.level, "team");
        assert_eq!(unit.rows.len(), 1);
        let row = &unit.rows[0];
        assert_eq!((row.measure.as_str(), row.target), ("points", dec!(10)));
        assert_eq!(row.actual, team_points);
        assert_eq!(row.units, vec![format!("team:{}", c.t1)]);
        let expected = jixiao_core::money::round_half_up(team_points * dec!(10), 2).min(dec!(100));
        assert_eq!(unit.score, Some(expected));
        let item = sup
            .kpis
            .iter()
            .find(|k| k.code() == UNIT_ATTAINMENT)
            .unwrap();
        assert_eq!(item.score, Some(expected));
        // Agents who lead nothing have no unit and spread the item's weight.
        let a3 = cards.iter().find(|k| k.employee_id == c.a3).unwrap();
        assert!(a3.unit_attainment.is_none());
        // A department head is scored on the whole department.
        store
            .set_department_head(c.dept, Some(c.a3), "boss", at("2026-10-06T00:00:00Z"))
            .await
            .unwrap();
        let cards = service::recompute(&store, oct()).await.unwrap();
        let all_points: Decimal = cards.iter().map(|k| k.points).sum();
        let head = cards.iter().find(|k| k.employee_id == c.a3).unwrap();
        let unit = head.unit_attainment.as_ref().unwrap();
        assert_eq!(
            (unit.level.as_str(), unit.rows[0].actual),
            ("department", all_points)
        );
        assert_eq!(unit.rows[0].target, dec!(20));
        assert!(
            audit_kinds(&store)
                .await
                .contains(&"department.head".to_string())
        );
        // A supervisor's view of the overview keeps only their teams and agents.
        let mine = service::target_overview(&store, oct(), &TargetScope::Teams(vec![c.t1]))
            .await
            .unwrap();
        assert!(
            mine[0]
                .rows
                .iter()
                .all(|r| r.unit.contains(&format!(":{}", c.t1)))
        );
        assert_eq!(mine[0].rows[0].actual, team_points);
        let all = service::target_overview(&store, oct(), &TargetScope::All)
            .await
            .unwrap();
        assert_eq!(all[0].rows[0].unit, "center");
        assert_eq!(all[0].rows[0].actual, all_points);
        assert!(all[0].adds_up);
    }
);
