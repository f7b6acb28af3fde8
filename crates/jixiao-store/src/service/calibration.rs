//! The calibration preview (写实测时) on stored records and applying it: the proposal of
//! `jixiao_core::calibrate` over the chosen months' handled calls, its effect on every
//! agent's points and points pay under their department's unit price and rounding, and the
//! proposed coefficients stored as point standards from a chosen date (docs/KPIS.md,
//! "Calibration").

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::calibrate::{Calibration, CalibrationOptions, calibrate, effect};
use jixiao_core::kpi::{Partial, TypeTally};
use jixiao_core::org::TypeCode;
use jixiao_core::points::{PointStandard, PointUnit};
use rust_decimal::Decimal;

use crate::{Store, StoreError, corrupt};

/// The most months a preview reads.
pub const MAX_MONTHS: usize = 24;

/// What to calibrate: the base type, the months measured, skill factors and places.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalibrationRequest {
    /// The base type (coefficient 1).
    pub base: TypeCode,
    /// The months whose handled calls are measured.
    pub months: Vec<Period>,
    /// Skill factors per type (1 when absent).
    pub skill: BTreeMap<TypeCode, Decimal>,
    /// Decimal places of a proposed coefficient, 0–4.
    pub dp: u32,
}

/// One agent's points and points pay before and after.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgentImpact {
    /// The employee.
    pub employee_id: i64,
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// Σ points under the current coefficients.
    pub points_before: Decimal,
    /// Σ points under the proposed ones.
    pub points_after: Decimal,
    /// Points pay before, rounded per team segment by its department's rule.
    pub pay_before: Decimal,
    /// Points pay after.
    pub pay_after: Decimal,
}

/// A proposal and its effect.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalibrationPreview {
    /// What was asked.
    pub request: CalibrationRequest,
    /// The proposal, one line per type.
    pub calibration: Calibration,
    /// Every agent, by employee number.
    pub agents: Vec<AgentImpact>,
    /// Σ points before.
    pub points_before: Decimal,
    /// Σ points after.
    pub points_after: Decimal,
    /// Σ points pay before (the sum of the rounded amounts).
    pub pay_before: Decimal,
    /// Σ points pay after.
    pub pay_after: Decimal,
}

/// Measures the months' handled calls and proposes coefficients, with the effect on every
/// agent. The current coefficients are those in force on the first day of the last month.
pub async fn calibration_preview(
    store: &Store,
    req: &CalibrationRequest,
) -> Result<CalibrationPreview, StoreError> {
    let Some(&last) = req.months.iter().max() else {
        return Err(corrupt("months", "", "choose at least one month"));
    };
    if req.months.len() > MAX_MONTHS {
        let n = req.months.len().to_string();
        return Err(corrupt("months", &n, "at most 24 months"));
    }
    let mut current: BTreeMap<TypeCode, Decimal> = store
        .business_types()
        .await?
        .into_iter()
        .map(|b| (b.code, b.coefficient))
        .collect();
    current.extend(
        store
            .standard_book()
            .await?
            .coefficients_on(last.first_day()),
    );
    let team_department: BTreeMap<i64, i64> = store
        .teams()
        .await?
        .into_iter()
        .map(|t| (t.id, t.department_id))
        .collect();
    // Per (department, employee): points pay is per department's price and rounding.
    let mut partials: BTreeMap<i64, BTreeMap<i64, Partial>> = BTreeMap::new();
    let mut measured: BTreeMap<TypeCode, TypeTally> = BTreeMap::new();
    let mut months = req.months.clone();
    months.sort_unstable();
    months.dedup();
    for &month in &months {
        for seg in store.tallies(month).await? {
            for (code, t) in &seg.partial.by_type {
                let m = measured.entry(code.clone()).or_default();
                m.handled += t.handled;
                m.talk_secs += t.talk_secs;
                m.hold_secs += t.hold_secs;
                m.acw_secs += t.acw_secs;
            }
            let department = team_department.get(&seg.team_id).copied().unwrap_or(0);
            partials
                .entry(department)
                .or_default()
                .entry(seg.employee_id)
                .or_default()
                .merge(&seg.partial);
        }
    }
    let opts = CalibrationOptions {
        base: req.base.clone(),
        skill: req.skill.clone(),
        dp: req.dp,
    };
    let calibration = calibrate(&measured, &current, &opts)?;
    let after = calibration.applied_to(&current);
    let staff = store.employees().await?;
    let positions: BTreeMap<i64, String> =
        staff.iter().map(|e| (e.id, e.position.clone())).collect();
    let employees: BTreeMap<i64, (String, String)> = staff
        .into_iter()
        .map(|e| (e.id, (e.employee_no.to_string(), e.name)))
        .collect();
    // Each agent's points are paid at the unit price a compute would use: their position's
    // within the department if it has its own, else the department's (0 without rules).
    let book = super::schemes::SchemeBook::load(store, partials.keys().copied(), last).await?;
    let mut by_agent: BTreeMap<i64, AgentImpact> = BTreeMap::new();
    let mut groups: Vec<(
        Decimal,
        jixiao_core::money::RoundingRule,
        BTreeMap<i64, Partial>,
    )> = Vec::new();
    for (department, agents) in &partials {
        let rounding = match store.department_rules(*department).await {
            Ok(_) => store.pay_rules(*department).await?.rounding,
            Err(StoreError::NotFound(_)) => Default::default(),
            Err(e) => return Err(e),
        };
        let mut by_price: BTreeMap<Decimal, BTreeMap<i64, Partial>> = BTreeMap::new();
        for (employee, partial) in agents {
            let position = positions.get(employee).map_or("", String::as_str);
            let price = book
                .for_employee(*department, position)
                .map_or(Decimal::ZERO, |(_, price, _)| price);
            by_price
                .entry(price)
                .or_default()
                .insert(*employee, partial.clone());
        }
        groups.extend(by_price.into_iter().map(|(p, a)| (p, rounding, a)));
    }
    for (price, rounding, agents) in &groups {
        for a in effect(agents, &current, &after, *price, *rounding).agents {
            let (no, name) = employees.get(&a.agent).cloned().unwrap_or_default();
            let row = by_agent.entry(a.agent).or_insert(AgentImpact {
                employee_id: a.agent,
                employee_no: no,
                name,
                points_before: Decimal::ZERO,
                points_after: Decimal::ZERO,
                pay_before: Decimal::ZERO,
                pay_after: Decimal::ZERO,
            });
            row.points_before += a.points_before;
            row.points_after += a.points_after;
            row.pay_before += a.pay_before;
            row.pay_after += a.pay_after;
        }
    }
    let mut agents: Vec<AgentImpact> = by_agent.into_values().collect();
    agents.sort_by(|a, b| a.employee_no.cmp(&b.employee_no));
    let sum = |f: fn(&AgentImpact) -> Decimal| agents.iter().map(f).sum::<Decimal>();
    Ok(CalibrationPreview {
        points_before: sum(|a| a.points_before),
        points_after: sum(|a| a.points_after),
        pay_before: sum(|a| a.pay_before),
        pay_after: sum(|a| a.pay_after),
        request: CalibrationRequest {
            months,
            ..req.clone()
        },
        calibration,
        agents,
    })
}

/// Computes the proposal again (what is applied is what the engine proposes, never numbers
/// posted by a browser) and stores every changed coefficient as a point standard from
/// `effective_from`, in one transaction audited as `calibration.apply`. Returns the standards
/// added; PeriodClosed for a date inside a closed period.
pub async fn apply_calibration(
    store: &Store,
    req: &CalibrationRequest,
    effective_from: NaiveDate,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Vec<PointStandard>, StoreError> {
    let preview = calibration_preview(store, req).await?;
    let standards: Vec<PointStandard> = preview
        .calibration
        .lines
        .iter()
        .filter(|l| l.proposed.is_some() && l.proposed != l.current)
        .filter_map(|l| {
            Some(PointStandard {
                type_code: l.code.clone(),
                unit: PointUnit::PerInteraction,
                coefficient: l.proposed?,
                effective_from,
            })
        })
        .collect();
    let detail = serde_json::json!({
        "base": req.base.as_str(),
        "months": preview.request.months.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "skill": req.skill.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        "dp": req.dp,
        "effective_from": effective_from.to_string(),
        "coefficients": standards.iter().map(|s| (s.type_code.to_string(), s.coefficient.to_string())).collect::<BTreeMap<_, _>>(),
        "points_before": preview.points_before.to_string(),
        "points_after": preview.points_after.to_string(),
        "pay_before": preview.pay_before.to_string(),
        "pay_after": preview.pay_after.to_string(),
    });
    store
        .apply_point_standards(&standards, detail, by, at)
        .await?;
    Ok(standards)
}
