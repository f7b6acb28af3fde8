//! Quarters and years for the pages and the API: the span in the path, the options in the
//! query, and the cards the caller may see (the pages' scope: managers, admins and QA the
//! whole center, a supervisor the teams they lead, an agent themselves).

use jixiao_core::org::Role;
use jixiao_core::span::Span;
use jixiao_store::service::{self, SpanOptions, SpanView};
use jixiao_store::{CardFilter, Store};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::WebError;
use crate::auth::CurrentUser;

/// `?fy=&closed=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpanQuery {
    /// The first month of the fiscal year, 1–12 (default 1: calendar quarters and years).
    pub fy: Option<u32>,
    /// `1`: only closed months count (default: computed, in-review and closed months).
    pub closed: Option<u8>,
}

impl SpanQuery {
    /// The service's options.
    pub fn options(&self) -> SpanOptions {
        SpanOptions {
            fiscal_start: self.fy.unwrap_or(1),
            closed_only: self.closed == Some(1),
        }
    }
}

/// The cards `user` may see, as a filter.
pub async fn filter(store: &Store, user: &CurrentUser) -> Result<CardFilter, WebError> {
    Ok(match user.user.role {
        r if r.sees_whole_center() => CardFilter::default(),
        Role::Supervisor => CardFilter {
            team_ids: Some(match user.user.employee_id {
                Some(id) => store.teams_led_by(id).await?,
                None => Vec::new(),
            }),
            ..CardFilter::default()
        },
        _ => CardFilter {
            employee_id: Some(user.user.employee_id.ok_or(WebError::NotFound)?),
            ..CardFilter::default()
        },
    })
}

/// Parses the span (a malformed one is a 404, like any unknown page) and computes its view
/// over what `user` may see.
pub async fn view(
    store: &Store,
    user: &CurrentUser,
    span: &str,
    q: &SpanQuery,
) -> Result<SpanView, WebError> {
    let span: Span = span.parse().map_err(|_| WebError::NotFound)?;
    let filter = filter(store, user).await?;
    Ok(service::span_view(store, span, q.options(), &filter).await?)
}
