use proptest::prelude::*;
use rust_decimal::dec;

use super::*;

fn table() -> BonusTable {
    BonusTable::new(vec![
        BonusBand {
            min_score: dec!(90),
            coefficient: dec!(1.2),
        },
        BonusBand {
            min_score: dec!(75),
            coefficient: dec!(1),
        },
        BonusBand {
            min_score: dec!(60),
            coefficient: dec!(0.6),
        },
        BonusBand {
            min_score: dec!(0),
            coefficient: dec!(0),
        },
    ])
    .unwrap()
}

fn input<'a>(t: &'a BonusTable, adj: &'a [Adjustment], score: Option<Decimal>) -> PayInput<'a> {
    PayInput {
        points: dec!(1234.5678),
        unit_price: dec!(1.25),
        score,
        bonus_base: dec!(800),
        bonus_table: t,
        adjustments: adj,
        rounding: RoundingRule::default(),
    }
}

fn adj(kind: AdjustmentKind, amount: Decimal, reason: &str) -> Adjustment {
    Adjustment {
        kind,
        amount,
        reason: reason.into(),
    }
}

#[test]
fn a_payslip_is_points_pay_plus_kpi_bonus_plus_rewards_minus_penalties() {
    let t = table();
    let a = [
        adj(AdjustmentKind::Reward, dec!(200), "customer praise letter"),
        adj(AdjustmentKind::Penalty, dec!(50), "upheld complaint #1021"),
    ];
    let p = payslip(&input(&t, &a, Some(dec!(91.5)))).unwrap();
    let amounts: Vec<_> = p.lines.iter().map(|l| (l.kind, l.amount)).collect();
    assert_eq!(
        amounts,
        [
            (PayLineKind::Points, dec!(1543.21)),
            (PayLineKind::KpiBonus, dec!(960.00)),
            (PayLineKind::Reward, dec!(200)),
            (PayLineKind::Penalty, dec!(-50)),
        ]
    );
    assert_eq!(p.total, dec!(2653.21));
    assert_eq!(p.lines[3].note.as_deref(), Some("upheld complaint #1021"));
    assert_eq!(
        p.rounding,
        "rounded half away from zero to 2 decimal places (四舍五入)"
    );
}

#[test]
fn bonus_band_edges_belong_to_the_higher_band() {
    let t = table();
    let c = |s| t.coefficient(s);
    assert_eq!(
        [
            c(dec!(90)),
            c(dec!(89.99)),
            c(dec!(75)),
            c(dec!(60)),
            c(dec!(59.99))
        ],
        [dec!(1.2), dec!(1), dec!(1), dec!(0.6), dec!(0)]
    );
}

#[test]
fn no_total_score_earns_no_kpi_bonus_and_says_so() {
    let t = table();
    let p = payslip(&input(&t, &[], None)).unwrap();
    assert_eq!(p.lines[1].amount, dec!(0));
    assert_eq!(
        p.lines[1].note.as_deref(),
        Some("no total score: no KPI bonus")
    );
    assert_eq!(p.total, dec!(1543.21));
}

#[test]
fn the_rounding_rule_is_configurable_and_printed() {
    let t = table();
    let mut i = input(&t, &[], Some(dec!(80)));
    i.rounding = RoundingRule { dp: 0 };
    let p = payslip(&i).unwrap();
    assert_eq!(
        (p.lines[0].amount, p.total, p.rounding_dp),
        (dec!(1543), dec!(2343), 0)
    );
    assert!(p.rounding.contains("0 decimal places"));
}

#[test]
fn bad_adjustments_prices_and_tables_are_rejected() {
    let t = table();
    for a in [
        adj(AdjustmentKind::Reward, dec!(0), "x"),
        adj(AdjustmentKind::Penalty, dec!(5), " "),
    ] {
        assert!(payslip(&input(&t, std::slice::from_ref(&a), None)).is_err());
    }
    let mut i = input(&t, &[], None);
    i.unit_price = dec!(-1);
    assert!(payslip(&i).is_err());
    let band = |m, c| BonusBand {
        min_score: m,
        coefficient: c,
    };
    for bad in [
        vec![],
        vec![band(dec!(60), dec!(1))],
        vec![
            band(dec!(60), dec!(1)),
            band(dec!(70), dec!(0.5)),
            band(dec!(0), dec!(0)),
        ],
        vec![band(dec!(60), dec!(0.5)), band(dec!(0), dec!(1))],
        vec![band(dec!(0), dec!(-1))],
    ] {
        assert_eq!(BonusTable::new(bad).unwrap_err().code(), "invalid_rule");
    }
    let json = r#"[{"min_score":"50","coefficient":"1"}]"#;
    assert!(serde_json::from_str::<BonusTable>(json).is_err());
}

#[test]
fn the_budget_check_says_over_or_under_by_how_much() {
    let t = table();
    let p = payslip(&input(&t, &[], Some(dec!(95)))).unwrap();
    let two = [p.clone(), p];
    let over = budget_check(&two, dec!(5000)).unwrap();
    assert_eq!(
        (over.total_pay, over.difference, over.status),
        (dec!(5006.42), dec!(6.42), BudgetStatus::Over)
    );
    assert_eq!(over.used_percent, Some(dec!(100.13)));
    let under = budget_check(&two, dec!(6000)).unwrap();
    assert_eq!(
        (under.difference, under.status),
        (dec!(-993.58), BudgetStatus::Under)
    );
    assert_eq!(
        budget_check(&[], dec!(0)).unwrap().status,
        BudgetStatus::OnBudget
    );
}

proptest! {
    #[test]
    fn a_payslip_total_is_the_sum_of_its_rounded_lines(
        points in 0_i64..100_000_000, price in 0_i64..100_000, score in 0_i64..10_000,
        dp in 0_u32..5, rewards in prop::collection::vec((any::<bool>(), 1_i64..100_000), 0..5),
    ) {
        let t = table();
        let adjs: Vec<Adjustment> = rewards.iter().map(|&(r, a)| adj(
            if r { AdjustmentKind::Reward } else { AdjustmentKind::Penalty },
            Decimal::new(a, 2), "reason")).collect();
        let mut i = input(&t, &adjs, Some(Decimal::new(score, 2)));
        i.points = Decimal::new(points, 4);
        i.unit_price = Decimal::new(price, 3);
        i.rounding = RoundingRule { dp };
        let p = payslip(&i).unwrap();
        prop_assert_eq!(p.total, p.lines.iter().map(|l| l.amount).sum::<Decimal>());
        for l in &p.lines {
            prop_assert_eq!(l.amount, i.rounding.apply(l.quantity * l.rate));
            prop_assert!(l.amount.scale() <= dp);
        }
        prop_assert_eq!(payslip(&i).unwrap(), p);
    }
}
