//! A team's ranked scorecard table, sortable server-side by `?sort=column&dir=asc|desc`.

use std::cmp::Ordering;

use askama::Template;
use jixiao_core::kpi::KpiCode;
use jixiao_core::org::Team;
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Chrome;
use super::fmt::{dec2, grade_class, kpi_value, opt2};
use super::overview::RowVm;
use super::rollup::rollup;
use crate::charts;

/// A sortable column: URL name, catalog key, whether numeric (right-aligned).
pub const COLUMNS: [(&str, &str, bool); 12] = [
    ("rank", "col_rank", true),
    ("no", "col_employee_no", false),
    ("name", "col_name", false),
    ("days", "col_days", true),
    ("handled", "col_handled", true),
    ("points", "col_points", true),
    ("aht", "col_aht", true),
    ("csat", "col_csat", true),
    ("qa", "col_qa", true),
    ("total", "col_total", true),
    ("grade", "col_grade", false),
    ("pay", "col_pay", true),
];

/// The sort requested by the query string, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sort {
    /// Column name from [`COLUMNS`].
    pub column: &'static str,
    /// Descending?
    pub desc: bool,
}

impl Sort {
    /// Parses `sort` and `dir`; unknown columns fall back to rank. Without `dir`, each column
    /// sorts best-first (higher is better except AHT, rank and names).
    pub fn parse(sort: Option<&str>, dir: Option<&str>) -> Sort {
        let column = COLUMNS
            .iter()
            .map(|c| c.0)
            .find(|c| Some(*c) == sort)
            .unwrap_or("rank");
        let natural_desc = !matches!(column, "rank" | "no" | "name" | "aht" | "grade");
        let desc = match dir {
            Some("asc") => false,
            Some("desc") => true,
            _ => natural_desc,
        };
        Sort { column, desc }
    }
}

fn key(card: &Scorecard, column: &str) -> SortKey {
    let d = |v: Option<Decimal>| SortKey::Num(v);
    match column {
        "no" => SortKey::Text(card.employee_no.clone()),
        "name" => SortKey::Text(card.name.clone()),
        "grade" => SortKey::Text(card.grade.clone().unwrap_or_default()),
        "days" => d(Some(card.days.into())),
        "handled" => d(Some(card.handled.into())),
        "points" => d(Some(card.points)),
        "aht" => d(kpi_value(card, KpiCode::Aht)),
        "csat" => d(kpi_value(card, KpiCode::Csat)),
        "qa" => d(kpi_value(card, KpiCode::Qa)),
        "total" => d(card.total),
        "pay" => d(Some(card.variable_pay)),
        _ => d(card.rank_in_team.map(Decimal::from)),
    }
}

#[derive(PartialEq, PartialOrd)]
enum SortKey {
    Num(Option<Decimal>),
    Text(String),
}

/// Sorts cards in place; missing values always go last, ties by employee number.
pub fn sort_cards(cards: &mut [Scorecard], sort: &Sort) {
    cards.sort_by(|a, b| {
        let (ka, kb) = (key(a, sort.column), key(b, sort.column));
        let primary = match (&ka, &kb) {
            (SortKey::Num(None), SortKey::Num(Some(_))) => Ordering::Greater,
            (SortKey::Num(Some(_)), SortKey::Num(None)) => Ordering::Less,
            _ => {
                let o = ka.partial_cmp(&kb).unwrap_or(Ordering::Equal);
                if sort.desc { o.reverse() } else { o }
            }
        };
        primary.then_with(|| a.employee_no.cmp(&b.employee_no))
    });
}

/// A column header with its sort link.
#[derive(Debug, Clone)]
pub struct ColVm {
    /// Catalog key.
    pub label: &'static str,
    /// Link that sorts by this column (toggling direction when already sorted by it).
    pub href: String,
    /// "▲", "▼" or "".
    pub arrow: &'static str,
    /// Right-aligned?
    pub numeric: bool,
}

/// One agent row.
#[derive(Debug, Clone)]
pub struct AgentRowVm {
    /// Rank or "—".
    pub rank: String,
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Link to the agent's scorecard.
    pub href: String,
    /// Days in team.
    pub days: u32,
    /// Handled.
    pub handled: u64,
    /// Points.
    pub points: String,
    /// AHT.
    pub aht: String,
    /// CSAT.
    pub csat: String,
    /// QA.
    pub qa: String,
    /// Total score.
    pub total: String,
    /// Grade or "—".
    pub grade: String,
    /// Badge class.
    pub grade_class: String,
    /// Variable pay.
    pub pay: String,
    /// Total score over recent periods: our own inline SVG, or empty.
    pub trend: String,
}

/// How many periods the team table's sparklines cover at most.
pub const SPARK_PERIODS: usize = 6;

/// A team's cards of the period and of recent periods, as loaded by `queries::team`.
#[derive(Debug, Clone, Default)]
pub struct TeamData {
    /// The period's scorecards.
    pub cards: Vec<Scorecard>,
    /// The team's scorecards of recent periods, oldest first, the shown period included.
    pub history: Vec<Vec<Scorecard>>,
}

/// The employee's total score in the team over `history`, as a sparkline; empty when it has
/// fewer than two periods to compare.
fn total_sparkline(history: &[Vec<Scorecard>], employee_id: i64) -> String {
    let totals: Vec<Option<f64>> = history
        .iter()
        .map(|cards| {
            let card = cards.iter().find(|c| c.employee_id == employee_id)?;
            card.total?.to_f64()
        })
        .collect();
    if totals.iter().flatten().count() < 2 {
        return String::new();
    }
    charts::sparkline(&totals, Some(100.0))
}

/// `/p/{period}/teams/{team_id}`.
#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamPage {
    /// Frame.
    pub c: Chrome,
    /// Period.
    pub period: String,
    /// Team name.
    pub team_name: String,
    /// Team code.
    pub team_code: String,
    /// Whether pay is shown.
    pub show_pay: bool,
    /// Headers.
    pub columns: Vec<ColVm>,
    /// Rows, sorted.
    pub rows: Vec<AgentRowVm>,
    /// The team's totals.
    pub totals: RowVm,
    /// Export link for those allowed to export.
    pub export_href: Option<String>,
    /// The team's behaviour-rating page, for those who may rate (set by the route).
    pub behaviour_href: Option<String>,
}

impl TeamPage {
    /// Builds the page from the team's cards.
    pub fn build(
        c: Chrome,
        period: jixiao_core::Period,
        team: &Team,
        data: TeamData,
        sort: &Sort,
        show_pay: bool,
        can_export: bool,
    ) -> TeamPage {
        let base = format!("/p/{period}/teams/{}", team.id);
        let columns = COLUMNS
            .iter()
            .filter(|(name, _, _)| show_pay || *name != "pay")
            .map(|&(name, label, numeric)| {
                let current = sort.column == name;
                let dir = match (current, sort.desc) {
                    (true, true) => "&dir=asc",
                    (true, false) => "&dir=desc",
                    _ => "",
                };
                ColVm {
                    label,
                    href: format!("{base}?sort={name}{dir}"),
                    arrow: match (current, sort.desc) {
                        (true, true) => "▼",
                        (true, false) => "▲",
                        _ => "",
                    },
                    numeric,
                }
            })
            .collect();
        let TeamData { mut cards, history } = data;
        let totals = rollup(&cards).into();
        sort_cards(&mut cards, sort);
        let rows = cards
            .iter()
            .map(|card| AgentRowVm {
                rank: card
                    .rank_in_team
                    .map_or_else(|| "—".into(), |r| r.to_string()),
                employee_no: card.employee_no.clone(),
                name: card.name.clone(),
                href: format!("/p/{period}/agents/{}", card.employee_no),
                days: card.days,
                handled: card.handled,
                points: dec2(card.points),
                aht: opt2(kpi_value(card, KpiCode::Aht)),
                csat: opt2(kpi_value(card, KpiCode::Csat)),
                qa: opt2(kpi_value(card, KpiCode::Qa)),
                total: opt2(card.total),
                grade: card.grade.clone().unwrap_or_else(|| "—".into()),
                grade_class: grade_class(card.grade.as_deref()),
                pay: dec2(card.variable_pay),
                trend: total_sparkline(&history, card.employee_id),
            })
            .collect();
        TeamPage {
            c,
            period: period.to_string(),
            team_name: team.name.clone(),
            team_code: team.code.clone(),
            show_pay,
            columns,
            rows,
            totals,
            export_href: can_export.then(|| format!("/p/{period}/export.xlsx")),
            behaviour_href: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sparkline_needs_two_periods_with_a_total_in_the_team() {
        use crate::view::tests::test_card;
        use rust_decimal::dec;
        let month = |total| vec![test_card(1, 30, Decimal::ZERO, total)];
        let two = [month(Some(dec!(70))), vec![], month(Some(dec!(85)))];
        assert!(total_sparkline(&two, 1).contains("<polyline"));
        assert_eq!(
            total_sparkline(&two, 2),
            "",
            "another employee has no history"
        );
        assert_eq!(
            total_sparkline(&[month(Some(dec!(70))), month(None)], 1),
            ""
        );
    }

    #[test]
    fn unknown_sort_columns_fall_back_to_rank_and_directions_default_to_best_first() {
        assert_eq!(
            Sort::parse(Some("drop table"), None),
            Sort {
                column: "rank",
                desc: false
            }
        );
        assert_eq!(
            Sort::parse(Some("points"), None),
            Sort {
                column: "points",
                desc: true
            }
        );
        assert_eq!(
            Sort::parse(Some("aht"), None),
            Sort {
                column: "aht",
                desc: false
            }
        );
        assert_eq!(
            Sort::parse(Some("aht"), Some("desc")),
            Sort {
                column: "aht",
                desc: true
            }
        );
    }
}
