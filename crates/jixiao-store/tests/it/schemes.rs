//! Saving a department's scheme: stored with its audit entry, unit price kept; an invalid one
//! stores nothing.

use crate::fixtures::*;
use jixiao_store::{AuditFilter, PageReq, contract_test, service};
use rust_decimal::dec;

async fn scheme_audits(store: &jixiao_store::Store) -> Vec<jixiao_store::AuditEntry> {
    let filter = AuditFilter {
        kind: Some("rules.update".into()),
        ..AuditFilter::default()
    };
    let page = PageReq {
        page: 1,
        per_page: 50,
    };
    store.audit_search(&filter, page).await.unwrap().items
}

contract_test!(
    a_saved_scheme_is_stored_and_audited_and_keeps_the_unit_price,
    |store| async move {
        let c = center(&store).await;
        let mut changed = scheme();
        changed.items[0].weight += dec!(5);
        changed.items[1].weight -= dec!(5);
        service::set_scheme(
            &store,
            c.dept,
            &changed,
            "manager",
            at("2026-11-02T09:00:00Z"),
        )
        .await
        .unwrap();
        let (back, price) = store.department_rules(c.dept).await.unwrap();
        assert_eq!(back, changed);
        assert_eq!(price, dec!(0.85));
        let audits = scheme_audits(&store).await;
        assert_eq!(audits.len(), 1);
        assert_eq!(audits[0].actor, "manager");
        assert_eq!(audits[0].subject, format!("department:{}", c.dept));
        assert_eq!(
            audits[0].detail["before"],
            serde_json::to_value(scheme()).unwrap()
        );
        assert!(matches!(
            store.verify_audit_chain().await.unwrap(),
            jixiao_store::AuditVerification::Intact { .. }
        ));
    }
);

contract_test!(
    a_scheme_whose_weights_do_not_total_100_stores_nothing,
    |store| async move {
        let c = center(&store).await;
        let mut bad = scheme();
        bad.items[0].weight += dec!(5);
        let err = service::set_scheme(&store, c.dept, &bad, "manager", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "weights_not_100");
        assert_eq!(store.department_rules(c.dept).await.unwrap().0, scheme());
        assert!(scheme_audits(&store).await.is_empty());
    }
);

fn pay_rules(base: rust_decimal::Decimal) -> jixiao_core::scorecard::PayRules {
    use jixiao_core::pay::{BonusBand, BonusTable};
    jixiao_core::scorecard::PayRules {
        bonus_base: base,
        bonus_table: BonusTable::new(vec![
            BonusBand {
                min_score: dec!(80),
                coefficient: dec!(1.2),
            },
            BonusBand {
                min_score: dec!(0),
                coefficient: dec!(0.5),
            },
        ])
        .unwrap(),
        rounding: jixiao_core::money::RoundingRule { dp: 2 },
        budget: Some(dec!(10000)),
    }
}

async fn pay_audits(store: &jixiao_store::Store) -> Vec<jixiao_store::AuditEntry> {
    let filter = AuditFilter {
        kind: Some("pay.update".into()),
        ..AuditFilter::default()
    };
    let page = PageReq {
        page: 1,
        per_page: 50,
    };
    store.audit_search(&filter, page).await.unwrap().items
}

contract_test!(
    saving_a_departments_pay_stores_price_and_rules_together_with_one_audit_entry,
    |store| async move {
        let c = center(&store).await;
        let when = at("2026-11-02T09:00:00Z");
        store
            .save_department_pay(c.dept, dec!(1.10), &pay_rules(dec!(300)), "manager", when)
            .await
            .unwrap();
        let (kept, price) = store.department_rules(c.dept).await.unwrap();
        assert_eq!(kept, scheme());
        assert_eq!(price, dec!(1.10));
        assert_eq!(store.pay_rules(c.dept).await.unwrap(), pay_rules(dec!(300)));
        let audits = pay_audits(&store).await;
        assert_eq!(audits.len(), 1);
        assert_eq!(audits[0].subject, format!("department:{}", c.dept));
        let detail = &audits[0].detail;
        assert_eq!(detail["before"]["unit_price"], "0.85");
        assert!(detail["before"]["pay_rules"].is_null(), "{detail}");
        assert_eq!(detail["after"]["unit_price"], "1.10");
        assert_eq!(detail["after"]["pay_rules"]["bonus_base"], "300");

        // A second save records the first as its before.
        store
            .save_department_pay(c.dept, dec!(1.2), &pay_rules(dec!(400)), "manager", when)
            .await
            .unwrap();
        let audits = pay_audits(&store).await;
        assert_eq!(audits.len(), 2);
        let before = audits
            .iter()
            .filter_map(|a| a.detail["before"]["pay_rules"]["bonus_base"].as_str())
            .map(|b| b.parse::<rust_decimal::Decimal>().unwrap())
            .collect::<Vec<_>>();
        assert_eq!(before, vec![dec!(300)]);
    }
);

contract_test!(
    a_price_finer_than_a_fen_or_a_negative_base_stores_nothing,
    |store| async move {
        let c = center(&store).await;
        let when = at("2026-11-02T09:00:00Z");
        let err = store
            .save_department_pay(c.dept, dec!(0.855), &pay_rules(dec!(300)), "manager", when)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value", "{err}");
        let err = store
            .save_department_pay(c.dept, dec!(1), &pay_rules(dec!(-1)), "manager", when)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "invalid_value", "{err}");
        assert_eq!(store.department_rules(c.dept).await.unwrap().1, dec!(0.85));
        assert_eq!(
            store.pay_rules(c.dept).await.unwrap(),
            jixiao_core::scorecard::PayRules::default()
        );
        assert!(pay_audits(&store).await.is_empty());
    }
);
