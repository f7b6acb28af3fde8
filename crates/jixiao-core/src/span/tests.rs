use proptest::prelude::*;
use rust_decimal::dec;

use super::*;
use crate::kpi::Unit;

fn p(s: &str) -> Period {
    s.parse().unwrap()
}

fn lib(kpi: &str, n: Decimal, d: Decimal, value: Option<Decimal>, unit: Unit) -> LibraryValue {
    LibraryValue {
        kpi: kpi.into(),
        numerator: n,
        denominator: d,
        value,
        unit,
        version: None,
    }
}

fn card(
    no: &str,
    days: u32,
    total: Option<Decimal>,
    aht: (u32, u32),
    csat: (u32, u32),
) -> Scorecard {
    Scorecard {
        scheme: None,
        employee_id: i64::from(no.as_bytes()[3]),
        employee_no: no.into(),
        name: no.into(),
        team_id: 1,
        days,
        handled: aht.1.into(),
        points: Decimal::from(aht.1),
        points_lines: vec![],
        kpis: vec![],
        total,
        grade: None,
        rank_in_team: None,
        unit_price: dec!(1),
        variable_pay: Decimal::from(aht.1),
        rounding: String::new(),
        rounding_dp: None,
        pay_lines: vec![],
        notes: vec![],
        measures: vec![],
        library: vec![
            lib("aht", aht.0.into(), aht.1.into(), None, Unit::Seconds),
            lib("csat", csat.0.into(), csat.1.into(), None, Unit::Percent),
            lib(
                "handled",
                aht.1.into(),
                dec!(1),
                Some(aht.1.into()),
                Unit::Count,
            ),
        ],
        adjustments: vec![],
        unit_attainment: None,
    }
}

#[test]
fn spans_parse_print_and_list_their_months() {
    let q: Span = "2026-Q3".parse().unwrap();
    assert_eq!(q.to_string(), "2026-Q3");
    assert_eq!(
        q.months(1).unwrap(),
        vec![p("2026-07"), p("2026-08"), p("2026-09")]
    );
    // A fiscal year starting in April: its Q4 is January to March of the next calendar year.
    let q4: Span = "2026-Q4".parse().unwrap();
    assert_eq!(q4.months(4).unwrap()[0], p("2027-01"));
    let y: Span = "2026".parse().unwrap();
    assert_eq!(y.months(1).unwrap().len(), 12);
    assert_eq!(y.months(1).unwrap()[11], p("2026-12"));
    for bad in ["2026-Q5", "2026-Q0", "26", "2026-Q", "2026-Q11", "x"] {
        assert_eq!(
            bad.parse::<Span>().unwrap_err().code(),
            "invalid_value",
            "{bad}"
        );
    }
    assert!(y.months(13).is_err());
}

#[test]
fn a_quarters_ratios_are_ratios_of_sums_and_its_score_is_the_day_weighted_mean() {
    // July: 10 calls of 100 s, 1 of 2 surveys top-2; total 80 over 31 days.
    // August: 90 calls of 300 s, 9 of 9 surveys; total 95 over 10 days (joined late? no: moved).
    let months = vec![
        (
            p("2026-07"),
            vec![card("A001", 31, Some(dec!(80)), (1000, 10), (1, 2))],
        ),
        (
            p("2026-08"),
            vec![card("A001", 10, Some(dec!(95)), (27000, 90), (9, 9))],
        ),
        (p("2026-09"), vec![card("A001", 30, None, (0, 0), (0, 0))]),
    ];
    let agg = aggregate(&months);
    assert_eq!(agg.len(), 1);
    let a = &agg[0];
    let v = |k: &str| a.library.iter().find(|x| x.kpi == k).unwrap().value;
    // (1000 + 27000) ÷ (10 + 90) = 280 s, not the mean of 100 and 300.
    assert_eq!(v("aht"), Some(dec!(280)));
    // 10 ÷ 11 top-2 answers = 90.91 %, not the mean of 50 % and 100 %.
    assert_eq!(v("csat"), Some(dec!(90.91)));
    assert_eq!(v("handled"), Some(dec!(100)));
    assert_eq!((a.handled, a.points, a.days), (100, dec!(100), 71));
    // (80 × 31 + 95 × 10) ÷ 41; September has no total and does not count.
    assert_eq!(a.score, Some(dec!(83.66)));
    assert_eq!(a.months.len(), 3);
}

#[test]
fn an_agent_with_no_total_in_any_month_has_no_score_and_no_ratio_data() {
    let agg = aggregate(&[(p("2026-07"), vec![card("A002", 31, None, (0, 0), (0, 0))])]);
    assert_eq!(agg[0].score, None);
    assert_eq!(
        agg[0]
            .library
            .iter()
            .find(|x| x.kpi == "aht")
            .unwrap()
            .value,
        None
    );
}

proptest! {
    #[test]
    fn the_span_of_one_month_is_that_month(
        secs in 0_u32..1_000_000, handled in 1_u32..10_000, total in 0_u32..=100, days in 1_u32..=31,
    ) {
        let months = vec![(p("2026-07"), vec![card("A003", days, Some(total.into()), (secs, handled), (0, 0))])];
        let a = &aggregate(&months)[0];
        prop_assert_eq!(a.score, Some(Decimal::from(total)));
        let expected = round_half_up(Decimal::from(secs) / Decimal::from(handled), 2);
        prop_assert_eq!(a.library.iter().find(|x| x.kpi == "aht").unwrap().value, Some(expected));
    }

    #[test]
    fn summing_months_in_any_order_gives_the_same_values(
        a in (0_u32..100_000, 1_u32..1000), b in (0_u32..100_000, 1_u32..1000),
    ) {
        let m = |x: (u32, u32), per: &str| (p(per), vec![card("A004", 30, Some(dec!(50)), x, (1, 1))]);
        let one = aggregate(&[m(a, "2026-07"), m(b, "2026-08")]);
        let other = aggregate(&[m(b, "2026-07"), m(a, "2026-08")]);
        prop_assert_eq!(&one[0].library, &other[0].library);
    }
}
