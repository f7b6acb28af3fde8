//! `jixiao demo`: creates the seeded demo center once, then serves it.

use std::collections::HashMap;
use std::time::Instant;

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use jixiao_core::Period;
use jixiao_core::org::{EmployeeNo, Membership, Role};
use jixiao_import::canonical::Kind;
use jixiao_import::demo::{DemoCenter, DemoParams};
use jixiao_store::{BusinessType, NewEmployee, NewImport, NewUser, RecordBatch, Store, service};

use crate::settings::{Layer, Settings, default_demo_database};

mod fairness;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "jixiao-demo";

/// Arguments of `jixiao demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Seed of the generated center: the same seed gives the same center.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Number of agents.
    #[arg(long, default_value_t = 300)]
    agents: u32,
    /// Delete an existing demo database and generate it again.
    #[arg(long)]
    fresh: bool,
    /// Create the demo database and exit without serving.
    #[arg(long)]
    no_serve: bool,
    #[command(flatten)]
    settings: Layer,
}

/// The accounts printed for the user to log in with.
pub struct DemoLogins(pub Vec<(&'static str, String)>);

impl DemoLogins {
    fn banner(&self) -> String {
        let mut s = format!("Demo logins (password for all: {DEMO_PASSWORD}):\n");
        for (role, user) in &self.0 {
            s.push_str(&format!("  {role:<20} {user}\n"));
        }
        s
    }
}

/// Runs the demo: create if needed, then serve.
pub async fn run(file: Option<&std::path::Path>, args: DemoArgs) -> anyhow::Result<()> {
    let defaults = Settings {
        database: default_demo_database(),
        ..Settings::default()
    };
    let s = Settings::load(file, &args.settings, defaults)?;
    if let Some(path) = s.database.strip_prefix("sqlite://").filter(|_| args.fresh) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
    let store = super::open_store(&s).await?;
    let logins = if store.employee_count().await? > 0 {
        println!(
            "Using the existing demo center in {} (--fresh to rebuild).",
            s.database
        );
        logins(&store).await?
    } else {
        let params = DemoParams {
            seed: args.seed,
            months: demo_months(Utc::now().date_naive()),
            agents: args.agents,
            ..DemoParams::default()
        };
        load(&store, &params, true).await?
    };
    if args.no_serve {
        print!("{}", logins.banner());
        return Ok(());
    }
    super::serve::serve_store(&s, store, Some(logins.banner())).await
}

/// The three full months before `today`'s month, oldest first.
pub fn demo_months(today: chrono::NaiveDate) -> Vec<Period> {
    let last = Period::containing(today).prev();
    vec![last.prev().prev(), last.prev(), last]
}

/// Loads a generated center into an empty store through the normal import path, closes the
/// oldest month, and returns the logins to print.
pub async fn load(
    store: &Store,
    params: &DemoParams,
    progress: bool,
) -> anyhow::Result<DemoLogins> {
    let started = Instant::now();
    let center = DemoCenter::generate(params);
    let ids = load_org(store, &center).await?;
    load_users(store, &center, &ids).await?;
    let bar = if progress {
        ProgressBar::new(params.months.len() as u64 * 3)
            .with_style(ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")?)
    } else {
        ProgressBar::hidden()
    };
    // The last month stays open: its journeys and complaints are decided inside it.
    let open_month = params.months.last().filter(|_| params.months.len() > 1);
    let mut fairness_plan = None;
    for &period in &params.months {
        let (calls, surveys) = center.month_records(period);
        if open_month == Some(&period) {
            fairness_plan = center.fairness_for(period, &calls);
        }
        let handled = calls.iter().filter(|c| c.outcome.is_handled()).count();
        let batches = [
            (
                Kind::Calls,
                RecordBatch {
                    calls: numbered(calls),
                    ..RecordBatch::default()
                },
            ),
            (
                Kind::Surveys,
                RecordBatch {
                    surveys: numbered(surveys),
                    ..RecordBatch::default()
                },
            ),
            (
                Kind::Qa,
                RecordBatch {
                    qa: numbered(center.qa_for(period)),
                    ..RecordBatch::default()
                },
            ),
        ];
        for (kind, batch) in batches {
            let kind = kind.as_str();
            bar.set_message(format!("{period} {kind}"));
            let rows = (batch.calls.len() + batch.surveys.len() + batch.qa.len()) as i64;
            let import = NewImport {
                kind: kind.into(),
                file_name: format!("demo-{period}-{kind}"),
                file_hash: format!("demo:{}:{period}:{kind}", params.seed),
                file_size: 0,
                rows_total: rows,
                imported_by: "demo".into(),
                imported_at: Utc::now(),
                mode: jixiao_store::ImportMode::Lenient,
                profile: None,
            };
            let out = store.write_import(&import, &batch).await?;
            anyhow::ensure!(
                out.rejects.is_empty(),
                "demo data rejected: {:?}",
                &out.rejects[..1]
            );
            bar.inc(1);
        }
        set_target(store, period, handled).await?;
    }
    // Journeys and complaints before scoring, so the month is scored once with its findings.
    if let Some(plan) = &fairness_plan {
        bar.set_message(format!("{} complaints", plan.period));
        fairness::load(store, plan, &ids).await?;
    }
    // Scored once every month has landed: a month's first-contact resolution looks into the
    // next month's calls. The oldest month is closed (which computes it), the others computed.
    if let Some((&first, rest)) = params.months.split_first() {
        for &period in rest {
            service::recompute(store, period).await?;
        }
        service::close(store, first, "demo", Utc::now()).await?;
    }
    bar.finish_and_clear();
    println!(
        "Demo center created in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    logins(store).await
}

/// The month's center target of handled interactions, 3 % above what its calls give (so the
/// center's attainment lands near 97 %), split to departments, teams and agents by headcount:
/// the overview's target tiles and the leaders' unit attainment have something to show. Set
/// before the month is scored, as a manager plans it.
async fn set_target(store: &Store, period: Period, handled: usize) -> anyhow::Result<()> {
    use jixiao_core::targets::{SplitMethod, TargetPlan};
    let whole =
        (rust_decimal::Decimal::from(handled as u64) * rust_decimal::Decimal::new(103, 2)).round();
    let plan = TargetPlan {
        measure: "handled".into(),
        whole,
        dp: 0,
        departments: SplitMethod::Headcount,
        teams: SplitMethod::Headcount,
        agents: SplitMethod::Headcount,
        explicit: Default::default(),
    };
    service::set_target(store, period, &plan, "demo", Utc::now()).await?;
    Ok(())
}

fn numbered<T>(records: Vec<T>) -> Vec<(i64, T)> {
    records.into_iter().zip(2..).map(|(r, n)| (n, r)).collect()
}

/// Loads the organisation, business types and rules of a center, without users or records.
pub async fn load_org_only(store: &Store, center: &DemoCenter) -> anyhow::Result<()> {
    load_org(store, center).await.map(|_| ())
}

async fn load_org(store: &Store, center: &DemoCenter) -> anyhow::Result<HashMap<String, i64>> {
    let mut dept_ids = HashMap::new();
    for d in &center.departments {
        dept_ids.insert(
            d.code.clone(),
            store.upsert_department(&d.code, &d.name).await?,
        );
    }
    let new: Vec<NewEmployee> = center
        .employees
        .iter()
        .map(|e| -> anyhow::Result<NewEmployee> {
            Ok(NewEmployee {
                employee_no: EmployeeNo::parse(&e.employee_no)?,
                name: e.name.clone(),
                // CALL's long-serving agents become senior agents, with their own scheme.
                position: jixiao_import::demo::loaded_position(
                    &e.position,
                    &e.department_code,
                    e.hire_date,
                ),
                hire_date: e.hire_date,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let emp_ids: HashMap<String, i64> = center
        .employees
        .iter()
        .map(|e| e.employee_no.clone())
        .zip(store.insert_employees(&new).await?)
        .collect();
    let mut team_ids = HashMap::new();
    for t in &center.teams {
        let dept = *dept_ids
            .get(&t.department_code)
            .context("team of an unknown department")?;
        let sup = t
            .supervisor_no
            .as_ref()
            .and_then(|n| emp_ids.get(n).copied());
        team_ids.insert(
            t.code.clone(),
            store.upsert_team(dept, &t.code, &t.name, sup).await?,
        );
    }
    for m in &center.memberships {
        store
            .add_membership(&Membership {
                employee_id: emp_ids[&m.employee_no],
                team_id: team_ids[&m.team_code],
                valid_from: m.valid_from,
                valid_to: m.valid_to,
            })
            .await?;
    }
    for (code, name, coefficient) in &center.business_types {
        store
            .upsert_business_type(&BusinessType {
                code: code.clone(),
                name: name.clone(),
                coefficient: *coefficient,
            })
            .await?;
    }
    for (dept_code, scheme, unit_price) in &center.schemes {
        scheme.validate()?;
        store
            .set_department_rules(dept_ids[dept_code], scheme, *unit_price)
            .await?;
    }
    for (dept_code, position, scheme, unit_price) in jixiao_import::demo::position_schemes() {
        scheme.validate()?;
        store
            .set_position_rules(dept_ids[dept_code], position, &scheme, unit_price)
            .await?;
    }
    Ok(emp_ids)
}

async fn load_users(
    store: &Store,
    center: &DemoCenter,
    emp_ids: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    // One real Argon2 hash shared by every demo account: hashing 300 passwords would take
    // longer than generating the whole center, and they are all the same demo password anyway.
    let hash = jixiao_web::hash_password(DEMO_PASSWORD);
    let user = |username: String, role: Role, employee_id: Option<i64>| NewUser {
        username,
        password_hash: hash.clone(),
        role,
        employee_id,
        locale: "zh-CN".into(),
    };
    store
        .create_user(&user("admin".into(), Role::Admin, None))
        .await?;
    store
        .create_user(&user("manager".into(), Role::Manager, None))
        .await?;
    store
        .create_user(&user("qa".into(), Role::Qa, None))
        .await?;
    for e in &center.employees {
        let role = if e.position == "supervisor" {
            Role::Supervisor
        } else {
            Role::Agent
        };
        store
            .create_user(&user(
                e.employee_no.to_lowercase(),
                role,
                Some(emp_ids[&e.employee_no]),
            ))
            .await?;
    }
    Ok(())
}

/// Picks one account per role: the first team's supervisor and one of that team's agents.
async fn logins(store: &Store) -> anyhow::Result<DemoLogins> {
    let teams = store.teams().await?;
    let team = teams
        .iter()
        .find(|t| t.supervisor_id.is_some())
        .context("demo has no supervised team")?;
    let sup = store
        .employee(team.supervisor_id.unwrap_or_default())
        .await?;
    let latest = store
        .periods()
        .await?
        .first()
        .map(|p| p.period)
        .context("demo has no periods")?;
    let member = store
        .memberships_in(latest)
        .await?
        .into_iter()
        .find(|m| m.team_id == team.id && m.employee_id != sup.id)
        .context("demo team has no agents")?;
    let agent = store.employee(member.employee_id).await?;
    Ok(DemoLogins(vec![
        ("admin", "admin".into()),
        ("performance manager", "manager".into()),
        ("QA inspector", "qa".into()),
        (
            "supervisor",
            format!(
                "{} ({}, {})",
                sup.employee_no.as_str().to_lowercase(),
                sup.name,
                team.name
            ),
        ),
        (
            "agent",
            format!(
                "{} ({})",
                agent.employee_no.as_str().to_lowercase(),
                agent.name
            ),
        ),
    ]))
}
