//! Authentication and authorization, all as extractors so that a handler cannot forget them.
//!
//! - [`CurrentUser`]: a live database session (cookie → SHA-256 → `store.session`), or an API
//!   token (`Authorization: Bearer` → SHA-256 → `store.user_by_api_token`).
//! - [`Authorized<P>`]: the user's role passes policy `P` ([`Managers`], [`PeriodViewers`]).
//! - [`TeamScope`], [`AgentScope`], [`CenterScope`]: the path's team/agent/period resolved and
//!   checked against the user's scope. A forbidden team or agent is a 404, like a missing one.
//! - [`CsrfForm`], [`same_origin`]: every POST checks Origin / Sec-Fetch-Site, and every
//!   session POST also checks the session's CSRF token.

mod csrf;
mod guard;
mod login;
mod rater;
mod scope;
mod session;

pub use csrf::{CsrfForm, HasCsrf, same_origin, tokens_match};
pub use guard::{Admins, Authorized, Managers, PeriodViewers, Policy};
pub use login::{LoginRefused, login};
pub use rater::{RaterScope, visible_teams};
pub use scope::{AgentScope, CenterScope, PeriodPath, TeamScope};
pub use session::{
    CurrentUser, LANG_COOKIE, MaybeUser, SESSION_COOKIE, clear_cookie, cookie, set_cookie,
};
