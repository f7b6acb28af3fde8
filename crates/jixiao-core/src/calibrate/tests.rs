use super::*;
use rust_decimal::dec;

fn tc(s: &str) -> TypeCode {
    TypeCode::parse(s).unwrap()
}

fn tally(handled: u64, talk: u64, hold: u64, acw: u64) -> TypeTally {
    TypeTally {
        handled,
        talk_secs: talk,
        hold_secs: hold,
        acw_secs: acw,
    }
}

fn opts(base: &str, skill: &[(&str, Decimal)], dp: u32) -> CalibrationOptions {
    CalibrationOptions {
        base: tc(base),
        skill: skill.iter().map(|(c, f)| (tc(c), *f)).collect(),
        dp,
    }
}

fn coefs(v: &[(&str, Decimal)]) -> BTreeMap<TypeCode, Decimal> {
    v.iter().map(|(c, f)| (tc(c), *f)).collect()
}

fn measured() -> BTreeMap<TypeCode, TypeTally> {
    [
        // PS: 4 calls, 400 + 80 + 120 = 600 s, mean 150.
        ("PS", tally(4, 400, 80, 120)),
        // IN: 2 calls, 500 + 0 + 175 = 675 s, mean 337.5, ratio 2.25.
        ("IN", tally(2, 500, 0, 175)),
        // NE: 3 calls, 200 s, mean 66.67, ratio 0.4444…
        ("NE", tally(3, 200, 0, 0)),
    ]
    .into_iter()
    .map(|(c, t)| (tc(c), t))
    .collect()
}

fn find<'a>(c: &'a Calibration, code: &str) -> &'a CalibrationLine {
    c.lines.iter().find(|l| l.code.as_str() == code).unwrap()
}

#[test]
fn coefficients_are_mean_handle_time_over_the_base_mean_including_hold_and_acw() {
    let current = coefs(&[("PS", dec!(1)), ("IN", dec!(1.5))]);
    let c = calibrate(&measured(), &current, &opts("PS", &[], 2)).unwrap();
    assert_eq!(c.base_mean_secs, dec!(150));
    let ps = find(&c, "PS");
    assert_eq!((ps.proposed, ps.ratio), (Some(dec!(1)), Some(dec!(1))));
    let inq = find(&c, "IN");
    assert_eq!(inq.mean_secs, Some(dec!(337.5)));
    assert_eq!(inq.proposed, Some(dec!(2.25)));
    assert_eq!(inq.change, Some(dec!(0.75)));
    let ne = find(&c, "NE");
    assert_eq!(
        (ne.mean_secs, ne.ratio),
        (Some(dec!(66.67)), Some(dec!(0.4444)))
    );
    assert_eq!(
        (ne.proposed, ne.current, ne.change),
        (Some(dec!(0.44)), None, None)
    );
}

#[test]
fn skill_factors_multiply_the_exact_ratio_before_rounding() {
    // NE: 4/9 × 1.125 = 0.5 (to 28 digits); rounding the ratio first would give 0.44 × 1.125 = 0.495.
    let c = calibrate(
        &measured(),
        &BTreeMap::new(),
        &opts("PS", &[("NE", dec!(1.125)), ("IN", dec!(2))], 2),
    )
    .unwrap();
    assert_eq!(find(&c, "NE").proposed, Some(dec!(0.50)));
    assert_eq!(find(&c, "IN").proposed, Some(dec!(4.50)));
    assert_eq!(find(&c, "IN").skill, dec!(2));
    assert_eq!(find(&c, "PS").skill, dec!(1));
}

#[test]
fn midpoints_round_half_away_from_zero() {
    // X: mean 168.75 = 1.125 × 150 → 1.13 at 2 dp, 1.1 at 1 dp, 1 at 0 dp; 2.5 → 3 at 0 dp.
    let mut m = measured();
    m.insert(tc("X"), tally(4, 675, 0, 0));
    m.insert(tc("Y"), tally(2, 750, 0, 0));
    let p = |dp| calibrate(&m, &BTreeMap::new(), &opts("PS", &[], dp)).unwrap();
    assert_eq!(find(&p(2), "X").proposed, Some(dec!(1.13)));
    assert_eq!(find(&p(1), "X").proposed, Some(dec!(1.1)));
    assert_eq!(find(&p(0), "X").proposed, Some(dec!(1)));
    assert_eq!(find(&p(0), "Y").proposed, Some(dec!(3)));
    assert_eq!(find(&p(4), "NE").proposed, Some(dec!(0.4444)));
    // Shown with exactly dp decimals: 1 at 2 dp reads 1.00.
    assert_eq!(find(&p(2), "PS").proposed.unwrap().to_string(), "1.00");
    assert_eq!(find(&p(2), "X").mean_secs.unwrap().to_string(), "168.75");
}

#[test]
fn a_type_with_no_handled_calls_gets_no_proposal_and_keeps_its_coefficient() {
    let mut m = measured();
    m.insert(tc("TT"), TypeTally::default());
    let current = coefs(&[("PS", dec!(1)), ("PE", dec!(3))]);
    let c = calibrate(&m, &current, &opts("PS", &[], 2)).unwrap();
    for code in ["TT", "PE"] {
        let l = find(&c, code);
        assert_eq!(
            (l.handled, l.mean_secs, l.proposed),
            (0, None, None),
            "{code}"
        );
    }
    assert_eq!(find(&c, "PE").current, Some(dec!(3)));
    let applied = c.applied_to(&current);
    assert_eq!(applied[&tc("PE")], dec!(3));
    assert_eq!(applied[&tc("IN")], dec!(2.25));
    assert!(!c.proposed().contains_key(&tc("TT")));
}

#[test]
fn a_base_that_was_not_measured_or_has_no_time_is_rejected() {
    let none = BTreeMap::new();
    let e = calibrate(&measured(), &none, &opts("ZZ", &[], 2)).unwrap_err();
    assert_eq!(e.code(), "invalid_value");
    assert!(e.to_string().contains("base type"), "{e}");
    let mut m = measured();
    m.insert(tc("ZZ"), TypeTally::default());
    assert!(calibrate(&m, &none, &opts("ZZ", &[], 2)).is_err());
    m.insert(tc("ZZ"), tally(3, 0, 0, 0));
    assert!(calibrate(&m, &none, &opts("ZZ", &[], 2)).is_err());
}

#[test]
fn skill_factors_must_be_positive_and_name_a_known_type() {
    let none = BTreeMap::new();
    for f in [dec!(0), dec!(-1)] {
        let e = calibrate(&measured(), &none, &opts("PS", &[("IN", f)], 2)).unwrap_err();
        assert!(e.to_string().contains("greater than 0"), "{e}");
    }
    let e = calibrate(&measured(), &none, &opts("PS", &[("QQ", dec!(1))], 2)).unwrap_err();
    assert!(e.to_string().contains("QQ"), "{e}");
    assert!(calibrate(&measured(), &none, &opts("PS", &[], 5)).is_err());
}

#[test]
fn the_effect_gives_points_and_rounded_pay_per_agent_and_totals_of_the_agents() {
    let part = |v: &[(&str, u64)]| Partial {
        by_type: v.iter().map(|(c, n)| (tc(c), tally(*n, 0, 0, 0))).collect(),
        ..Partial::default()
    };
    let partials: BTreeMap<&str, Partial> = [
        ("A", part(&[("PS", 10), ("IN", 3)])),
        ("B", part(&[("NE", 1)])),
    ]
    .into_iter()
    .collect();
    let before = coefs(&[("PS", dec!(1)), ("IN", dec!(1)), ("NE", dec!(1))]);
    let after = coefs(&[("PS", dec!(1)), ("IN", dec!(2.25)), ("NE", dec!(0.44))]);
    let e = effect(
        &partials,
        &before,
        &after,
        dec!(1.005),
        RoundingRule::default(),
    );
    let a = &e.agents[0];
    assert_eq!((a.points_before, a.points_after), (dec!(13), dec!(16.75)));
    // 13 × 1.005 = 13.065 → 13.07; 16.75 × 1.005 = 16.83375 → 16.83.
    assert_eq!((a.pay_before, a.pay_after), (dec!(13.07), dec!(16.83)));
    assert_eq!(a.pay_change(), dec!(3.76));
    let b = &e.agents[1];
    // 0.44 × 1.005 = 0.4422 → 0.44; 1.005 → 1.01.
    assert_eq!((b.pay_before, b.pay_after), (dec!(1.01), dec!(0.44)));
    assert_eq!((e.points_before, e.points_after), (dec!(14), dec!(17.19)));
    assert_eq!((e.pay_before, e.pay_after), (dec!(14.08), dec!(17.27)));
}
