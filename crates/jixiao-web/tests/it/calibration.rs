//! `/config/calibration`: the preview and applying it, for managers and admins only.

use axum::http::StatusCode;
use jixiao_store::{PageReq, contract_test};

use crate::api::{get as api_get, json, tokens};
use crate::support::*;

contract_test!(
    a_manager_previews_a_calibration_and_applies_it_from_a_date,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let page = app.get("/config/calibration", Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.text().contains("cal-form") && !page.text().contains("cal-lines"));
        let q = format!("/config/calibration?base=INQ&months={PERIOD}&skill=&dp=2");
        let page = app.get(&q, Some(&manager)).await;
        assert_eq!(page.status, StatusCode::OK);
        let html = page.text();
        assert!(html.contains("cal-lines") && html.contains("cal-agents") && html.contains("A001"));
        let bad = app
            .get(
                "/config/calibration?base=INQ&months=2026-13",
                Some(&manager),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.text().contains("cal-error"));

        let tokens = tokens(&app).await;
        let api = json(
            &api_get(
                &app,
                &format!("/api/v1/calibration?base=INQ&months={PERIOD}"),
                Some(&tokens[1].1),
            )
            .await,
        );
        assert_eq!(api["base"], "INQ");
        let pay_after: rust_decimal::Decimal = api["agents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                a["pay_after"]
                    .as_str()
                    .unwrap()
                    .parse::<rust_decimal::Decimal>()
                    .unwrap()
            })
            .sum();
        assert_eq!(
            api["pay_after"]
                .as_str()
                .unwrap()
                .parse::<rust_decimal::Decimal>()
                .unwrap(),
            pay_after
        );

        let before = app.store.point_standards().await.unwrap().len();
        let form = format!(
            "csrf={}&base=INQ&months={PERIOD}&skill=CMP%3D1.5&dp=2&effective_from=2026-11-01",
            enc(&manager.csrf)
        );
        let res = app
            .post("/config/calibration/apply", Some(&manager), &form)
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.text());
        assert!(app.store.point_standards().await.unwrap().len() > before);
        let log = app.store.audit_log(PageReq::default()).await.unwrap();
        assert!(log.items.iter().any(|e| e.kind == "calibration.apply"));
    }
);

contract_test!(only_admins_and_managers_calibrate, |store| async move {
    let app = app(store).await;
    for who in ["sup", "qa", "agent"] {
        let b = app.login(who).await;
        let res = app
            .get("/config/calibration?base=INQ&months=2026-10", Some(&b))
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        let form = format!(
            "csrf={}&base=INQ&months=2026-10&effective_from=2026-11-01",
            enc(&b.csrf)
        );
        let res = app.post("/config/calibration/apply", Some(&b), &form).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
    }
    let manager = app.login("manager").await;
    let res = app
        .post(
            "/config/calibration/apply",
            Some(&manager),
            "base=INQ&months=2026-10&effective_from=2026-11-01",
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "no CSRF token");
    assert_eq!(app.store.point_standards().await.unwrap().len(), 0);
});
