//! `GET /api/v1/periods/{period}/overview`: the center overview page (`/p/{period}`) as JSON,
//! built from the same read model (`queries::overview`) and the same roll-ups.
//!
//! Roles are the page's: admin, manager and QA (QA without pay). The page sends a supervisor
//! on to their own team; the API answers 403 instead, since the center overview is not theirs
//! to see and their team's twin is `/api/v1/periods/{period}/teams/{team_id}`. Agents: 403.

use axum::Json;
use axum::extract::State;
use jixiao_core::distribution::{SCORE_BAND, score_bands};
use jixiao_core::org::{Role, Team};
use jixiao_core::scorecard::{Scorecard, library_values};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::{ApiPeriod, ErrorBody};
use super::targets::ApiTarget;
use crate::auth::{Authorized, PeriodPath, Policy};
use crate::view::library::CENTER_TILES;
use crate::view::overview::{OverviewData, trend_series};
use crate::view::rollup::{Rollup, rollup};
use crate::{AppState, WebError, queries};

/// Admins, managers and QA: the roles whose pages show the center overview.
#[derive(Debug)]
pub struct CenterViewers;

impl Policy for CenterViewers {
    fn allows(role: Role) -> bool {
        role.sees_whole_center()
    }
}

/// Cards of one grade.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiGradeCount {
    /// The grade, as the scheme names it.
    pub grade: String,
    /// Cards with it.
    pub count: u32,
}

/// Summed figures of a group of scorecards (ratios from Σ numerators ÷ Σ denominators, never
/// averaged), as the overview's tiles and table rows show them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRollup {
    /// Distinct employees.
    pub headcount: usize,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: Decimal,
    /// AHT in seconds; null without data.
    pub aht: Option<Decimal>,
    /// CSAT %; null without data.
    pub csat: Option<Decimal>,
    /// Mean QA score; null without data.
    pub qa: Option<Decimal>,
    /// Σ variable pay; null for QA, who sees no pay.
    pub pay: Option<Decimal>,
    /// Cards per grade, in grade order.
    pub grades: Vec<ApiGradeCount>,
    /// Cards without a grade.
    pub ungraded: u32,
}

impl ApiRollup {
    fn new(r: Rollup, sees_pay: bool) -> ApiRollup {
        ApiRollup {
            headcount: r.headcount,
            handled: r.handled,
            points: r.points,
            aht: r.aht,
            csat: r.csat,
            qa: r.qa,
            pay: sees_pay.then_some(r.pay),
            grades: r
                .grades
                .into_iter()
                .map(|(grade, count)| ApiGradeCount { grade, count })
                .collect(),
            ungraded: r.ungraded,
        }
    }
}

/// One of the center's library KPI tiles (service level, abandonment, ASA, AHT, CSAT, FCR):
/// the value and the sums it came from, over all the period's records, queue included.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCenterKpi {
    /// Library code, e.g. `service_level`.
    pub kpi: String,
    /// The value rounded to two decimals; null is "no data", which is not 0.
    pub value: Option<Decimal>,
    /// `count`, `seconds`, `minutes`, `money`, `score`, `points` or `percent`.
    pub unit: String,
    /// Σ numerator.
    pub numerator: Decimal,
    /// Σ denominator.
    pub denominator: Decimal,
}

/// The thresholds the center KPIs were tallied with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiThresholds {
    /// Answered within this many seconds counts toward the service level.
    pub service_level_secs: u32,
    /// Abandoned before this many seconds is a short abandon, left out.
    pub short_abandon_secs: u32,
    /// A repeat contact within this many days is not resolved at first contact.
    pub repeat_window_days: u32,
}

/// One band of the total-score histogram.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiScoreBand {
    /// Lowest total of the band.
    pub from: u32,
    /// Band end: exclusive, except the last band, which includes 100.
    pub to: u32,
    /// Cards whose total falls in the band.
    pub count: u32,
}

/// A team's row.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTeamRow {
    /// Team id.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Mean total score of its cards that have one.
    pub average_total: Option<Decimal>,
    /// Its figures.
    pub figures: ApiRollup,
}

/// A department's row with its teams.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiDepartmentRow {
    /// Department id.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Mean total score of its cards that have one (the page's department chart).
    pub average_total: Option<Decimal>,
    /// Its figures.
    pub figures: ApiRollup,
    /// Its teams.
    pub teams: Vec<ApiTeamRow>,
}

/// What the center overview page shows for a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiOverview {
    /// The period and its state.
    pub period: ApiPeriod,
    /// Every period with data, newest first (the page's switcher).
    pub periods: Vec<String>,
    /// The whole center: the page's top tiles.
    pub center: ApiRollup,
    /// The center's library KPI tiles.
    pub center_kpis: Vec<ApiCenterKpi>,
    /// The thresholds behind them.
    pub thresholds: ApiThresholds,
    /// Cards per 10-point band of the total score, 0–100; empty when no card has a total
    /// (the page then draws no histogram).
    pub distribution: Vec<ApiScoreBand>,
    /// Departments side by side, each with its teams.
    pub departments: Vec<ApiDepartmentRow>,
    /// The period's targets with the center's and each department's unit only (the page's
    /// target tiles; `/api/v1/periods/{period}/targets` has every unit). Admins and managers
    /// only: empty for QA, who sees no targets, and for a period without targets.
    pub targets: Vec<ApiTarget>,
    /// The center over the last 12 periods up to this one (the page's trend charts).
    pub trend: ApiCenterTrend,
}

/// The center's trend: one value per period of each series.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiCenterTrend {
    /// The periods, oldest first, up to the one asked for.
    pub periods: Vec<String>,
    /// `handled`, `points` and `average_total` from the period's scorecards (Σ handled,
    /// Σ points, mean total score of the cards with one, two decimals); `aht`, `csat`, `qa`,
    /// `service_level` and `fcr` from the center's totals saved with them, as the library tiles.
    pub series: Vec<ApiTrendSeries>,
}

/// One series of the center's trend.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiTrendSeries {
    /// The series' code.
    pub code: String,
    /// One value per period; null is "no data", which is not 0.
    pub values: Vec<Option<Decimal>>,
}

fn team_row(t: &Team, cards: &[Scorecard], sees_pay: bool) -> ApiTeamRow {
    let mine = || cards.iter().filter(|c| c.team_id == t.id);
    ApiTeamRow {
        id: t.id,
        code: t.code.clone(),
        name: t.name.clone(),
        average_total: crate::view::overview::average_total(mine()),
        figures: ApiRollup::new(rollup(mine()), sees_pay),
    }
}

impl ApiOverview {
    /// The page's figures from the page's read model.
    pub fn new(d: OverviewData, sees_pay: bool) -> ApiOverview {
        let departments = d
            .departments
            .iter()
            .map(|dept| {
                let teams: Vec<&Team> = d
                    .teams
                    .iter()
                    .filter(|t| t.department_id == dept.id)
                    .collect();
                let in_dept = || {
                    d.cards
                        .iter()
                        .filter(|c| teams.iter().any(|t| t.id == c.team_id))
                };
                ApiDepartmentRow {
                    id: dept.id,
                    code: dept.code.clone(),
                    name: dept.name.clone(),
                    average_total: crate::view::overview::average_total(in_dept()),
                    figures: ApiRollup::new(rollup(in_dept()), sees_pay),
                    teams: teams
                        .iter()
                        .map(|t| team_row(t, &d.cards, sees_pay))
                        .collect(),
                }
            })
            .collect();
        let totals: Vec<Decimal> = d.cards.iter().filter_map(|c| c.total).collect();
        let distribution = if totals.is_empty() {
            Vec::new()
        } else {
            (0_u32..)
                .zip(score_bands(totals))
                .map(|(i, count)| ApiScoreBand {
                    from: i * SCORE_BAND,
                    to: (i + 1) * SCORE_BAND,
                    count,
                })
                .collect()
        };
        let values = library_values(&d.center_totals);
        ApiOverview {
            period: d.info.into(),
            periods: d.periods.iter().map(|p| p.period.to_string()).collect(),
            center: ApiRollup::new(rollup(&d.cards), sees_pay),
            center_kpis: CENTER_TILES
                .iter()
                .filter_map(|code| values.iter().find(|v| v.kpi == *code))
                .map(|v| ApiCenterKpi {
                    kpi: v.kpi.clone(),
                    value: v.value,
                    unit: v.unit.as_str().to_string(),
                    numerator: v.numerator,
                    denominator: v.denominator,
                })
                .collect(),
            thresholds: ApiThresholds {
                service_level_secs: d.thresholds.service_level_secs,
                short_abandon_secs: d.thresholds.short_abandon_secs,
                repeat_window_days: d.thresholds.repeat_window_days,
            },
            distribution,
            departments,
            targets: d.targets.into_iter().map(ApiTarget::from).collect(),
            trend: ApiCenterTrend {
                periods: d.trend.iter().map(|p| p.period.to_string()).collect(),
                series: trend_series(&d.trend)
                    .into_iter()
                    .map(|s| ApiTrendSeries {
                        code: s.code.to_string(),
                        values: s.values,
                    })
                    .collect(),
            },
        }
    }
}

/// The center overview of a period: the center's figures and library KPI tiles, the total-score
/// distribution, every department with its teams, the targets' center and department
/// attainment (admins and managers) and the center's 12-month trend, as `/p/{period}` shows
/// them. Admin,
/// manager and QA (QA without pay: every `pay` is null). Supervisors and agents are refused
/// (403): the page sends a supervisor to their team, whose JSON is
/// `/api/v1/periods/{period}/teams/{team_id}`.
#[utoipa::path(get, path = "/api/v1/periods/{period}/overview", operation_id = "period_overview", tag = "scores",
    params(("period" = String, Path, description = "The month, YYYY-MM")),
    responses(
        (status = 200, description = "The overview", body = ApiOverview),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Only admins, managers and QA see the center overview", body = ErrorBody),
        (status = 404, description = "Malformed period", body = ErrorBody),
    ))]
pub async fn overview(
    State(state): State<AppState>,
    auth: Authorized<CenterViewers>,
    PeriodPath(period): PeriodPath,
) -> Result<Json<ApiOverview>, WebError> {
    let data = queries::overview(&state.store, period, &auth.user).await?;
    let sees_pay = auth.user.user.role.sees_pay();
    Ok(Json(ApiOverview::new(data, sees_pay)))
}
