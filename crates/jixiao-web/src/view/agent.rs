//! One agent's scorecards (one per team segment), every number with its explanation.

use std::collections::BTreeMap;

use askama::Template;
use jixiao_core::Period;
use jixiao_core::org::{Employee, Team};
use jixiao_core::scorecard::{KpiResult, Scorecard};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use jixiao_core::kpi::standard_kpi;
use jixiao_core::scoring::ScoringRule;

use super::Chrome;
use super::fmt::{
    NO_DATA, dec2, formula_key, grade_class, kpi_key, opt2, plain, rounding_text, rule_text,
    unit_key,
};
use super::library::{self, LibraryRowVm};
use crate::charts;
use crate::i18n::Tr;

/// An agent's scorecards and what the page needs around them.
#[derive(Debug, Clone, Default)]
pub struct AgentCards {
    /// The scorecards the user may see, one per team segment.
    pub cards: Vec<Scorecard>,
    /// All teams, for names.
    pub teams: Vec<Team>,
    /// Ranked members per team of the segments: the "of N" of a rank.
    pub ranked: BTreeMap<i64, usize>,
    /// The agent's figures over recent periods, oldest first.
    pub trend: Vec<TrendPoint>,
}

/// How many periods the agent's trend charts cover at most.
pub const TREND_PERIODS: usize = 12;

/// One period of an agent's trend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendPoint {
    /// The period.
    pub period: Period,
    /// Total score of the segment with the most days; `None` when it had no KPI data.
    pub total: Option<Decimal>,
    /// Points summed over all segments.
    pub points: Decimal,
}

impl TrendPoint {
    /// The point of `period` from the agent's cards in it; `None` without cards.
    pub fn of(period: Period, cards: &[Scorecard]) -> Option<TrendPoint> {
        // The first card of the longest stay wins a tie, so the choice is stable.
        let main = cards.iter().rev().max_by_key(|c| c.days)?;
        Some(TrendPoint {
            period,
            total: main.total,
            points: cards.iter().map(|c| c.points).sum(),
        })
    }
}

/// The two trend charts (total score, points) as inline SVG; empty without any period.
fn trend_charts(t: Tr, trend: &[TrendPoint]) -> (String, String) {
    if trend.is_empty() {
        return (String::new(), String::new());
    }
    let labels: Vec<String> = trend.iter().map(|p| p.period.to_string()).collect();
    let totals: Vec<Option<f64>> = trend
        .iter()
        .map(|p| p.total.and_then(|d| d.to_f64()))
        .collect();
    let points: Vec<Option<f64>> = trend.iter().map(|p| p.points.to_f64()).collect();
    (
        charts::line(
            t.get("chart_total_trend"),
            t.get("col_total"),
            &labels,
            &totals,
            Some(100.0),
        ),
        charts::line(
            t.get("chart_points_trend"),
            t.get("col_points"),
            &labels,
            &points,
            None,
        ),
    )
}

/// "rank / ranked members", the rank alone when the team size is unknown, "—" unranked.
fn rank_text(rank: Option<u32>, ranked: Option<&usize>) -> String {
    match (rank, ranked) {
        (Some(r), Some(n)) => format!("{r} / {n}"),
        (Some(r), None) => r.to_string(),
        (None, _) => NO_DATA.to_string(),
    }
}

/// One KPI line of the explanation.
#[derive(Debug, Clone)]
pub struct KpiRowVm {
    /// The name, in the page's language.
    pub name: &'static str,
    /// The unit, in the page's language.
    pub unit: &'static str,
    /// The definition: the catalog's words, or a library KPI's formula over base measures.
    pub formula: &'static str,
    /// The value, or "—".
    pub value: String,
    /// Numerator.
    pub numerator: String,
    /// Denominator.
    pub denominator: String,
    /// Value scoring 0.
    pub floor: String,
    /// Value scoring 100.
    pub target: String,
    /// The scoring rule, in the page's language.
    pub rule: String,
    /// 0–100 or "—".
    pub score: String,
    /// Configured weight %.
    pub weight: String,
    /// Applied weight % or "—".
    pub effective_weight: String,
    /// No data: its weight was spread over the others.
    pub no_data: bool,
}

impl KpiRowVm {
    /// The line of `k`, its rule worded by `t`.
    pub fn new(t: Tr, k: &KpiResult) -> Self {
        let (name, unit, formula) = match k.library_kpi.as_deref() {
            Some(code) => {
                let def = standard_kpi(code);
                (
                    library::name(t, code),
                    def.map_or("", |d| library::unit(t, d.unit)),
                    def.map_or("", |d| d.formula),
                )
            }
            None => (
                t.get(kpi_key(k.kpi)),
                t.get(unit_key(k.kpi)),
                t.get(formula_key(k.kpi)),
            ),
        };
        let rule = match (&k.scoring, &k.library_kpi, k.linear) {
            // Weighs nothing: its points come off the total.
            (Some(ScoringRule::DeductionPerEvent(r)), _, _) if k.deducted.is_some() => {
                let points = plain(r.points);
                match r.cap {
                    Some(cap) => t.fill(
                        "rule_deduct_total_cap",
                        &[("points", &points), ("cap", &plain(cap))],
                    ),
                    None => t.fill("rule_deduct_total", &[("points", &points)]),
                }
            }
            (Some(rule), _, _) => library::rule_text(t, rule, unit),
            // Today's linear rule, in the library KPI's unit rather than `kpi`'s.
            (None, Some(_), Some(linear)) => library::rule_text(t, &linear.into(), unit),
            _ => rule_text(t, k),
        };
        // Floor and target belong to linear rules only.
        let bounded = matches!(k.scoring, None | Some(ScoringRule::Linear(_)));
        let bound = |d| if bounded { plain(d) } else { NO_DATA.into() };
        KpiRowVm {
            name,
            unit,
            formula,
            value: opt2(k.value.value),
            numerator: plain(k.value.numerator),
            denominator: plain(k.value.denominator),
            floor: bound(k.floor),
            target: bound(k.target),
            rule,
            // A deduction from the total shows as the points it takes off.
            score: match k.deducted {
                Some(d) => format!("−{}", dec2(d)),
                None => opt2(k.score),
            },
            weight: plain(k.weight),
            effective_weight: opt2(k.effective_weight),
            no_data: k.score.is_none() && k.deducted.is_none(),
        }
    }
}

/// One business type's points.
#[derive(Debug, Clone)]
pub struct PointsLineVm {
    /// Business type code.
    pub business_type: String,
    /// Handled.
    pub handled: u64,
    /// Coefficient.
    pub coefficient: String,
    /// Points.
    pub points: String,
}

/// One scorecard: an agent in one team for part or all of the period.
#[derive(Debug, Clone)]
pub struct SegmentVm {
    /// Team name.
    pub team_name: String,
    /// Link to the team page, when the user may see it.
    pub team_href: Option<String>,
    /// Days in the team.
    pub days: u32,
    /// Rank in team out of the ranked members of the team ("2 / 18"), or "—".
    pub rank: String,
    /// Total score or "—".
    pub total: String,
    /// Grade or "—".
    pub grade: String,
    /// Badge class.
    pub grade_class: String,
    /// No KPI had data.
    pub no_total: bool,
    /// The scheme used: `None` on cards stored before it was kept, `Some(None)` the
    /// department's, `Some(Some(position))` a position's.
    pub scheme_position: Option<Option<String>>,
    /// The grade the total alone earns, when a forced-distribution quota changed it.
    pub grade_by_score: Option<String>,
    /// Handled calls.
    pub handled: u64,
    /// KPI lines.
    pub kpis: Vec<KpiRowVm>,
    /// Points lines.
    pub points_lines: Vec<PointsLineVm>,
    /// Σ points.
    pub points: String,
    /// Pay per point.
    pub unit_price: String,
    /// points × unit price, rounded.
    pub pay: String,
    /// The rounding rule, in the page's language.
    pub rounding: String,
    /// Links to the records of this segment: (catalog key, href).
    pub record_links: Vec<(&'static str, String)>,
    /// Every library KPI of the segment with its numerator and denominator; empty on cards
    /// stored before the library.
    pub library: Vec<LibraryRowVm>,
    /// A leader's unit attainment of its targets, with the sums it came from.
    pub unit: Option<super::targets::UnitVm>,
}

/// `/p/{period}/agents/{employee_no}`.
#[derive(Template)]
#[template(path = "agent.html")]
pub struct AgentPage {
    /// Frame.
    pub c: Chrome,
    /// Period.
    pub period: String,
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Pay shown?
    pub show_pay: bool,
    /// Segments.
    pub segments: Vec<SegmentVm>,
    /// Total score over recent periods: our own inline SVG, or empty.
    pub total_chart: String,
    /// Points over recent periods: our own inline SVG, or empty.
    pub points_chart: String,
    /// Adjustments and, for managers, their form (set by the handler).
    pub adj: super::lifecycle::AdjustmentsVm,
    /// Behaviour ratings and competitions (set by the handler after `build`).
    pub extras: super::behaviour::AgentExtrasVm,
    /// Appeals and feedback notes (set by the handler after `build`).
    pub fair: super::appeals::AgentAppealsVm,
    /// Findings of the period (set by the handler after `build`).
    pub found: super::fairness::FindingsVm,
}

impl AgentPage {
    /// Builds the page; `link_teams` says whether to link the segments' teams.
    pub fn build(
        c: Chrome,
        period: Period,
        employee: &Employee,
        data: &AgentCards,
        show_pay: bool,
        link_teams: bool,
    ) -> AgentPage {
        let (cards, teams, t) = (&data.cards, &data.teams, c.t);
        let no = employee.employee_no.as_str();
        let segments = cards
            .iter()
            .map(|card| {
                let team_name = teams
                    .iter()
                    .find(|t| t.id == card.team_id)
                    .map_or_else(|| card.team_id.to_string(), |t| t.name.clone());
                let base = format!("/p/{period}/agents/{no}");
                let q = format!("?team={}", card.team_id);
                SegmentVm {
                    team_name,
                    team_href: link_teams.then(|| format!("/p/{period}/teams/{}", card.team_id)),
                    days: card.days,
                    rank: rank_text(card.rank_in_team, data.ranked.get(&card.team_id)),
                    total: opt2(card.total),
                    grade: card.grade.clone().unwrap_or_else(|| "—".into()),
                    grade_class: grade_class(card.grade.as_deref()),
                    no_total: card.total.is_none(),
                    scheme_position: card.scheme.as_ref().map(|u| match &u.source {
                        jixiao_core::scorecard::SchemeSource::Position { position } => {
                            Some(position.clone())
                        }
                        jixiao_core::scorecard::SchemeSource::Department => None,
                    }),
                    grade_by_score: card.scheme.as_ref().and_then(|u| u.grade_by_score.clone()),
                    handled: card.handled,
                    kpis: card.kpis.iter().map(|k| KpiRowVm::new(t, k)).collect(),
                    points_lines: card
                        .points_lines
                        .iter()
                        .map(|l| PointsLineVm {
                            business_type: l.business_type.to_string(),
                            handled: l.handled,
                            coefficient: plain(l.coefficient),
                            points: plain(l.points),
                        })
                        .collect(),
                    points: plain(card.points),
                    unit_price: plain(card.unit_price),
                    pay: dec2(card.variable_pay),
                    rounding: rounding_text(t, card),
                    record_links: vec![
                        ("records_calls", format!("{base}/calls{q}")),
                        ("records_surveys", format!("{base}/surveys{q}")),
                        ("records_qa", format!("{base}/qa{q}")),
                    ],
                    library: card
                        .library
                        .iter()
                        .map(|v| LibraryRowVm::new(t, v))
                        .collect(),
                    unit: card
                        .unit_attainment
                        .as_ref()
                        .map(|u| super::targets::UnitVm::new(u, teams)),
                }
            })
            .collect();
        let (total_chart, points_chart) = trend_charts(t, &data.trend);
        AgentPage {
            c,
            period: period.to_string(),
            employee_no: no.to_string(),
            name: employee.name.clone(),
            show_pay,
            segments,
            total_chart,
            points_chart,
            adj: Default::default(),
            extras: Default::default(),
            fair: Default::default(),
            found: Default::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rank_is_shown_out_of_the_ranked_members_of_the_team() {
        assert_eq!(rank_text(Some(15), Some(&18)), "15 / 18");
        assert_eq!(rank_text(Some(2), None), "2");
        assert_eq!(rank_text(None, Some(&18)), NO_DATA);
    }

    #[test]
    fn a_trend_point_sums_points_and_takes_the_total_of_the_longest_segment() {
        use crate::view::tests::test_card;
        use rust_decimal::dec;
        let period: Period = "2026-11".parse().unwrap();
        let cards = [
            test_card(1, 10, dec!(4), Some(dec!(70))),
            test_card(2, 20, dec!(6), Some(dec!(90))),
        ];
        let point = TrendPoint::of(period, &cards).unwrap();
        assert_eq!(point.points, dec!(10));
        assert_eq!(point.total, Some(dec!(90)));
        assert_eq!(TrendPoint::of(period, &[]), None);
    }

    #[test]
    fn the_trend_charts_label_each_period_in_the_page_language() {
        use crate::i18n::Lang;
        use rust_decimal::dec;
        let trend = [
            TrendPoint {
                period: "2026-10".parse().unwrap(),
                total: Some(dec!(81.5)),
                points: dec!(12),
            },
            TrendPoint {
                period: "2026-11".parse().unwrap(),
                total: None,
                points: dec!(3),
            },
        ];
        let (total, points) = trend_charts(Tr::new(Lang::ZhCn), &trend);
        for svg in [&total, &points] {
            assert!(svg.contains("2026-10") && svg.contains("2026-11"), "{svg}");
        }
        assert!(total.contains("各期总分"));
        assert!(points.contains("各期积分"));
        assert_eq!(
            trend_charts(Tr::new(Lang::En), &[]),
            (String::new(), String::new())
        );
    }
}
