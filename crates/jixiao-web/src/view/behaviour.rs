//! The team's behaviour-rating page and the ratings shown on an agent's card.

use askama::Template;
use jixiao_core::behaviour::{Anchor, AnchoredScale};
use jixiao_store::BehaviourRating;

use super::Chrome;
use crate::i18n::{Lang, Tr};
use crate::people::TeamRatings;

/// One level of the scale, in the page's language.
#[derive(Debug, Clone)]
pub struct AnchorVm {
    /// 1–5.
    pub level: u8,
    /// The score it is worth.
    pub score: String,
    /// The behaviour that earns it.
    pub text: String,
}

fn anchor_vm(t: Tr, a: &Anchor) -> AnchorVm {
    AnchorVm {
        level: a.level,
        score: a.score.to_string(),
        text: match t.lang {
            Lang::ZhCn => a.text_zh.clone(),
            Lang::En => a.text_en.clone(),
        },
    }
}

/// The standard scale's anchors, level 1 first.
pub fn scale(t: Tr) -> Vec<AnchorVm> {
    AnchoredScale::standard()
        .anchors()
        .iter()
        .map(|a| anchor_vm(t, a))
        .collect()
}

/// One member row.
#[derive(Debug, Clone)]
pub struct MemberVm {
    /// Employee number.
    pub employee_no: String,
    /// Name.
    pub name: String,
    /// The current level, 0 when not rated.
    pub level: u8,
    /// The current comment.
    pub comment: String,
    /// Who rated and when, or "".
    pub rated: String,
}

/// `/p/{period}/teams/{team_id}/behaviour`.
#[derive(Template)]
#[template(path = "behaviour.html")]
pub struct BehaviourPage {
    /// Frame.
    pub c: Chrome,
    /// The period.
    pub period: String,
    /// Team name.
    pub team: String,
    /// The form's action.
    pub action: String,
    /// Back to the team.
    pub team_href: String,
    /// The scale.
    pub anchors: Vec<AnchorVm>,
    /// Members.
    pub members: Vec<MemberVm>,
    /// Whether the forms are shown.
    pub editable: bool,
}

impl BehaviourPage {
    /// Builds the page.
    pub fn build(c: Chrome, period: jixiao_core::Period, d: TeamRatings) -> BehaviourPage {
        let members = d
            .members
            .into_iter()
            .map(|m| {
                let r = m.rating.as_ref();
                MemberVm {
                    employee_no: m.employee.employee_no.to_string(),
                    name: m.employee.name,
                    level: r.map_or(0, |r| r.level),
                    comment: r.map(|r| r.comment.clone()).unwrap_or_default(),
                    rated: r
                        .map(|r| format!("{} {}", r.rated_by, r.rated_at.format("%Y-%m-%d")))
                        .unwrap_or_default(),
                }
            })
            .collect();
        BehaviourPage {
            period: period.to_string(),
            team: d.team.name,
            action: format!("/p/{period}/teams/{}/behaviour", d.team.id),
            team_href: format!("/p/{period}/teams/{}", d.team.id),
            anchors: scale(c.t),
            members,
            editable: d.editable,
            c,
        }
    }
}

/// A rating on an agent's card, with its anchor text.
#[derive(Debug, Clone)]
pub struct RatingVm {
    /// Team name.
    pub team: String,
    /// The level and its anchor.
    pub anchor: AnchorVm,
    /// The rater's comment.
    pub comment: String,
    /// Who rated.
    pub rated_by: String,
}

/// A competition the agent is in, with their place.
#[derive(Debug, Clone)]
pub struct MyCompetitionVm {
    /// Name.
    pub name: String,
    /// Link.
    pub href: String,
    /// "3 / 12", or "—" without data.
    pub rank: String,
    /// The prize.
    pub prize: String,
}

/// The extra sections of the agent page: behaviour ratings and competitions.
#[derive(Debug, Clone, Default)]
pub struct AgentExtrasVm {
    /// Ratings of the visible segments.
    pub ratings: Vec<RatingVm>,
    /// Competitions the agent is in.
    pub competitions: Vec<MyCompetitionVm>,
}

impl AgentExtrasVm {
    /// Builds the ratings part; `team_name` names a team id.
    pub fn ratings(
        t: Tr,
        ratings: &[BehaviourRating],
        team_name: impl Fn(i64) -> String,
    ) -> Vec<RatingVm> {
        let scale = AnchoredScale::standard();
        ratings
            .iter()
            .filter_map(|r| {
                Some(RatingVm {
                    team: team_name(r.team_id),
                    anchor: anchor_vm(t, scale.anchor(r.level)?),
                    comment: r.comment.clone(),
                    rated_by: r.rated_by.clone(),
                })
            })
            .collect()
    }
}
