//! Read models and use cases: the store and service calls behind each page, gathered so that
//! handlers stay one call long. No HTTP and no HTML here.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::kpi::MeasureTotals;
use jixiao_core::org::Role;
use jixiao_core::scorecard::Scorecard;
use jixiao_store::service::{TargetOverview, TargetScope};
use jixiao_store::{CardFilter, Page, PageReq, PeriodInfo, Store};

use crate::WebError;
use crate::auth::{AgentScope, CurrentUser, Managers, Policy};
use crate::i18n::Lang;
use crate::view::agent::{AgentCards, TREND_PERIODS, TrendPoint};
use crate::view::overview::{CENTER_TREND_PERIODS, CenterPoint, OverviewData};
use crate::view::records::{RecordKind, Table, calls_table, qa_table, surveys_table};
use crate::view::team::{SPARK_PERIODS, TeamData};

/// Rows per page of record and import tables.
pub const PER_PAGE: u32 = 50;

/// A 1-based page request of [`PER_PAGE`] rows.
pub fn page_req(page: Option<u32>) -> PageReq {
    PageReq {
        page: page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    }
}

/// The newest period with data, else the current month.
pub async fn latest_period(store: &Store, now: DateTime<Utc>) -> Result<Period, WebError> {
    Ok(store
        .periods()
        .await?
        .first()
        .map_or_else(|| Period::containing(now.date_naive()), |p| p.period))
}

/// Where `/` sends a user: their own scorecard, their first team, or the center overview.
pub async fn home_target(
    store: &Store,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<String, WebError> {
    let period = latest_period(store, now).await?;
    match (user.user.role, user.user.employee_id) {
        (r, _) if r.sees_whole_center() => Ok(format!("/p/{period}")),
        (Role::Agent, Some(id)) => {
            let e = store.employee(id).await?;
            Ok(format!("/p/{period}/agents/{}", e.employee_no))
        }
        (Role::Supervisor, Some(id)) => Ok(match store.teams_led_by(id).await?.first() {
            Some(team) => format!("/p/{period}/teams/{team}"),
            None => "/periods".to_string(),
        }),
        (Role::Supervisor, None) => Ok("/periods".to_string()),
        _ => Err(WebError::NotFound),
    }
}

/// Everything the center overview shows to `user`: the period's targets only to those who
/// configure them (admins and managers, as `/config/targets`).
pub async fn overview(
    store: &Store,
    period: Period,
    user: &CurrentUser,
) -> Result<OverviewData, WebError> {
    let periods = store.periods().await?;
    let cards = store.scorecards(period, &CardFilter::default()).await?;
    // Saved with the scorecards; computed live only for a period never saved.
    let center_totals = match store.saved_center_totals(period).await? {
        Some(t) => t,
        None => store.center_totals(period).await?,
    };
    let targets = if Managers::allows(user.user.role) {
        TargetOverview::with_cards(store, period, &TargetScope::Center, &cards).await?
    } else {
        Vec::new()
    };
    let trend = center_trend(store, period, &periods, &center_totals).await?;
    Ok(OverviewData {
        info: store.period_info(period).await?,
        periods,
        departments: store.departments().await?,
        teams: store.teams().await?,
        cards,
        center_totals,
        thresholds: store.kpi_thresholds().await?,
        targets,
        trend,
    })
}

/// The center over the last [`CENTER_TREND_PERIODS`] of `known` periods up to `period`, oldest
/// first: one aggregate over the stored cards for all of them, and each period's saved center
/// totals (`shown` for `period` itself, already loaded). O(periods) queries, whatever the
/// center's size.
pub async fn center_trend(
    store: &Store,
    period: Period,
    known: &[PeriodInfo],
    shown: &MeasureTotals,
) -> Result<Vec<CenterPoint>, WebError> {
    let mut periods: Vec<Period> = known
        .iter()
        .map(|p| p.period)
        .filter(|p| *p <= period)
        .collect();
    periods.sort_unstable();
    periods.dedup();
    let periods = &periods[periods.len().saturating_sub(CENTER_TREND_PERIODS)..];
    let summaries = store.period_summaries(periods).await?;
    let mut trend = Vec::with_capacity(periods.len());
    for &p in periods {
        trend.push(CenterPoint {
            period: p,
            summary: summaries.iter().find(|s| s.period == p).cloned(),
            totals: if p == period {
                Some(shown.clone())
            } else {
                store.saved_center_totals(p).await?
            },
        });
    }
    Ok(trend)
}

/// The scorecards of one team.
pub async fn team_cards(
    store: &Store,
    period: Period,
    team_id: i64,
) -> Result<Vec<Scorecard>, WebError> {
    let filter = CardFilter {
        team_ids: Some(vec![team_id]),
        ..CardFilter::default()
    };
    Ok(store.scorecards(period, &filter).await?)
}

/// A team's scorecards of `period` and each member's total over the last [`SPARK_PERIODS`]
/// periods up to it (oldest first, `None` where they had no card or no total in the team).
pub async fn team(store: &Store, period: Period, team_id: i64) -> Result<TeamData, WebError> {
    let mut periods: Vec<Period> = store.periods().await?.iter().map(|p| p.period).collect();
    periods.retain(|p| *p <= period);
    periods.sort_unstable();
    let recent = &periods[periods.len().saturating_sub(SPARK_PERIODS)..];
    let cards = team_cards(store, period, team_id).await?;
    let mut history = Vec::with_capacity(recent.len());
    for p in recent {
        history.push(if *p == period {
            cards.clone()
        } else {
            team_cards(store, *p, team_id).await?
        });
    }
    Ok(TeamData { cards, history })
}

/// The agent's scorecards the user may see, all teams (for names) and how many members of
/// each of the segments' teams are ranked (the "of N" of a rank).
pub async fn agent_cards(store: &Store, scope: &AgentScope) -> Result<AgentCards, WebError> {
    let cards = store.scorecards(scope.period, &agent_filter(scope)).await?;
    let mut ranked = BTreeMap::new();
    for card in cards.iter().filter(|c| c.rank_in_team.is_some()) {
        if let Entry::Vacant(slot) = ranked.entry(card.team_id) {
            let team = team_cards(store, scope.period, card.team_id).await?;
            slot.insert(team.iter().filter(|c| c.rank_in_team.is_some()).count());
        }
    }
    Ok(AgentCards {
        teams: store.teams().await?,
        ranked,
        trend: agent_trend(store, scope, &cards).await?,
        cards,
    })
}

/// The agent's cards this user may see.
pub fn agent_filter(scope: &AgentScope) -> CardFilter {
    CardFilter {
        employee_id: Some(scope.employee.id),
        team_ids: scope.visible_teams.clone(),
        ..CardFilter::default()
    }
}

/// The agent's figures over the last [`TREND_PERIODS`] periods up to the one shown that have
/// scorecards the user may see, oldest first: points summed over the team segments, the
/// total of the segment with the most days (the one the agent spent the period in).
/// `shown` are the cards of `scope.period`, already loaded by the caller.
pub async fn agent_trend(
    store: &Store,
    scope: &AgentScope,
    shown: &[Scorecard],
) -> Result<Vec<TrendPoint>, WebError> {
    let filter = agent_filter(scope);
    let mut periods: Vec<Period> = store.periods().await?.iter().map(|p| p.period).collect();
    periods.retain(|p| *p <= scope.period);
    periods.sort_unstable_by(|a, b| b.cmp(a));
    let mut trend = Vec::new();
    for period in periods {
        if trend.len() == TREND_PERIODS {
            break;
        }
        let loaded;
        let cards = if period == scope.period {
            shown
        } else {
            loaded = store.scorecards(period, &filter).await?;
            &loaded
        };
        if let Some(point) = TrendPoint::of(period, cards) {
            trend.push(point);
        }
    }
    trend.reverse();
    Ok(trend)
}

/// One page of an agent's records, formatted as a table. A supervisor only sees the records
/// of the agent's time in their teams: `team` must be one of them (default: the first).
pub async fn records(
    store: &Store,
    scope: &AgentScope,
    kind: RecordKind,
    team: Option<i64>,
    page: PageReq,
) -> Result<(Option<i64>, Page<()>, Table), WebError> {
    let team = record_team(scope, team)?;
    let (id, p) = (scope.employee.id, scope.period);
    let (meta, table) = match kind {
        RecordKind::Calls => strip(store.calls_of(id, team, p, page).await?, calls_table),
        RecordKind::Surveys => strip(store.surveys_of(id, team, p, page).await?, surveys_table),
        RecordKind::Qa => strip(store.qa_of(id, team, p, page).await?, qa_table),
    };
    Ok((team, meta, table))
}

/// The team whose records to show: the asked one if the user sees it (404 otherwise), else for
/// a supervisor the first of their teams, else all (`None`).
pub fn record_team(scope: &AgentScope, team: Option<i64>) -> Result<Option<i64>, WebError> {
    Ok(match (&scope.visible_teams, team) {
        (Some(_), Some(t)) if !scope.sees_team(t) => return Err(WebError::NotFound),
        (Some(teams), None) => teams.first().copied(),
        (_, t) => t,
    })
}

fn strip<T>(page: Page<T>, f: impl Fn(&[T]) -> Table) -> (Page<()>, Table) {
    let table = f(&page.items);
    let meta = Page {
        items: Vec::new(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    };
    (meta, table)
}

/// The scorecard workbook: the whole center, or for a supervisor only the teams they lead.
pub async fn export(
    store: &Store,
    period: Period,
    user: &CurrentUser,
    lang: Lang,
) -> Result<Vec<u8>, WebError> {
    let team_ids = match (user.user.role, user.user.employee_id) {
        (Role::Admin | Role::Manager, _) => None,
        (Role::Supervisor, Some(id)) => Some(store.teams_led_by(id).await?),
        _ => return Err(WebError::Forbidden),
    };
    let filter = CardFilter {
        team_ids,
        ..CardFilter::default()
    };
    let cards = store.scorecards(period, &filter).await?;
    let rows = export_rows(store, cards).await?;
    jixiao_import::export::scorecard_workbook(&rows, export_lang(lang)).map_err(WebError::internal)
}

/// The payroll of the whole center for a period: one row per agent, their cards summed, as the
/// payroll downloads print them (the rounding rule in `lang`).
pub async fn payroll_rows(
    store: &Store,
    period: Period,
    lang: Lang,
) -> Result<Vec<jixiao_import::export::PayrollRow>, WebError> {
    let cards = store.scorecards(period, &CardFilter::default()).await?;
    let rows = export_rows(store, cards).await?;
    Ok(jixiao_import::export::payroll_rows(
        &rows,
        export_lang(lang),
    ))
}

/// The export language of a page language.
pub fn export_lang(lang: Lang) -> jixiao_import::export::Lang {
    match lang {
        Lang::ZhCn => jixiao_import::export::Lang::Zh,
        Lang::En => jixiao_import::export::Lang::En,
    }
}

/// Cards with the names of their department and team, as the exports print them.
pub async fn export_rows(
    store: &Store,
    cards: Vec<Scorecard>,
) -> Result<Vec<jixiao_import::export::ExportRow>, WebError> {
    let (departments, teams) = (store.departments().await?, store.teams().await?);
    Ok(cards
        .into_iter()
        .map(|card| {
            let team = teams.iter().find(|t| t.id == card.team_id);
            let department = team
                .and_then(|t| departments.iter().find(|d| d.id == t.department_id))
                .map(|d| d.name.clone())
                .unwrap_or_default();
            jixiao_import::export::ExportRow {
                department,
                team: team.map(|t| t.name.clone()).unwrap_or_default(),
                card,
            }
        })
        .collect())
}

/// The employee a path's employee number names, or NotFound (also for a malformed number).
pub async fn employee_by_path_no(
    store: &Store,
    employee_no: &str,
) -> Result<jixiao_core::org::Employee, WebError> {
    let no = jixiao_core::org::EmployeeNo::parse(employee_no).map_err(|_| WebError::NotFound)?;
    Ok(store.employee_by_no(no.as_str()).await?)
}

/// Maps an unknown agent name of `source` to the employee numbered `employee_no` and releases
/// the records held under it. A malformed name is Invalid; an unknown number, NotFound.
pub async fn map_alias(
    store: &Store,
    source: &str,
    alias: &str,
    employee_no: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<jixiao_store::service::AliasMapped, WebError> {
    let alias =
        jixiao_core::org::AgentRef::parse(alias).map_err(|e| WebError::Invalid(e.to_string()))?;
    let employee = employee_by_path_no(store, employee_no).await?;
    Ok(jixiao_store::service::map_alias(store, source, &alias, employee.id, by, at).await?)
}

/// Removes one of an employee's aliases; NotFound if the alias is not theirs.
pub async fn remove_alias(
    store: &Store,
    employee: &jixiao_core::org::Employee,
    alias_id: i64,
    by: &str,
    at: DateTime<Utc>,
) -> Result<jixiao_store::Alias, WebError> {
    let theirs = store.aliases_of(employee.id).await?;
    if !theirs.iter().any(|a| a.id == alias_id) {
        return Err(WebError::NotFound);
    }
    Ok(jixiao_store::service::remove_alias(store, alias_id, by, at).await?)
}

/// Longest API token name and username accepted (the tokens page and the API alike).
pub const TOKEN_FIELD_MAX: usize = 100;

/// Creates an API token for `username`, named `name` (both trimmed, 1 to
/// [`TOKEN_FIELD_MAX`] characters), and returns it with its secret, shown this once. A person
/// can fix the refusals, named by catalog key: `token_invalid_form`, `token_unknown_user`.
pub async fn create_api_token(
    store: &Store,
    username: &str,
    name: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Result<(jixiao_store::ApiToken, String), &'static str>, WebError> {
    let (username, name) = (username.trim(), name.trim());
    let valid = |s: &str| !s.is_empty() && s.chars().count() <= TOKEN_FIELD_MAX;
    if !(valid(username) && valid(name)) {
        return Ok(Err("token_invalid_form"));
    }
    match store.create_api_token(username, name, by, at).await {
        Ok(made) => {
            tracing::info!(
                token_id = made.0.id,
                user = made.0.username,
                by,
                "api token created"
            );
            Ok(Ok(made))
        }
        Err(jixiao_store::StoreError::NotFound(_)) => Ok(Err("token_unknown_user")),
        Err(e) => Err(e.into()),
    }
}
