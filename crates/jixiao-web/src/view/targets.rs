//! `/config/targets`: a period's targets with every unit's share, the add-back-up check and
//! the attainment so far, the set-a-target form and department heads.

use askama::Template;
use jixiao_core::org::Team;
use jixiao_core::targets::{TARGET_MEASURES, UnitAttainment, UnitKey};
use jixiao_store::service::{TargetOverview, TargetRow};

use super::Chrome;
use super::fmt::{opt2, plain};
use jixiao_core::targets::SplitMethod;

/// The catalog key of a split method.
fn split_key(s: SplitMethod) -> &'static str {
    match s {
        SplitMethod::Explicit => "tgt_split_explicit",
        SplitMethod::Headcount => "tgt_split_headcount",
        SplitMethod::History => "tgt_split_history",
    }
}

/// One unit's row.
#[derive(Debug, Clone)]
pub struct RowVm {
    /// Code and name.
    pub label: String,
    /// Em spaces before the label, two per level (pages allow no inline style).
    pub indent: String,
    /// Target.
    pub target: String,
    /// Σ parts, or empty without parts.
    pub parts_total: String,
    /// Whether the parts add up.
    pub adds_up: bool,
    /// Whether the unit has parts.
    pub has_parts: bool,
    /// Σ the measure over the unit's cards.
    pub actual: String,
    /// Attainment in percent or "—".
    pub attainment: String,
}

impl RowVm {
    fn new(r: &TargetRow) -> Self {
        RowVm {
            label: r.label.clone(),
            indent: "\u{2003}".repeat(r.depth as usize * 2),
            target: plain(r.target),
            parts_total: r.parts_total.map(plain).unwrap_or_default(),
            adds_up: r.adds_up,
            has_parts: r.parts_total.is_some(),
            actual: plain(r.actual),
            attainment: opt2(r.attainment),
        }
    }
}

/// One target.
#[derive(Debug, Clone)]
pub struct TargetVm {
    /// The measure.
    pub measure: String,
    /// The center's target.
    pub whole: String,
    /// Catalog keys of the split method per level.
    pub splits: [&'static str; 3],
    /// Who set it and when.
    pub created: String,
    /// Whether every unit adds up.
    pub adds_up: bool,
    /// Units.
    pub rows: Vec<RowVm>,
}

/// A department for the head form.
#[derive(Debug, Clone)]
pub struct DepartmentVm {
    /// Id.
    pub id: i64,
    /// Code and name.
    pub label: String,
    /// The head's employee number and name, or empty.
    pub head: String,
}

/// `/config/targets`.
#[derive(Template)]
#[template(path = "targets.html")]
pub struct TargetsPage {
    /// Frame.
    pub c: Chrome,
    /// `YYYY-MM`.
    pub period: String,
    /// Periods to switch to.
    pub periods: Vec<String>,
    /// The targets.
    pub targets: Vec<TargetVm>,
    /// The measures a target can be set on.
    pub measures: Vec<&'static str>,
    /// Departments and their heads.
    pub departments: Vec<DepartmentVm>,
    /// The form's split fields and their labels' catalog keys.
    pub levels: [(&'static str, &'static str); 3],
    /// Why the last submission was refused, if it was.
    pub error: Option<String>,
    /// Set after a successful change.
    pub saved: bool,
}

impl TargetsPage {
    /// Builds the page.
    pub fn build(
        c: Chrome,
        period: String,
        periods: Vec<String>,
        targets: &[TargetOverview],
        departments: Vec<DepartmentVm>,
    ) -> Self {
        let targets = targets
            .iter()
            .map(|t| TargetVm {
                measure: t.measure.clone(),
                whole: plain(t.whole),
                splits: [t.plan.departments, t.plan.teams, t.plan.agents].map(split_key),
                created: format!(
                    "{} {}",
                    t.created_by,
                    t.created_at.format("%Y-%m-%d %H:%M UTC")
                ),
                adds_up: t.adds_up,
                rows: t.rows.iter().map(RowVm::new).collect(),
            })
            .collect();
        TargetsPage {
            c,
            period,
            periods,
            targets,
            measures: TARGET_MEASURES.to_vec(),
            departments,
            levels: [
                ("departments", "tgt_col_departments"),
                ("teams", "tgt_col_teams"),
                ("agents", "tgt_col_agents"),
            ],
            error: None,
            saved: false,
        }
    }
}

/// One target of a leader's unit, on their card.
#[derive(Debug, Clone)]
pub struct UnitRowVm {
    /// The measure.
    pub measure: String,
    /// The units summed (team names, or the department's key).
    pub units: String,
    /// Σ targets.
    pub target: String,
    /// Σ the measure over the units' cards.
    pub actual: String,
    /// How many cards were summed.
    pub cards: u32,
    /// Attainment in percent or "—".
    pub attainment: String,
    /// The capped score or "—".
    pub score: String,
}

/// A leader's unit attainment on their card.
#[derive(Debug, Clone)]
pub struct UnitVm {
    /// Catalog key of the level (teams led, department headed).
    pub level_key: &'static str,
    /// The unit's score or "—".
    pub score: String,
    /// One row per target.
    pub rows: Vec<UnitRowVm>,
}

impl UnitVm {
    /// Formats `u`, naming teams by `teams`.
    pub fn new(u: &UnitAttainment, teams: &[Team]) -> Self {
        let name = |key: &str| match key.parse::<UnitKey>() {
            Ok(UnitKey::Team(id)) => teams
                .iter()
                .find(|t| t.id == id)
                .map_or_else(|| key.to_string(), |t| t.name.clone()),
            _ => key.to_string(),
        };
        UnitVm {
            level_key: if u.level == "department" {
                "tgt_unit_department"
            } else {
                "tgt_unit_team"
            },
            score: opt2(u.score),
            rows: u
                .rows
                .iter()
                .map(|r| UnitRowVm {
                    measure: r.measure.clone(),
                    units: r
                        .units
                        .iter()
                        .map(|k| name(k))
                        .collect::<Vec<_>>()
                        .join(", "),
                    target: plain(r.target),
                    actual: plain(r.actual),
                    cards: r.cards,
                    attainment: opt2(r.attainment),
                    score: opt2(r.score),
                })
                .collect(),
        }
    }
}
