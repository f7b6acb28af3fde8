//! Custom KPI definitions: versions, refusals, their audit, and the version a card keeps.

use crate::fixtures::*;
use jixiao_core::kpi::{Direction, DivZero, FormulaSpec, KpiClass, KpiDefinition, Unit};
use jixiao_core::scorecard::Scorecard;
use jixiao_store::{CardFilter, PageReq, StoreError, contract_test, service};
use rust_decimal::Decimal;

fn def(code: &str, formula: &str, unit: Unit) -> KpiDefinition {
    KpiDefinition {
        code: code.into(),
        version: 0,
        name_en: "Double handled".into(),
        name_zh: "双倍接听量".into(),
        formula: FormulaSpec {
            text: formula.into(),
            div_zero: DivZero::Zero,
        },
        unit,
        direction: Direction::HigherIsBetter,
        class: KpiClass::Workload,
    }
}

/// The custom value `code` on A001's card, as (version, value).
fn custom(cards: &[Scorecard], code: &str) -> (Option<u32>, Option<Decimal>) {
    let card = cards.iter().find(|c| c.employee_no == "A001").unwrap();
    let v = card.library.iter().find(|v| v.kpi == code).unwrap();
    (v.version, v.value)
}

contract_test!(
    saving_a_code_again_adds_a_version_and_never_edits_one,
    |store| async move {
        let t1 = at("2026-11-01T08:00:00.1234567Z");
        let first = store
            .save_kpi_definition(&def("double", "handled * 2", Unit::Count), "mgr", t1)
            .await
            .unwrap();
        assert_eq!(first.definition.version, 1);
        assert_eq!(first.created_at, at("2026-11-01T08:00:00.123456Z"));
        let mut changed = def("double", "handled * 3", Unit::Count);
        changed.class = KpiClass::Quality;
        let second = store
            .save_kpi_definition(&changed, "boss", at("2026-11-02T08:00:00Z"))
            .await
            .unwrap();
        assert_eq!(second.definition.version, 2);
        assert_eq!(store.kpi_definition("double", 1).await.unwrap(), first);
        assert_eq!(store.kpi_definition("double", 2).await.unwrap(), second);
        assert_eq!(
            store.kpi_definitions().await.unwrap(),
            vec![first.clone(), second.clone()]
        );
        assert_eq!(store.latest_kpi_definitions().await.unwrap(), vec![second]);
        assert!(matches!(
            store.kpi_definition("double", 3).await,
            Err(StoreError::NotFound(_))
        ));

        let log = store.audit_log(PageReq::default()).await.unwrap().items;
        assert_eq!(log[0].kind, "kpi_definition.save");
        assert_eq!(log[0].subject, "double");
        assert_eq!(log[0].actor, "boss");
        assert_eq!(log[0].detail["version"], 2);
        assert_eq!(log[0].detail["formula"], "handled * 3");
        assert_eq!(log[0].detail["class"], "quality");
        assert_eq!(log[1].detail["version"], 1);
    }
);

contract_test!(
    an_invalid_definition_is_refused_with_its_code_and_not_stored,
    |store| async move {
        let t = at("2026-11-01T08:00:00Z");
        let refused = [
            (
                def("double", "handeld * 2", Unit::Count),
                "formula_unknown_measure",
            ),
            (
                def("double", "handle_secs / handled", Unit::Percent),
                "formula_wrong_unit",
            ),
            (def("aht", "handled", Unit::Count), "invalid_value"),
            (def("Bad-Code", "handled", Unit::Count), "invalid_value"),
            // Its address would be the route of the formula check.
            (def("check", "handled", Unit::Count), "invalid_value"),
            (def("new", "handled", Unit::Count), "invalid_value"),
        ];
        for (d, code) in refused {
            let e = store.save_kpi_definition(&d, "mgr", t).await.unwrap_err();
            assert_eq!(e.code(), code, "{}", d.formula.text);
        }
        assert!(store.kpi_definitions().await.unwrap().is_empty());
        assert!(
            store
                .audit_log(PageReq::default())
                .await
                .unwrap()
                .items
                .is_empty()
        );
    }
);

contract_test!(
    a_closed_period_keeps_the_version_it_used_and_an_open_one_takes_the_latest,
    |store| async move {
        center(&store).await;
        store
            .save_kpi_definition(
                &def("double", "handled * 2", Unit::Count),
                "mgr",
                at("2026-10-01T00:00:00Z"),
            )
            .await
            .unwrap();
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        service::close(&store, oct(), "boss", at("2026-11-02T09:00:00Z"))
            .await
            .unwrap();
        let closed = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        // A001 handled c1, c2 and the transferred c7.
        assert_eq!(custom(&closed, "double"), (Some(1), Some(Decimal::from(6))));

        store
            .save_kpi_definition(
                &def("double", "handled * 3", Unit::Count),
                "mgr",
                at("2026-11-03T00:00:00Z"),
            )
            .await
            .unwrap();
        let nov = calls(vec![call("n1", "A001", "2026-11-04 09:00:00", "INQ", 50)]);
        service::import(&store, &new_import("nov.csv"), &nov, &|_| {})
            .await
            .unwrap();
        let still = store
            .scorecards(oct(), &CardFilter::default())
            .await
            .unwrap();
        assert_eq!(still, closed, "a closed period does not change");
        let november = service::recompute(&store, "2026-11".parse().unwrap())
            .await
            .unwrap();
        assert_eq!(
            custom(&november, "double"),
            (Some(2), Some(Decimal::from(3)))
        );
    }
);
