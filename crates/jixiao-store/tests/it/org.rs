use crate::fixtures::*;
use jixiao_core::org::{Membership, TypeCode};
use jixiao_store::{BusinessType, NewEmployee, StoreError, contract_test};
use rust_decimal::dec;

contract_test!(migrating_again_changes_nothing, |store| async move {
    store.migrate().await.unwrap();
    store.migrate().await.unwrap();
    assert_eq!(store.employee_count().await.unwrap(), 0);
});

contract_test!(the_organisation_round_trips, |store| async move {
    let c = center(&store).await;
    let depts = store.departments().await.unwrap();
    assert_eq!(depts.len(), 1);
    assert_eq!((depts[0].id, depts[0].code.as_str()), (c.dept, "CALL"));
    // Upserting by code renames and keeps the id.
    assert_eq!(
        store.upsert_department("CALL", "话务部").await.unwrap(),
        c.dept
    );
    assert_eq!(store.departments().await.unwrap()[0].name, "话务部");

    let teams = store.teams().await.unwrap();
    assert_eq!(
        teams.iter().map(|t| t.code.as_str()).collect::<Vec<_>>(),
        ["T1", "T2"]
    );
    let t1 = store
        .upsert_team(c.dept, "T1", "Team One", Some(c.a1))
        .await
        .unwrap();
    assert_eq!(t1, c.t1);
    let team = store.team(c.t1).await.unwrap();
    assert_eq!(
        (team.name.as_str(), team.supervisor_id),
        ("Team One", Some(c.a1))
    );
    assert_eq!(store.teams_led_by(c.a1).await.unwrap(), vec![c.t1]);
    assert!(store.teams_led_by(c.a2).await.unwrap().is_empty());

    let e = store.employee(c.a2).await.unwrap();
    assert_eq!(e.employee_no.as_str(), "A002");
    assert_eq!(e.hire_date, d("2025-01-01"));
    assert_eq!(store.employee_by_no("A002").await.unwrap(), e);
    assert_eq!(store.employee_ids().await.unwrap()["A003"], c.a3);
    assert_eq!(store.employee_count().await.unwrap(), 3);
    assert_eq!(store.employees().await.unwrap().len(), 3);

    let ms = store.memberships_in(oct()).await.unwrap();
    assert_eq!(ms.len(), 4);
    assert!(ms.contains(&Membership {
        employee_id: c.a2,
        team_id: c.t1,
        valid_from: d("2025-01-01"),
        valid_to: Some(d("2026-10-14")),
    }));
    // A003 joined in October, so September has only the other two's memberships.
    let sep = store
        .memberships_in("2026-09".parse().unwrap())
        .await
        .unwrap();
    assert_eq!(sep.len(), 2);
});

contract_test!(missing_rows_are_not_found, |store| async move {
    assert!(matches!(store.team(99).await, Err(StoreError::NotFound(_))));
    assert!(matches!(
        store.employee(99).await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.employee_by_no("NOPE").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.department_rules(1).await,
        Err(StoreError::NotFound(_))
    ));
});

contract_test!(
    a_duplicate_employee_number_is_a_conflict_and_inserts_nothing,
    |store| async move {
        let e = |n: &str| NewEmployee {
            employee_no: no(n),
            name: n.into(),
            position: "agent".into(),
            hire_date: d("2025-01-01"),
        };
        store.insert_employees(&[e("A1")]).await.unwrap();
        let err = store
            .insert_employees(&[e("A2"), e("A1")])
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(store.employee_count().await.unwrap(), 1);
    }
);

contract_test!(
    overlapping_memberships_of_one_employee_are_a_conflict,
    |store| async move {
        let c = center(&store).await;
        let err = store
            .add_membership(&Membership {
                employee_id: c.a1,
                team_id: c.t2,
                valid_from: d("2026-10-01"),
                valid_to: Some(d("2026-10-31")),
            })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    }
);

contract_test!(
    money_and_coefficients_round_trip_exactly,
    |store| async move {
        let c = center(&store).await;
        let types = store.business_types().await.unwrap();
        assert_eq!(types[0].code.as_str(), "CMP");
        assert_eq!(types[0].coefficient, dec!(1.2345));
        assert_eq!(types[0].coefficient.to_string(), "1.2345");
        let (scheme_back, price) = store.department_rules(c.dept).await.unwrap();
        assert_eq!(price.to_string(), "0.85");
        assert_eq!(scheme_back, scheme());
        // Five decimals cannot be stored exactly: refused, not rounded.
        let err = store
            .upsert_business_type(&BusinessType {
                code: TypeCode::parse("X").unwrap(),
                name: "x".into(),
                coefficient: dec!(1.23456),
            })
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value");
        let err = store
            .set_department_rules(c.dept, &scheme(), dec!(0.855))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value");
    }
);
