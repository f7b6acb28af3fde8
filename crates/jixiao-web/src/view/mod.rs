//! View models: plain structs the templates render, built from store data by pure functions.
//! No store calls here (see `queries`), no HTTP.

pub mod admin;
pub mod agent;
pub mod appeals;
pub mod audit;
pub mod behaviour;
pub mod calibration;
pub mod compare;
pub mod competitions;
pub mod fairness;
pub mod fmt;
pub mod imports;
pub mod kpis;
pub mod library;
pub mod lifecycle;
pub mod login;
pub mod overview;
pub mod payconf;
pub mod periods;
pub mod points;
pub mod profiles;
pub mod records;
pub mod rewards;
pub mod rollup;
pub mod schemes;
pub mod spans;
pub mod targets;
pub mod team;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jixiao_core::Period;
use jixiao_core::org::Role;

use crate::AppState;
use crate::auth::{Admins, CurrentUser, LANG_COOKIE, Managers, PeriodViewers, Policy, cookie};
use crate::i18n::{Lang, Tr};

impl FromRequestParts<AppState> for Lang {
    type Rejection = std::convert::Infallible;

    /// The `lang` cookie, else the browser's Accept-Language, else the configured default.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let from_cookie = cookie(&parts.headers, LANG_COOKIE).and_then(|c| Lang::parse(&c));
        let from_header = || {
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Lang::from_accept_language)
        };
        Ok(from_cookie
            .or_else(from_header)
            .or_else(|| Lang::parse(&state.settings.default_locale))
            .unwrap_or(Lang::ZhCn))
    }
}

/// One link of the navigation bar.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target.
    pub href: String,
    /// Catalog key of the label.
    pub label: &'static str,
    /// Whether it is the current section.
    pub active: bool,
}

/// The frame every signed-in page shares: language, user, CSRF token, navigation.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The translator.
    pub t: Tr,
    /// The username.
    pub username: String,
    /// Catalog key of the role.
    pub role_key: &'static str,
    /// The session's CSRF token for the forms on the page (logout at least).
    pub csrf: String,
    /// Navigation links.
    pub nav: Vec<NavItem>,
    /// Unread notifications (the badge on the notifications link).
    pub unread: i64,
}

/// The sections of the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Scorecards (overview, team, agent pages).
    Scores,
    /// The period list.
    Periods,
    /// Imports.
    Imports,
    /// Administration (API tokens).
    Admin,
    /// Competitions.
    Competitions,
    /// Appeals and notifications.
    Appeals,
    /// The audit trail.
    Audit,
    /// Journeys and complaints.
    Fairness,
}

/// The catalog key naming a role.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role_admin",
        Role::Manager => "role_manager",
        Role::Supervisor => "role_supervisor",
        Role::Qa => "role_qa",
        Role::Agent => "role_agent",
    }
}

impl Chrome {
    /// The frame for `user`, with the navigation their role allows.
    pub fn new(lang: Lang, user: &CurrentUser, period: Option<Period>, section: Section) -> Chrome {
        let role = user.user.role;
        let home = match (role.sees_whole_center(), period) {
            (true, Some(p)) => format!("/p/{p}"),
            _ => "/".to_string(),
        };
        let scores_label = match role {
            Role::Agent => "nav_my_scorecard",
            Role::Supervisor => "nav_my_team",
            _ => "nav_overview",
        };
        let mut nav = vec![NavItem {
            href: home,
            label: scores_label,
            active: section == Section::Scores,
        }];
        if PeriodViewers::allows(role) {
            nav.push(NavItem {
                href: "/periods".into(),
                label: "nav_periods",
                active: section == Section::Periods,
            });
        }
        if Managers::allows(role) {
            nav.push(NavItem {
                href: "/imports".into(),
                label: "nav_imports",
                active: section == Section::Imports,
            });
        }
        nav.push(NavItem {
            href: "/competitions".into(),
            label: "comp_nav",
            active: section == Section::Competitions,
        });
        nav.push(NavItem {
            href: "/journeys".into(),
            label: "journey_nav",
            active: section == Section::Fairness && role == Role::Agent,
        });
        if role != Role::Agent {
            nav.push(NavItem {
                href: "/complaints".into(),
                label: "complaint_nav",
                active: section == Section::Fairness,
            });
        }
        nav.push(NavItem {
            href: "/appeals".into(),
            label: "appeal.nav",
            active: section == Section::Appeals,
        });
        if Managers::allows(role) {
            nav.push(NavItem {
                href: "/audit".into(),
                label: "audit.nav",
                active: section == Section::Audit,
            });
        }
        if Admins::allows(role) {
            nav.push(NavItem {
                href: "/admin/users".into(),
                label: "users_nav",
                active: false,
            });
            nav.push(NavItem {
                href: "/admin/tokens".into(),
                label: "token_nav",
                active: section == Section::Admin,
            });
        }
        Chrome {
            t: Tr::new(lang),
            username: user.user.username.clone(),
            role_key: role_key(role),
            csrf: user.csrf.clone(),
            nav,
            unread: user.unread,
        }
    }
}

/// Page links for a paginated table.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Current page, 1-based.
    pub page: u32,
    /// Number of pages (at least 1).
    pub pages: u32,
    /// Rows over all pages.
    pub total: i64,
    /// Link to the previous page, if any.
    pub prev: Option<String>,
    /// Link to the next page, if any.
    pub next: Option<String>,
}

impl Pager {
    /// Builds the pager; `link(n)` is the URL of page `n`.
    pub fn new(page: u32, per_page: u32, total: i64, link: impl Fn(u32) -> String) -> Pager {
        let per = i64::from(per_page.max(1));
        let pages = u32::try_from(((total + per - 1) / per).max(1)).unwrap_or(u32::MAX);
        Pager {
            page,
            pages,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare scorecard for view tests: `days` in team `team_id`, with `points` and `total`.
    pub(crate) fn test_card(
        team_id: i64,
        days: u32,
        points: rust_decimal::Decimal,
        total: Option<rust_decimal::Decimal>,
    ) -> jixiao_core::scorecard::Scorecard {
        jixiao_core::scorecard::Scorecard {
            scheme: None,
            employee_id: 1,
            employee_no: "A001".into(),
            name: String::new(),
            team_id,
            days,
            handled: 0,
            points,
            points_lines: vec![],
            kpis: vec![],
            total,
            grade: None,
            rank_in_team: None,
            unit_price: rust_decimal::Decimal::ZERO,
            variable_pay: rust_decimal::Decimal::ZERO,
            rounding: String::new(),
            rounding_dp: None,
            pay_lines: Vec::new(),
            measures: Vec::new(),
            library: Vec::new(),
            adjustments: Vec::new(),
            unit_attainment: None,
            notes: vec![],
        }
    }

    #[test]
    fn the_pager_links_neighbours_and_never_has_zero_pages() {
        let p = Pager::new(2, 50, 120, |n| format!("?page={n}"));
        assert_eq!(p.pages, 3);
        assert_eq!(p.prev.as_deref(), Some("?page=1"));
        assert_eq!(p.next.as_deref(), Some("?page=3"));
        let empty = Pager::new(1, 50, 0, |n| n.to_string());
        assert_eq!((empty.pages, empty.prev, empty.next), (1, None, None));
    }
}
