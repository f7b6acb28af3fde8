//! `/competitions` and `/competitions/{id}`: definitions, standings and "my rank".

use askama::Template;
use jixiao_core::kpi::standard_kpi;
use jixiao_store::EntrantKind;

use super::Chrome;
use super::fmt::opt2;
use crate::compete::SeenCompetition;
use crate::i18n::{Lang, Tr};

/// One standing row.
#[derive(Debug, Clone)]
pub struct StandingVm {
    /// Rank, or "—".
    pub rank: String,
    /// Team or agent name.
    pub label: String,
    /// Team code or employee number.
    pub code: String,
    /// The value.
    pub value: String,
    /// Whether this row is the viewer (or their team).
    pub mine: bool,
}

/// One competition.
#[derive(Debug, Clone)]
pub struct CompetitionVm {
    /// Link.
    pub href: String,
    /// Name.
    pub name: String,
    /// What is ranked, in words.
    pub metric: String,
    /// "2026-10 – 2026-12".
    pub periods: String,
    /// Teams or agents, in words.
    pub kind: &'static str,
    /// Which way ranks first, in words.
    pub direction: &'static str,
    /// The prize.
    pub prize: String,
    /// The viewer's place, or "".
    pub my_rank: String,
    /// Standings.
    pub standings: Vec<StandingVm>,
}

/// The metric's name in the page's language.
pub fn metric_name(t: Tr, metric: &str) -> String {
    match (metric, standard_kpi(metric)) {
        ("points", _) => t.get("col_points").to_string(),
        ("total", _) => t.get("col_total").to_string(),
        (_, Some(k)) => match t.lang {
            Lang::ZhCn => k.name_zh.to_string(),
            Lang::En => k.name_en.to_string(),
        },
        (other, None) => other.to_string(),
    }
}

impl CompetitionVm {
    /// Builds one competition's view.
    pub fn build(t: Tr, s: &SeenCompetition) -> CompetitionVm {
        let c = &s.competition;
        CompetitionVm {
            href: format!("/competitions/{}", c.id),
            name: c.name.clone(),
            metric: metric_name(t, &c.metric),
            periods: format!("{} – {}", c.first_period, c.last_period),
            kind: match c.entrant_kind {
                EntrantKind::Team => t.get("comp_kind_team"),
                EntrantKind::Agent => t.get("comp_kind_agent"),
            },
            direction: if c.higher_is_better {
                t.get("comp_higher")
            } else {
                t.get("comp_lower")
            },
            prize: c.prize.clone(),
            my_rank: s
                .my_rank()
                .map(|r| format!("{r} / {}", s.standings.len()))
                .unwrap_or_default(),
            standings: s
                .standings
                .iter()
                .map(|r| StandingVm {
                    rank: r.rank.map_or_else(|| "—".to_string(), |r| r.to_string()),
                    label: r.label.clone(),
                    code: r.code.clone(),
                    value: opt2(r.value),
                    mine: s.mine.contains(&r.entrant_id),
                })
                .collect(),
        }
    }
}

/// A metric the create form offers: (code, name).
pub fn metric_choices(t: Tr) -> Vec<(String, String)> {
    let mut out = vec![
        ("points".to_string(), metric_name(t, "points")),
        ("total".to_string(), metric_name(t, "total")),
    ];
    out.extend(
        jixiao_core::kpi::STANDARD_KPIS
            .iter()
            .filter(|k| k.code != "points")
            .map(|k| (k.code.to_string(), metric_name(t, k.code))),
    );
    out
}

/// `/competitions`.
#[derive(Template)]
#[template(path = "competitions.html")]
pub struct CompetitionsPage {
    /// Frame.
    pub c: Chrome,
    /// The competitions the viewer may see.
    pub items: Vec<CompetitionVm>,
    /// Whether the create form is shown (managers).
    pub can_create: bool,
    /// Metrics for the form.
    pub metrics: Vec<(String, String)>,
    /// Team codes and employee numbers the form suggests: (code, label).
    pub entrants: Vec<(String, String)>,
    /// Catalog key of a form error.
    pub error: Option<&'static str>,
}

/// `/competitions/{id}`.
#[derive(Template)]
#[template(path = "competition.html")]
pub struct CompetitionPage {
    /// Frame.
    pub c: Chrome,
    /// The competition.
    pub item: CompetitionVm,
}
