//! `/admin/users` and `/admin/teams` (admin only).

use askama::Template;
use jixiao_core::org::Role;

use super::{Chrome, role_key};
use crate::people::{OrgData, UsersData};

/// One user row.
#[derive(Debug, Clone)]
pub struct UserVm {
    /// Id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// Role (stored spelling, for the select).
    pub role: &'static str,
    /// Catalog key of the role.
    pub role_key: &'static str,
    /// Linked employee number, or "".
    pub employee_no: String,
    /// When deactivated, or "" while active.
    pub deactivated: String,
}

/// `/admin/users`.
#[derive(Template)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    /// Frame.
    pub c: Chrome,
    /// Users.
    pub users: Vec<UserVm>,
    /// Roles: (stored spelling, catalog key).
    pub roles: Vec<(&'static str, &'static str)>,
    /// Employee numbers for the link fields: (number, name).
    pub employees: Vec<(String, String)>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
    /// What to fix, in words.
    pub message: Option<String>,
    /// Catalog key of a confirmation.
    pub done: Option<&'static str>,
    /// The search as typed ("" for none).
    pub search: String,
    /// Pages of the matching accounts.
    pub pager: super::Pager,
}

/// Accounts a page of `/admin/users` lists.
pub const USERS_PER_PAGE: u32 = 50;

impl UsersPage {
    /// Builds page `page` of the accounts whose user name or employee number contains
    /// `search` (case-insensitive; every account when it is empty).
    pub fn build(c: Chrome, d: UsersData, search: &str, page: u32) -> UsersPage {
        let needle = search.to_lowercase();
        let matching: Vec<_> = d
            .users
            .into_iter()
            .filter(|u| {
                needle.is_empty()
                    || u.username.to_lowercase().contains(&needle)
                    || u.employee_no
                        .as_deref()
                        .is_some_and(|n| n.to_lowercase().contains(&needle))
            })
            .collect();
        let pages = (matching.len() as u32).div_ceil(USERS_PER_PAGE).max(1);
        let req = jixiao_store::PageReq {
            page: page.min(pages),
            per_page: USERS_PER_PAGE,
        };
        let shown = jixiao_store::Page::of(matching, req);
        let query = |n: u32| {
            let mut href = format!("/admin/users?page={n}");
            if !search.is_empty() {
                href.push_str("&q=");
                href.push_str(&super::profiles::encode(search));
            }
            href
        };
        let pager = super::Pager::new(req.page, USERS_PER_PAGE, shown.total, query);
        UsersPage {
            users: shown
                .items
                .into_iter()
                .map(|u| UserVm {
                    id: u.id,
                    username: u.username,
                    role: u.role.as_str(),
                    role_key: role_key(u.role),
                    employee_no: u.employee_no.unwrap_or_default(),
                    deactivated: u
                        .deactivated_at
                        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| (r.as_str(), role_key(*r)))
                .collect(),
            employees: d
                .employees
                .into_iter()
                .map(|e| (e.employee_no.to_string(), e.name))
                .collect(),
            error: None,
            message: None,
            done: None,
            search: search.to_string(),
            pager,
            c,
        }
    }
}

/// One team row.
#[derive(Debug, Clone)]
pub struct TeamVm {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Department code.
    pub department: String,
    /// Supervisor's employee number, or "".
    pub supervisor: String,
}

/// One membership row.
#[derive(Debug, Clone)]
pub struct MemberVm {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Team code.
    pub team: String,
    /// First day.
    pub from: String,
    /// Last day, or "".
    pub to: String,
}

/// `/admin/teams`.
#[derive(Template)]
#[template(path = "admin_teams.html")]
pub struct TeamsPage {
    /// Frame.
    pub c: Chrome,
    /// Departments: (id, code, name).
    pub departments: Vec<(i64, String, String)>,
    /// Teams.
    pub teams: Vec<TeamVm>,
    /// Memberships.
    pub memberships: Vec<MemberVm>,
    /// Employee numbers for the fields: (number, name).
    pub employees: Vec<(String, String)>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
    /// What to fix, in words.
    pub message: Option<String>,
}

impl TeamsPage {
    /// Builds the page.
    pub fn build(c: Chrome, d: OrgData) -> TeamsPage {
        let number = |id: Option<i64>| {
            id.and_then(|id| d.employees.iter().find(|e| e.id == id))
                .map(|e| e.employee_no.to_string())
                .unwrap_or_default()
        };
        TeamsPage {
            teams: d
                .teams
                .iter()
                .map(|t| TeamVm {
                    id: t.id,
                    code: t.code.clone(),
                    name: t.name.clone(),
                    department: d
                        .departments
                        .iter()
                        .find(|x| x.id == t.department_id)
                        .map(|x| x.code.clone())
                        .unwrap_or_default(),
                    supervisor: number(t.supervisor_id),
                })
                .collect(),
            memberships: d
                .memberships
                .iter()
                .map(|m| MemberVm {
                    employee_no: m.employee_no.clone(),
                    name: m.name.clone(),
                    team: m.team_code.clone(),
                    from: m.valid_from.to_string(),
                    to: m.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                })
                .collect(),
            departments: d
                .departments
                .iter()
                .map(|x| (x.id, x.code.clone(), x.name.clone()))
                .collect(),
            employees: d
                .employees
                .iter()
                .map(|e| (e.employee_no.to_string(), e.name.clone()))
                .collect(),
            error: None,
            message: None,
            c,
        }
    }
}
