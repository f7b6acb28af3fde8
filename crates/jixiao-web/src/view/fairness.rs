//! View models of journey lines, journeys, complaints, their statistics and the findings
//! section of the agent page (docs/FAIRNESS.md).

use std::collections::BTreeMap;

use askama::Template;
use jixiao_core::fairness::{JourneyLine, StaffSource};
use jixiao_store::fairness::{
    AttributionRow, ComplaintRow, ComplaintStats, Finding, HistoryEntry, JourneyCandidate,
    JourneyDetail, JourneyRow, StatRow,
};

use super::{Chrome, Pager};
use crate::charts;
use crate::i18n::Tr;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn name_of(names: &BTreeMap<i64, String>, id: i64) -> String {
    names.get(&id).cloned().unwrap_or_else(|| format!("#{id}"))
}

/// Catalog key of a complaint status.
pub fn status_key(s: &str) -> &'static str {
    match s {
        "registered" => "complaint_status_registered",
        "investigating" => "complaint_status_investigating",
        "upheld" => "complaint_status_upheld",
        "partly_upheld" => "complaint_status_partly_upheld",
        _ => "complaint_status_not_upheld",
    }
}

/// Catalog key of a cross-check result.
pub fn check_key(s: &str) -> &'static str {
    match s {
        "ok" => "complaint_check_ok",
        "not_this_stage" => "complaint_check_not_this_stage",
        "not_this_time" => "complaint_check_not_this_time",
        "not_this_customer" => "complaint_check_not_this_customer",
        "no_record" => "complaint_check_no_record",
        "stage_has_no_records" => "complaint_check_stage_has_no_records",
        _ => "complaint_check_no_customer",
    }
}

/// Catalog key of a stage's staff source.
pub fn source_key(s: StaffSource) -> &'static str {
    match s {
        StaffSource::Calls => "journey_source_calls",
        StaffSource::Tickets => "journey_source_tickets",
        StaffSource::Chats => "journey_source_chats",
        StaffSource::Work => "journey_source_work",
        StaffSource::None => "journey_source_none",
    }
}

/// One finding on the agent page.
#[derive(Debug, Clone)]
pub struct FindingVm {
    /// Number.
    pub id: i64,
    /// Catalog key of its origin.
    pub origin_key: &'static str,
    /// Its day.
    pub date: String,
    /// Why.
    pub reason: String,
    /// Overturned (shown struck through).
    pub overturned: bool,
    /// Catalog key of its status.
    pub status_key: &'static str,
    /// The overturn's reason.
    pub overturned_reason: String,
    /// Its complaint or journey, when the viewer may open it.
    pub href: Option<String>,
}

impl FindingVm {
    /// The row for `f`.
    pub fn new(_t: Tr, f: &Finding, href: Option<String>) -> FindingVm {
        let overturned = f.status == "overturned";
        FindingVm {
            id: f.id,
            origin_key: if f.origin == "complaint" {
                "finding_origin_complaint"
            } else {
                "finding_origin_survey"
            },
            date: f.date.to_string(),
            reason: f.reason.clone(),
            overturned,
            status_key: if overturned {
                "finding_status_overturned"
            } else {
                "finding_status_active"
            },
            overturned_reason: f.overturned_reason.clone().unwrap_or_default(),
            href,
        }
    }
}

/// The findings section of the agent page.
#[derive(Debug, Clone, Default)]
pub struct FindingsVm {
    /// The period's findings.
    pub rows: Vec<FindingVm>,
}

/// One stage of a line on the configuration page.
#[derive(Debug, Clone)]
pub struct StageVm {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Catalog key of its source.
    pub source_key: &'static str,
}

/// One line on the configuration page.
#[derive(Debug, Clone)]
pub struct LineVm {
    /// Id.
    pub id: i64,
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Threshold.
    pub threshold: u8,
    /// Tolerance in days.
    pub tolerance: u32,
    /// Stages in order.
    pub stages: Vec<StageVm>,
}

impl LineVm {
    /// The view of `l`.
    pub fn new(l: &JourneyLine) -> LineVm {
        LineVm {
            id: l.id,
            code: l.code.clone(),
            name: l.name.clone(),
            threshold: l.threshold,
            tolerance: l.tolerance.days,
            stages: l
                .stages
                .iter()
                .map(|s| StageVm {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    source_key: source_key(s.source),
                })
                .collect(),
        }
    }
}

/// `/config/journeys`.
#[derive(Template)]
#[template(path = "journey_lines.html")]
pub struct JourneyLinesPage {
    /// Frame.
    pub c: Chrome,
    /// Lines.
    pub lines: Vec<LineVm>,
    /// Sources: (stored, catalog key).
    pub sources: Vec<(&'static str, &'static str)>,
}

/// Every staff source for a select.
pub fn sources() -> Vec<(&'static str, &'static str)> {
    StaffSource::ALL
        .iter()
        .map(|s| (s.as_str(), source_key(*s)))
        .collect()
}

/// One journey in the list.
#[derive(Debug, Clone)]
pub struct JourneyRowVm {
    /// Id.
    pub id: i64,
    /// Line name.
    pub line: String,
    /// Customer.
    pub customer: String,
    /// Service day.
    pub served_on: String,
    /// Reference.
    pub reference: String,
    /// Surveyed?
    pub surveyed: bool,
    /// Opened by.
    pub created_by: String,
}

impl From<&JourneyRow> for JourneyRowVm {
    fn from(j: &JourneyRow) -> Self {
        JourneyRowVm {
            id: j.id,
            line: j.line_name.clone(),
            customer: j.customer_id.clone(),
            served_on: j.served_on.to_string(),
            reference: j.reference.clone().unwrap_or_default(),
            surveyed: j.surveyed,
            created_by: j.created_by.clone(),
        }
    }
}

/// `/journeys`.
#[derive(Template)]
#[template(path = "journeys.html")]
pub struct JourneysPage {
    /// Frame.
    pub c: Chrome,
    /// Rows.
    pub rows: Vec<JourneyRowVm>,
    /// Pages.
    pub pager: Pager,
    /// Lines to open a journey on (empty when the viewer may not open one): (id, name).
    pub lines: Vec<(i64, String)>,
    /// Today, the form's default day.
    pub today: String,
    /// Whether the viewer configures lines (link to `/config/journeys`).
    pub may_configure: bool,
}

/// One stage of a journey: its staff, rating and answer.
#[derive(Debug, Clone)]
pub struct JourneyStageVm {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Catalog key of its source.
    pub source_key: &'static str,
    /// Staff: (name, record reference or empty when entered by hand).
    pub staff: Vec<(String, String)>,
    /// Candidates from the records not yet on it: (name, record reference).
    pub candidates: Vec<(String, String)>,
    /// The rating given (empty before the survey or when not rated).
    pub rating: String,
    /// The named problem.
    pub problem: String,
    /// The comment.
    pub comment: String,
    /// Deficient (under the threshold or a named problem).
    pub deficient: bool,
}

/// `/journeys/{id}`.
#[derive(Template)]
#[template(path = "journey.html")]
pub struct JourneyPage {
    /// Frame.
    pub c: Chrome,
    /// Id.
    pub id: i64,
    /// Line name.
    pub line: String,
    /// Threshold.
    pub threshold: u8,
    /// Customer.
    pub customer: String,
    /// Service day.
    pub served_on: String,
    /// Reference.
    pub reference: String,
    /// Stages.
    pub stages: Vec<JourneyStageVm>,
    /// Survey line: proxy, channel, day, recorded by (empty before).
    pub survey: String,
    /// Whether the viewer may enter staff and record the survey (and it is not recorded).
    pub may_write: bool,
    /// Findings it produced.
    pub findings: Vec<FindingVm>,
    /// Today, the survey form's default day.
    pub today: String,
}

impl JourneyPage {
    /// Builds the page.
    pub fn build(
        c: Chrome,
        d: &JourneyDetail,
        candidates: &[JourneyCandidate],
        names: &BTreeMap<i64, String>,
        findings: Vec<FindingVm>,
        may_write: bool,
    ) -> JourneyPage {
        let threshold = d.line.threshold;
        let stages = d
            .line
            .stages
            .iter()
            .map(|s| {
                let answer = d
                    .survey
                    .as_ref()
                    .and_then(|sv| sv.ratings.iter().find(|r| r.stage_id == s.id));
                let rating = answer.and_then(|a| a.rating);
                let problem = answer.and_then(|a| a.problem.clone()).unwrap_or_default();
                JourneyStageVm {
                    id: s.id,
                    name: s.name.clone(),
                    source_key: source_key(s.source),
                    staff: d
                        .participants
                        .iter()
                        .filter(|p| p.stage_id == s.id)
                        .map(|p| {
                            (
                                name_of(names, p.employee_id),
                                p.record_ref.clone().unwrap_or_default(),
                            )
                        })
                        .collect(),
                    candidates: candidates
                        .iter()
                        .filter(|p| p.stage_id == s.id)
                        .map(|p| {
                            (
                                name_of(names, p.employee_id),
                                p.record_ref.clone().unwrap_or_default(),
                            )
                        })
                        .collect(),
                    rating: rating.map(|r| r.to_string()).unwrap_or_default(),
                    deficient: rating.is_some_and(|r| r < threshold) || !problem.is_empty(),
                    problem,
                    comment: answer.and_then(|a| a.comment.clone()).unwrap_or_default(),
                }
            })
            .collect();
        let survey = d
            .survey
            .as_ref()
            .map(|s| {
                let proxy = s
                    .proxy_employee_id
                    .map(|id| name_of(names, id))
                    .unwrap_or_else(|| "—".into());
                format!(
                    "{proxy} · {} · {} · {}",
                    s.channel, s.surveyed_on, s.recorded_by
                )
            })
            .unwrap_or_default();
        JourneyPage {
            id: d.journey.id,
            line: d.line.name.clone(),
            threshold,
            customer: d.journey.customer_id.clone(),
            served_on: d.journey.served_on.to_string(),
            reference: d.journey.reference.clone().unwrap_or_default(),
            stages,
            may_write: may_write && d.survey.is_none(),
            survey,
            findings,
            today: chrono::Utc::now().date_naive().to_string(),
            c,
        }
    }
}

/// One complaint in the list.
#[derive(Debug, Clone)]
pub struct ComplaintRowVm {
    /// Id.
    pub id: i64,
    /// Channel.
    pub channel: String,
    /// Customer.
    pub customer: String,
    /// Service time.
    pub occurred_at: String,
    /// Summary.
    pub summary: String,
    /// Stored status (CSS class).
    pub status: String,
    /// Catalog key of the status.
    pub status_key: &'static str,
}

impl From<&ComplaintRow> for ComplaintRowVm {
    fn from(c: &ComplaintRow) -> Self {
        ComplaintRowVm {
            id: c.id,
            channel: c.channel.clone(),
            customer: c.customer_id.clone().unwrap_or_default(),
            occurred_at: c.occurred_at.format("%Y-%m-%d %H:%M").to_string(),
            summary: c.summary.clone(),
            status: c.status.clone(),
            status_key: status_key(&c.status),
        }
    }
}

/// `/complaints`.
#[derive(Template)]
#[template(path = "complaints.html")]
pub struct ComplaintsPage {
    /// Frame.
    pub c: Chrome,
    /// Rows.
    pub rows: Vec<ComplaintRowVm>,
    /// The status filter as given.
    pub status: String,
    /// Statuses: (stored, catalog key).
    pub statuses: Vec<(&'static str, &'static str)>,
    /// Pages.
    pub pager: Pager,
    /// Whether the viewer may register complaints.
    pub may_register: bool,
}

/// One attribution on the complaint page.
#[derive(Debug, Clone)]
pub struct AttributionVm {
    /// Id.
    pub id: i64,
    /// Stage name.
    pub stage: String,
    /// Employee.
    pub employee: String,
    /// Service time.
    pub service_at: String,
    /// Note.
    pub note: String,
    /// Cross-check passed.
    pub check_ok: bool,
    /// Catalog key of the cross-check result.
    pub check_key: &'static str,
    /// The mismatch's written resolution.
    pub resolution: String,
    /// A mismatch with no resolution (blocks upholding).
    pub unresolved: bool,
    /// Marked upheld.
    pub upheld: bool,
    /// Removed (struck through).
    pub removed: bool,
    /// Why and by whom it was removed.
    pub removed_reason: String,
    /// Added by.
    pub added_by: String,
}

impl AttributionVm {
    fn new(
        a: &AttributionRow,
        stages: &BTreeMap<i64, String>,
        names: &BTreeMap<i64, String>,
    ) -> Self {
        let resolution = a.resolution.clone().unwrap_or_default();
        AttributionVm {
            id: a.id,
            stage: name_of(stages, a.stage_id),
            employee: name_of(names, a.employee_id),
            service_at: a.service_at.format("%Y-%m-%d %H:%M").to_string(),
            note: a.note.clone().unwrap_or_default(),
            check_ok: a.check.is_ok(),
            check_key: check_key(a.check.as_str()),
            unresolved: !a.check.is_ok() && resolution.trim().is_empty() && !a.removed,
            resolution,
            upheld: a.upheld,
            removed: a.removed,
            removed_reason: match (&a.removed_reason, &a.removed_by) {
                (Some(r), Some(by)) => format!("{r} ({by})"),
                (Some(r), None) => r.clone(),
                _ => String::new(),
            },
            added_by: a.added_by.clone(),
        }
    }
}

/// One history line.
#[derive(Debug, Clone)]
pub struct HistoryVm {
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// The audit kind.
    pub kind: String,
    /// Its reason.
    pub reason: String,
}

impl From<&HistoryEntry> for HistoryVm {
    fn from(h: &HistoryEntry) -> Self {
        HistoryVm {
            at: when(h.at),
            actor: h.actor.clone(),
            kind: h.kind.clone(),
            reason: h.reason.clone().unwrap_or_default(),
        }
    }
}

/// `/complaints/{id}`.
#[derive(Template)]
#[template(path = "complaint.html")]
pub struct ComplaintPage {
    /// Frame.
    pub c: Chrome,
    /// The complaint.
    pub row: ComplaintRowVm,
    /// Its journey.
    pub journey_href: Option<String>,
    /// Linked interactions: kind, source, record id.
    pub links: Vec<(String, String, String)>,
    /// Attributions, removed ones included.
    pub attributions: Vec<AttributionVm>,
    /// Whether any active attribution has an unresolved mismatch.
    pub unresolved: bool,
    /// Whether the complaint is registered (may start investigating).
    pub registered: bool,
    /// Whether it is open (registered or investigating).
    pub open: bool,
    /// Whether it is investigating.
    pub investigating: bool,
    /// The viewer investigates (attribute, remove, resolve, link).
    pub may_investigate: bool,
    /// The viewer decides.
    pub may_decide: bool,
    /// Decision: by, at, reason.
    pub decision: String,
    /// Stages to attribute: (id, "line / stage").
    pub stages: Vec<(i64, String)>,
    /// Findings made.
    pub findings: Vec<FindingVm>,
    /// History from the audit log.
    pub history: Vec<HistoryVm>,
}

impl ComplaintPage {
    /// Builds the page.
    pub fn build(
        c: Chrome,
        data: &crate::fairness::ComplaintData,
        may_investigate: bool,
        may_decide: bool,
    ) -> ComplaintPage {
        let d = &data.detail;
        let st = d.complaint.status.as_str();
        let attributions: Vec<AttributionVm> = d
            .attributions
            .iter()
            .map(|a| AttributionVm::new(a, &data.stages, &data.employees))
            .collect();
        let decision = match (&d.complaint.decided_by, d.complaint.decided_at) {
            (Some(by), Some(at)) => format!(
                "{by} {} · {}",
                when(at),
                d.complaint.decision_reason.clone().unwrap_or_default()
            ),
            _ => String::new(),
        };
        let t = c.t;
        ComplaintPage {
            row: ComplaintRowVm::from(&d.complaint),
            journey_href: d.complaint.journey_id.map(|j| format!("/journeys/{j}")),
            links: d
                .links
                .iter()
                .map(|l| (l.kind.clone(), l.source.clone(), l.record_id.clone()))
                .collect(),
            unresolved: attributions.iter().any(|a| a.unresolved),
            attributions,
            registered: st == "registered",
            open: matches!(st, "registered" | "investigating"),
            investigating: st == "investigating",
            may_investigate,
            may_decide,
            decision,
            stages: data.stages.iter().map(|(k, v)| (*k, v.clone())).collect(),
            findings: data
                .findings
                .iter()
                .map(|f| FindingVm::new(t, f, None))
                .collect(),
            history: data.history.iter().map(HistoryVm::from).collect(),
            c,
        }
    }
}

/// `/complaints/stats`.
#[derive(Template)]
#[template(path = "complaint_stats.html")]
pub struct ComplaintStatsPage {
    /// Frame.
    pub c: Chrome,
    /// Period shown.
    pub period: String,
    /// Tables: (catalog key of the heading, rows).
    pub tables: Vec<(&'static str, Vec<StatRow>)>,
    /// Upheld per employee as bars (our own SVG), or empty.
    pub chart: String,
}

impl ComplaintStatsPage {
    /// Builds the page.
    pub fn build(c: Chrome, period: String, s: ComplaintStats) -> ComplaintStatsPage {
        let bars: Vec<(String, f64)> = s
            .employees
            .iter()
            .filter(|r| r.complaints > 0 || r.upheld > 0)
            .take(20)
            .map(|r| (r.name.clone(), r.upheld as f64))
            .collect();
        let chart = if bars.is_empty() {
            String::new()
        } else {
            charts::bars(
                c.t.get("complaint_chart_upheld"),
                c.t.get("complaint_col_upheld"),
                &bars,
                None,
            )
        };
        ComplaintStatsPage {
            period,
            tables: vec![
                ("complaint_stats_stage", s.stages),
                ("complaint_stats_team", s.teams),
                ("complaint_stats_employee", s.employees),
            ],
            chart,
            c,
        }
    }
}
