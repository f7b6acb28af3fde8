//! One month of calls and the survey answers about them.
//!
//! Each agent-day draws from its own stream keyed by (seed, month, day, agent), so a month's
//! records do not depend on any other month, and calls and surveys come from the same draws.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use jixiao_core::Period;
use jixiao_core::record::{CallRecord, Channel, Outcome, SurveyRecord};

use super::catalog::{DEPARTMENTS, TYPES};
use super::org::Agent;
use super::rng::{self, Rng};
use super::{DemoCenter, tag, yyyymm};

/// Share of offered calls abandoned before an agent answers.
pub(crate) const ABANDON_SHARE: f64 = 0.05;
/// Volume of a Saturday shift relative to a weekday.
pub(crate) const SATURDAY_VOLUME: f64 = 0.6;
const TRANSFER_SHARE: f64 = 0.04;
const SURVEY_SHARE: f64 = 0.09;
const REPEAT_SHARE: f64 = 0.12;
/// σ of the log-normal talk and after-call-work times, and e^(−σ²/2), which turns a mean
/// into the median the log-normal is parameterised by.
const SIGMA: f64 = 0.5;
const MEAN_TO_MEDIAN: f64 = 0.882_496_902_584_595_4;
const HOLD_SIGMA: f64 = 0.6;
const HOLD_MEAN_TO_MEDIAN: f64 = 0.835_270_211_411_272;

/// Everything an agent-day needs, fixed for the month.
struct MonthCtx<'a> {
    center: &'a DemoCenter,
    period: Period,
    ym: u64,
    want_calls: bool,
    customers_per_day: u64,
    customer_universe: u64,
    calls: Vec<CallRecord>,
    surveys: Vec<SurveyRecord>,
    seq: u64,
}

/// Generates the month; calls are only materialised when `want_calls`.
pub(crate) fn month(
    c: &DemoCenter,
    period: Period,
    want_calls: bool,
) -> (Vec<CallRecord>, Vec<SurveyRecord>) {
    let agents = c.agents.len().max(1) as u64;
    let mut ctx = MonthCtx {
        center: c,
        period,
        ym: yyyymm(period),
        want_calls,
        customers_per_day: agents * 40,
        customer_universe: agents * 5000,
        calls: Vec::new(),
        surveys: Vec::new(),
        seq: 0,
    };
    let absent = absent_all_month(c, period);
    if want_calls {
        // Roughly the month's volume, to spare the copies of a growing vector.
        let per_day: f64 = c
            .agents
            .iter()
            .map(|a| DEPARTMENTS[a.stints[0].0].calls_per_day)
            .sum();
        ctx.calls
            .reserve((per_day * c.volume_scale * 25.0) as usize);
    }
    for date in period.first_day().iter_days().take(period.days() as usize) {
        let weekday = date.weekday();
        if weekday == Weekday::Sun {
            continue;
        }
        for (i, a) in c.agents.iter().enumerate() {
            if absent[i] {
                continue;
            }
            let Some(dept) = a.dept_on(date) else {
                continue;
            };
            let mut rng = Rng::new(
                c.seed,
                &[tag::CALLS, ctx.ym, u64::from(date.day()), i as u64],
            );
            let saturday = weekday == Weekday::Sat;
            if (saturday && !rng.chance(a.saturday)) || rng.chance(a.absence) {
                continue;
            }
            ctx.agent_day(&mut rng, a, dept, date, saturday);
        }
    }
    (ctx.calls, ctx.surveys)
}

/// The agents absent for the whole month (long sick leave): about one in a hundred.
pub(crate) fn absent_all_month(c: &DemoCenter, period: Period) -> Vec<bool> {
    let mut absent = vec![false; c.agents.len()];
    let mut rng = Rng::new(c.seed, &[tag::ABSENT, yyyymm(period)]);
    let mut left = c.agents.len() / 100;
    while left > 0 {
        let i = rng.below(c.agents.len() as u64) as usize;
        if !absent[i] {
            absent[i] = true;
            left -= 1;
        }
    }
    absent
}

/// Mean handle seconds of a department's call mix for an average agent.
fn mean_handle(dept: usize) -> f64 {
    let mix = &DEPARTMENTS[dept].mix;
    let total: u32 = mix.iter().sum();
    TYPES
        .iter()
        .zip(mix)
        .map(|(t, &w)| f64::from(w) * (t.talk + t.hold_share * t.hold + t.acw))
        .sum::<f64>()
        / f64::from(total)
}

impl MonthCtx<'_> {
    fn agent_day(&mut self, rng: &mut Rng, a: &Agent, dept: usize, date: NaiveDate, sat: bool) {
        let profile = &DEPARTMENTS[dept];
        let ramp = a.ramp(date);
        let day_volume = if sat { SATURDAY_VOLUME } else { 1.0 };
        let mean = profile.calls_per_day * a.volume * ramp * day_volume * self.center.volume_scale;
        let n = (mean * rng.between(0.8, 1.2)).round().max(0.0);
        if n < 1.0 {
            return;
        }
        // New hires are slower; the gaps spread the calls over the shift.
        let slow = a.speed / ramp;
        let window = 8.5 * 3600.0 * day_volume;
        let mean_gap = ((window - n * mean_handle(dept) * slow) / n).max(15.0);
        let mut t = f64::from(a.shift_start) + rng.between(0.0, 600.0);
        for _ in 0..n as u32 {
            let type_index = rng.weighted(&profile.mix);
            let ty = &TYPES[type_index];
            let talk = rng
                .lognormal(ty.talk * slow * MEAN_TO_MEDIAN, SIGMA)
                .max(5.0);
            let hold = if rng.chance(ty.hold_share) {
                rng.lognormal(ty.hold * HOLD_MEAN_TO_MEDIAN, HOLD_SIGMA)
            } else {
                0.0
            };
            let acw = rng.lognormal(ty.acw * slow * MEAN_TO_MEDIAN, SIGMA);
            let wait = rng.lognormal(12.0, 0.9).min(900.0);
            let outcome = if rng.chance(TRANSFER_SHARE) {
                Outcome::Transferred
            } else {
                Outcome::Answered
            };
            let customer = self.customer(rng, date);
            let times = [wait, talk, hold, acw].map(|v| v.round() as u32);
            let call = self.call(date, t, Some(a), type_index, customer, outcome, times);
            if rng.chance(SURVEY_SHARE) {
                let score = survey_score(rng, a, ty.code);
                let next_day = rng.chance(0.3) && date < self.period.last_day();
                let answered_on = if next_day { date.succ_opt() } else { None };
                self.surveys.push(SurveyRecord {
                    source: "demo".into(),
                    record_id: format!("S{}-{:06}", self.ym, self.surveys.len() + 1),
                    // The call is pushed next, so it gets the next id.
                    call_record_id: self.id(),
                    employee_no: a.no.clone().into(),
                    answered_on: answered_on.unwrap_or(date),
                    score,
                });
            }
            self.push(call);
            let handle = talk + hold + acw;
            if rng.chance(ABANDON_SHARE / (1.0 - ABANDON_SHARE)) {
                let ty = rng.weighted(&profile.mix);
                let customer = self.customer(rng, date);
                let wait = rng.lognormal(35.0, 0.8).min(600.0).round() as u32;
                let at = t + rng.between(0.0, handle);
                let times = [wait, 0, 0, 0];
                let lost = self.call(date, at, None, ty, customer, Outcome::Abandoned, times);
                self.push(lost);
            }
            t += handle + rng.between(0.0, 2.0 * mean_gap);
        }
    }

    /// The id the next call will get.
    fn id(&self) -> String {
        format!("D{}-{:07}", self.ym, self.seq + 1)
    }

    #[allow(clippy::too_many_arguments)]
    fn call(
        &self,
        date: NaiveDate,
        secs: f64,
        agent: Option<&Agent>,
        ty: usize,
        customer: String,
        outcome: Outcome,
        [wait_secs, talk_secs, hold_secs, acw_secs]: [u32; 4],
    ) -> CallRecord {
        let secs = (secs as u32).min(86_399);
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).expect("within a day");
        CallRecord {
            source: "demo".into(),
            record_id: String::new(),
            started_at: date.and_time(time),
            employee_no: agent.map(|a| a.no.clone().into()),
            business_type: self.center.type_codes[ty].clone(),
            customer_id: Some(customer),
            outcome,
            wait_secs,
            talk_secs,
            hold_secs,
            acw_secs,
            channel: Channel::Voice,
            queue: None,
            transfer_to: None,
        }
    }

    fn push(&mut self, mut call: CallRecord) {
        if self.want_calls {
            call.record_id = self.id();
            self.calls.push(call);
        }
        self.seq += 1;
    }

    /// A customer: usually one of today's, sometimes one who called in the last few days.
    fn customer(&self, rng: &mut Rng, date: NaiveDate) -> String {
        let mut day = date.num_days_from_ce() as u64;
        if rng.chance(REPEAT_SHARE) {
            day -= rng.range(1, 5);
        }
        let slot = rng.below(self.customers_per_day);
        let id = rng::key(self.center.seed, &[tag::CUSTOMER, day, slot]) % self.customer_universe;
        format!("C{id:08}")
    }
}

/// A 1–5 answer: better agents get more 4s and 5s; complaints are harder to please.
fn survey_score(rng: &mut Rng, a: &Agent, type_code: &str) -> u8 {
    let penalty = if type_code == "COMPLAINT" { 0.10 } else { 0.0 };
    let top2 = (0.84 + 0.05 * a.quality - penalty).clamp(0.5, 0.98);
    if rng.chance(top2) {
        if rng.chance(0.6) { 5 } else { 4 }
    } else {
        [3, 3, 3, 3, 3, 2, 2, 1, 1, 1][rng.below(10) as usize]
    }
}
