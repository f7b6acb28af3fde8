//! `/config/schemes` and `/api/v1/schemes`: managers edit a department's assessment scheme;
//! an invalid one is refused with its reason and nothing is stored; other roles are refused.

use axum::http::{Method, StatusCode};
use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::Scheme;
use jixiao_store::{CardFilter, contract_test};
use rust_decimal::Decimal;

use crate::api::{call, code, get as api_get, json, tokens};
use crate::support::*;

/// The fixture's scheme with points at `points` % and AHT making up the rest of their 55 %.
fn reweighted(points: i64) -> Scheme {
    let mut s = scheme();
    s.items[0].weight = points.into();
    s.items[1].weight = (55 - points).into();
    s
}

/// The configured weight of points on A001's stored card.
async fn points_weight(app: &App) -> Decimal {
    let cards = app
        .store
        .scorecards(period(), &CardFilter::default())
        .await
        .unwrap();
    let card = cards.iter().find(|c| c.employee_no == "A001").unwrap();
    card.kpis
        .iter()
        .find(|k| k.kpi == KpiCode::Points)
        .unwrap()
        .weight
}

async fn call_id(app: &App) -> i64 {
    let d = app.store.departments().await.unwrap();
    d.into_iter().find(|d| d.code == "CALL").unwrap().id
}

fn form(csrf: &str, toml_text: &str) -> String {
    format!("csrf={}&toml={}", enc(csrf), enc(toml_text))
}

contract_test!(
    a_manager_saves_a_changed_weight_and_the_open_periods_cards_change,
    |store| async move {
        let app = app(store).await;
        assert_eq!(points_weight(&app).await, 40.into());
        let manager = app.login("manager").await;
        let list = app.get("/config/schemes", Some(&manager)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("scheme-CALL"), "{}", list.text());
        let edit = app.get("/config/schemes/CALL", Some(&manager)).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.text().contains("scheme-toml"));

        let text = toml::to_string(&reweighted(30)).unwrap();
        let checked = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        assert!(checked.text().contains("scheme-summary"));
        // Check stores nothing.
        assert_eq!(points_weight(&app).await, 40.into());

        let saved = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(saved.location(), "/config/schemes/CALL?saved=1");
        let (stored, _) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(stored, reweighted(30));
        assert_eq!(points_weight(&app).await, 30.into());
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(audit.iter().any(|k| k == "rules.update"), "{audit:?}");

        // The API sees and changes the same scheme.
        let token = tokens(&app).await[1].1.clone();
        let one = api_get(&app, "/api/v1/schemes/CALL", Some(&token)).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.text());
        assert_eq!(json(&one)["weight_total"], "100");
        let body = serde_json::to_string(&reweighted(20)).unwrap();
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/schemes/CALL",
            Some(&token),
            Some(&body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::OK, "{}", put.text());
        assert_eq!(points_weight(&app).await, 20.into());
        let all = api_get(&app, "/api/v1/schemes", Some(&token)).await;
        assert_eq!(json(&all).as_array().unwrap().len(), 2);
    }
);

contract_test!(
    weights_that_do_not_total_100_are_refused_with_the_reason_and_nothing_is_saved,
    |store| async move {
        let app = app(store).await;
        let manager = app.login("manager").await;
        let mut bad = scheme();
        bad.items[0].weight = 30.into();
        let res = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form(&manager.csrf, &toml::to_string(&bad).unwrap()),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = res.text();
        assert!(
            html.contains("scheme-error") && html.contains("90"),
            "{html}"
        );
        let res = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, "items = ["),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.text().contains("TOML"));

        let token = tokens(&app).await[1].1.clone();
        let body = serde_json::to_string(&bad).unwrap();
        let put = call(
            &app,
            Method::PUT,
            "/api/v1/schemes/CALL",
            Some(&token),
            Some(&body),
            None,
        )
        .await;
        assert_eq!(put.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&put), "invalid_input");
        assert!(
            json(&put)["error"]["message"]
                .as_str()
                .unwrap()
                .contains("90")
        );

        let (stored, _) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(stored, scheme());
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    supervisors_agents_and_qa_are_refused_and_the_forms_need_the_csrf_token,
    |store| async move {
        let app = app(store).await;
        let text = toml::to_string(&reweighted(30)).unwrap();
        for who in ["sup", "agent", "qa"] {
            let b = app.login(who).await;
            for path in ["/config/schemes", "/config/schemes/CALL"] {
                let res = app.get(path, Some(&b)).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
            }
            let res = app
                .post("/config/schemes/CALL/save", Some(&b), &form(&b.csrf, &text))
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let tokens = tokens(&app).await;
        for (who, token) in &tokens[2..] {
            let res = api_get(&app, "/api/v1/schemes", Some(token)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let body = serde_json::to_string(&reweighted(30)).unwrap();
            let put = call(
                &app,
                Method::PUT,
                "/api/v1/schemes/CALL",
                Some(token),
                Some(&body),
                None,
            )
            .await;
            assert_eq!(put.status, StatusCode::FORBIDDEN, "{who}");
        }
        let manager = app.login("manager").await;
        let res = app
            .post(
                "/config/schemes/CALL/save",
                Some(&manager),
                &form("wrong", &text),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let missing = app.get("/config/schemes/NOPE", Some(&manager)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    a_scheme_with_a_deduction_item_round_trips_through_the_editors_toml,
    |store| async move {
        use jixiao_core::scoring::{DeductionRule, ScoringRule};
        let app = app(store).await;
        let mut with_deduction = scheme();
        let mut item = with_deduction.items[0].clone();
        item.weight = Decimal::ZERO;
        item.library_kpi = Some("complaints_upheld".into());
        item.scoring = Some(ScoringRule::DeductionPerEvent(DeductionRule {
            points: 2.into(),
            cap: Some(10.into()),
        }));
        with_deduction.items.push(item);
        let id = call_id(&app).await;
        app.store
            .set_department_rules(id, &with_deduction, Decimal::new(5, 1))
            .await
            .unwrap();
        let manager = app.login("manager").await;
        let edit = app.get("/config/schemes/CALL", Some(&manager)).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(
            edit.text().contains("deduction_per_event"),
            "{}",
            edit.text()
        );
        let text = toml::to_string_pretty(&with_deduction).unwrap();
        let checked = app
            .post(
                "/config/schemes/CALL/check",
                Some(&manager),
                &form(&manager.csrf, &text),
            )
            .await;
        assert_eq!(checked.status, StatusCode::OK, "{}", checked.text());
        assert!(checked.text().contains("complaints_upheld"));
    }
);

// Issue 4: position schemes and the scheme check API.

fn position_form(csrf: &str, toml_text: &str, price: &str) -> String {
    format!(
        "csrf={}&toml={}&unit_price={}",
        enc(csrf),
        enc(toml_text),
        enc(price)
    )
}

/// The scheme source and unit price on A001's stored card.
async fn a001(app: &App) -> jixiao_core::scorecard::Scorecard {
    let cards = app
        .store
        .scorecards(period(), &CardFilter::default())
        .await
        .unwrap();
    cards.into_iter().find(|c| c.employee_no == "A001").unwrap()
}

contract_test!(
    a_manager_saves_a_position_scheme_and_the_positions_cards_use_it,
    |store| async move {
        use jixiao_core::scorecard::SchemeSource;
        let app = app(store).await;
        let manager = app.login("manager").await;
        let list = app.get("/config/schemes", Some(&manager)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.text().contains("add-position-CALL"), "{}", list.text());
        // The list's form opens the position's editor at its encoded path.
        let open = app
            .get(
                "/config/schemes/CALL/positions?position=agent",
                Some(&manager),
            )
            .await;
        assert_eq!(open.status, StatusCode::SEE_OTHER);
        assert_eq!(open.location(), "/config/schemes/CALL/positions/agent");
        // Without its own scheme, the editor starts from the department's.
        let edit = app
            .get("/config/schemes/CALL/positions/agent", Some(&manager))
            .await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.text().contains("scheme-inherited"), "{}", edit.text());
        assert!(edit.text().contains("scheme-unit-price"));

        let text = toml::to_string(&reweighted(30)).unwrap();
        let bad_price = app
            .post(
                "/config/schemes/CALL/positions/agent/save",
                Some(&manager),
                &position_form(&manager.csrf, &text, "0.005"),
            )
            .await;
        assert_eq!(bad_price.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_price.text().contains("scheme-error"));
        assert!(app.store.all_position_rules().await.unwrap().is_empty());

        let saved = app
            .post(
                "/config/schemes/CALL/positions/agent/save",
                Some(&manager),
                &position_form(&manager.csrf, &text, "1.5"),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(
            saved.location(),
            "/config/schemes/CALL/positions/agent?saved=1"
        );
        let card = a001(&app).await;
        assert_eq!(points_weight(&app).await, 30.into());
        assert_eq!(card.unit_price, Decimal::new(15, 1));
        assert_eq!(
            card.scheme.unwrap().source,
            SchemeSource::Position {
                position: "agent".into()
            }
        );
        // The department's scheme is untouched; the list shows the position's row.
        let (dept, _) = app
            .store
            .department_rules(call_id(&app).await)
            .await
            .unwrap();
        assert_eq!(dept, scheme());
        let list = app.get("/config/schemes", Some(&manager)).await;
        assert!(list.text().contains("position-scheme"), "{}", list.text());
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(audit.iter().any(|k| k == "rules.update"), "{audit:?}");

        // The agent's page names the position's scheme.
        let agent = app
            .get(&format!("/p/{}/agents/A001", period()), Some(&manager))
            .await;
        assert_eq!(agent.status, StatusCode::OK);
        assert!(agent.text().contains("scheme-used"), "{}", agent.text());

        // A position with a space and Chinese characters works through its encoded path.
        let name = "高级 坐席";
        let path = format!("/config/schemes/CALL/positions/{}", enc_path(name));
        let saved = app
            .post(
                &format!("{path}/save"),
                Some(&manager),
                &position_form(&manager.csrf, &text, ""),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        assert_eq!(saved.location(), format!("{path}?saved=1"));
        let stored = app
            .store
            .position_rules(call_id(&app).await, name)
            .await
            .unwrap();
        assert_eq!(stored.unit_price, None);
        let edit = app.get(&path, Some(&manager)).await;
        assert_eq!(edit.status, StatusCode::OK);
        assert!(edit.text().contains(name));
        assert!(!edit.text().contains("scheme-inherited"));
    }
);

/// A path segment percent-encoded, every byte but the unreserved characters.
fn enc_path(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

contract_test!(
    the_api_reads_checks_and_saves_position_schemes,
    |store| async move {
        let app = app(store).await;
        let token = tokens(&app).await[1].1.clone();
        let path = format!(
            "/api/v1/schemes/CALL/positions/{}",
            enc_path("Senior agent")
        );
        let one = api_get(&app, &path, Some(&token)).await;
        assert_eq!(one.status, StatusCode::OK, "{}", one.text());
        let body = json(&one);
        assert_eq!(body["own"], false);
        assert_eq!(body["position"], "Senior agent");
        assert_eq!(body["weight_total"], "100");

        // Check: a valid TOML scheme gives its summary, an invalid one the reason; nothing
        // is stored either way.
        let with_quotas = format!(
            "{}\n[distribution]\nwithin = \"team\"\n\n[[distribution.quotas]]\ngrade = \"A\"\nmax_percent = \"20\"\n\n[[distribution.quotas]]\ngrade = \"D\"\nmin_percent = \"5\"\n",
            toml::to_string(&reweighted(30)).unwrap()
        );
        let req = serde_json::json!({ "toml": with_quotas }).to_string();
        let check = call(
            &app,
            Method::POST,
            "/api/v1/schemes/CALL/check",
            Some(&token),
            Some(&req),
            None,
        )
        .await;
        assert_eq!(check.status, StatusCode::OK, "{}", check.text());
        let c = json(&check);
        assert_eq!(c["valid"], true, "{c}");
        assert_eq!(c["weight_total"], "100");
        assert_eq!(c["scheme"]["distribution"]["within"], "team");
        let mut bad = scheme();
        bad.items[0].weight = 30.into();
        let req = serde_json::json!({ "toml": toml::to_string(&bad).unwrap() }).to_string();
        let check = call(
            &app,
            Method::POST,
            "/api/v1/schemes/CALL/check",
            Some(&token),
            Some(&req),
            None,
        )
        .await;
        assert_eq!(check.status, StatusCode::OK);
        let c = json(&check);
        assert_eq!(c["valid"], false);
        assert!(c["error"].as_str().unwrap().contains("90"), "{c}");
        // An at-most quota on the worst grade cannot be met: refused with the reason.
        let worst = with_quotas.replace("min_percent = \"5\"", "max_percent = \"5\"");
        let req = serde_json::json!({ "toml": worst }).to_string();
        let check = call(
            &app,
            Method::POST,
            "/api/v1/schemes/CALL/check",
            Some(&token),
            Some(&req),
            None,
        )
        .await;
        let c = json(&check);
        assert_eq!(c["valid"], false);
        assert!(c["error"].as_str().unwrap().contains("worst grade"), "{c}");
        let missing = call(
            &app,
            Method::POST,
            "/api/v1/schemes/NOPE/check",
            Some(&token),
            Some(&req),
            None,
        )
        .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(app.store.all_position_rules().await.unwrap().is_empty());

        // Save as JSON with a price, then as TOML keeping the department's price.
        let req = serde_json::json!({ "scheme": reweighted(20), "unit_price": "1.10" }).to_string();
        let saved = call(&app, Method::POST, &path, Some(&token), Some(&req), None).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
        let s = json(&saved);
        assert_eq!(
            (s["own"].clone(), s["unit_price"].clone()),
            (true.into(), "1.10".into())
        );
        let req = serde_json::json!({ "toml": with_quotas }).to_string();
        let saved = call(&app, Method::POST, &path, Some(&token), Some(&req), None).await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());
        assert_eq!(json(&saved)["own_unit_price"], serde_json::Value::Null);
        let stored = app
            .store
            .position_rules(call_id(&app).await, "Senior agent")
            .await
            .unwrap();
        assert!(stored.scheme.distribution.is_some());
        // Invalid: both bodies, or a bad scheme; nothing changes.
        let req = serde_json::json!({ "scheme": bad, "unit_price": null }).to_string();
        let refused = call(&app, Method::POST, &path, Some(&token), Some(&req), None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code(&refused), "invalid_input");
        let req = serde_json::json!({ "scheme": reweighted(20), "toml": with_quotas }).to_string();
        let refused = call(&app, Method::POST, &path, Some(&token), Some(&req), None).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        let missing = api_get(&app, "/api/v1/schemes/NOPE/positions/agent", Some(&token)).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        // The fixture's agents hold "agent", not "Senior agent": their cards are unchanged.
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    only_managers_and_admins_see_and_edit_position_schemes,
    |store| async move {
        let app = app(store).await;
        let text = toml::to_string(&reweighted(30)).unwrap();
        for who in ["sup", "agent", "qa"] {
            let b = app.login(who).await;
            let res = app
                .get("/config/schemes/CALL/positions/agent", Some(&b))
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let res = app
                .post(
                    "/config/schemes/CALL/positions/agent/save",
                    Some(&b),
                    &position_form(&b.csrf, &text, ""),
                )
                .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
        }
        let all = tokens(&app).await;
        for (who, token) in &all[2..] {
            let res = api_get(&app, "/api/v1/schemes/CALL/positions/agent", Some(token)).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{who}");
            let req = serde_json::json!({ "toml": text }).to_string();
            for path in [
                "/api/v1/schemes/CALL/positions/agent",
                "/api/v1/schemes/CALL/check",
            ] {
                let res = call(&app, Method::POST, path, Some(token), Some(&req), None).await;
                assert_eq!(res.status, StatusCode::FORBIDDEN, "{who} {path}");
            }
        }
        // The admin may.
        let admin = &all[0].1;
        let res = api_get(&app, "/api/v1/schemes/CALL/positions/agent", Some(admin)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let manager = app.login("manager").await;
        let res = app
            .post(
                "/config/schemes/CALL/positions/agent/save",
                Some(&manager),
                &position_form("wrong", &text, ""),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let missing = app
            .get("/config/schemes/NOPE/positions/agent", Some(&manager))
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(app.store.all_position_rules().await.unwrap().is_empty());
        assert_eq!(points_weight(&app).await, 40.into());
    }
);

contract_test!(
    deleting_a_position_scheme_scores_its_employees_under_the_department_again,
    |store| async move {
        use jixiao_core::scorecard::SchemeSource;
        let app = app(store).await;
        let manager = app.login("manager").await;
        let text = toml::to_string(&reweighted(30)).unwrap();
        let path = "/config/schemes/CALL/positions/agent";
        let saved = app
            .post(
                &format!("{path}/save"),
                Some(&manager),
                &position_form(&manager.csrf, &text, "1.5"),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let edit = app.get(path, Some(&manager)).await.text();
        assert!(edit.contains("scheme-delete"), "{edit}");
        // Only managers and admins delete.
        let sup = app.login("sup").await;
        let refused = app.post_csrf(&format!("{path}/delete"), &sup).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let deleted = app.post_csrf(&format!("{path}/delete"), &manager).await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER, "{}", deleted.text());
        assert_eq!(deleted.location(), "/config/schemes");
        assert!(app.store.all_position_rules().await.unwrap().is_empty());
        let card = a001(&app).await;
        assert_eq!(card.scheme.unwrap().source, SchemeSource::Department);
        assert_eq!(points_weight(&app).await, scheme().items[0].weight);
        let audit = app.store.audit_kinds().await.unwrap();
        assert!(audit.iter().any(|k| k == "rules.delete"), "{audit:?}");
        // Gone: the editor offers the department's scheme again, a second delete is 404.
        let edit = app.get(path, Some(&manager)).await.text();
        assert!(edit.contains("scheme-inherited") && !edit.contains("scheme-delete"));
        let again = app.post_csrf(&format!("{path}/delete"), &manager).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);

        // The API twin.
        let saved = app
            .post(
                &format!("{path}/save"),
                Some(&manager),
                &position_form(&manager.csrf, &text, ""),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let t = tokens(&app).await;
        let api = "/api/v1/schemes/CALL/positions/agent/delete";
        for who in [&t[2].1, &t[3].1, &t[4].1] {
            let res = call(&app, Method::POST, api, Some(who), None, None).await;
            assert_eq!(res.status, StatusCode::FORBIDDEN);
        }
        let res = call(&app, Method::POST, api, Some(&t[1].1), None, None).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.text());
        assert!(app.store.all_position_rules().await.unwrap().is_empty());
        let res = call(&app, Method::POST, api, Some(&t[1].1), None, None).await;
        assert_eq!(
            (res.status, code(&res)),
            (StatusCode::NOT_FOUND, "not_found".into())
        );
    }
);
