//! One agent's scorecards (one per team segment), every number with its explanation.

use std::collections::BTreeMap;

use askama::Template;
use jixiao_core::Period;
use jixiao_core::org::{Employee, Team};
use jixiao_core::scorecard::{KpiResult, Scorecard};

use super::Chrome;
use super::fmt::{
    NO_DATA, dec2, formula_key, grade_class, kpi_key, opt2, plain, rounding_text, rule_text,
    unit_key,
};
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
    /// Catalog key of the name.
    pub name: &'static str,
    /// Catalog key of the unit.
    pub unit: &'static str,
    /// Catalog key of the formula.
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
        KpiRowVm {
            name: kpi_key(k.kpi),
            unit: unit_key(k.kpi),
            formula: formula_key(k.kpi),
            value: opt2(k.value.value),
            numerator: plain(k.value.numerator),
            denominator: plain(k.value.denominator),
            floor: plain(k.floor),
            target: plain(k.target),
            rule: rule_text(t, k),
            score: opt2(k.score),
            weight: plain(k.weight),
            effective_weight: opt2(k.effective_weight),
            no_data: k.score.is_none(),
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
                }
            })
            .collect();
        AgentPage {
            c,
            period: period.to_string(),
            employee_no: no.to_string(),
            name: employee.name.clone(),
            show_pay,
            segments,
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
}
