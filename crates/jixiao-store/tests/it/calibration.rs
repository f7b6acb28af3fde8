//! The calibration preview on stored calls and applying it as point standards.

use std::collections::BTreeMap;

use crate::fixtures::*;
use jixiao_core::org::TypeCode;
use jixiao_store::service::{self, CalibrationRequest};
use jixiao_store::{PageReq, StoreError, contract_test};
use rust_decimal::dec;

fn request(skill: &[(&str, rust_decimal::Decimal)]) -> CalibrationRequest {
    CalibrationRequest {
        base: TypeCode::parse("INQ").unwrap(),
        months: vec![oct()],
        skill: skill
            .iter()
            .map(|(c, f)| (TypeCode::parse(c).unwrap(), *f))
            .collect::<BTreeMap<_, _>>(),
        dp: 2,
    }
}

contract_test!(
    a_calibration_preview_shows_the_effect_and_applying_it_adds_audited_standards,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        let preview = service::calibration_preview(&store, &request(&[]))
            .await
            .unwrap();
        let line = |code: &str| {
            preview
                .calibration
                .lines
                .iter()
                .find(|l| l.code.as_str() == code)
                .unwrap()
                .clone()
        };
        // INQ: 4 handled, 670 s; CMP: 2 handled, 410 s → 205 ÷ 167.5 = 1.2239 → 1.22.
        assert_eq!((line("INQ").handled, line("CMP").handled), (4, 2));
        assert_eq!(line("CMP").proposed, Some(dec!(1.22)));
        assert_eq!(line("CMP").current, Some(dec!(1.2345)));
        assert_eq!(preview.points_before, dec!(6.4690));
        assert_eq!(preview.points_after, dec!(6.44));
        let a1 = preview
            .agents
            .iter()
            .find(|a| a.employee_id == c.a1)
            .unwrap();
        // A001: two INQ and one CMP; pay = points × 0.85 to fen.
        assert_eq!(
            (a1.points_before, a1.points_after),
            (dec!(3.2345), dec!(3.22))
        );
        assert_eq!((a1.pay_before, a1.pay_after), (dec!(2.75), dec!(2.74)));
        let sum: rust_decimal::Decimal = preview.agents.iter().map(|a| a.pay_after).sum();
        assert_eq!(preview.pay_after, sum);
        // A skill factor multiplies the ratio.
        let skilled = service::calibration_preview(&store, &request(&[("CMP", dec!(1.5))]))
            .await
            .unwrap();
        let cmp = skilled
            .calibration
            .lines
            .iter()
            .find(|l| l.code.as_str() == "CMP")
            .unwrap();
        assert_eq!(cmp.proposed, Some(dec!(1.84)));

        let before = store.point_standards().await.unwrap().len();
        let added = service::apply_calibration(
            &store,
            &request(&[]),
            d("2026-11-01"),
            "boss",
            at("2026-10-31T00:00:00Z"),
        )
        .await
        .unwrap();
        assert_eq!(added.len(), 1, "INQ stays 1: only CMP changes");
        assert_eq!(added[0].coefficient, dec!(1.22));
        let all = store.point_standards().await.unwrap();
        assert_eq!(all.len(), before + 1);
        let log = store.audit_log(PageReq::default()).await.unwrap();
        let entry = log
            .items
            .iter()
            .find(|e| e.kind == "calibration.apply")
            .unwrap();
        assert_eq!(entry.detail["coefficients"]["CMP"], "1.22");

        service::close(&store, oct(), "boss", at("2026-11-02T00:00:00Z"))
            .await
            .unwrap();
        let closed = service::apply_calibration(
            &store,
            &request(&[("CMP", dec!(2))]),
            d("2026-10-15"),
            "boss",
            at("2026-11-03T00:00:00Z"),
        )
        .await;
        assert!(
            matches!(closed, Err(StoreError::PeriodClosed(_))),
            "{closed:?}"
        );
        assert_eq!(store.point_standards().await.unwrap().len(), before + 1);
    }
);

contract_test!(
    the_preview_pays_points_at_the_unit_price_of_each_agents_position,
    |store| async move {
        let c = center(&store).await;
        service::import(&store, &new_import("a.csv"), &october(), &|_| {})
            .await
            .unwrap();
        // Every fixture employee is an "agent": their position's own price, 2.00 a point,
        // pays their points instead of the department's 0.85.
        let when = chrono::DateTime::parse_from_rfc3339("2026-11-02T09:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        service::set_position_scheme(
            &store,
            c.dept,
            "agent",
            &scheme(),
            Some(dec!(2.00)),
            "manager",
            when,
        )
        .await
        .unwrap();
        let preview = service::calibration_preview(&store, &request(&[]))
            .await
            .unwrap();
        let a1 = preview
            .agents
            .iter()
            .find(|a| a.employee_id == c.a1)
            .unwrap();
        // A001: 3.2345 points before, 3.22 after, at 2.00 a point to the fen.
        assert_eq!((a1.pay_before, a1.pay_after), (dec!(6.47), dec!(6.44)));
    }
);
