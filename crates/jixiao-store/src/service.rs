//! Application services: the few operations that combine storage with the pure engine, shared
//! by the CLI and the web handlers so that neither holds business logic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use jixiao_core::Period;
use jixiao_core::kpi::{MeasureTotals, Partial};
use jixiao_core::money::RoundingRule;
use jixiao_core::org::{Employee, TypeCode, segment_days};
use jixiao_core::scorecard::{
    Rules, Scorecard, SegmentInput, apply_percentile_items, rank_in_teams, score_segment,
};
use rust_decimal::Decimal;

use crate::{
    ImportOutcome, ImportProgress, ImportStage, NewAudit, NewImport, RecordBatch, RecordChunks,
    Store, StoreError, WholeBatch,
};

mod appeals;
mod behaviour;
mod budget;
mod calibration;
mod competitions;
pub mod fairness;
mod lifecycle;
mod rewards;
mod schemes;
mod spans;
mod targets;
pub use appeals::step_appeal;
pub use behaviour::{change_org, rate_behaviour};
pub use budget::{DepartmentBudget, budget_checks};
pub use calibration::{
    AgentImpact, CalibrationPreview, CalibrationRequest, apply_calibration, calibration_preview,
};
pub use competitions::{Figures, Standing, competition_standings, standings, standings_of};
pub use lifecycle::{add_adjustment, cards_current, open_review};
pub use rewards::{add_pay_rule, retire_pay_rule};
pub use schemes::{delete_position_scheme, set_pay, set_position_scheme, set_scheme};
pub use spans::{SpanMonth, SpanOptions, SpanRow, SpanView, span_view};
pub use targets::{
    TargetOverview, TargetRow, TargetScope, delete_target, org_tree, set_department_head,
    set_target, target_overview, unit_labels,
};

/// How often `close` recomputes when imports keep changing the period under it.
const CLOSE_ATTEMPTS: usize = 3;

/// Writes an import and recomputes every open period it touched, reporting the writing and
/// recomputing stages to `progress` (the caller reports parsing, which happens before).
///
/// A strict import with rejects is refused by the store (see [`Store::write_import`]): nothing
/// lands, so nothing is recomputed; it is still recorded and audited.
pub async fn import(
    store: &Store,
    import: &NewImport,
    batch: &RecordBatch,
    progress: &impl Fn(ImportProgress),
) -> Result<ImportOutcome, StoreError> {
    import_chunks(store, import, &mut WholeBatch::new(batch), progress).await
}

/// [`import`] with the records read chunk by chunk (a file streamed by its parser): memory
/// stays that of one chunk whatever the file's size. Parsing and writing are one stage,
/// reported as writing.
pub async fn import_chunks(
    store: &Store,
    import: &NewImport,
    chunks: &mut impl RecordChunks,
    progress: &impl Fn(ImportProgress),
) -> Result<ImportOutcome, StoreError> {
    let (outcome, calls_seen) = store.write_import_chunks(import, chunks, progress).await?;
    let periods = affected_periods(store, &outcome.periods_touched, calls_seen).await?;
    let total = periods.len() as u64;
    let report = |done: u64| {
        progress(ImportProgress {
            stage: ImportStage::Recomputing,
            done,
            total,
        });
    };
    report(0);
    for (done, &period) in (1..).zip(&periods) {
        // Closed since the import committed: its snapshot is final, nothing to refresh.
        recompute_unless_closed(store, period).await?;
        report(done);
    }
    let periods: Vec<String> = outcome
        .periods_touched
        .iter()
        .map(ToString::to_string)
        .collect();
    store
        .audit(&NewAudit {
            actor: import.imported_by.clone(),
            kind: "import".into(),
            subject: import.file_name.clone(),
            detail: serde_json::json!({
                "import_id": outcome.import_id,
                "kind": import.kind,
                "file_hash": import.file_hash,
                "mode": import.mode.as_str(),
                "profile": import.profile,
                "status": outcome.status.as_str(),
                "inserted": outcome.inserted,
                "replaced": outcome.replaced,
                "unchanged": outcome.unchanged,
                "rejected": outcome.rejects.len(),
                "periods_touched": periods,
            }),
            at: import.imported_at,
        })
        .await?;
    Ok(outcome)
}

/// The periods to recompute after records landed in `touched`: those, and, when calls
/// landed, every earlier unclosed period whose repeat-contact window reaches into one of them
/// (a call on 2 October can make a contact of 28 September a repeat, changing September's FCR).
async fn affected_periods(
    store: &Store,
    touched: &[Period],
    calls_landed: bool,
) -> Result<Vec<Period>, StoreError> {
    let mut periods: BTreeSet<Period> = touched.iter().copied().collect();
    if calls_landed && !touched.is_empty() {
        let window = i64::from(store.kpi_thresholds().await?.repeat_window_days);
        for info in store.periods().await? {
            let reaches = |p: &Period| {
                info.period < *p
                    && info.period.last_day() + chrono::Duration::days(window) >= p.first_day()
            };
            if info.status != jixiao_core::period::PeriodStatus::Closed
                && touched.iter().any(reaches)
            {
                periods.insert(info.period);
            }
        }
    }
    Ok(periods.into_iter().collect())
}

/// Computes the scorecards of a period from its records (tallies → engine → ranks), without saving.
///
/// Every member with at least one day in the period gets a scorecard, even without records.
/// Teams of a department with no rules set are skipped (with a warning): they cannot be scored.
pub async fn compute(store: &Store, period: Period) -> Result<Vec<Scorecard>, StoreError> {
    Ok(compute_with_center(store, period).await?.0)
}

/// [`compute`], and the center's totals from the same tallies (saved beside the cards).
pub(crate) async fn compute_with_center(
    store: &Store,
    period: Period,
) -> Result<(Vec<Scorecard>, MeasureTotals), StoreError> {
    let started = std::time::Instant::now();
    let (segments, center) = store.tallies_and_center(period).await?;
    tracing::debug!(%period, segments = segments.len(), ms = started.elapsed().as_millis() as u64, "tallied");
    let tallies: HashMap<(i64, i64), (Partial, MeasureTotals)> = segments
        .into_iter()
        .map(|t| ((t.employee_id, t.team_id), (t.partial, t.totals)))
        .collect();
    // Two memberships of one team in one period (left and came back) are one segment.
    let mut days: BTreeMap<(i64, i64), u32> = BTreeMap::new();
    for m in store.memberships_in(period).await? {
        *days.entry((m.team_id, m.employee_id)).or_default() += segment_days(&m, period);
    }
    let teams = store.teams().await?;
    let team_department: HashMap<i64, i64> =
        teams.iter().map(|t| (t.id, t.department_id)).collect();
    // Read once: leaders' attainment and the reward rules above a target both need them.
    let stored_targets = store.targets(period).await?;
    let employees: HashMap<i64, Employee> = store
        .employees()
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut coefficients: BTreeMap<TypeCode, Decimal> = store
        .business_types()
        .await?
        .into_iter()
        .map(|b| (b.code, b.coefficient))
        .collect();
    // The point standards in force on the period's first day win over a type's own
    // coefficient (kept for types with no standard): one standard per type per period, so a
    // standard dated mid-month applies from the next period (docs/KPIS.md, "Points and pay").
    coefficients.extend(
        store
            .standard_book()
            .await?
            .coefficients_on(period.first_day()),
    );
    // Each card's scheme: its position's within the department, else the department's.
    let rules = schemes::SchemeBook::load(store, team_department.values().copied(), period).await?;

    // Custom KPIs at their latest version; each card records the version it used.
    let customs = store.custom_kpis().await?;
    // Behaviour ratings are two more measures of the rated segments.
    let ratings = behaviour::rated_segments(store, period).await?;
    let empty = (Partial::default(), MeasureTotals::default());
    // One segment's card (None when it cannot be scored); pure, so the segments are scored
    // on two threads (docs/PERFORMANCE.md, session 6).
    let score_one = |(&(team_id, employee_id), &d): (&(i64, i64), &u32)| {
        let Some(employee) = employees.get(&employee_id) else {
            return Ok(None);
        };
        let Some((scheme, unit_price, source)) = team_department
            .get(&team_id)
            .and_then(|&dep| rules.for_employee(dep, &employee.position))
        else {
            return Ok(None);
        };
        let (partial, totals) = tallies.get(&(employee_id, team_id)).unwrap_or(&empty);
        let rated;
        let totals = match ratings.get(&(employee_id, team_id)) {
            Some(score) => {
                rated = behaviour::with_rating(totals, *score)?;
                &rated
            }
            None => totals,
        };
        let input = SegmentInput {
            employee_id,
            employee_no: employee.employee_no.as_str(),
            name: &employee.name,
            team_id,
            days: d.min(period.days()),
            period_days: period.days(),
            partial,
            totals,
        };
        let rules = Rules {
            scheme,
            coefficients: &coefficients,
            unit_price,
            rounding: RoundingRule::default(),
        };
        let mut card = score_segment(&input, &rules);
        jixiao_core::scorecard::mark_scheme(&mut card, source, scheme);
        jixiao_core::scorecard::add_custom_values(&mut card, &customs, totals);
        Ok::<_, StoreError>(Some(card))
    };
    let read_ms = started.elapsed().as_millis() as u64;
    let segments: Vec<_> = days.iter().collect();
    let (first, second) = segments.split_at(segments.len() / 2);
    let score_all = |part: &[(&(i64, i64), &u32)]| {
        part.iter()
            .filter_map(|&s| score_one(s).transpose())
            .collect::<Result<Vec<_>, _>>()
    };
    let (first, second) = std::thread::scope(|s| {
        let first = s.spawn(|| score_all(first));
        let second = score_all(second);
        (first.join(), second)
    });
    let mut cards = first
        .map_err(|_| crate::corrupt("scorecards", &period.to_string(), "scoring failed"))??;
    cards.extend(second?);
    let scored_ms = started.elapsed().as_millis() as u64;
    cards.sort_by(|a, b| (a.team_id, &a.employee_no).cmp(&(b.team_id, &b.employee_no)));
    // Percentile rules rank each card among its team's or department's, so they are scored
    // once every card exists, and before ranking, which reads the totals they change.
    let scheme_of = |c: &Scorecard| {
        let department = *team_department.get(&c.team_id)?;
        Some((rules.for_card(department, c)?, department))
    };
    apply_percentile_items(&mut cards, scheme_of);
    // Leaders are scored on their unit's targets from the cards just computed (docs/KPIS.md,
    // "Targets"), before pay, which reads the total.
    targets::apply_units(
        store,
        &stored_targets,
        &teams,
        &mut cards,
        &team_department,
        |c| Some(scheme_of(c)?.0),
    )
    .await?;
    // Forced-distribution quotas read the final totals and set the grades the reward rules
    // of the payslip may read.
    jixiao_core::scorecard::apply_grade_quotas(&mut cards, scheme_of);
    // The KPI bonus reads the final total, so payslips come after every scoring post-pass.
    let pay = store.all_pay_rules().await?;
    let default_pay = jixiao_core::scorecard::PayRules::default();
    let rule_book = rewards::RuleBook::load(store, period, &stored_targets).await?;
    for card in &mut cards {
        let department = team_department.get(&card.team_id);
        let rules = department.and_then(|d| pay.get(d)).unwrap_or(&default_pay);
        // The manager's reward and penalty rules, each a payslip line with its reason.
        let adjustments = rule_book.adjustments(card, department.copied());
        jixiao_core::scorecard::apply_pay(card, rules, period.days(), &adjustments)?;
    }
    rank_in_teams(&mut cards);
    tracing::debug!(%period, read_ms, scored_ms, ms = started.elapsed().as_millis() as u64, "computed");
    Ok((cards, center))
}

/// Computes and saves the scorecards (with adjustments) of an unclosed period; an open period
/// becomes computed.
pub async fn recompute(store: &Store, period: Period) -> Result<Vec<Scorecard>, StoreError> {
    if store.period_info(period).await?.status == jixiao_core::period::PeriodStatus::Closed {
        return Err(StoreError::PeriodClosed(period));
    }
    let started = std::time::Instant::now();
    // Read before computing: a change committed after this read makes the basis stale.
    let basis = store.cards_basis(period).await?;
    let (cards, center) = lifecycle::compute_adjusted_with_center(store, period).await?;
    let computed = started.elapsed();
    // Cards, center totals and basis in one transaction: a close that finds this basis
    // current can trust these very cards without reading them.
    let cards = std::sync::Arc::new(cards);
    store
        .save_computed(
            period,
            std::sync::Arc::clone(&cards),
            Some(&center),
            basis.as_deref(),
        )
        .await?;
    // The save awaited its hashing thread, the only other holder.
    let cards = std::sync::Arc::try_unwrap(cards).unwrap_or_else(|shared| (*shared).clone());
    tracing::debug!(
        %period,
        cards = cards.len(),
        computed_ms = computed.as_millis() as u64,
        saved_ms = (started.elapsed() - computed).as_millis() as u64,
        "recomputed"
    );
    Ok(cards)
}

/// [`recompute`], where a period that closed in the meantime is no error: its close computed
/// with whatever changed (the revision check), and its snapshot is final.
pub(crate) async fn recompute_unless_closed(
    store: &Store,
    period: Period,
) -> Result<(), StoreError> {
    match recompute(store, period).await {
        Ok(_) | Err(StoreError::PeriodClosed(_)) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether a period in `status` has cards a change must refresh: open periods have none yet
/// (they pick the change up when computed), closed ones never change.
pub(crate) fn scored(status: jixiao_core::period::PeriodStatus) -> bool {
    use jixiao_core::period::PeriodStatus::{Computed, InReview};
    matches!(status, Computed | InReview)
}

/// Recomputes every computed or in-review period (see [`scored`]), as a configuration change
/// needs.
pub(crate) async fn recompute_scored(store: &Store) -> Result<(), StoreError> {
    for info in store.periods().await? {
        if scored(info.status) {
            recompute_unless_closed(store, info.period).await?;
        }
    }
    Ok(())
}

/// Computes the final scorecards, stores them with their hash and closes the period; returns the hash.
/// Allowed from open, computed and in review at any time (the page warns while a review window
/// is still running); closing an open period computes it on the way.
///
/// When the period's saved cards are current (nothing they were computed from changed since:
/// `lifecycle::current_cards`), they are frozen as they are, without reading the records
/// again; otherwise the cards are computed first. Either way they are stored only if no import
/// changed the period between computing and closing; otherwise they are computed again.
pub async fn close(
    store: &Store,
    period: Period,
    by: &str,
    at: DateTime<Utc>,
) -> Result<String, StoreError> {
    for _ in 0..CLOSE_ATTEMPTS {
        if store.period_info(period).await?.status == jixiao_core::period::PeriodStatus::Closed {
            return Err(StoreError::PeriodClosed(period));
        }
        let revision = store.period_revision(period).await?;
        // Read before the cards are trusted or computed: a scheme, standard or other input
        // changed after this read makes the flip below refuse, and the loop compute again.
        let generation = store.kpi_generation().await?;
        let computed;
        let (freeze, hash) = match lifecycle::current_cards(store, period).await? {
            Some(hash) => (crate::Freeze::Saved, hash),
            None => {
                let (cards, center) =
                    lifecycle::compute_adjusted_with_center(store, period).await?;
                // Saved before the close flips the status; a close that loses the race below
                // saves them again on its next attempt.
                store.save_center_totals(period, &center).await?;
                let hash = jixiao_core::scorecard::snapshot_hash(&cards);
                computed = cards;
                (crate::Freeze::Cards(&computed), hash)
            }
        };
        if store
            .close_period_at_revision(
                period,
                freeze,
                &hash,
                by,
                at,
                Some(crate::Unchanged {
                    revision,
                    generation,
                }),
            )
            .await?
        {
            return Ok(hash);
        }
    }
    Err(StoreError::Conflict(format!(
        "period {period} kept changing while closing; try again"
    )))
}

/// What mapping an alias did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AliasMapped {
    /// The alias as stored.
    pub alias: crate::Alias,
    /// Held records that landed (new, replaced or already present).
    pub released: i64,
    /// The `release` lineage row, if any record was released.
    pub release_import_id: Option<i64>,
    /// Open periods whose scorecards were recomputed.
    pub periods_recomputed: Vec<Period>,
    /// Records still held under the alias: their period closed before the mapping (they never
    /// enter a closed period), or the release rejected them (see its reject report).
    pub still_held: Vec<crate::HeldRecord>,
}

/// Maps `alias` of `source` to an employee (who may have been created just before), then
/// releases the records held under it: those in open periods land through the normal upsert
/// path as one `release` import, their held copies are deleted, the open periods they touch are
/// recomputed, and one audit entry records it all. Mapping an alias again to the same employee
/// releases whatever is still held.
pub async fn map_alias(
    store: &Store,
    source: &str,
    alias: &jixiao_core::org::AgentRef,
    employee_id: i64,
    by: &str,
    at: DateTime<Utc>,
) -> Result<AliasMapped, StoreError> {
    let mapped = store.add_alias(source, alias, employee_id).await?;
    let released = store
        .release_held(&mapped.source, &mapped.alias, by, at)
        .await?;
    let outcome = released.import.as_ref();
    let touched = outcome
        .map(|o| o.periods_touched.clone())
        .unwrap_or_default();
    // Released records may be calls: their repeat window is taken into account.
    let periods = affected_periods(store, &touched, true).await?;
    let mut recomputed = Vec::with_capacity(periods.len());
    for period in periods {
        match recompute(store, period).await {
            Ok(_) => recomputed.push(period),
            // Closed since the release committed: its snapshot is final.
            Err(StoreError::PeriodClosed(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let result = AliasMapped {
        released: outcome.map_or(0, |o| o.inserted + o.replaced + o.unchanged),
        release_import_id: outcome.map(|o| o.import_id),
        periods_recomputed: recomputed,
        still_held: released.still_held,
        alias: mapped,
    };
    store
        .audit(&NewAudit {
            actor: by.to_string(),
            kind: "alias.map".into(),
            subject: format!("{}/{}", result.alias.source, result.alias.alias),
            detail: serde_json::json!({
                "employee_id": result.alias.employee_id,
                "employee_no": result.alias.employee_no,
                "released": result.released,
                "release_import_id": result.release_import_id,
                "still_held": result.still_held.len(),
                "periods_recomputed": result
                    .periods_recomputed
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            }),
            at,
        })
        .await?;
    Ok(result)
}

/// Removes an employee's alias, with an audit entry. Records it already resolved keep their
/// employee; records naming it later are held again.
pub async fn remove_alias(
    store: &Store,
    alias_id: i64,
    by: &str,
    at: DateTime<Utc>,
) -> Result<crate::Alias, StoreError> {
    let removed = store.delete_alias(alias_id).await?;
    store
        .audit(&NewAudit {
            actor: by.to_string(),
            kind: "alias.remove".into(),
            subject: format!("{}/{}", removed.source, removed.alias),
            detail: serde_json::json!({
                "employee_id": removed.employee_id,
                "employee_no": removed.employee_no,
            }),
            at,
        })
        .await?;
    Ok(removed)
}
