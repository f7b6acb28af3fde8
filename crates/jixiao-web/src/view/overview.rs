//! The center overview: per department and per team roll-ups of one period.

use askama::Template;
use jixiao_core::org::{Department, Team};
use jixiao_core::scorecard::Scorecard;
use jixiao_store::PeriodInfo;

use super::Chrome;
use super::fmt::{dec2, grade_class, opt2};
use super::rollup::{Rollup, rollup};

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
}

impl OverviewPage {
    /// Builds the page.
    pub fn build(c: Chrome, show_pay: bool, d: OverviewData) -> OverviewPage {
        let period = d.info.period;
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
        OverviewPage {
            c,
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
            center: rollup(&d.cards).into(),
            departments,
        }
    }
}
