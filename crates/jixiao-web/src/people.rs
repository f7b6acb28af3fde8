//! Use cases behind the behaviour-rating and administration pages: the store calls each page
//! needs, gathered so handlers stay one call long. No HTTP and no HTML here.

pub mod admin;

use chrono::Utc;
use jixiao_core::Period;
use jixiao_core::org::{Department, Employee, Team};
use jixiao_store::{BehaviourRating, MembershipRow, NewRating, Store, UserSummary, service};

use crate::WebError;
use crate::auth::AgentScope;
use crate::view::behaviour::{AgentExtrasVm, MyCompetitionVm};

/// One member of a team during a period, with their rating if any.
#[derive(Debug, Clone)]
pub struct RatedMember {
    /// The agent.
    pub employee: Employee,
    /// Their rating of this team segment.
    pub rating: Option<BehaviourRating>,
}

/// Everything the team's behaviour page shows.
#[derive(Debug, Clone)]
pub struct TeamRatings {
    /// The team.
    pub team: Team,
    /// Members during the period, by employee number.
    pub members: Vec<RatedMember>,
    /// Whether ratings may still change (the period is not closed).
    pub editable: bool,
}

/// The members of `team` during `period` with their ratings.
pub async fn team_ratings(
    store: &Store,
    period: Period,
    team: Team,
) -> Result<TeamRatings, WebError> {
    let mut ids: Vec<i64> = store
        .memberships_in(period)
        .await?
        .into_iter()
        .filter(|m| m.team_id == team.id)
        .map(|m| m.employee_id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let ratings = store.behaviour_ratings(period, Some(team.id), None).await?;
    let mut members = Vec::with_capacity(ids.len());
    for id in ids {
        members.push(RatedMember {
            employee: store.employee(id).await?,
            rating: ratings.iter().find(|r| r.employee_id == id).cloned(),
        });
    }
    members.sort_by(|a, b| a.employee.employee_no.cmp(&b.employee.employee_no));
    let editable = store.period_info(period).await?.status.accepts_records();
    Ok(TeamRatings {
        team,
        members,
        editable,
    })
}

/// Rates a member of `team` (by employee number); NotFound if they are not one.
pub async fn rate(
    store: &Store,
    period: Period,
    team_id: i64,
    employee_no: &str,
    level: u8,
    comment: &str,
    by: &str,
) -> Result<(), WebError> {
    let employee = store.employee_by_no(employee_no).await?;
    let r = NewRating {
        period,
        employee_id: employee.id,
        team_id,
        level,
        comment: comment.to_string(),
        by: by.to_string(),
        at: Utc::now(),
    };
    Ok(service::rate_behaviour(store, &r).await?)
}

/// The ratings of an agent's segments this user may see.
pub async fn agent_ratings(
    store: &Store,
    scope: &AgentScope,
) -> Result<Vec<BehaviourRating>, WebError> {
    let mut all = store
        .behaviour_ratings(scope.period, None, Some(scope.employee.id))
        .await?;
    all.retain(|r| scope.sees_team(r.team_id));
    Ok(all)
}

/// The behaviour ratings and competitions shown on an agent's card.
pub async fn agent_extras(
    store: &Store,
    scope: &AgentScope,
    t: crate::i18n::Tr,
) -> Result<AgentExtrasVm, WebError> {
    let ratings = agent_ratings(store, scope).await?;
    let teams = store.teams().await?;
    let team_name = |id: i64| {
        teams
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
            .unwrap_or_default()
    };
    let competitions = crate::compete::entered_by(store, scope.employee.id)
        .await?
        .iter()
        .map(|s| MyCompetitionVm {
            name: s.competition.name.clone(),
            href: format!("/competitions/{}", s.competition.id),
            rank: s.my_rank().map_or_else(
                || "—".to_string(),
                |r| format!("{r} / {}", s.standings.len()),
            ),
            prize: s.competition.prize.clone(),
        })
        .collect();
    Ok(AgentExtrasVm {
        ratings: AgentExtrasVm::ratings(t, &ratings, team_name),
        competitions,
    })
}

/// Everything the users page shows.
#[derive(Debug, Clone)]
pub struct UsersData {
    /// Every user.
    pub users: Vec<UserSummary>,
    /// Employees to link an account to.
    pub employees: Vec<Employee>,
}

/// The users page's data.
pub async fn users(store: &Store) -> Result<UsersData, WebError> {
    Ok(UsersData {
        users: store.users().await?,
        employees: store.employees().await?,
    })
}

/// Everything the teams page shows.
#[derive(Debug, Clone)]
pub struct OrgData {
    /// Departments.
    pub departments: Vec<Department>,
    /// Teams.
    pub teams: Vec<Team>,
    /// Employees (supervisors, movers).
    pub employees: Vec<Employee>,
    /// Every membership.
    pub memberships: Vec<MembershipRow>,
}

/// The teams page's data.
pub async fn org(store: &Store) -> Result<OrgData, WebError> {
    Ok(OrgData {
        departments: store.departments().await?,
        teams: store.teams().await?,
        employees: store.employees().await?,
        memberships: store.memberships().await?,
    })
}
