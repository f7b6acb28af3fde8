//! Use cases behind the "teams compared" and competition pages: who may see which teams and
//! competitions, and the figures each shows. No HTTP and no HTML here.

use std::collections::BTreeSet;

use jixiao_core::Period;
use jixiao_core::org::{Role, Team};
use jixiao_core::scorecard::Scorecard;
use jixiao_store::service::{Standing, competition_standings};
use jixiao_store::{CardFilter, Competition, EntrantKind, MembershipRow, Store};

use crate::WebError;
use crate::auth::CurrentUser;

/// The teams compared and their cards of the period.
#[derive(Debug, Clone)]
pub struct Compared {
    /// Teams the user may choose from.
    pub choices: Vec<Team>,
    /// The chosen teams with their cards, in the order asked.
    pub teams: Vec<(Team, Vec<Scorecard>)>,
}

/// Parses the team ids of a query string, `teams=1,2,3` (the API) or `team=1&team=2` (the
/// page's checkboxes): in order, duplicates dropped; anything unparsable is a 404 like an
/// unknown team.
pub fn team_ids(query: &str) -> Result<Vec<i64>, WebError> {
    let mut out: Vec<i64> = Vec::new();
    let values = query
        .split('&')
        .filter_map(|pair| match pair.split_once('=') {
            Some(("teams" | "team", v)) => Some(v),
            _ => None,
        });
    let parts = values.flat_map(|v| v.split([',']).flat_map(|p| p.split("%2C")));
    for part in parts.map(str::trim).filter(|p| !p.is_empty()) {
        let id = part.parse().map_err(|_| WebError::NotFound)?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

/// The chosen teams' cards; a team unknown or outside `visible` (`None` = all) is a 404.
pub async fn compare(
    store: &Store,
    period: Period,
    visible: Option<&BTreeSet<i64>>,
    ids: &[i64],
) -> Result<Compared, WebError> {
    let all = store.teams().await?;
    let sees = |id: i64| visible.is_none_or(|v| v.contains(&id));
    let mut teams = Vec::with_capacity(ids.len());
    for id in ids {
        let team = all
            .iter()
            .find(|t| t.id == *id && sees(t.id))
            .ok_or(WebError::NotFound)?;
        let filter = CardFilter {
            team_ids: Some(vec![*id]),
            ..CardFilter::default()
        };
        teams.push((team.clone(), store.scorecards(period, &filter).await?));
    }
    Ok(Compared {
        choices: all.into_iter().filter(|t| sees(t.id)).collect(),
        teams,
    })
}

/// A competition as one user sees it.
#[derive(Debug, Clone)]
pub struct SeenCompetition {
    /// The definition.
    pub competition: Competition,
    /// Its standings.
    pub standings: Vec<Standing>,
    /// The entrant ids that are the user (an agent) or their team, for "my rank".
    pub mine: Vec<i64>,
}

impl SeenCompetition {
    /// The user's best place, if they are in it and it has data.
    pub fn my_rank(&self) -> Option<u32> {
        self.standings
            .iter()
            .filter(|s| self.mine.contains(&s.entrant_id))
            .filter_map(|s| s.rank)
            .min()
    }
}

fn overlaps(m: &MembershipRow, c: &Competition) -> bool {
    m.valid_from <= c.last_period.last_day()
        && m.valid_to.is_none_or(|to| to >= c.first_period.first_day())
}

/// The entrants of `c` that are `user` (or their teams, or for a supervisor their teams and
/// agents), and whether the user may see `c` at all. Admins, managers and QA see every
/// competition; others only those they (or their teams' agents) are in.
fn involvement(
    (role, me): (Role, Option<i64>),
    c: &Competition,
    led: &[i64],
    memberships: &[MembershipRow],
) -> (bool, Vec<i64>) {
    let mut mine: Vec<i64> = match (c.entrant_kind, role) {
        (EntrantKind::Agent, _) => me.into_iter().collect(),
        (EntrantKind::Team, Role::Supervisor) => led.to_vec(),
        (EntrantKind::Team, _) => memberships
            .iter()
            .filter(|m| Some(m.employee_id) == me && overlaps(m, c))
            .map(|m| m.team_id)
            .collect(),
    };
    if role == Role::Supervisor && c.entrant_kind == EntrantKind::Agent {
        mine.extend(
            memberships
                .iter()
                .filter(|m| led.contains(&m.team_id) && overlaps(m, c))
                .map(|m| m.employee_id),
        );
    }
    mine.retain(|id| c.entrants.contains(id));
    (role.sees_whole_center() || !mine.is_empty(), mine)
}

/// The competitions `user` may see, newest first, with standings.
pub async fn competitions(
    store: &Store,
    user: &CurrentUser,
) -> Result<Vec<SeenCompetition>, WebError> {
    seen_by(store, (user.user.role, user.user.employee_id), None).await
}

/// The competitions `who` may see (only competition `only` when given), with standings:
/// standings read a whole range of scorecards, so none is computed that is not shown.
async fn seen_by(
    store: &Store,
    who: (Role, Option<i64>),
    only: Option<i64>,
) -> Result<Vec<SeenCompetition>, WebError> {
    let led = match who {
        (Role::Supervisor, Some(id)) => store.teams_led_by(id).await?,
        _ => Vec::new(),
    };
    let memberships = store.memberships().await?;
    let mut out = Vec::new();
    for c in store.competitions().await? {
        if only.is_some_and(|id| id != c.id) {
            continue;
        }
        let (sees, mine) = involvement(who, &c, &led, &memberships);
        if sees {
            out.push(SeenCompetition {
                standings: competition_standings(store, &c).await?,
                competition: c,
                mine,
            });
        }
    }
    Ok(out)
}

/// One competition `user` may see, or a 404 (missing and out of scope alike).
pub async fn competition(
    store: &Store,
    user: &CurrentUser,
    id: i64,
) -> Result<SeenCompetition, WebError> {
    seen_by(store, (user.user.role, user.user.employee_id), Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(WebError::NotFound)
}

/// The competitions an agent is in, themselves or through a team (for their card).
pub async fn entered_by(store: &Store, employee_id: i64) -> Result<Vec<SeenCompetition>, WebError> {
    let mut all = seen_by(store, (Role::Agent, Some(employee_id)), None).await?;
    all.retain(|s| !s.mine.is_empty());
    Ok(all)
}

/// A competition to define, as the manager's form (and the API) gives it.
#[derive(Debug, Clone, Default)]
pub struct CompetitionInput {
    /// Name.
    pub name: String,
    /// `points`, `total` or a library KPI code.
    pub metric: String,
    /// First month, `YYYY-MM`.
    pub first: String,
    /// Last month, `YYYY-MM`.
    pub last: String,
    /// `lower` ranks the lowest value first; anything else the highest.
    pub direction: String,
    /// `team` or `agent`.
    pub kind: String,
    /// Team codes or employee numbers, comma or space separated.
    pub entrants: String,
    /// The prize.
    pub prize: String,
}

fn month(s: &str) -> Result<Period, WebError> {
    s.trim()
        .parse()
        .map_err(|e: jixiao_core::CoreError| WebError::Invalid(e.to_string()))
}

/// Team codes or employee numbers, comma or space separated, to ids; an unknown one is a 422.
async fn entrant_ids(store: &Store, kind: EntrantKind, raw: &str) -> Result<Vec<i64>, WebError> {
    let teams = store.teams().await?;
    let mut ids = Vec::new();
    for code in raw
        .split([',', ' ', '，'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let id = match kind {
            EntrantKind::Team => teams.iter().find(|t| t.code == code).map(|t| t.id),
            EntrantKind::Agent => store.employee_by_no(code).await.ok().map(|e| e.id),
        };
        ids.push(id.ok_or_else(|| WebError::Invalid(format!("unknown entrant {code}")))?);
    }
    Ok(ids)
}

/// Defines a competition (audited by the store); the caller's policy (admin, manager) is the
/// extractor's. Returns its id.
pub async fn create_competition(
    store: &Store,
    user: &CurrentUser,
    input: CompetitionInput,
) -> Result<i64, WebError> {
    let kind = EntrantKind::parse(input.kind.trim())?;
    let c = Competition {
        id: 0,
        name: input.name,
        metric: input.metric.trim().to_string(),
        first_period: month(&input.first)?,
        last_period: month(&input.last)?,
        entrant_kind: kind,
        entrants: entrant_ids(store, kind, &input.entrants).await?,
        higher_is_better: input.direction.trim() != "lower",
        prize: input.prize,
        created_by: user.user.username.clone(),
        created_at: chrono::Utc::now(),
    };
    Ok(store.create_competition(&c).await?)
}
