//! The payslip of a scorecard: points pay, KPI bonus and adjustments, under a department's
//! pay rules. It runs after every post-pass, because the KPI bonus reads the final total.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Scorecard;
use crate::CoreError;
use crate::money::{RoundingRule, round_half_up};
use crate::pay::{Adjustment, BonusBand, BonusTable, PayInput, payslip};

/// A department's pay rules besides the unit price (which the scheme's rules carry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRules {
    /// The KPI bonus base.
    pub bonus_base: Decimal,
    /// The score-to-coefficient table.
    pub bonus_table: BonusTable,
    /// How every payslip line is rounded.
    pub rounding: RoundingRule,
    /// The labour budget of a period (Σ variable pay); `None` when none is set.
    pub budget: Option<Decimal>,
}

impl Default for PayRules {
    /// No bonus, rounding to fen, no budget: a payslip is then exactly points × unit price.
    fn default() -> Self {
        PayRules {
            bonus_base: Decimal::ZERO,
            bonus_table: BonusTable::new(vec![BonusBand {
                min_score: Decimal::ZERO,
                coefficient: Decimal::ZERO,
            }])
            .expect("a single band from 0 is a valid table"),
            rounding: RoundingRule::default(),
            budget: None,
        }
    }
}

/// Replaces the card's variable pay by its payslip: points × unit price + KPI bonus
/// (coefficient of the total's band × bonus base) ± `adjustments`, each line rounded by the
/// rule, the total the sum of the rounded lines, plus any corrections already on the card.
/// Fails as [`payslip`] does.
///
/// The bonus base is prorated by the days of the segment over `period_days` (to the fen), so
/// an agent who moved team mid-month earns one bonus base in all, not one per team.
pub fn apply_pay(
    card: &mut Scorecard,
    rules: &PayRules,
    period_days: u32,
    adjustments: &[Adjustment],
) -> Result<(), CoreError> {
    let bonus_base = if card.days >= period_days || period_days == 0 {
        rules.bonus_base
    } else {
        let share = Decimal::from(card.days) / Decimal::from(period_days);
        round_half_up(rules.bonus_base * share, 2)
    };
    let slip = payslip(&PayInput {
        points: card.points,
        unit_price: card.unit_price,
        score: card.total,
        bonus_base,
        bonus_table: &rules.bonus_table,
        adjustments,
        rounding: rules.rounding,
    })?;
    // Corrections already on the card (`adjustment::apply`) stay on top of the payslip.
    let corrections: Decimal = card.adjustments.iter().map(|a| a.pay).sum();
    card.variable_pay = slip.total + corrections;
    card.rounding = slip.rounding;
    card.rounding_dp = Some(slip.rounding_dp);
    card.pay_lines = slip.lines;
    Ok(())
}

#[cfg(test)]
mod tests {
    use rust_decimal::dec;

    use super::*;
    use crate::pay::{AdjustmentKind, PayLineKind};

    fn card(points: Decimal, price: Decimal, total: Option<Decimal>) -> Scorecard {
        Scorecard {
            scheme: None,
            employee_id: 1,
            employee_no: "A001".into(),
            name: String::new(),
            team_id: 1,
            days: 30,
            handled: 0,
            points,
            points_lines: vec![],
            kpis: vec![],
            total,
            grade: None,
            rank_in_team: None,
            unit_price: price,
            variable_pay: Decimal::ZERO,
            rounding: String::new(),
            rounding_dp: None,
            pay_lines: vec![],
            notes: vec![],
            measures: vec![],
            library: vec![],
            adjustments: vec![],
            unit_attainment: None,
        }
    }

    fn rules() -> PayRules {
        let band = |min_score, coefficient| BonusBand {
            min_score,
            coefficient,
        };
        PayRules {
            bonus_base: dec!(1000),
            bonus_table: BonusTable::new(vec![
                band(dec!(90), dec!(1.2)),
                band(dec!(60), dec!(1)),
                band(dec!(0), dec!(0)),
            ])
            .unwrap(),
            rounding: RoundingRule { dp: 1 },
            budget: None,
        }
    }

    #[test]
    fn variable_pay_is_points_pay_plus_kpi_bonus_plus_adjustments_as_printed() {
        let mut c = card(dec!(1234.5678), dec!(0.5), Some(dec!(92)));
        let penalty = Adjustment {
            kind: AdjustmentKind::Penalty,
            amount: dec!(50),
            reason: "upheld complaint".into(),
        };
        apply_pay(&mut c, &rules(), 30, &[penalty]).unwrap();
        let kinds: Vec<_> = c.pay_lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [
                PayLineKind::Points,
                PayLineKind::KpiBonus,
                PayLineKind::Penalty
            ]
        );
        assert_eq!(c.pay_lines[0].amount, dec!(617.3));
        assert_eq!(c.pay_lines[1].amount, dec!(1200.0));
        assert_eq!(c.variable_pay, dec!(1767.3));
        assert_eq!(c.rounding_dp, Some(1));
        assert!(c.rounding.contains("1 decimal places"));
    }

    #[test]
    fn default_pay_rules_pay_exactly_points_times_unit_price() {
        let mut c = card(dec!(101.005), dec!(1), None);
        apply_pay(&mut c, &PayRules::default(), 30, &[]).unwrap();
        assert_eq!(c.variable_pay, dec!(101.01));
        assert_eq!(c.pay_lines.len(), 2);
        assert_eq!(c.pay_lines[1].amount, Decimal::ZERO);
    }

    #[test]
    fn a_segment_of_part_of_the_period_earns_its_share_of_the_bonus_base() {
        let mut c = card(Decimal::ZERO, dec!(1), Some(dec!(95)));
        c.days = 10;
        apply_pay(&mut c, &rules(), 30, &[]).unwrap();
        assert_eq!(c.pay_lines[1].rate, dec!(333.33));
        assert_eq!(c.pay_lines[1].amount, dec!(400.0));
    }
}
