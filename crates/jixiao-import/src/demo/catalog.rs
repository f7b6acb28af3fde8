//! The demo center's fixed catalogue: departments, business types with their time profiles,
//! the call mix of each department, and each department's scheme and unit price.

use jixiao_core::kpi::KpiCode;
use jixiao_core::scheme::{GradeBand, Scheme, SchemeItem};
use jixiao_core::scoring::{DeductionRule, ScoringRule};
use rust_decimal::Decimal;

/// A business type and how long its calls take.
pub struct TypeProfile {
    /// Code used in records.
    pub code: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Points per handled call, in hundredths (100 = 1.00).
    pub coefficient_pct: i64,
    /// Median talk seconds of an average agent.
    pub talk: f64,
    /// Share of calls with a hold.
    pub hold_share: f64,
    /// Median hold seconds when there is one.
    pub hold: f64,
    /// Median after-call-work seconds.
    pub acw: f64,
}

/// The business types, easiest first. Coefficients follow mean handle time (talk + hold +
/// after-call work), so an hour of complaints earns about as many points as an hour of
/// balance enquiries.
pub const TYPES: [TypeProfile; 7] = [
    tp("INQUIRY", "余额查询", 100, 60.0, 0.05, 20.0, 12.0),
    tp("CALLBACK", "服务回访", 120, 80.0, 0.02, 20.0, 20.0),
    tp("ACCOUNT", "账户变更", 150, 110.0, 0.15, 30.0, 25.0),
    tp("BILLING", "账单咨询", 200, 150.0, 0.25, 40.0, 35.0),
    tp("SALES_OUT", "外呼营销", 250, 200.0, 0.05, 30.0, 45.0),
    tp("TECH", "故障报修", 350, 300.0, 0.40, 60.0, 60.0),
    tp("COMPLAINT", "投诉受理", 500, 420.0, 0.45, 90.0, 120.0),
];

const fn tp(
    code: &'static str,
    name: &'static str,
    coefficient_pct: i64,
    talk: f64,
    hold_share: f64,
    hold: f64,
    acw: f64,
) -> TypeProfile {
    TypeProfile {
        code,
        name,
        coefficient_pct,
        talk,
        hold_share,
        hold,
        acw,
    }
}

/// A department of the demo center and how its agents work.
pub struct DeptProfile {
    /// Stable code.
    pub code: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Team name prefix, for example 话务 in 话务一组.
    pub team_prefix: &'static str,
    /// Teams per 300 agents.
    pub teams: u32,
    /// Agents per team.
    pub team_size: u32,
    /// Mean handled calls per agent-day.
    pub calls_per_day: f64,
    /// Weight of each entry of [`TYPES`] in the department's calls.
    pub mix: [u32; 7],
}

/// The four departments: calls, marketing, complaints, QA.
pub const DEPARTMENTS: [DeptProfile; 4] = [
    DeptProfile {
        code: "CALL",
        name: "话务部",
        team_prefix: "话务",
        teams: 10,
        team_size: 17,
        calls_per_day: 38.0,
        mix: [45, 0, 20, 20, 0, 12, 3],
    },
    DeptProfile {
        code: "MKT",
        name: "营销部",
        team_prefix: "营销",
        teams: 4,
        team_size: 15,
        calls_per_day: 30.0,
        mix: [10, 10, 0, 0, 80, 0, 0],
    },
    DeptProfile {
        code: "CMP",
        name: "投诉处理部",
        team_prefix: "投诉",
        teams: 3,
        team_size: 14,
        calls_per_day: 14.0,
        mix: [0, 0, 0, 20, 0, 10, 70],
    },
    DeptProfile {
        code: "QA",
        name: "质检部",
        team_prefix: "质检",
        teams: 3,
        team_size: 9,
        calls_per_day: 30.0,
        mix: [15, 85, 0, 0, 0, 0, 0],
    },
];

/// The coefficient of a type as a decimal.
pub fn coefficient(t: &TypeProfile) -> Decimal {
    Decimal::new(t.coefficient_pct, 2)
}

fn item(kpi: KpiCode, weight: i64, floor: i64, target: i64) -> SchemeItem {
    SchemeItem {
        kpi,
        weight: Decimal::from(weight),
        floor: Decimal::from(floor),
        target: Decimal::from(target),
        prorate: kpi == KpiCode::Points,
        library_kpi: None,
        scoring: None,
    }
}

/// −2 points off the total per upheld complaint, at most 10 a month (扣分项): weight 0, so the
/// other items still total 100 % (see `SchemeItem::deducts_from_total`).
fn complaint_deduction() -> SchemeItem {
    SchemeItem {
        // A placeholder the demo schemes do not score: the value is the library KPI's.
        kpi: KpiCode::Handled,
        weight: Decimal::ZERO,
        floor: Decimal::ZERO,
        target: Decimal::ZERO,
        prorate: false,
        library_kpi: Some("complaints_upheld".into()),
        scoring: Some(ScoringRule::DeductionPerEvent(DeductionRule {
            points: Decimal::from(2),
            cap: Some(Decimal::from(10)),
        })),
    }
}

fn grades() -> Vec<GradeBand> {
    [("A", 90), ("B", 75), ("C", 60), ("D", 0)]
        .into_iter()
        .map(|(g, m)| GradeBand {
            grade: g.into(),
            min_score: Decimal::from(m),
        })
        .collect()
}

/// The scheme and unit price (元 per point) of a department, tuned so totals spread A to D.
pub fn scheme(dept_code: &str) -> (Scheme, Decimal) {
    use KpiCode::*;
    let (items, price_fen) = match dept_code {
        "CALL" => (
            vec![
                item(Points, 40, 600, 1600),
                item(Aht, 15, 260, 150),
                item(Csat, 20, 60, 92),
                item(Qa, 25, 60, 92),
            ],
            80,
        ),
        "MKT" => (
            vec![
                item(Points, 50, 700, 1700),
                item(Csat, 20, 55, 90),
                item(Qa, 30, 60, 92),
            ],
            100,
        ),
        "CMP" => (
            vec![
                item(Points, 30, 500, 1500),
                item(Aht, 10, 750, 420),
                item(Csat, 30, 50, 88),
                item(Qa, 30, 60, 92),
            ],
            120,
        ),
        _ => (
            vec![
                item(Points, 40, 400, 1000),
                item(Csat, 30, 65, 95),
                item(Qa, 30, 60, 95),
            ],
            90,
        ),
    };
    let mut items = items;
    items.push(complaint_deduction());
    (
        Scheme {
            items,
            distribution: None,
            grades: grades(),
        },
        Decimal::new(price_fen, 2),
    )
}

/// The position of the demo's senior agents: CALL agents hired before [`SENIOR_HIRED_BEFORE`].
pub const SENIOR_POSITION: &str = "senior agent";
/// CALL agents hired before this day hold [`SENIOR_POSITION`] when the demo is loaded.
pub const SENIOR_HIRED_BEFORE: (i32, u32, u32) = (2021, 1, 1);

/// The position an employee of the generated center holds once loaded: CALL's long-serving
/// agents are senior agents (scored under their own scheme), everyone else keeps theirs.
pub fn loaded_position(position: &str, dept_code: &str, hire_date: chrono::NaiveDate) -> String {
    let (y, m, d) = SENIOR_HIRED_BEFORE;
    let cutoff = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    if position == "agent" && dept_code == "CALL" && hire_date < cutoff {
        SENIOR_POSITION.to_string()
    } else {
        position.to_string()
    }
}

/// The demo's position schemes: (department code, position, scheme, unit price or `None` for
/// the department's). CALL's senior agents are weighted more on quality (QA 40 %, CSAT 25 %)
/// and less on workload (points 25 %), at 0.90 元 per point.
pub fn position_schemes() -> Vec<(&'static str, &'static str, Scheme, Option<Decimal>)> {
    use KpiCode::*;
    let mut items = vec![
        item(Points, 25, 600, 1600),
        item(Aht, 10, 260, 150),
        item(Csat, 25, 60, 92),
        item(Qa, 40, 60, 92),
    ];
    items.push(complaint_deduction());
    let scheme = Scheme {
        items,
        grades: grades(),
        distribution: None,
    };
    vec![("CALL", SENIOR_POSITION, scheme, Some(Decimal::new(90, 2)))]
}
