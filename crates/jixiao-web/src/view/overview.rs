//! The center overview: per department and per team roll-ups of one period.

use askama::Template;
use jixiao_core::Period;
use jixiao_core::kpi::MeasureTotals;
use jixiao_core::org::{Department, Team};
use jixiao_core::scorecard::{Scorecard, library_values};
use jixiao_store::service::{TargetOverview, TargetRow};
use jixiao_store::{KpiThresholds, PeriodInfo, PeriodSummary};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Chrome;
use super::fmt::{dec2, grade_class, opt2, plain};
use super::library::{self, TileVm, center_tiles, thresholds_text};
use super::rollup::{Rollup, rollup};
use crate::charts;
use crate::i18n::Tr;

/// One roll-up row, formatted.
#[derive(Debug, Clone)]
pub struct RowVm {
    /// Distinct employees.
    pub headcount: usize,
    /// Σ handled.
    pub handled: u64,
    /// Σ points.
    pub points: String,
    /// AHT in seconds.
    pub aht: String,
    /// CSAT %.
    pub csat: String,
    /// QA.
    pub qa: String,
    /// Σ pay.
    pub pay: String,
    /// (grade, count, badge class), best grade first as the scheme lists them.
    pub grades: Vec<(String, u32, String)>,
    /// Cards without a grade.
    pub ungraded: u32,
}

impl From<Rollup> for RowVm {
    fn from(r: Rollup) -> Self {
        RowVm {
            headcount: r.headcount,
            handled: r.handled,
            points: dec2(r.points),
            aht: opt2(r.aht),
            csat: opt2(r.csat),
            qa: opt2(r.qa),
            pay: dec2(r.pay),
            grades: r
                .grades
                .into_iter()
                .map(|(g, n)| {
                    let class = grade_class(Some(&g));
                    (g, n, class)
                })
                .collect(),
            ungraded: r.ungraded,
        }
    }
}

/// A team row, linking to the team page.
#[derive(Debug, Clone)]
pub struct TeamRowVm {
    /// Team name.
    pub name: String,
    /// Team code.
    pub code: String,
    /// Link.
    pub href: String,
    /// Figures.
    pub row: RowVm,
}

/// A department with its teams.
#[derive(Debug, Clone)]
pub struct DeptVm {
    /// Department name.
    pub name: String,
    /// Figures over the department.
    pub row: RowVm,
    /// Its teams.
    pub teams: Vec<TeamRowVm>,
}

/// Everything the overview needs, as loaded by `queries::overview`.
#[derive(Debug, Clone)]
pub struct OverviewData {
    /// The period's state.
    pub info: PeriodInfo,
    /// All periods, for the switcher.
    pub periods: Vec<PeriodInfo>,
    /// Departments.
    pub departments: Vec<Department>,
    /// Teams.
    pub teams: Vec<Team>,
    /// All scorecards of the period.
    pub cards: Vec<Scorecard>,
    /// The center's base measures of the period over all its records, queue included.
    pub center_totals: MeasureTotals,
    /// The thresholds those measures were tallied with.
    pub thresholds: KpiThresholds,
    /// The period's targets, the center's and the departments' rows only; empty without
    /// targets and for users who see no targets (only admins and managers do).
    pub targets: Vec<TargetOverview>,
    /// The center over the last [`CENTER_TREND_PERIODS`] periods up to this one, oldest first.
    pub trend: Vec<CenterPoint>,
}

/// How many periods the center's trend charts cover at most.
pub const CENTER_TREND_PERIODS: usize = 12;

/// One period of the center's trend: its stored cards summed, and its saved center totals.
#[derive(Debug, Clone)]
pub struct CenterPoint {
    /// The period.
    pub period: Period,
    /// Its scorecards summed; `None` without cards.
    pub summary: Option<PeriodSummary>,
    /// The center's base measures (saved with the cards); `None` if never saved.
    pub totals: Option<MeasureTotals>,
}

/// The series of the center's trend charts, in chart order: `average_total` is the mean total
/// score of the cards that have one, the others are library KPI codes (`handled` and `points`
/// summed over the cards, the rest from the center's totals, as the library tiles).
pub const TREND_SERIES: [&str; 8] = [
    "handled",
    "points",
    "average_total",
    "aht",
    "csat",
    "qa",
    "service_level",
    "fcr",
];

/// One series over the trend's periods.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendSeries {
    /// A code of [`TREND_SERIES`].
    pub code: &'static str,
    /// One value per period of the trend; `None` is "no data", which is not 0.
    pub values: Vec<Option<Decimal>>,
}

/// The center trend's series, one value per point: what the page draws and the API returns.
pub fn trend_series(points: &[CenterPoint]) -> Vec<TrendSeries> {
    let library: Vec<_> = points
        .iter()
        .map(|p| p.totals.as_ref().map(library_values).unwrap_or_default())
        .collect();
    TREND_SERIES
        .iter()
        .map(|&code| TrendSeries {
            code,
            values: points
                .iter()
                .zip(&library)
                .map(|(p, lib)| match code {
                    "handled" => p.summary.as_ref().map(|s| Decimal::from(s.handled)),
                    "points" => p.summary.as_ref().map(|s| s.points),
                    "average_total" => p.summary.as_ref().and_then(PeriodSummary::average_total),
                    kpi => lib.iter().find(|v| v.kpi == kpi).and_then(|v| v.value),
                })
                .collect(),
        })
        .collect()
}

/// A series' name in the page's language.
fn series_name(t: Tr, code: &str) -> &'static str {
    match code {
        "average_total" => t.get("ovr_average_total"),
        kpi => library::name(t, kpi),
    }
}

/// The top of a series' value axis: 100 for scores and percentages, else fitted to the data.
fn series_top(code: &str) -> Option<f64> {
    match code {
        "average_total" | "csat" | "qa" | "service_level" | "fcr" => Some(100.0),
        _ => None,
    }
}

/// One trend chart.
#[derive(Debug, Clone)]
pub struct TrendChartVm {
    /// The series' code (the figure's id).
    pub code: &'static str,
    /// The series' name.
    pub name: &'static str,
    /// Our own inline SVG from `charts::line`.
    pub svg: String,
    /// The periods, oldest first.
    pub periods: Vec<String>,
    /// The values, formatted, one per period (the table under the charts).
    pub values: Vec<String>,
}

/// The center's trend charts; none without any period.
fn trend_charts(t: Tr, points: &[CenterPoint]) -> Vec<TrendChartVm> {
    if points.is_empty() {
        return Vec::new();
    }
    let labels: Vec<String> = points.iter().map(|p| p.period.to_string()).collect();
    trend_series(points)
        .into_iter()
        .map(|s| {
            let name = series_name(t, s.code);
            let values: Vec<Option<f64>> = s
                .values
                .iter()
                .map(|v| v.and_then(|d| d.to_f64()))
                .collect();
            let caption = t.fill("ovr_trend_caption", &[("name", name)]);
            TrendChartVm {
                code: s.code,
                name,
                svg: charts::line(&caption, name, &labels, &values, series_top(s.code)),
                periods: labels.clone(),
                values: s
                    .values
                    .iter()
                    .map(|v| match (s.code, v) {
                        ("handled", Some(n)) => plain(*n),
                        _ => opt2(*v),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The table of the charts' figures: one row per period of `(series, value)` cells.
fn trend_rows(charts: &[TrendChartVm]) -> Vec<(String, Vec<(&'static str, String)>)> {
    let periods = charts.first().map_or(&[][..], |c| &c.periods[..]);
    periods
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let cells = charts
                .iter()
                .map(|c| (c.code, c.values.get(i).cloned().unwrap_or_default()))
                .collect();
            (p.clone(), cells)
        })
        .collect()
}

/// One unit's attainment of a target, as a tile.
#[derive(Debug, Clone)]
pub struct TargetTileVm {
    /// The unit: the center, or a department's code and name.
    pub unit: String,
    /// Σ the measure over the unit's cards, as `/config/targets` prints it.
    pub actual: String,
    /// The unit's target, as `/config/targets` prints it.
    pub target: String,
    /// Attainment with its percent sign, or "—" for a target of 0.
    pub attainment: String,
    /// `target-met`, `target-not-met`, or `target-none` for a target of 0.
    pub class: &'static str,
    /// Whether the target is met.
    pub met: bool,
}

impl TargetTileVm {
    fn new(t: Tr, r: &TargetRow) -> TargetTileVm {
        let met = r.attainment.is_some_and(|a| a >= Decimal::ONE_HUNDRED);
        TargetTileVm {
            unit: if r.depth == 0 {
                t.get("ovr_target_center").to_string()
            } else {
                r.label.clone()
            },
            actual: plain(r.actual),
            target: plain(r.target),
            attainment: r
                .attainment
                .map_or_else(|| opt2(None), |a| format!("{}%", opt2(Some(a)))),
            class: match r.attainment {
                None => "target-none",
                Some(_) if met => "target-met",
                Some(_) => "target-not-met",
            },
            met,
        }
    }
}

/// One target on the overview: the center's tile, then each department's.
#[derive(Debug, Clone)]
pub struct TargetBlockVm {
    /// The measure's code (the section's id).
    pub measure: String,
    /// Its name in the page's language (its code when the catalogs do not know it).
    pub name: String,
    /// The center, then the departments.
    pub tiles: Vec<TargetTileVm>,
}

fn target_blocks(t: Tr, targets: &[TargetOverview]) -> Vec<TargetBlockVm> {
    targets
        .iter()
        .map(|o| TargetBlockVm {
            measure: o.measure.clone(),
            name: match library::name(t, &o.measure) {
                "??" => o.measure.clone(),
                name => name.to_string(),
            },
            tiles: o
                .rows
                .iter()
                .filter(|r| r.depth <= 1)
                .map(|r| TargetTileVm::new(t, r))
                .collect(),
        })
        .collect()
}

/// `/p/{period}`.
#[derive(Template)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    /// Frame.
    pub c: Chrome,
    /// The period shown.
    pub period: String,
    /// Whether it is closed.
    pub closed: bool,
    /// Periods for the switcher: (period, link, current).
    pub periods: Vec<(String, String, bool)>,
    /// Whether pay columns are shown (not to QA).
    pub show_pay: bool,
    /// The whole center.
    pub center: RowVm,
    /// Departments with teams.
    pub departments: Vec<DeptVm>,
    /// Grade counts over the center: our own inline SVG, or empty without grades.
    pub grades_chart: String,
    /// Histogram of the total scores: our own inline SVG, or empty without totals.
    pub distribution_chart: String,
    /// Departments' average total score: our own inline SVG, or empty without totals.
    pub departments_chart: String,
    /// The center's library KPIs (service level, abandonment, ASA, AHT, CSAT, FCR).
    pub center_kpis: Vec<TileVm>,
    /// The thresholds behind them, in words.
    pub thresholds: String,
    /// The period's targets (empty without targets: no target block).
    pub targets: Vec<TargetBlockVm>,
    /// Where the targets are configured.
    pub targets_href: String,
    /// The figures behind the trend charts: per period, oldest first, (series code, value).
    pub trend_rows: Vec<(String, Vec<(&'static str, String)>)>,
    /// The center's 12-month trend charts.
    pub trend_charts: Vec<TrendChartVm>,
}

/// The mean total score of the cards that have one; `None` when none has.
pub(crate) fn average_total<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Option<Decimal> {
    let totals: Vec<Decimal> = cards.into_iter().filter_map(|c| c.total).collect();
    let n = Decimal::from(totals.len());
    (!totals.is_empty()).then(|| totals.iter().sum::<Decimal>() / n)
}

/// The bar chart of the center's grade counts, best grade first.
fn grades_chart(t: Tr, center: &Rollup) -> String {
    if center.grades.is_empty() {
        return String::new();
    }
    let bars: Vec<(String, f64)> = center
        .grades
        .iter()
        .map(|(g, n)| (g.clone(), f64::from(*n)))
        .collect();
    charts::bars(t.get("chart_grades"), t.get("chart_agents"), &bars, None)
}

/// The bar chart of each department's average total score (departments without one left out).
fn departments_chart(t: Tr, averages: &[(String, Option<Decimal>)]) -> String {
    let bars: Vec<(String, f64)> = averages
        .iter()
        .filter_map(|(name, avg)| Some((name.clone(), avg.and_then(|d| d.to_f64())?)))
        .collect();
    if bars.is_empty() {
        return String::new();
    }
    charts::bars(
        t.get("chart_dept_avg"),
        t.get("col_total"),
        &bars,
        Some(100.0),
    )
}

impl OverviewPage {
    /// Builds the page.
    pub fn build(c: Chrome, show_pay: bool, d: OverviewData) -> OverviewPage {
        let period = d.info.period;
        let mut averages = Vec::new();
        let departments = d
            .departments
            .iter()
            .map(|dept| {
                let teams: Vec<&Team> = d
                    .teams
                    .iter()
                    .filter(|t| t.department_id == dept.id)
                    .collect();
                let in_dept = |c: &&Scorecard| teams.iter().any(|t| t.id == c.team_id);
                averages.push((
                    dept.name.clone(),
                    average_total(d.cards.iter().filter(in_dept)),
                ));
                DeptVm {
                    name: dept.name.clone(),
                    row: rollup(d.cards.iter().filter(in_dept)).into(),
                    teams: teams
                        .iter()
                        .map(|t| TeamRowVm {
                            name: t.name.clone(),
                            code: t.code.clone(),
                            href: format!("/p/{period}/teams/{}", t.id),
                            row: rollup(d.cards.iter().filter(|c| c.team_id == t.id)).into(),
                        })
                        .collect(),
                }
            })
            .collect();
        let center = rollup(&d.cards);
        let trend = trend_charts(c.t, &d.trend);
        OverviewPage {
            period: period.to_string(),
            closed: d.info.status == jixiao_core::period::PeriodStatus::Closed,
            periods: d
                .periods
                .iter()
                .map(|p| {
                    (
                        p.period.to_string(),
                        format!("/p/{}", p.period),
                        p.period == period,
                    )
                })
                .collect(),
            show_pay,
            center_kpis: center_tiles(c.t, &library_values(&d.center_totals)),
            thresholds: thresholds_text(c.t, &d.thresholds),
            grades_chart: grades_chart(c.t, &center),
            distribution_chart: super::compare::distribution_chart(c.t, &d.cards),
            departments_chart: departments_chart(c.t, &averages),
            targets: target_blocks(c.t, &d.targets),
            targets_href: format!("/config/targets?period={period}"),
            trend_rows: trend_rows(&trend),
            trend_charts: trend,
            center: center.into(),
            departments,
            c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn card(total: Option<Decimal>) -> Scorecard {
        crate::view::tests::test_card(1, 30, Decimal::ZERO, total)
    }

    #[test]
    fn a_trend_takes_card_sums_from_the_summary_and_kpis_from_the_saved_totals() {
        let summary = PeriodSummary {
            period: "2026-10".parse().unwrap(),
            cards: 2,
            handled: 7,
            points: dec!(12.5),
            total_sum: dec!(170),
            totals: 2,
        };
        let points = [
            CenterPoint {
                period: "2026-09".parse().unwrap(),
                summary: None,
                totals: None,
            },
            CenterPoint {
                period: summary.period,
                summary: Some(summary),
                totals: Some(MeasureTotals::default()),
            },
        ];
        let series = trend_series(&points);
        let get = |code: &str| &series.iter().find(|s| s.code == code).unwrap().values;
        assert_eq!(series.len(), TREND_SERIES.len());
        assert_eq!(get("handled"), &vec![None, Some(dec!(7))]);
        assert_eq!(get("points"), &vec![None, Some(dec!(12.5))]);
        assert_eq!(get("average_total"), &vec![None, Some(dec!(85))]);
        // No calls in the totals: no AHT, which is not 0.
        assert_eq!(get("aht"), &vec![None, None]);
        let charts = trend_charts(Tr::new(crate::i18n::Lang::En), &points);
        assert_eq!(charts[0].values, ["—", "7"]);
        assert!(charts[0].svg.starts_with("<svg"));
        assert!(trend_charts(Tr::new(crate::i18n::Lang::En), &[]).is_empty());
    }

    #[test]
    fn a_target_tile_is_met_from_100_percent() {
        let row = |actual: Decimal, target: Decimal| TargetRow {
            unit: "center".into(),
            label: "center".into(),
            depth: 0,
            target,
            parts_total: None,
            adds_up: true,
            actual,
            attainment: jixiao_core::targets::attainment(actual, target),
        };
        let t = Tr::new(crate::i18n::Lang::En);
        let met = TargetTileVm::new(t, &row(dec!(10), dec!(10)));
        assert_eq!((met.class, met.met), ("target-met", true));
        assert_eq!(met.attainment, "100.00%");
        let short = TargetTileVm::new(t, &row(dec!(6), dec!(10)));
        assert_eq!(
            (short.class, short.attainment.as_str()),
            ("target-not-met", "60.00%")
        );
        let zero = TargetTileVm::new(t, &row(dec!(6), dec!(0)));
        assert_eq!((zero.class, zero.attainment.as_str()), ("target-none", "—"));
    }

    #[test]
    fn a_department_average_counts_only_cards_with_a_total() {
        let cards = [card(Some(dec!(80))), card(None), card(Some(dec!(90)))];
        assert_eq!(average_total(&cards), Some(dec!(85)));
        assert_eq!(average_total(&[card(None)]), None);
    }
}
