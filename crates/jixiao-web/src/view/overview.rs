//! The center overview: per department and per team roll-ups of one period.

use askama::Template;
use jixiao_core::kpi::MeasureTotals;
use jixiao_core::org::{Department, Team};
use jixiao_core::scorecard::{Scorecard, library_values};
use jixiao_store::{KpiThresholds, PeriodInfo};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Chrome;
use super::fmt::{dec2, grade_class, opt2};
use super::library::{TileVm, center_tiles, thresholds_text};
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
}

/// The mean total score of the cards that have one; `None` when none has.
fn average_total<'a>(cards: impl IntoIterator<Item = &'a Scorecard>) -> Option<Decimal> {
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
    fn a_department_average_counts_only_cards_with_a_total() {
        let cards = [card(Some(dec!(80))), card(None), card(Some(dec!(90)))];
        assert_eq!(average_total(&cards), Some(dec!(85)));
        assert_eq!(average_total(&[card(None)]), None);
    }
}
