//! View models of appeals, feedback notes and notifications (docs/FAIRNESS.md).

use askama::Template;
use jixiao_core::appeal::{Action, AppealStatus, TargetKind};
use jixiao_store::{Appeal, CardFigures, Note, Notification};

use super::fmt::{dec2, opt2};
use super::{Chrome, Pager};
use crate::i18n::Tr;

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// Catalog key of a target kind.
pub fn kind_key(k: TargetKind) -> &'static str {
    match k {
        TargetKind::Kpi => "appeal.kind_kpi",
        TargetKind::Deduction => "appeal.kind_deduction",
        TargetKind::Qa => "appeal.kind_qa",
        TargetKind::Finding => "appeal.kind_finding",
    }
}

/// Catalog key of a status.
pub fn status_key(s: AppealStatus) -> &'static str {
    match s {
        AppealStatus::Submitted => "appeal.status_submitted",
        AppealStatus::Escalated => "appeal.status_escalated",
        AppealStatus::Accepted => "appeal.status_accepted",
        AppealStatus::Rejected => "appeal.status_rejected",
        AppealStatus::Withdrawn => "appeal.status_withdrawn",
    }
}

/// Catalog key of an action.
pub fn action_key(a: &str) -> &'static str {
    match a {
        "submit" => "appeal.act_submit",
        "accept" => "appeal.act_accept",
        "reject" => "appeal.act_reject",
        "escalate" => "appeal.act_escalate",
        _ => "appeal.act_withdraw",
    }
}

/// A card's figures as one line: total · points · pay (pay only for roles that see it).
fn figures(t: Tr, f: Option<CardFigures>, pay: bool) -> String {
    let Some(f) = f else {
        return String::new();
    };
    let mut s = format!(
        "{} {} · {} {}",
        t.get("appeal.fig_total"),
        opt2(f.total),
        t.get("appeal.fig_points"),
        f.points.round_dp(2)
    );
    if pay {
        s.push_str(&format!(" · {} {}", t.get("appeal.fig_pay"), dec2(f.pay)));
    }
    s
}

/// One appeal in a list or on its page.
#[derive(Debug, Clone)]
pub struct AppealVm {
    /// Id.
    pub id: i64,
    /// `/appeals/{id}`.
    pub href: String,
    /// Period.
    pub period: String,
    /// Employee number and name.
    pub employee: String,
    /// Catalog key of the target kind.
    pub kind_key: &'static str,
    /// The target's reference.
    pub target: String,
    /// Catalog key of the status.
    pub status_key: &'static str,
    /// Stored status (CSS class).
    pub status: &'static str,
    /// The appellant's reason.
    pub reason: String,
    /// Evidence.
    pub evidence: String,
    /// Submitted by, at.
    pub submitted: String,
    /// Decided by, at (empty while open).
    pub decided: String,
    /// The decision's reason.
    pub decision_reason: String,
    /// The card before the decision (empty unless accepted).
    pub before: String,
    /// The card after it.
    pub after: String,
}

impl AppealVm {
    /// The row for `a`; pay figures only when `pay`.
    pub fn new(t: Tr, a: &Appeal, pay: bool) -> AppealVm {
        AppealVm {
            id: a.id,
            href: format!("/appeals/{}", a.id),
            period: a.period.to_string(),
            employee: format!("{} {}", a.employee_no, a.employee_name),
            kind_key: kind_key(a.target_kind),
            target: a.target_ref.clone(),
            status_key: status_key(a.status),
            status: a.status.as_str(),
            reason: a.reason.clone(),
            evidence: a.evidence.clone(),
            submitted: format!("{} {}", a.submitted_by, when(a.submitted_at)),
            decided: match (&a.decided_by, a.decided_at) {
                (Some(by), Some(at)) => format!("{by} {}", when(at)),
                _ => String::new(),
            },
            decision_reason: a.decision_reason.clone().unwrap_or_default(),
            before: figures(t, a.before, pay),
            after: figures(t, a.after, pay),
        }
    }
}

/// One note on the agent page.
#[derive(Debug, Clone)]
pub struct NoteVm {
    /// Catalog key of its kind.
    pub kind_key: &'static str,
    /// Text.
    pub body: String,
    /// Author and time.
    pub written: String,
    /// Acknowledged by and at (empty until then).
    pub acknowledged: String,
    /// The acknowledge form's action, for the agent while unacknowledged.
    pub ack_action: Option<String>,
}

impl NoteVm {
    /// The row for `n`; `own` when the viewer is the note's employee.
    pub fn new(n: &Note, own: bool) -> NoteVm {
        NoteVm {
            kind_key: match n.kind {
                jixiao_core::appeal::NoteKind::Feedback => "note.kind_feedback",
                jixiao_core::appeal::NoteKind::Coaching => "note.kind_coaching",
            },
            body: n.body.clone(),
            written: format!("{} {}", n.author, when(n.created_at)),
            acknowledged: match (&n.acknowledged_by, n.acknowledged_at) {
                (Some(by), Some(at)) => format!("{by} {}", when(at)),
                _ => String::new(),
            },
            ack_action: (own && n.acknowledged_at.is_none())
                .then(|| format!("/notes/{}/ack", n.id)),
        }
    }
}

/// The appeals and notes section of the agent page.
#[derive(Debug, Clone, Default)]
pub struct AgentAppealsVm {
    /// Whether the section is shown at all.
    pub shown: bool,
    /// This agent's appeals of the period.
    pub appeals: Vec<AppealVm>,
    /// The appeal form's action, for the agent while the review window is open.
    pub appeal_action: Option<String>,
    /// Active findings the agent may appeal: (id, reason).
    pub findings: Vec<(i64, String)>,
    /// Notes on the card.
    pub notes: Vec<NoteVm>,
    /// The note form's action, for the agent's supervisor or a manager.
    pub note_action: Option<String>,
}

/// `/appeals`.
#[derive(Template)]
#[template(path = "appeals.html")]
pub struct AppealsPage {
    /// Frame.
    pub c: Chrome,
    /// Rows.
    pub rows: Vec<AppealVm>,
    /// The status filter as given.
    pub status: String,
    /// Statuses to filter by: (stored, catalog key).
    pub statuses: Vec<(&'static str, &'static str)>,
    /// Pages.
    pub pager: Pager,
}

/// One step offered on the appeal page.
#[derive(Debug, Clone)]
pub struct ActionVm {
    /// Stored spelling.
    pub action: &'static str,
    /// Catalog key of its button.
    pub key: &'static str,
    /// Whether it takes a correction (accepting a non-finding appeal).
    pub correction: bool,
}

/// A step in the history.
#[derive(Debug, Clone)]
pub struct EventVm {
    /// Catalog key of the step.
    pub key: &'static str,
    /// Who and when.
    pub by: String,
    /// Why.
    pub reason: String,
}

/// `/appeals/{id}`.
#[derive(Template)]
#[template(path = "appeal.html")]
pub struct AppealPage {
    /// Frame.
    pub c: Chrome,
    /// The appeal.
    pub a: AppealVm,
    /// Its agent page.
    pub card_href: String,
    /// History.
    pub events: Vec<EventVm>,
    /// Steps the viewer may take.
    pub actions: Vec<ActionVm>,
    /// The step form's action.
    pub step_action: String,
}

impl AppealPage {
    /// The page of `a` for a viewer who may take `actions`.
    pub fn build(c: Chrome, a: &Appeal, actions: &[Action], pay: bool) -> AppealPage {
        let t = c.t;
        AppealPage {
            a: AppealVm::new(t, a, pay),
            card_href: format!("/p/{}/agents/{}", a.period, a.employee_no),
            events: a
                .events
                .iter()
                .map(|e| EventVm {
                    key: action_key(&e.action),
                    by: format!("{} {}", e.actor, when(e.at)),
                    reason: e.reason.clone(),
                })
                .collect(),
            actions: actions
                .iter()
                .map(|x| ActionVm {
                    action: x.as_str(),
                    key: action_key(x.as_str()),
                    correction: *x == Action::Accept && a.target_kind.needs_correction(),
                })
                .collect(),
            step_action: format!("/appeals/{}/step", a.id),
            c,
        }
    }
}

/// One notification.
#[derive(Debug, Clone)]
pub struct NotificationVm {
    /// Id.
    pub id: i64,
    /// Catalog key of its kind (`notify.kind_*`), or the kind itself when unknown.
    pub kind: String,
    /// Subject line.
    pub subject: String,
    /// Where it leads.
    pub link: String,
    /// When.
    pub at: String,
    /// Unread.
    pub unread: bool,
}

/// The catalog key of a notification kind.
pub fn notify_key(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "appeal.submitted" => "notify.kind_appeal_submitted",
        "appeal.accepted" => "notify.kind_appeal_accepted",
        "appeal.rejected" => "notify.kind_appeal_rejected",
        "appeal.escalated" => "notify.kind_appeal_escalated",
        "note.added" => "notify.kind_note_added",
        "period.review" => "notify.kind_period_review",
        "finding.new" => "notify.kind_finding_new",
        _ => return None,
    })
}

impl NotificationVm {
    /// The row for `n`.
    pub fn new(t: Tr, n: &Notification) -> NotificationVm {
        NotificationVm {
            id: n.id,
            kind: notify_key(&n.kind).map_or_else(|| n.kind.clone(), |k| t.get(k).to_string()),
            subject: n.subject.clone(),
            // Only app-relative links are followed, whatever was stored.
            link: if n.link.starts_with('/') && !n.link.starts_with("//") {
                n.link.clone()
            } else {
                "/".into()
            },
            at: when(n.created_at),
            unread: n.read_at.is_none(),
        }
    }
}

/// `/notifications`.
#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage {
    /// Frame.
    pub c: Chrome,
    /// Rows.
    pub rows: Vec<NotificationVm>,
    /// Pages.
    pub pager: Pager,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_app_relative_links_are_followed() {
        let n = |link: &str| Notification {
            id: 1,
            kind: "x".into(),
            subject: String::new(),
            link: link.into(),
            created_at: chrono::Utc::now(),
            read_at: None,
        };
        let t = Tr::new(crate::i18n::Lang::En);
        assert_eq!(NotificationVm::new(t, &n("/appeals/1")).link, "/appeals/1");
        assert_eq!(NotificationVm::new(t, &n("//evil.example")).link, "/");
        assert_eq!(NotificationVm::new(t, &n("https://evil.example")).link, "/");
    }
}
