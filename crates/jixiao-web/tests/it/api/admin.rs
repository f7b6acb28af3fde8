//! `/api/v1/admin/…` writes: users and the organisation, admin only, validated and audited
//! like the pages; a missing department or team named in a body is a 422, never a 500.

use axum::http::{Method, StatusCode};
use jixiao_store::{PageReq, contract_test};

use super::{call, code, json, tokens};
use crate::support::{App, app};

async fn post(app: &App, path: &str, token: &str, body: &str) -> crate::support::Resp {
    call(app, Method::POST, path, Some(token), Some(body), None).await
}

contract_test!(
    an_admin_manages_users_through_the_api_and_nobody_else_may,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let (admin, manager) = (t[0].1.clone(), t[1].1.clone());
        let body =
            r#"{"username":"li","password":"long-enough","role":"agent","employee_no":"A003"}"#;
        let res = post(&app, "/api/v1/admin/users", &admin, body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text());
        let li = json(&res);
        assert_eq!(li["role"], "agent");
        assert_eq!(li["employee_no"], "A003");
        assert!(li.get("password_hash").is_none());
        let id = li["id"].as_i64().unwrap();
        // Taken, no employee for an agent, short password, unknown employee.
        for (body, status, want) in [
            (body, StatusCode::CONFLICT, "conflict"),
            (
                r#"{"username":"x","password":"long-enough","role":"agent"}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            ),
            (
                r#"{"username":"x","password":"short","role":"qa"}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            ),
            (
                r#"{"username":"x","password":"long-enough","role":"agent","employee_no":"ZZ9"}"#,
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
            ),
        ] {
            let res = post(&app, "/api/v1/admin/users", &admin, body).await;
            assert_eq!((res.status, code(&res).as_str()), (status, want), "{body}");
        }
        // Only admins: a manager is refused before the body is read; anonymous is 401.
        let res = post(&app, "/api/v1/admin/users", &manager, body).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = call(
            &app,
            Method::POST,
            "/api/v1/admin/users",
            None,
            Some(body),
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        let role = format!("/api/v1/admin/users/{id}/role");
        let res = post(&app, &role, &admin, r#"{"role":"qa"}"#).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert_eq!(json(&res)["role"], "qa");
        assert_eq!(json(&res)["employee_no"], serde_json::Value::Null);
        let pw = format!("/api/v1/admin/users/{id}/password");
        let res = post(&app, &pw, &admin, r#"{"password":"another-one"}"#).await;
        assert_eq!(res.status, StatusCode::NO_CONTENT);
        let res = post(&app, &pw, &admin, r#"{"password":"x"}"#).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        app.login_with("li", "another-one", "en").await;
        let res = post(
            &app,
            &format!("/api/v1/admin/users/{id}/deactivate"),
            &admin,
            "{}",
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        assert!(json(&res)["deactivated_at"].is_string());
        // A missing user is a 404; an admin cannot deactivate themselves.
        let res = post(
            &app,
            "/api/v1/admin/users/999999/role",
            &admin,
            r#"{"role":"qa"}"#,
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let me = app.store.user_by_username("admin").await.unwrap().id;
        let res = post(
            &app,
            &format!("/api/v1/admin/users/{me}/deactivate"),
            &admin,
            "{}",
        )
        .await;
        assert_eq!(res.status, StatusCode::CONFLICT);
        let kinds: Vec<String> = app
            .store
            .audit_log(PageReq::default())
            .await
            .unwrap()
            .items
            .into_iter()
            .map(|e| e.kind)
            .collect();
        for k in [
            "user.create",
            "user.role",
            "user.password",
            "user.deactivate",
        ] {
            assert!(kinds.contains(&k.to_string()), "{k} in {kinds:?}");
        }
    }
);

contract_test!(
    an_admin_saves_departments_and_teams_and_moves_agents_through_the_api,
    |store| async move {
        let app = app(store).await;
        let t = tokens(&app).await;
        let admin = t[0].1.clone();
        let res = post(
            &app,
            "/api/v1/admin/departments",
            &admin,
            r#"{"code":"CHAT","name":"Chat"}"#,
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let dept = json(&res)["id"].as_i64().unwrap();
        let body = format!(
            r#"{{"department_id":{dept},"code":"CHAT-1","name":"Chat 1","supervisor_no":"A001"}}"#
        );
        let res = post(&app, "/api/v1/admin/teams", &admin, &body).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let team = json(&res);
        assert_eq!(team["code"], "CHAT-1");
        assert!(team["supervisor_id"].is_i64());
        // A department, supervisor or team that does not exist: 422, not a failure.
        for body in [
            r#"{"department_id":999999,"code":"GHOST","name":"Ghost"}"#.to_string(),
            format!(
                r#"{{"department_id":{dept},"code":"GHOST","name":"G","supervisor_no":"ZZ9"}}"#
            ),
        ] {
            let res = post(&app, "/api/v1/admin/teams", &admin, &body).await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                res.text()
            );
            assert_eq!(code(&res), "invalid_input");
        }
        let move_to = |team: i64, from: &str| {
            format!(r#"{{"employee_no":"A002","team_id":{team},"from":"{from}"}}"#)
        };
        let path = "/api/v1/admin/memberships/move";
        for body in [
            move_to(999_999, "2026-10-16"),
            move_to(app.teams.call2, "10/16/2026"),
        ] {
            let res = post(&app, path, &admin, &body).await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                res.text()
            );
        }
        let res = post(&app, path, &admin, &move_to(app.teams.call2, "2026-10-16")).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text());
        let spans = json(&res);
        let spans = spans.as_array().unwrap();
        assert_eq!(spans.len(), 2, "{spans:?}");
        assert_eq!(spans[0]["valid_to"], "2026-10-15");
        assert_eq!(spans[1]["team_id"], app.teams.call2);
        // The same move again conflicts.
        let res = post(&app, path, &admin, &move_to(app.teams.call2, "2026-10-16")).await;
        assert_eq!(res.status, StatusCode::CONFLICT);
    }
);
