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
