//! The router: one module per area, each handler extract → one call → render.

/// Declares a posted form whose fields are all text as typed (blank when missing) plus the
/// CSRF token, with its [`HasCsrf`](crate::auth::HasCsrf) impl. Defined before the modules
/// below so each can use it.
macro_rules! csrf_form {
    ($name:ident { $($field:ident),* $(,)? }) => {
        /// A posted form (fields as typed, blank when missing).
        #[derive(Debug, Deserialize)]
        pub struct $name {
            #[serde(default)]
            csrf: String,
            $(#[serde(default)] $field: String,)*
        }

        impl HasCsrf for $name {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        }
    };
}

mod admin_people;
mod admin_tokens;
mod agents;
mod appeals;
mod assets;
mod behaviour;
mod calibration;
mod competitions;
mod complaints;
mod fairness_public;
mod home;
mod imports;
mod journeys;
mod kpis;
mod lifecycle;
mod pay;
mod payconf;
mod periods;
mod profiles;
mod rewards;
mod schemes;
mod session;
mod spans;
mod targets;
mod teams;
mod templates;
mod unmatched;

use askama::Template;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::response::{Html, Response};
use axum::routing::{get, post};

use crate::{AppState, WebError};

/// Largest accepted upload: a month of calls for a large center fits comfortably.
const MAX_UPLOAD_BYTES: usize = 64 * 1024 * 1024;

use crate::error::id_param;

/// Renders a page template.
fn render(page: &impl Template) -> Result<Html<String>, WebError> {
    Ok(Html(page.render()?))
}

pub(crate) fn router(state: AppState) -> Router {
    let (api, _doc) = crate::api::routes();
    Router::new()
        .route("/", get(home::home))
        .route("/login", get(session::login_form).post(session::login))
        .route("/logout", post(session::logout))
        .route("/lang/{code}", get(session::set_lang))
        .route("/static/app.css", get(assets::css))
        .route("/p/{period}", get(home::overview))
        .route("/p/{period}/teams/{team_id}", get(teams::show))
        .route("/p/{period}/agents/{employee_no}", get(agents::show))
        .route("/p/{period}/agents/{employee_no}/calls", get(agents::calls))
        .route(
            "/p/{period}/agents/{employee_no}/surveys",
            get(agents::surveys),
        )
        .route("/p/{period}/agents/{employee_no}/qa", get(agents::qa))
        .route("/p/{period}/close", post(periods::close))
        .route("/p/{period}/review", post(lifecycle::review))
        .route(
            "/p/{period}/agents/{employee_no}/adjustments",
            post(lifecycle::adjust),
        )
        .route("/p/{period}/export.xlsx", get(periods::export))
        .route("/periods", get(periods::list))
        .route(
            "/imports",
            get(imports::list)
                .post(imports::upload)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD_BYTES)),
        )
        .route("/imports/{id}/rejects.csv", get(imports::rejects_csv))
        .route("/imports/{id}/replaced.csv", get(imports::replaced_csv))
        .route("/imports/templates/{file}", get(templates::download))
        .route("/unmatched", get(unmatched::list))
        .route("/unmatched/map", post(unmatched::map))
        .route(
            "/employees/{employee_no}/aliases",
            get(unmatched::aliases).post(unmatched::add),
        )
        .route(
            "/employees/{employee_no}/aliases/{id}/delete",
            post(unmatched::remove),
        )
        .route("/imports/jobs/{id}", get(imports::job))
        .route(
            "/admin/tokens",
            get(admin_tokens::list).post(admin_tokens::create),
        )
        .route("/admin/tokens/{id}/revoke", post(admin_tokens::revoke))
        .merge(issue5_routes())
        .merge(profiles::routes())
        .merge(pay::routes())
        .merge(kpis::routes())
        .merge(targets::routes())
        .merge(rewards::routes())
        .merge(schemes::routes())
        .merge(payconf::routes())
        .merge(spans::routes())
        .merge(calibration::routes())
        .merge(appeals::routes())
        .merge(fairness_public::routes())
        .merge(complaints::routes())
        .merge(journeys::routes())
        .merge(api)
        .fallback(|| async { WebError::NotFound })
        .layer(axum::middleware::map_response(security_headers))
        .with_state(state)
}

/// Behaviour ratings, teams compared, competitions, users and teams admin.
fn issue5_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/p/{period}/teams/{team_id}/behaviour",
            get(behaviour::show).post(behaviour::rate),
        )
        .route("/p/{period}/compare", get(competitions::compare))
        .route(
            "/competitions",
            get(competitions::list).post(competitions::create),
        )
        .route("/competitions/{id}", get(competitions::show))
        .route(
            "/admin/users",
            get(admin_people::users).post(admin_people::create_user),
        )
        .route("/admin/users/{id}/role", post(admin_people::change_role))
        .route(
            "/admin/users/{id}/password",
            post(admin_people::reset_password),
        )
        .route(
            "/admin/users/{id}/deactivate",
            post(admin_people::deactivate),
        )
        .route(
            "/admin/teams",
            get(admin_people::teams).post(admin_people::save_team),
        )
        .route(
            "/admin/teams/departments",
            post(admin_people::save_department),
        )
        .route("/admin/teams/move", post(admin_people::move_agent))
}

/// Headers every response carries: no framing, no sniffing, only our own assets, no caching
/// of personal data.
async fn security_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, header::CACHE_CONTROL, "no-store");
    res
}
