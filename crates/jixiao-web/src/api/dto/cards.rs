//! Scorecards with their explanation, as the API shows them.

use jixiao_core::scorecard::{KpiResult, Scorecard};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::{ApiEmployee, ApiTeam};

/// One business type's contribution to the points.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiPointsLine {
    /// Business type code.
    pub business_type: String,
    /// Handled interactions of that type.
    pub handled: u64,
    /// Points per handled interaction.
    pub coefficient: Decimal,
    /// handled × coefficient.
    pub points: Decimal,
}

/// A KPI's value and exactly what it was computed from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKpiValue {
    /// The value (2 decimals); null means "no data", which is not 0.
    pub value: Option<Decimal>,
    /// Numerator of the definition.
    pub numerator: Decimal,
    /// Denominator of the definition.
    pub denominator: Decimal,
}

/// One KPI on a scorecard: value, inputs, rule, score and weight.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKpi {
    /// KPI code: `handled`, `points`, `aht`, `csat`, `qa`, …
    pub kpi: String,
    /// The definition, in words.
    pub formula: String,
    /// Unit of the value.
    pub unit: String,
    /// Value, numerator, denominator.
    pub value: ApiKpiValue,
    /// Value scoring 0 (after proration).
    pub floor: Decimal,
    /// Value scoring 100 (after proration).
    pub target: Decimal,
    /// The scoring rule in words.
    pub rule: String,
    /// Score 0–100; null when there is no data.
    pub score: Option<Decimal>,
    /// Configured weight, percent.
    pub weight: Decimal,
    /// Weight applied after spreading the weight of KPIs without data.
    pub effective_weight: Option<Decimal>,
    /// The library KPI scored (such as `complaints_upheld`), when the item scores one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub library_kpi: Option<String>,
    /// Points taken off the total by an item deducting from it (weight 0, no score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deducted: Option<Decimal>,
}

impl From<KpiResult> for ApiKpi {
    fn from(k: KpiResult) -> Self {
        ApiKpi {
            kpi: k.kpi.as_str().to_string(),
            formula: k.kpi.formula().to_string(),
            unit: k.kpi.unit().to_string(),
            value: ApiKpiValue {
                value: k.value.value,
                numerator: k.value.numerator,
                denominator: k.value.denominator,
            },
            floor: k.floor,
            target: k.target,
            rule: k.rule,
            score: k.score,
            weight: k.weight,
            effective_weight: k.effective_weight,
            library_kpi: k.library_kpi,
            deducted: k.deducted,
        }
    }
}

/// A stored scorecard with its explanation: one agent, one team, one period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiScorecard {
    /// Employee id.
    pub employee_id: i64,
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Team of the segment.
    pub team_id: i64,
    /// Days of the period in that team.
    pub days: u32,
    /// Handled interactions.
    pub handled: u64,
    /// Workload points.
    pub points: Decimal,
    /// How the points were made.
    pub points_lines: Vec<ApiPointsLine>,
    /// KPI results in scheme order.
    pub kpis: Vec<ApiKpi>,
    /// Weighted total 0–100; null when no KPI had data.
    pub total: Option<Decimal>,
    /// Grade of the total.
    pub grade: Option<String>,
    /// Competition rank in the team (1, 2, 2, 4).
    pub rank_in_team: Option<u32>,
    /// Pay per point; null for roles that do not see pay (QA).
    pub unit_price: Option<Decimal>,
    /// points × unit price, rounded by `rounding`; null for roles that do not see pay.
    pub variable_pay: Option<Decimal>,
    /// The rounding rule in words.
    pub rounding: String,
    /// Notes, e.g. which KPIs had no data.
    pub notes: Vec<String>,
    /// A supervisor's or department head's attainment of their unit's targets; absent for
    /// everyone else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit_attainment: Option<ApiUnitAttainment>,
}

/// One target of a leader's unit: the sums it is computed from.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiAttainmentRow {
    /// The target's measure.
    pub measure: String,
    /// The units summed: `team:ID` (each team the supervisor leads) or `department:ID`.
    pub units: Vec<String>,
    /// Σ the units' targets.
    pub target: Decimal,
    /// Σ the measure over the units' cards.
    pub actual: Decimal,
    /// Cards summed.
    pub cards: u32,
    /// actual ÷ target × 100; null for a target of 0.
    pub attainment: Option<Decimal>,
    /// The attainment capped to 0–100.
    pub score: Option<Decimal>,
}

/// A leader's unit attainment (docs/KPIS.md, "Targets").
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiUnitAttainment {
    /// `team` or `department`.
    pub level: String,
    /// The mean of the rows' scores; null when none has data.
    pub score: Option<Decimal>,
    /// One row per target.
    pub rows: Vec<ApiAttainmentRow>,
}

impl From<jixiao_core::targets::UnitAttainment> for ApiUnitAttainment {
    fn from(u: jixiao_core::targets::UnitAttainment) -> Self {
        ApiUnitAttainment {
            level: u.level,
            score: u.score,
            rows: u
                .rows
                .into_iter()
                .map(|r| ApiAttainmentRow {
                    measure: r.measure,
                    units: r.units,
                    target: r.target,
                    actual: r.actual,
                    cards: r.cards,
                    attainment: r.attainment,
                    score: r.score,
                })
                .collect(),
        }
    }
}

impl ApiScorecard {
    /// The card as the API shows it; pay is left out for roles that may not see it.
    pub fn new(c: Scorecard, sees_pay: bool) -> ApiScorecard {
        ApiScorecard {
            employee_id: c.employee_id,
            employee_no: c.employee_no,
            name: c.name,
            team_id: c.team_id,
            days: c.days,
            handled: c.handled,
            points: c.points,
            points_lines: c
                .points_lines
                .into_iter()
                .map(|l| ApiPointsLine {
                    business_type: l.business_type.to_string(),
                    handled: l.handled,
                    coefficient: l.coefficient,
                    points: l.points,
                })
                .collect(),
            kpis: c.kpis.into_iter().map(ApiKpi::from).collect(),
            total: c.total,
            grade: c.grade,
            rank_in_team: c.rank_in_team,
            unit_price: sees_pay.then_some(c.unit_price),
            variable_pay: sees_pay.then_some(c.variable_pay),
            rounding: c.rounding,
            notes: c.notes,
            unit_attainment: c.unit_attainment.map(Into::into),
        }
    }
}

/// A team's scorecards in a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamCards {
    /// `YYYY-MM`.
    pub period: String,
    /// The team.
    pub team: ApiTeam,
    /// Its members' cards, by rank.
    pub scorecards: Vec<ApiScorecard>,
}

/// An agent's scorecards in a period (one per team segment the caller may see).
#[derive(Debug, Serialize, ToSchema)]
pub struct AgentCards {
    /// `YYYY-MM`.
    pub period: String,
    /// The agent.
    pub employee: ApiEmployee,
    /// The cards.
    pub scorecards: Vec<ApiScorecard>,
}
