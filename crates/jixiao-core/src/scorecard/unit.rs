//! Unit attainment on a leader's card: a supervisor's (or department head's) card carries
//! their unit's attainment of its targets, and a scheme item scoring
//! [`UNIT_ATTAINMENT`](crate::targets::UNIT_ATTAINMENT) turns it into part of the total.

use rust_decimal::Decimal;

use super::{Scorecard, finish};
use crate::kpi::KpiValue;
use crate::scheme::{Scheme, SchemeItem};
use crate::targets::{UNIT_ATTAINMENT, UnitAttainment};

/// Puts each leader's unit attainment on their cards and scores the scheme's
/// `unit_attainment` item from it: the item's value is the unit's score (the mean of its
/// targets' capped attainments; numerator Σ scores, denominator the number of targets), scored
/// by the item's rule (linear floor → target unless it has its own). A card with no unit, or
/// whose unit has no target with data, has "no data" for the item, so its weight is spread
/// over the others as for any KPI. Cards whose scheme has the item are totalled again.
///
/// Run it after the percentile post-pass and before pay and ranking, which read the total.
pub fn apply_unit_attainment<'s>(
    cards: &mut [Scorecard],
    scheme_of: impl Fn(&Scorecard) -> Option<&'s Scheme>,
    unit_of: impl Fn(&Scorecard) -> Option<UnitAttainment>,
) {
    for card in cards.iter_mut() {
        card.unit_attainment = unit_of(card);
        let Some(scheme) = scheme_of(card) else {
            continue;
        };
        let Some(i) = scheme
            .items
            .iter()
            .position(|it| it.library_kpi.as_deref() == Some(UNIT_ATTAINMENT))
        else {
            continue;
        };
        let item = &scheme.items[i];
        let (numerator, denominator) = card
            .unit_attainment
            .as_ref()
            .map_or((Decimal::ZERO, Decimal::ZERO), UnitAttainment::parts);
        let value = card.unit_attainment.as_ref().and_then(|u| u.score);
        let score = value.and_then(|v| match &item.scoring {
            Some(rule) => rule.score(v),
            None => Some(SchemeItem::score(v, item.floor, item.target)),
        });
        if let Some(k) = card.kpis.get_mut(i) {
            k.value = KpiValue {
                value,
                numerator,
                denominator,
            };
            k.score = score;
        }
        finish(card, scheme);
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;
    use crate::kpi::KpiCode;
    use crate::scheme::GradeBand;
    use crate::targets::{AttainmentRow, UnitKey, unit_rows};

    fn scheme() -> Scheme {
        let item = |weight, floor, target, library_kpi: Option<&str>| SchemeItem {
            kpi: KpiCode::Points,
            weight,
            floor,
            target,
            prorate: false,
            library_kpi: library_kpi.map(Into::into),
            scoring: None,
        };
        Scheme {
            items: vec![
                item(dec!(60), dec!(0), dec!(100), None),
                item(dec!(40), dec!(50), dec!(100), Some(UNIT_ATTAINMENT)),
            ],
            distribution: None,
            grades: vec![
                GradeBand {
                    grade: "A".into(),
                    min_score: dec!(90),
                },
                GradeBand {
                    grade: "D".into(),
                    min_score: dec!(0),
                },
            ],
        }
    }

    fn card(s: &Scheme, employee_id: i64, team_id: i64, handled: u64) -> Scorecard {
        crate::scorecard::fixture::inq_card(s, employee_id, "A001", team_id, handled)
    }

    #[test]
    fn the_scheme_with_a_unit_attainment_item_validates() {
        scheme().validate().unwrap();
    }

    #[test]
    fn a_supervisors_card_is_scored_on_the_teams_attainment_and_agents_spread_its_weight() {
        let s = scheme();
        // Team 7: supervisor 1 (50 points) and agent 2 (100 points); target 200 points.
        let mut cards = vec![card(&s, 1, 7, 50), card(&s, 2, 7, 100)];
        let targets = vec![(UnitKey::Team(7), "points".to_string(), dec!(200))];
        let team: Vec<Scorecard> = cards.clone();
        apply_unit_attainment(
            &mut cards,
            |_| Some(&s),
            |c| {
                (c.employee_id == 1).then(|| {
                    let rows = unit_rows(&[UnitKey::Team(7)], &targets, team.iter());
                    UnitAttainment::new("team", rows)
                })
            },
        );
        let sup = &cards[0];
        let unit = sup.unit_attainment.as_ref().unwrap();
        assert_eq!(
            unit.rows,
            vec![AttainmentRow::new(
                "points",
                vec!["team:7".into()],
                dec!(200),
                dec!(150),
                2
            )]
        );
        assert_eq!(unit.score, Some(dec!(75)));
        // 75 % attainment on a 50 → 100 scale is 50; own points 50 of 100 is 50.
        assert_eq!(sup.kpis[1].score, Some(dec!(50)));
        assert_eq!(sup.kpis[1].value.value, Some(dec!(75)));
        assert_eq!(sup.total, Some(dec!(50)));
        // The agent has no unit: the item is no data and its weight is spread.
        let agent = &cards[1];
        assert_eq!(agent.unit_attainment, None);
        assert_eq!(agent.kpis[1].score, None);
        assert_eq!(agent.total, Some(dec!(100)));
        assert!(
            agent
                .notes
                .iter()
                .any(|n| n.starts_with("unit_attainment: no data"))
        );
    }
}
