//! "Teams compared" (`/p/{period}/compare?teams=…`) and the overview's score distribution:
//! KPIs re-evaluated from sums (`rollup`), bar charts drawn by `charts::bars`.

use askama::Template;
use jixiao_core::distribution::{SCORE_BAND, score_bands};
use jixiao_core::scorecard::Scorecard;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use super::Chrome;
use super::overview::RowVm;
use super::rollup::rollup;
use crate::charts;
use crate::compete::Compared;
use crate::i18n::Tr;

/// Cards per 10-point band of the total score (0–9.99, …, 90–100), cards without a total
/// left out; `None` when no card has a total.
pub fn score_bins<'a>(
    cards: impl IntoIterator<Item = &'a Scorecard>,
) -> Option<Vec<(String, u32)>> {
    let totals: Vec<Decimal> = cards.into_iter().filter_map(|c| c.total).collect();
    (!totals.is_empty()).then(|| {
        (0_u32..)
            .zip(score_bands(totals))
            .map(|(i, n)| (format!("{}–{}", i * SCORE_BAND, (i + 1) * SCORE_BAND), n))
            .collect()
    })
}

/// The histogram of total scores, or "" when no card has a total.
pub fn distribution_chart<'a>(t: Tr, cards: impl IntoIterator<Item = &'a Scorecard>) -> String {
    let Some(bins) = score_bins(cards) else {
        return String::new();
    };
    let bars: Vec<(String, f64)> = bins.into_iter().map(|(l, n)| (l, f64::from(n))).collect();
    charts::bars(
        t.get("chart_distribution"),
        t.get("chart_agents"),
        &bars,
        None,
    )
}

/// One compared team.
#[derive(Debug, Clone)]
pub struct ComparedVm {
    /// Name.
    pub name: String,
    /// Code.
    pub code: String,
    /// Link to the team page.
    pub href: String,
    /// Figures from sums.
    pub row: RowVm,
    /// Mean total score, or "—".
    pub avg_total: String,
}

/// A team the user may pick.
#[derive(Debug, Clone)]
pub struct ChoiceVm {
    /// Id.
    pub id: i64,
    /// Name and code.
    pub label: String,
    /// Whether it is compared now.
    pub checked: bool,
}

/// `/p/{period}/compare`.
#[derive(Template)]
#[template(path = "compare.html")]
pub struct ComparePage {
    /// Frame.
    pub c: Chrome,
    /// The period.
    pub period: String,
    /// Teams to pick from.
    pub choices: Vec<ChoiceVm>,
    /// Teams compared.
    pub teams: Vec<ComparedVm>,
    /// Whether pay is shown.
    pub show_pay: bool,
    /// Mean total per team: our own inline SVG, or "".
    pub totals_chart: String,
    /// Points per team: our own inline SVG, or "".
    pub points_chart: String,
}

fn mean_total(cards: &[Scorecard]) -> Option<Decimal> {
    let totals: Vec<Decimal> = cards.iter().filter_map(|c| c.total).collect();
    (!totals.is_empty()).then(|| totals.iter().sum::<Decimal>() / Decimal::from(totals.len()))
}

impl ComparePage {
    /// Builds the page.
    pub fn build(
        c: Chrome,
        period: jixiao_core::Period,
        show_pay: bool,
        d: Compared,
    ) -> ComparePage {
        let chosen: Vec<i64> = d.teams.iter().map(|(t, _)| t.id).collect();
        let mut totals = Vec::new();
        let mut points = Vec::new();
        let teams = d
            .teams
            .iter()
            .map(|(t, cards)| {
                let r = rollup(cards);
                let avg = mean_total(cards).map(|a| jixiao_core::money::round_half_up(a, 2));
                if let Some(a) = avg.and_then(|a| a.to_f64()) {
                    totals.push((t.code.clone(), a));
                }
                points.push((t.code.clone(), r.points.to_f64().unwrap_or(0.0)));
                ComparedVm {
                    name: t.name.clone(),
                    code: t.code.clone(),
                    href: format!("/p/{period}/teams/{}", t.id),
                    avg_total: super::fmt::opt2(avg),
                    row: r.into(),
                }
            })
            .collect();
        let chart = |key: &str, y: &str, bars: &[(String, f64)], top| {
            if bars.is_empty() {
                String::new()
            } else {
                charts::bars(c.t.get(key), c.t.get(y), bars, top)
            }
        };
        ComparePage {
            period: period.to_string(),
            choices: d
                .choices
                .iter()
                .map(|t| ChoiceVm {
                    id: t.id,
                    label: format!("{} {}", t.name, t.code),
                    checked: chosen.contains(&t.id),
                })
                .collect(),
            teams,
            show_pay,
            totals_chart: chart("chart_team_avg", "col_total", &totals, Some(100.0)),
            points_chart: chart("chart_team_points", "col_points", &points, None),
            c,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    fn card(total: Option<Decimal>) -> Scorecard {
        crate::view::tests::test_card(1, 30, Decimal::ZERO, total)
    }

    #[test]
    fn totals_fall_into_ten_point_bins_with_one_hundred_in_the_last() {
        let cards = [
            card(Some(dec!(0))),
            card(Some(dec!(59.99))),
            card(Some(dec!(60))),
            card(Some(dec!(100))),
            card(None),
        ];
        let bins = score_bins(&cards).unwrap();
        let counts: Vec<u32> = bins.iter().map(|b| b.1).collect();
        assert_eq!(counts, [1, 0, 0, 0, 0, 1, 1, 0, 0, 1]);
        assert_eq!(bins[9].0, "90–100");
        assert!(score_bins(&[card(None)]).is_none());
    }

    #[test]
    fn the_distribution_chart_is_a_labelled_bar_chart() {
        let t = Tr::new(crate::i18n::Lang::En);
        let svg = distribution_chart(t, &[card(Some(dec!(75)))]);
        crate::charts::assert_csp_safe(&svg);
        assert!(svg.contains("70–80"));
        assert!(distribution_chart(t, &[card(None)]).is_empty());
    }
}
