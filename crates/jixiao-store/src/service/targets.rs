//! Targets: a center target split over the period's organisation (departments, teams, the
//! agents in each team), the check that the parts add back up, each unit's actual from the
//! stored cards, and leaders' unit attainment on their cards (docs/KPIS.md, "Targets").

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::scheme::Scheme;
use jixiao_core::scorecard::{Scorecard, apply_unit_attainment};
use jixiao_core::targets::{
    OrgUnit, TargetPlan, UnitAttainment, UnitKey, attainment, card_actual, unit_rows,
};
use rust_decimal::Decimal;

use crate::{CardFilter, Store, StoreError, StoredTarget};

/// Who reads a target overview: everyone's units, or only the teams a supervisor leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetScope {
    /// Every unit (admins and managers).
    All,
    /// These teams and their agents only (a supervisor's teams).
    Teams(Vec<i64>),
    /// The center and its departments only (the center overview's target tiles).
    Center,
}

/// One unit's row in a target overview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TargetRow {
    /// The unit's key (`center`, `department:3`, `team:5`, `agent:5:12`).
    pub unit: String,
    /// Code and name, for people.
    pub label: String,
    /// 0 for the center.
    pub depth: u32,
    /// The unit's target.
    pub target: Decimal,
    /// Σ its parts' targets, when it has parts.
    pub parts_total: Option<Decimal>,
    /// Whether the parts add back up to the target (true without parts).
    pub adds_up: bool,
    /// Σ the measure over the unit's stored cards of the period.
    pub actual: Decimal,
    /// actual ÷ target × 100; `None` for a target of 0.
    pub attainment: Option<Decimal>,
}

/// A target with every unit's row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TargetOverview {
    /// The measure.
    pub measure: String,
    /// The center's target.
    pub whole: Decimal,
    /// The plan it was split by.
    pub plan: TargetPlan,
    /// Who set it and when.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The units, the center first, each before its parts.
    pub rows: Vec<TargetRow>,
    /// Whether every unit's parts add back up.
    pub adds_up: bool,
}

/// The period's organisation as a tree of units, agents' history being their value of
/// `measure` on the previous period's stored cards (per team segment).
pub async fn org_tree(store: &Store, period: Period, measure: &str) -> Result<OrgUnit, StoreError> {
    let mut history: HashMap<(i64, i64), Decimal> = HashMap::new();
    for c in store
        .scorecards(period.prev(), &CardFilter::default())
        .await?
    {
        *history.entry((c.team_id, c.employee_id)).or_default() +=
            card_actual(&c, measure).unwrap_or_default();
    }
    let mut members: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for m in store.memberships_in(period).await? {
        let list = members.entry(m.team_id).or_default();
        if !list.contains(&m.employee_id) {
            list.push(m.employee_id);
        }
    }
    let teams = store.teams().await?;
    let departments = store
        .departments()
        .await?
        .into_iter()
        .map(|d| {
            let parts = teams
                .iter()
                .filter(|t| t.department_id == d.id)
                .map(|t| OrgUnit {
                    key: UnitKey::Team(t.id),
                    history: Decimal::ZERO,
                    parts: members
                        .get(&t.id)
                        .into_iter()
                        .flatten()
                        .map(|&e| OrgUnit {
                            key: UnitKey::Agent {
                                team: t.id,
                                employee: e,
                            },
                            history: history.get(&(t.id, e)).copied().unwrap_or_default(),
                            parts: vec![],
                        })
                        .collect(),
                })
                .collect();
            OrgUnit {
                key: UnitKey::Department(d.id),
                history: Decimal::ZERO,
                parts,
            }
        })
        .collect();
    Ok(OrgUnit {
        key: UnitKey::Center,
        history: Decimal::ZERO,
        parts: departments,
    })
}

/// Splits `plan` over the period's organisation and stores it (audited), then recomputes the
/// period if it has cards, so leaders' cards show the new target at once.
pub async fn set_target(
    store: &Store,
    period: Period,
    plan: &TargetPlan,
    by: &str,
    at: DateTime<Utc>,
) -> Result<StoredTarget, StoreError> {
    plan.validate()?;
    let tree = org_tree(store, period, &plan.measure).await?;
    let allocations = plan.allocate(&tree)?;
    let stored = store.set_target(period, plan, &allocations, by, at).await?;
    refresh(store, period).await?;
    Ok(stored)
}

/// Removes a target (audited) and recomputes the period if it has cards.
pub async fn delete_target(
    store: &Store,
    period: Period,
    measure: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store.delete_target(period, measure, by, at).await?;
    refresh(store, period).await
}

/// Sets (or clears) a department's head, audited, and recomputes every computed or in-review
/// period with targets, whose leaders' cards change with it.
pub async fn set_department_head(
    store: &Store,
    department_id: i64,
    head: Option<i64>,
    by: &str,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    store
        .set_department_head(department_id, head, by, at)
        .await?;
    for info in store.periods().await? {
        if super::scored(info.status) && !store.targets(info.period).await?.is_empty() {
            super::recompute_unless_closed(store, info.period).await?;
        }
    }
    Ok(())
}

async fn refresh(store: &Store, period: Period) -> Result<(), StoreError> {
    if super::scored(store.period_info(period).await?.status) {
        super::recompute_unless_closed(store, period).await?;
    }
    Ok(())
}

/// The organisation's names by id, to label unit keys one at a time: a target's rows are
/// labelled in O(rows), never O(teams × employees).
struct Labels {
    departments: HashMap<i64, jixiao_core::org::Department>,
    teams: HashMap<i64, jixiao_core::org::Team>,
    employees: HashMap<i64, jixiao_core::org::Employee>,
}

impl Labels {
    async fn load(store: &Store) -> Result<Labels, StoreError> {
        Ok(Labels {
            departments: by_id(store.departments().await?, |d| d.id),
            teams: by_id(store.teams().await?, |t| t.id),
            employees: by_id(store.employees().await?, |e| e.id),
        })
    }

    /// Department and team code and name, team code/employee number and name; `None` for a
    /// unit that no longer exists.
    fn label(&self, key: &UnitKey) -> Option<String> {
        Some(match *key {
            UnitKey::Center => "center".to_string(),
            UnitKey::Department(d) => {
                let d = self.departments.get(&d)?;
                format!("{} {}", d.code, d.name)
            }
            UnitKey::Team(t) => {
                let t = self.teams.get(&t)?;
                format!("{} {}", t.code, t.name)
            }
            UnitKey::Agent { team, employee } => {
                let (t, e) = (self.teams.get(&team)?, self.employees.get(&employee)?);
                format!("{}/{} {}", t.code, e.employee_no, e.name)
            }
        })
    }
}

fn by_id<T>(items: Vec<T>, id: impl Fn(&T) -> i64) -> HashMap<i64, T> {
    items.into_iter().map(|x| (id(&x), x)).collect()
}

/// Labels of every unit key: department and team code and name, employee number and name.
pub async fn unit_labels(store: &Store) -> Result<HashMap<String, String>, StoreError> {
    let names = Labels::load(store).await?;
    let mut keys = vec![UnitKey::Center];
    keys.extend(names.departments.keys().map(|&d| UnitKey::Department(d)));
    for &t in names.teams.keys() {
        keys.push(UnitKey::Team(t));
        keys.extend(
            names
                .employees
                .keys()
                .map(|&employee| UnitKey::Agent { team: t, employee }),
        );
    }
    Ok(keys
        .iter()
        .filter_map(|k| Some((k.to_string(), names.label(k)?)))
        .collect())
}

/// The period's targets, each unit with its target, the add-back-up check and its actual from
/// the stored cards. A supervisor's scope keeps only their teams and those teams' agents.
pub async fn target_overview(
    store: &Store,
    period: Period,
    scope: &TargetScope,
) -> Result<Vec<TargetOverview>, StoreError> {
    let targets = store.targets(period).await?;
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let cards = store.scorecards(period, &CardFilter::default()).await?;
    overview_of(store, targets, scope, &cards).await
}

impl TargetOverview {
    /// [`target_overview`] with the period's stored cards (all of them, unfiltered) already
    /// loaded by the caller, so a page that shows the cards too reads them once.
    pub async fn with_cards(
        store: &Store,
        period: Period,
        scope: &TargetScope,
        cards: &[Scorecard],
    ) -> Result<Vec<TargetOverview>, StoreError> {
        let targets = store.targets(period).await?;
        if targets.is_empty() {
            return Ok(Vec::new());
        }
        overview_of(store, targets, scope, cards).await
    }
}

async fn overview_of(
    store: &Store,
    targets: Vec<StoredTarget>,
    scope: &TargetScope,
    cards: &[Scorecard],
) -> Result<Vec<TargetOverview>, StoreError> {
    let labels = Labels::load(store).await?;
    let team_department: HashMap<i64, i64> = labels
        .teams
        .values()
        .map(|t| (t.id, t.department_id))
        .collect();
    let in_unit = |key: &UnitKey, c: &Scorecard| match *key {
        UnitKey::Center => true,
        UnitKey::Department(d) => team_department.get(&c.team_id) == Some(&d),
        UnitKey::Team(t) => c.team_id == t,
        UnitKey::Agent { team, employee } => c.team_id == team && c.employee_id == employee,
    };
    let visible = |key: &UnitKey| match (scope, key) {
        (TargetScope::All, _) => true,
        (TargetScope::Teams(ts), UnitKey::Team(t) | UnitKey::Agent { team: t, .. }) => {
            ts.contains(t)
        }
        (TargetScope::Teams(_), _) => false,
        (TargetScope::Center, k) => matches!(k, UnitKey::Center | UnitKey::Department(_)),
    };
    let mut out = Vec::with_capacity(targets.len());
    for t in targets {
        let mut parts: BTreeMap<&str, Decimal> = BTreeMap::new();
        for a in &t.allocations {
            if let Some(p) = &a.parent {
                *parts.entry(p.as_str()).or_default() += a.target;
            }
        }
        let mut rows = Vec::new();
        for a in &t.allocations {
            let key: UnitKey = a.unit.parse()?;
            if !visible(&key) {
                continue;
            }
            let actual: Decimal = cards
                .iter()
                .filter(|c| in_unit(&key, c))
                .map(|c| card_actual(c, &t.plan.measure).unwrap_or_default())
                .sum();
            let parts_total = parts.get(a.unit.as_str()).copied();
            rows.push(TargetRow {
                label: labels.label(&key).unwrap_or_else(|| a.unit.clone()),
                unit: a.unit.clone(),
                depth: a.depth,
                target: a.target,
                parts_total,
                adds_up: parts_total.is_none_or(|s| s == a.target),
                actual,
                attainment: attainment(actual, a.target),
            });
        }
        if rows.is_empty() {
            continue;
        }
        out.push(TargetOverview {
            adds_up: rows.iter().all(|r| r.adds_up),
            measure: t.plan.measure.clone(),
            whole: t.plan.whole,
            plan: t.plan,
            created_by: t.created_by,
            created_at: t.created_at,
            rows,
        });
    }
    Ok(out)
}

/// Puts each leader's unit attainment on their freshly computed cards and scores the
/// `unit_attainment` scheme item (see `scorecard::apply_unit_attainment`). A department head
/// is scored on the department; otherwise a supervisor on every team they lead (targets and
/// actuals of the teams summed). Nothing happens when the period has no targets.
pub(crate) async fn apply_units<'s>(
    store: &Store,
    stored: &[StoredTarget],
    teams: &[jixiao_core::org::Team],
    cards: &mut [Scorecard],
    team_department: &HashMap<i64, i64>,
    scheme_of: impl Fn(&Scorecard) -> Option<&'s Scheme>,
) -> Result<(), StoreError> {
    let targets: Vec<(UnitKey, String, Decimal)> = stored
        .iter()
        .flat_map(|t| {
            let measure = &t.plan.measure;
            t.allocations
                .iter()
                .map(move |a| (&a.unit, measure.clone(), a.target))
        })
        .map(|(u, m, t)| Ok((u.parse::<UnitKey>()?, m, t)))
        .collect::<Result<_, StoreError>>()?;
    if targets.is_empty() {
        return Ok(());
    }
    let mut led: BTreeMap<i64, Vec<UnitKey>> = BTreeMap::new();
    for t in teams {
        if let Some(s) = t.supervisor_id {
            led.entry(s).or_default().push(UnitKey::Team(t.id));
        }
    }
    // A department head is scored on the department, which includes any team they lead.
    for (d, head) in store.department_heads().await? {
        led.insert(head, vec![UnitKey::Department(d)]);
    }
    let mut units: HashMap<i64, UnitAttainment> = HashMap::new();
    for (employee, keys) in &led {
        let member = |c: &&Scorecard| {
            keys.iter().any(|k| match *k {
                UnitKey::Team(t) => c.team_id == t,
                UnitKey::Department(d) => team_department.get(&c.team_id) == Some(&d),
                _ => false,
            })
        };
        let rows = unit_rows(keys, &targets, cards.iter().filter(member));
        if rows.is_empty() {
            continue;
        }
        let level = match keys.first() {
            Some(UnitKey::Department(_)) => "department",
            _ => "team",
        };
        units.insert(*employee, UnitAttainment::new(level, rows));
    }
    apply_unit_attainment(cards, scheme_of, |c| units.get(&c.employee_id).cloned());
    Ok(())
}
