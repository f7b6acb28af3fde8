//! `jixiao calibrate`: propose business-type coefficients from measured handle time (写实测时)
//! and show what they would do to every agent's points and pay. Nothing is stored or applied.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use jixiao_core::calibrate::{Calibration, CalibrationOptions, Effect, calibrate, effect};
use jixiao_core::kpi::{Partial, TypeTally};
use jixiao_core::money::RoundingRule;
use jixiao_core::org::{AgentRef, TypeCode};
use jixiao_core::record::CallRecord;
use rust_decimal::Decimal;

/// Arguments of `jixiao calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    #[command(subcommand)]
    source: Source,
}

#[derive(Debug, Subcommand)]
enum Source {
    /// Measure the "Anonymous Bank" 1999 monthly files (tab-separated, one file per month).
    Bank1999 {
        #[command(flatten)]
        opts: Opts,
        /// The monthly files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The calibration options shared by every source.
#[derive(Debug, Args)]
struct Opts {
    /// The base type, whose coefficient is the unit.
    #[arg(long, value_parser = TypeCode::parse)]
    base: TypeCode,
    /// A skill factor, TYPE=FACTOR (repeatable); unlisted types have factor 1.
    #[arg(long = "skill", value_parser = parse_skill)]
    skill: Vec<(TypeCode, Decimal)>,
    /// Unit price per point, for the pay effect.
    #[arg(long, default_value = "1.00")]
    unit_price: Decimal,
    /// Decimal places of the proposed coefficients (at most 4).
    #[arg(long, default_value_t = 2)]
    dp: u32,
    /// Agents listed in the effect table, largest pay change first.
    #[arg(long, default_value_t = 10)]
    top: usize,
}

fn parse_skill(s: &str) -> Result<(TypeCode, Decimal), String> {
    let (code, factor) = s
        .split_once('=')
        .ok_or_else(|| format!("expected TYPE=FACTOR, got {s:?}"))?;
    let code = TypeCode::parse(code).map_err(|e| e.to_string())?;
    let factor = factor
        .trim()
        .parse()
        .map_err(|_| format!("{factor:?} is not a decimal number"))?;
    Ok((code, factor))
}

/// Handled calls measured per agent, with the counts of rows read.
#[derive(Debug, Default)]
pub struct Measured {
    /// Tallies per agent over all files.
    pub by_agent: BTreeMap<AgentRef, Partial>,
    /// Data rows read.
    pub rows: i64,
    /// Rows rejected by the preset (their calls are not measured).
    pub rejected: i64,
}

impl Measured {
    /// Adds one call; abandoned calls and calls without an agent are not measured.
    pub fn add(&mut self, c: &CallRecord) {
        if let Some(agent) = &c.employee_no {
            self.by_agent.entry(agent.clone()).or_default().add_call(c);
        }
    }

    /// Handled calls and handle time per type, over all agents.
    pub fn by_type(&self) -> BTreeMap<TypeCode, TypeTally> {
        let mut all = Partial::default();
        for p in self.by_agent.values() {
            all.merge(p);
        }
        all.by_type
    }
}

/// Parses the bank files with the `bank1999` preset and tallies their handled calls.
pub fn load_bank1999(files: &[PathBuf]) -> anyhow::Result<Measured> {
    let mut m = Measured::default();
    for path in files {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        let parsed = jixiao_import::presets::bank1999::parse(&bytes, "bank1999")
            .with_context(|| format!("parsing {}", path.display()))?;
        m.rows += parsed.rows_total;
        m.rejected += parsed.rows_total - parsed.records.len() as i64;
        for (_, c) in &parsed.records {
            m.add(c);
        }
    }
    Ok(m)
}

/// A calibration with its effect, computed against current coefficients of 1 for every type.
#[derive(Debug)]
pub struct Report {
    /// The proposal.
    pub calibration: Calibration,
    /// Its effect on every agent.
    pub effect: Effect<AgentRef>,
    /// The unit price the pay effect uses.
    pub unit_price: Decimal,
}

/// Calibrates the measured calls; every measured type's current coefficient is taken as 1.
pub fn report(
    m: &Measured,
    opts: &CalibrationOptions,
    unit_price: Decimal,
) -> anyhow::Result<Report> {
    let measured = m.by_type();
    let current: BTreeMap<TypeCode, Decimal> =
        measured.keys().map(|c| (c.clone(), Decimal::ONE)).collect();
    let calibration = calibrate(&measured, &current, opts)?;
    let after = calibration.applied_to(&current);
    let effect = effect(
        &m.by_agent,
        &current,
        &after,
        unit_price,
        RoundingRule::default(),
    );
    Ok(Report {
        calibration,
        effect,
        unit_price,
    })
}

fn opt(v: Option<Decimal>) -> String {
    v.map_or_else(|| "no data".into(), |d| d.to_string())
}

/// Pay with exactly 2 decimals, for alignment.
fn cents(d: Decimal) -> Decimal {
    let mut d = d.round_dp(2);
    d.rescale(2);
    d
}

fn signed(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{d}")
    } else {
        d.to_string()
    }
}

/// The proposal table, then the `top` agents with the largest pay change, then the totals.
pub fn render(r: &Report, top: usize) -> String {
    let c = &r.calibration;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Calibration (写实测时), base {} = mean {} s per handled call",
        c.base, c.base_mean_secs
    );
    let _ = writeln!(
        out,
        "{:<8} {:>8} {:>10} {:>8} {:>6} {:>9} {:>8} {:>8}",
        "type", "handled", "mean s", "ratio", "skill", "proposed", "current", "change"
    );
    for l in &c.lines {
        let _ = writeln!(
            out,
            "{:<8} {:>8} {:>10} {:>8} {:>6} {:>9} {:>8} {:>8}",
            l.code.as_str(),
            l.handled,
            opt(l.mean_secs),
            opt(l.ratio),
            l.skill.normalize(),
            opt(l.proposed),
            opt(l.current),
            l.change.map_or_else(|| "-".into(), signed),
        );
    }
    let e = &r.effect;
    let mut agents: Vec<_> = e.agents.iter().collect();
    agents.sort_by_key(|a| std::cmp::Reverse(a.pay_change().abs()));
    let _ = writeln!(
        out,
        "\nEffect at unit price {} ({} agents; largest {} changes)",
        r.unit_price,
        e.agents.len(),
        top.min(agents.len())
    );
    let _ = writeln!(
        out,
        "{:<12} {:>10} {:>10} {:>11} {:>11} {:>10}",
        "agent", "points", "→ points", "pay", "→ pay", "change"
    );
    let row = |out: &mut String, name: &str, pb: Decimal, pa: Decimal, yb: Decimal, ya: Decimal| {
        let _ = writeln!(
            out,
            "{name:<12} {pb:>10} {pa:>10} {yb:>11} {ya:>11} {:>10}",
            signed(cents(ya - yb))
        );
    };
    for a in agents.into_iter().take(top) {
        let (pb, pa) = (a.points_before, a.points_after);
        row(
            &mut out,
            a.agent.as_str(),
            pb,
            pa,
            a.pay_before,
            a.pay_after,
        );
    }
    let (pb, pa) = (e.points_before, e.points_after);
    row(
        &mut out,
        "TOTAL",
        pb,
        pa,
        cents(e.pay_before),
        cents(e.pay_after),
    );
    out
}

/// Runs the subcommand.
pub fn run(args: CalibrateArgs) -> anyhow::Result<()> {
    let Source::Bank1999 { opts, files } = args.source;
    let m = load_bank1999(&files)?;
    println!(
        "{} rows read from {} files; {} rejected rows are not measured\n",
        m.rows,
        files.len(),
        m.rejected
    );
    let cal = CalibrationOptions {
        base: opts.base,
        skill: opts.skill.into_iter().collect(),
        dp: opts.dp,
    };
    let r = report(&m, &cal, opts.unit_price)?;
    print!("{}", render(&r, opts.top));
    Ok(())
}
