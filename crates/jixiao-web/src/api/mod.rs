//! The JSON REST API under `/api/v1`, for integrations, and its OpenAPI document at
//! `/api/openapi.json`. Docs: `docs/API.md`.
//!
//! Handlers use the same extractors as the pages ([`CurrentUser`](crate::auth::CurrentUser)
//! accepts `Authorization: Bearer <token>` as well as the session cookie), so the role scope is
//! the pages' scope: anything out of scope is the same 404 as anything missing. They return the
//! same [`WebError`](crate::WebError); [`json_errors`] renders every error of an API route as
//! `{ "error": { "code", "message" } }`. Routes and their documentation are registered together
//! (`utoipa_axum::routes!`), so the document cannot miss a route.

mod appeals;
mod calibration;
mod competitions;
mod complaint_ops;
mod dto;
mod fairness;
mod fairness_extra;
mod imports;
mod ingest;
mod journeys;
mod kpis;
mod lifecycle;
mod notices;
mod overview;
mod payconf;
mod payroll;
mod people;
mod points;
mod profiles;
mod records;
mod rewards;
mod schemes;
mod scores;
mod spans;
mod targets;
mod tokens;
mod unmatched;
mod uploads;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::ErrorInfo;
use dto::{ErrorBody, ErrorDetail};

/// Largest accepted API body: a JSON batch of a day's calls for a large center fits.
const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// Rows per page unless `per_page` says otherwise.
const DEFAULT_PER_PAGE: u32 = 50;

/// `?page=&per_page=`: 1-based page, 1–500 rows per page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based page (default 1).
    page: Option<u32>,
    /// Rows per page, 1–500 (default 50).
    per_page: Option<u32>,
}

impl Paging {
    /// The store's page request.
    fn req(&self) -> jixiao_store::PageReq {
        jixiao_store::PageReq {
            page: self.page.unwrap_or(1).max(1),
            per_page: self.per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, 500),
        }
    }
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("jx_ + 64 hex digits")
            .description(Some(
                "An API token created by an admin (/admin/tokens or `jixiao token create`). \
                 It acts as its user, with that user's role scope.",
            ))
            .build();
        doc.components
            .get_or_insert_with(Default::default)
            .add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Jixiao API",
        description = "Scorecards, periods, records and imports of a Jixiao service center. \
                       Authenticate with `Authorization: Bearer <token>`. Errors are \
                       `{\"error\": {\"code\", \"message\"}}` with a stable code. Anything \
                       outside the caller's scope answers 404 like anything missing.",
        license(name = "Apache-2.0")
    ),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    tags(
        (name = "session", description = "Who is calling"),
        (name = "tokens", description = "API tokens for integrations (admin only)"),
        (name = "scores", description = "Periods and scorecards with their explanation"),
        (name = "records", description = "The records behind an agent's numbers"),
        (name = "imports", description = "Import lineage, reject reports and JSON batches"),
        (name = "kpis", description = "Custom KPI formulas"),
        (name = "people", description = "Behaviour ratings, teams compared, competitions, users and teams"),
        (name = "fairness", description = "Complaints and service journeys (docs/FAIRNESS.md)"),
        (name = "targets", description = "Targets, their decomposition and attainment"),
        (name = "pay", description = "Reward and penalty rules; unit prices, bonus and budget per department"),
        (name = "schemes", description = "Assessment schemes per department (docs/KPIS.md)"),
        (name = "appeals", description = "Appeals, feedback notes, notifications and the audit trail (docs/FAIRNESS.md)"),
    )
)]
struct ApiDoc;

/// The API routes (state applied by the caller) and their OpenAPI document.
pub(crate) fn routes() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(scores::me))
        .routes(routes!(scores::periods))
        .routes(routes!(scores::scorecards))
        .routes(routes!(scores::team))
        .routes(routes!(scores::agent))
        .routes(routes!(scores::close))
        .routes(routes!(records::calls))
        .routes(routes!(records::surveys))
        .routes(routes!(records::qa))
        .routes(routes!(imports::list))
        .routes(routes!(imports::rejects))
        .routes(routes!(imports::create))
        .routes(routes!(kpis::check))
        .routes(routes!(people::ratings, people::rate))
        .routes(routes!(people::users, people::admin::create_user))
        .routes(routes!(people::admin::change_role))
        .routes(routes!(people::admin::reset_password))
        .routes(routes!(people::admin::deactivate))
        .routes(routes!(people::org, people::admin::save_team))
        .routes(routes!(people::admin::save_department))
        .routes(routes!(people::admin::move_agent))
        .routes(routes!(people::compare))
        .routes(routes!(people::competitions, competitions::create))
        .routes(routes!(people::competition))
        .routes(routes!(fairness::complaints, fairness::register))
        .routes(routes!(fairness::complaint))
        .routes(routes!(fairness::decide))
        .routes(routes!(fairness::journeys, journeys::open))
        .routes(routes!(fairness::journey))
        .routes(routes!(complaint_ops::link))
        .routes(routes!(complaint_ops::investigate))
        .routes(routes!(complaint_ops::attribute))
        .routes(routes!(complaint_ops::remove))
        .routes(routes!(complaint_ops::resolve))
        .routes(routes!(complaint_ops::stats))
        .routes(routes!(fairness_extra::import))
        .routes(routes!(fairness_extra::survey_link))
        .routes(routes!(fairness_extra::staff_from_records))
        .routes(routes!(journeys::lines, journeys::create_line))
        .routes(routes!(journeys::update_line))
        .routes(routes!(journeys::add_stage))
        .routes(routes!(journeys::add_participant))
        .routes(routes!(journeys::survey))
        .routes(routes!(targets::list, targets::set))
        .routes(routes!(targets::delete))
        .routes(routes!(rewards::list, rewards::add))
        .routes(routes!(rewards::retire))
        .routes(routes!(schemes::list))
        .routes(routes!(schemes::get_one, schemes::set))
        .routes(routes!(payconf::list))
        .routes(routes!(payconf::set))
        .routes(routes!(spans::quarter))
        .routes(routes!(spans::year))
        .routes(routes!(calibration::preview))
        .routes(routes!(calibration::apply))
        .routes(routes!(appeals::list, appeals::submit))
        .routes(routes!(appeals::get_one))
        .routes(routes!(appeals::decide))
        .routes(routes!(appeals::escalate))
        .routes(routes!(appeals::withdraw))
        .routes(routes!(notices::notes, notices::add_note))
        .routes(routes!(notices::ack_note))
        .routes(routes!(notices::notifications))
        .routes(routes!(notices::mark_read))
        .routes(routes!(notices::audit))
        .routes(routes!(overview::overview))
        .routes(routes!(payroll::payroll))
        .routes(routes!(payroll::payroll_xlsx))
        .routes(routes!(payroll::export_xlsx))
        .routes(routes!(imports::replaced))
        .routes(routes!(schemes::get_position, schemes::set_position))
        .routes(routes!(schemes::check))
        .routes(routes!(schemes::delete_position))
        .routes(routes!(unmatched::list))
        .routes(routes!(unmatched::map))
        .routes(routes!(unmatched::aliases, unmatched::add))
        .routes(routes!(unmatched::remove))
        .routes(routes!(profiles::list))
        .routes(routes!(profiles::preview))
        .routes(routes!(profiles::get_one, profiles::save))
        .routes(routes!(profiles::delete))
        .routes(routes!(uploads::upload))
        .routes(routes!(uploads::job))
        .routes(routes!(tokens::list, tokens::create))
        .routes(routes!(tokens::revoke))
        .routes(routes!(lifecycle::review))
        .routes(routes!(lifecycle::adjustments, lifecycle::adjust))
        .routes(routes!(kpis::list, kpis::save))
        .routes(routes!(kpis::get_one))
        .routes(routes!(points::list, points::add))
        .routes(routes!(targets::head))
        .split_for_parts();
    let json = Arc::new(
        doc.to_pretty_json()
            .expect("the OpenAPI document serializes"),
    );
    let router = router
        .route(
            "/api/openapi.json",
            get(move || async move {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    json.as_str().to_owned(),
                )
            }),
        )
        .route("/api", get(unknown_route).fallback(unknown_route))
        .route("/api/{*rest}", get(unknown_route).fallback(unknown_route))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(json_errors));
    (router, doc)
}

/// Any other path under `/api`: a JSON 404 with its own code, so a client (and the route test)
/// can tell a wrong URL from a missing thing.
async fn unknown_route() -> Response {
    error_json(StatusCode::NOT_FOUND, "unknown_route", "no such API route")
}

fn error_json(status: StatusCode, code: &str, message: &str) -> Response {
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.to_string(),
            message: message.to_string(),
        },
    };
    (status, Json(body)).into_response()
}

/// Renders every error of an API route as JSON: [`WebError`](crate::WebError)s by their code (not signed in is
/// 401 here, not a redirect to the login page), and axum's own rejections (a malformed query,
/// a wrong method) by their status.
async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if let Some(info) = res.extensions().get::<ErrorInfo>().cloned() {
        let unauthenticated = matches!(info.code, "unauthenticated" | "invalid_token");
        let status = if unauthenticated {
            StatusCode::UNAUTHORIZED
        } else {
            info.status
        };
        let mut out = error_json(status, info.code, &info.message);
        if unauthenticated {
            out.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"jixiao\""),
            );
        }
        return out;
    }
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return res;
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = status.canonical_reason().unwrap_or("error").to_lowercase();
    error_json(status, code, &message)
}
