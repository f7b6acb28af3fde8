//! The organisation: departments, teams, supervisors, agents with their individual skill, and
//! the few agents who move team in the middle month.

use chrono::{Days, NaiveDate};
use jixiao_core::Period;
use jixiao_core::org::{EmployeeNo, TypeCode};

use super::catalog::{self, DEPARTMENTS, TYPES};
use super::rng::Rng;
use super::{
    DemoCenter, DemoDepartment, DemoEmployee, DemoMembership, DemoParams, DemoTeam, names, tag,
};

/// An agent's hidden traits, which shape their records.
#[derive(Debug, Clone)]
pub(crate) struct Agent {
    /// Employee number.
    pub no: EmployeeNo,
    /// Hire date; the first 120 days are slower.
    pub hire_date: NaiveDate,
    /// Handle-time multiplier (above 1 is slower).
    pub speed: f64,
    /// Calls-per-day multiplier.
    pub volume: f64,
    /// Quality as a z-score: drives satisfaction and QA scores.
    pub quality: f64,
    /// Chance of being absent (sick, leave) on a working day.
    pub absence: f64,
    /// Chance of working a given Saturday.
    pub saturday: f64,
    /// Shift start, seconds after midnight.
    pub shift_start: u32,
    /// Department index into [`DEPARTMENTS`] by date: (first day, last day).
    pub stints: Vec<(usize, NaiveDate, Option<NaiveDate>)>,
}

impl Agent {
    /// The department the agent works in on `date`, if in a team then.
    pub fn dept_on(&self, date: NaiveDate) -> Option<usize> {
        self.stints
            .iter()
            .find(|(_, from, to)| date >= *from && to.is_none_or(|t| date <= t))
            .map(|(d, _, _)| *d)
    }

    /// 0.7 for a new hire, rising to 1 after 120 days.
    pub fn ramp(&self, date: NaiveDate) -> f64 {
        let tenure = (date - self.hire_date).num_days().max(0) as f64;
        0.7 + 0.3 * (tenure / 120.0).min(1.0)
    }
}

/// Builds the center.
pub(crate) fn build(p: &DemoParams) -> DemoCenter {
    let mut rng = Rng::new(p.seed, &[tag::ORG]);
    let first = p
        .months
        .iter()
        .min()
        .copied()
        .unwrap_or_else(|| Period::new(2026, 8).expect("valid month"));
    let start = first.first_day();
    let scale = f64::from(p.agents.max(1)) / 300.0;

    let mut departments = Vec::new();
    let mut teams = Vec::new();
    let mut employees = Vec::new();
    // Team index -> department index.
    let mut team_dept = Vec::new();
    for (d, dept) in DEPARTMENTS.iter().enumerate() {
        departments.push(DemoDepartment {
            code: dept.code.into(),
            name: dept.name.into(),
        });
        let n = ((f64::from(dept.teams) * scale).round() as u32).max(1);
        for t in 1..=n {
            let sup_no = format!("S{:04}", teams.len() + 1);
            employees.push(DemoEmployee {
                employee_no: sup_no.clone(),
                name: names::person(&mut rng),
                position: "supervisor".into(),
                hire_date: days_before(start, rng.range(3 * 365, 10 * 365)),
                department_code: dept.code.into(),
            });
            teams.push(DemoTeam {
                code: format!("{}-{t:02}", dept.code),
                name: format!("{}{}组", dept.team_prefix, names::numeral(t)),
                department_code: dept.code.into(),
                supervisor_no: Some(sup_no),
            });
            team_dept.push(d);
        }
    }

    let per_dept = split(p.agents, DEPARTMENTS.map(|d| d.teams * d.team_size));
    let mut agents = Vec::new();
    let mut memberships = Vec::new();
    let mut agent_team = Vec::new();
    for (d, &count) in per_dept.iter().enumerate() {
        let dept_teams: Vec<usize> = (0..teams.len()).filter(|&t| team_dept[t] == d).collect();
        for i in 0..count {
            let team = dept_teams[i as usize % dept_teams.len()];
            let no = format!("A{:05}", agents.len() + 1);
            let hire_date = if rng.chance(0.1) {
                days_before(start, rng.range(1, 120))
            } else {
                days_before(start, rng.range(180, 8 * 365))
            };
            employees.push(DemoEmployee {
                employee_no: no.clone(),
                name: names::person(&mut rng),
                position: "agent".into(),
                hire_date,
                department_code: DEPARTMENTS[d].code.into(),
            });
            memberships.push(DemoMembership {
                employee_no: no.clone(),
                team_code: teams[team].code.clone(),
                valid_from: hire_date,
                valid_to: None,
            });
            agent_team.push(team);
            agents.push(agent(&mut rng, no, hire_date, d));
        }
    }

    move_some_agents(
        p,
        &teams,
        &team_dept,
        &agent_team,
        &mut agents,
        &mut memberships,
    );

    let reviewers: Vec<EmployeeNo> = agents
        .iter()
        .filter(|a| DEPARTMENTS[a.stints[0].0].code == "QA")
        .map(|a| a.no.clone())
        .collect();
    let volume_scale = p.target_calls_per_month.map_or(1.0, |target| {
        let expected: f64 = agents.iter().map(|a| expected_calls(a, start)).sum();
        if expected > 0.0 {
            target as f64 / expected
        } else {
            1.0
        }
    });
    DemoCenter {
        schemes: DEPARTMENTS
            .iter()
            .map(|d| {
                let (scheme, price) = catalog::scheme(d.code);
                (d.code.to_string(), scheme, price)
            })
            .collect(),
        business_types: TYPES
            .iter()
            .map(|t| (code(t.code), t.name.to_string(), catalog::coefficient(t)))
            .collect(),
        type_codes: TYPES.iter().map(|t| code(t.code)).collect(),
        departments,
        teams,
        employees,
        memberships,
        seed: p.seed,
        reviewers,
        agents,
        volume_scale,
    }
}

fn code(s: &str) -> TypeCode {
    TypeCode::parse(s).expect("catalogue codes are valid")
}

fn days_before(d: NaiveDate, n: u64) -> NaiveDate {
    d.checked_sub_days(Days::new(n)).expect("date in range")
}

fn agent(rng: &mut Rng, no: String, hire_date: NaiveDate, dept: usize) -> Agent {
    let speed = rng.lognormal(1.0, 0.15);
    Agent {
        no: EmployeeNo::parse(&no).expect("generated numbers are valid"),
        hire_date,
        speed,
        // Faster agents take more calls, with some independent variation.
        volume: rng.lognormal(1.0, 0.08) / speed.sqrt(),
        quality: rng.normal(),
        absence: rng.between(0.02, 0.06),
        saturday: rng.between(0.1, 0.4),
        shift_start: [8, 8, 9, 9, 10, 12][rng.below(6) as usize] * 3600,
        stints: vec![(dept, hire_date, None)],
    }
}

/// Splits `total` by weight, largest remainder first.
fn split(total: u32, weights: [u32; 4]) -> [u32; 4] {
    let sum: u32 = weights.iter().sum();
    let mut out = weights.map(|w| total * w / sum);
    let mut order: Vec<usize> = (0..4).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    let short = total - out.iter().sum::<u32>();
    for &i in order.iter().take(short as usize) {
        out[i] += 1;
    }
    out
}

/// Expected call records in an average month, for scaling to a target.
fn expected_calls(a: &Agent, start: NaiveDate) -> f64 {
    let dept = &DEPARTMENTS[a.stints[0].0];
    let days = 21.7 + 4.3 * a.saturday * calls_saturday_factor();
    dept.calls_per_day * a.volume * a.ramp(start) * (1.0 - a.absence) * days
        / (1.0 - super::calls::ABANDON_SHARE)
}

fn calls_saturday_factor() -> f64 {
    super::calls::SATURDAY_VOLUME
}

/// Two or three agents move to another team on the 16th of the middle month.
fn move_some_agents(
    p: &DemoParams,
    teams: &[DemoTeam],
    team_dept: &[usize],
    agent_team: &[usize],
    agents: &mut [Agent],
    memberships: &mut Vec<DemoMembership>,
) {
    let mut months = p.months.clone();
    months.sort();
    let Some(&month) = months.get(months.len() / 2) else {
        return;
    };
    let movers = match agents.len() {
        0..20 => 0,
        20..100 => 2,
        _ => 3,
    };
    if teams.len() < 2 {
        return;
    }
    let mut rng = Rng::new(p.seed, &[tag::MOVES]);
    let day = NaiveDate::from_ymd_opt(month.year(), month.month(), 16).expect("the 16th");
    let mut moved = Vec::new();
    while moved.len() < movers {
        let a = rng.below(agents.len() as u64) as usize;
        if moved.contains(&a) || agents[a].hire_date >= day {
            continue;
        }
        let from = agent_team[a];
        // Prefer a team of the same department; else any other team.
        let same: Vec<usize> = (0..teams.len())
            .filter(|&t| t != from && team_dept[t] == team_dept[from])
            .collect();
        let to = if same.is_empty() {
            (from + 1) % teams.len()
        } else {
            same[rng.below(same.len() as u64) as usize]
        };
        let last = day.pred_opt().expect("not the first day ever");
        memberships[a].valid_to = Some(last);
        memberships.push(DemoMembership {
            employee_no: memberships[a].employee_no.clone(),
            team_code: teams[to].code.clone(),
            valid_from: day,
            valid_to: None,
        });
        agents[a].stints[0].2 = Some(last);
        agents[a].stints.push((team_dept[to], day, None));
        moved.push(a);
    }
}
