//! `/api/openapi.json`: the document parses and documents every route the router serves.

use axum::http::{Method, StatusCode};
use jixiao_store::contract_test;

use super::scope::get_matrix;
use super::{call, code, get, json, tokens};
use crate::support::{PERIOD, app};

/// Every route of the router under `/api/v1`, as (method, path template).
const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/me"),
    ("get", "/api/v1/periods"),
    ("get", "/api/v1/periods/{period}/scorecards"),
    ("get", "/api/v1/periods/{period}/teams/{team_id}"),
    ("get", "/api/v1/periods/{period}/agents/{employee_no}"),
    ("get", "/api/v1/periods/{period}/agents/{employee_no}/calls"),
    (
        "get",
        "/api/v1/periods/{period}/agents/{employee_no}/surveys",
    ),
    ("get", "/api/v1/periods/{period}/agents/{employee_no}/qa"),
    ("post", "/api/v1/periods/{period}/close"),
    ("get", "/api/v1/imports"),
    ("get", "/api/v1/imports/{id}/rejects"),
    ("post", "/api/v1/imports/{kind}"),
    ("post", "/api/v1/kpis/check"),
    ("get", "/api/v1/complaints"),
    ("post", "/api/v1/complaints"),
    ("get", "/api/v1/complaints/{id}"),
    ("post", "/api/v1/complaints/{id}/decide"),
    ("get", "/api/v1/journeys"),
    ("get", "/api/v1/journeys/{id}"),
    ("post", "/api/v1/journeys"),
    ("post", "/api/v1/complaints/{id}/links"),
    ("post", "/api/v1/complaints/{id}/investigate"),
    ("post", "/api/v1/complaints/{id}/attributions"),
    ("post", "/api/v1/complaints/{id}/attributions/{aid}/remove"),
    ("post", "/api/v1/complaints/{id}/attributions/{aid}/resolve"),
    ("get", "/api/v1/complaints/stats"),
    ("post", "/api/v1/complaints/import"),
    ("post", "/api/v1/journeys/{id}/survey-link"),
    ("post", "/api/v1/journeys/{id}/participants/records"),
    ("get", "/api/v1/journey-lines"),
    ("post", "/api/v1/journey-lines"),
    ("post", "/api/v1/journey-lines/{id}"),
    ("post", "/api/v1/journey-lines/{id}/stages"),
    ("post", "/api/v1/journeys/{id}/participants"),
    ("post", "/api/v1/journeys/{id}/survey"),
    ("get", "/api/v1/periods/{period}/targets"),
    ("get", "/api/v1/pay-rules"),
    ("post", "/api/v1/pay-rules"),
    ("get", "/api/v1/schemes"),
    ("get", "/api/v1/schemes/{department_code}"),
    ("get", "/api/v1/pay-config"),
    ("get", "/api/v1/quarters/{quarter}"),
    ("get", "/api/v1/years/{year}"),
    ("get", "/api/v1/calibration"),
    ("post", "/api/v1/calibration/apply"),
    ("get", "/api/v1/periods/{period}/teams/{team_id}/behaviour"),
    ("post", "/api/v1/periods/{period}/teams/{team_id}/behaviour"),
    ("get", "/api/v1/admin/users"),
    ("get", "/api/v1/admin/teams"),
    ("post", "/api/v1/admin/users"),
    ("post", "/api/v1/admin/users/{id}/role"),
    ("post", "/api/v1/admin/users/{id}/password"),
    ("post", "/api/v1/admin/users/{id}/deactivate"),
    ("post", "/api/v1/admin/departments"),
    ("post", "/api/v1/admin/teams"),
    ("post", "/api/v1/admin/memberships/move"),
    ("get", "/api/v1/periods/{period}/compare"),
    ("get", "/api/v1/competitions"),
    ("post", "/api/v1/competitions"),
    ("get", "/api/v1/competitions/{id}"),
    ("get", "/api/v1/appeals"),
    ("post", "/api/v1/appeals"),
    ("get", "/api/v1/appeals/{id}"),
    ("post", "/api/v1/appeals/{id}/decide"),
    ("post", "/api/v1/appeals/{id}/escalate"),
    ("post", "/api/v1/appeals/{id}/withdraw"),
    ("get", "/api/v1/notes"),
    ("post", "/api/v1/notes"),
    ("post", "/api/v1/notes/{id}/ack"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/read"),
    ("get", "/api/v1/audit"),
    ("post", "/api/v1/periods/{period}/review"),
    (
        "get",
        "/api/v1/periods/{period}/agents/{employee_no}/adjustments",
    ),
    (
        "post",
        "/api/v1/periods/{period}/agents/{employee_no}/adjustments",
    ),
    ("get", "/api/v1/kpis"),
    ("post", "/api/v1/kpis"),
    ("get", "/api/v1/kpis/{code}"),
    ("get", "/api/v1/point-standards"),
    ("post", "/api/v1/point-standards"),
    ("post", "/api/v1/departments/{department_code}/head"),
    ("get", "/api/v1/unmatched"),
    ("post", "/api/v1/unmatched/map"),
    ("get", "/api/v1/employees/{employee_no}/aliases"),
    ("post", "/api/v1/employees/{employee_no}/aliases"),
    (
        "post",
        "/api/v1/employees/{employee_no}/aliases/{id}/delete",
    ),
    ("get", "/api/v1/profiles"),
    ("post", "/api/v1/profiles/preview"),
    ("get", "/api/v1/profiles/{name}"),
    ("post", "/api/v1/profiles/{name}"),
    ("post", "/api/v1/profiles/{name}/delete"),
    ("post", "/api/v1/imports/upload"),
    ("get", "/api/v1/imports/jobs/{id}"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("post", "/api/v1/tokens/{id}/revoke"),
    (
        "get",
        "/api/v1/schemes/{department_code}/positions/{position}",
    ),
    (
        "post",
        "/api/v1/schemes/{department_code}/positions/{position}",
    ),
    ("post", "/api/v1/schemes/{department_code}/check"),
    (
        "post",
        "/api/v1/schemes/{department_code}/positions/{position}/delete",
    ),
    ("get", "/api/v1/periods/{period}/overview"),
    ("get", "/api/v1/periods/{period}/payroll"),
    ("get", "/api/v1/periods/{period}/payroll.xlsx"),
    ("get", "/api/v1/periods/{period}/export.xlsx"),
    ("get", "/api/v1/imports/{id}/replaced"),
];

/// Turns a concrete path of the scope matrix back into its template.
fn template(path: &str) -> String {
    let path = path.split('?').next().unwrap();
    let parts: Vec<&str> = path.split('/').collect();
    let names = ["{period}", "{team_id}", "{employee_no}", "{id}"];
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| match (i.checked_sub(1).map(|j| parts[j]), *p) {
            (Some("periods"), _) => names[0].to_string(),
            (Some("teams"), _) => names[1].to_string(),
            (Some("agents"), _) => names[2].to_string(),
            (Some("quarters"), _) => "{quarter}".to_string(),
            (Some("years"), _) => "{year}".to_string(),
            (Some("schemes"), _) => "{department_code}".to_string(),
            (Some("positions"), _) => "{position}".to_string(),
            (Some("kpis"), _) => "{code}".to_string(),
            (Some("imports"), id) if id.parse::<i64>().is_ok() => names[3].to_string(),
            (Some("employees"), _) => names[2].to_string(),
            (Some("profiles"), _) => "{name}".to_string(),
            (Some("jobs"), _) => names[3].to_string(),
            (_, p) => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

contract_test!(
    the_openapi_document_parses_and_documents_every_api_route,
    |store| async move {
        let app = app(store).await;
        let res = get(&app, "/api/openapi.json", None).await;
        assert_eq!(res.status, StatusCode::OK);
        let doc = json(&res);
        assert!(
            doc["openapi"].as_str().unwrap().starts_with("3."),
            "{}",
            doc["openapi"]
        );
        assert_eq!(doc["info"]["title"], "Jixiao API");
        assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
        let paths = doc["paths"].as_object().unwrap();
        // Every route the router serves (and every path the scope matrix exercises) is
        // documented, with its method …
        let import_id = 1;
        let exercised = get_matrix(app.teams, import_id)
            .into_iter()
            .map(|(p, _)| ("get", template(&p)));
        for (method, path) in ROUTES
            .iter()
            .map(|(m, p)| (*m, p.to_string()))
            .chain(exercised)
        {
            let op = &paths
                .get(&path)
                .unwrap_or_else(|| panic!("{path} is not documented"))[method];
            assert!(op.is_object(), "{method} {path} is not documented");
            assert!(
                op["responses"].is_object(),
                "{method} {path} has no responses"
            );
        }
        // … and every documented operation is served by a route (not the unknown-route 404).
        let manager = tokens(&app).await[1].1.clone();
        let mut documented = 0;
        for (path, item) in paths {
            for method in ["get", "post"] {
                if item.get(method).is_none() {
                    continue;
                }
                documented += 1;
                let concrete = path
                    .replace("{period}", "2026-07")
                    .replace("{team_id}", &app.teams.call1.to_string())
                    .replace("{employee_no}", "A001")
                    .replace("{id}", "1")
                    .replace("{kind}", "calls")
                    .replace("{name}", "no-such-profile");
                let m = if method == "get" {
                    Method::GET
                } else {
                    Method::POST
                };
                let res = call(&app, m, &concrete, Some(&manager), Some("{}"), Some("k")).await;
                assert_ne!(
                    res.status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}"
                );
                if res.status == StatusCode::NOT_FOUND {
                    assert_ne!(code(&res), "unknown_route", "{method} {path} is not routed");
                }
            }
        }
        assert_eq!(documented, ROUTES.len());
        let mut ids: Vec<&str> = paths
            .values()
            .flat_map(|item| ["get", "post"].map(|m| item[m]["operationId"].as_str()))
            .flatten()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ROUTES.len(), "operation ids are unique");
        // Schemas are documented too.
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "ApiScorecard",
            "ErrorBody",
            "ImportBatch",
            "ImportResult",
            "Me",
        ] {
            assert!(schemas.contains_key(name), "schema {name} missing");
        }
    }
);

contract_test!(
    an_unknown_api_url_is_a_json_404_of_its_own,
    |store| async move {
        let app = app(store).await;
        let res = get(&app, &format!("/api/v1/periods/{PERIOD}/nothing"), None).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert_eq!(code(&res), "unknown_route");
        let wrong_method = call(&app, Method::DELETE, "/api/v1/me", None, None, None).await;
        assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
        assert_eq!(code(&wrong_method), "method_not_allowed");
    }
);
