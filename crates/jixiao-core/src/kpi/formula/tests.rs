use rust_decimal::{Decimal, dec};

use super::*;
use crate::kpi::units::Unit;

fn cat() -> MeasureCatalog {
    MeasureCatalog::standard()
}

fn parse(text: &str) -> Result<Formula, FormulaError> {
    Formula::parse(text, &cat())
}

fn totals(pairs: &[(&str, Decimal)]) -> MeasureTotals {
    MeasureTotals::from_pairs(pairs.iter().copied()).unwrap()
}

fn eval(text: &str, pairs: &[(&str, Decimal)]) -> Result<Option<Decimal>, FormulaError> {
    parse(text)?.evaluate(&totals(pairs))
}

#[test]
fn a_service_level_formula_evaluates_on_summed_measures() {
    let f = parse("answered_within_threshold / offered * 100").unwrap();
    let t = totals(&[
        ("answered_within_threshold", dec!(80)),
        ("offered", dec!(125)),
    ]);
    assert_eq!(f.evaluate(&t), Ok(Some(dec!(64))));
    assert_eq!(
        f.measures().collect::<Vec<_>>(),
        ["answered_within_threshold", "offered"]
    );
    assert!(f.check_unit(Unit::Percent).is_ok());
}

#[test]
fn operators_follow_the_usual_precedence_and_unary_minus_binds_tightest() {
    assert_eq!(eval("1 + 2 * 3", &[]), Ok(Some(dec!(7))));
    assert_eq!(eval("(1 + 2) * 3", &[]), Ok(Some(dec!(9))));
    assert_eq!(eval("10 - 4 - 3", &[]), Ok(Some(dec!(3))));
    assert_eq!(eval("12 / 4 / 3", &[]), Ok(Some(dec!(1))));
    assert_eq!(eval("-2 * -3", &[]), Ok(Some(dec!(6))));
    assert_eq!(eval("- (1.5 + 0.25)", &[]), Ok(Some(dec!(-1.75))));
}

#[test]
fn functions_min_max_round_and_if_zero_work() {
    let t = [("handled", dec!(3)), ("handle_secs", dec!(1000))];
    assert_eq!(eval("min(handled, 2)", &t), Ok(Some(dec!(2))));
    assert_eq!(eval("max(handled, 2)", &t), Ok(Some(dec!(3))));
    assert_eq!(
        eval("round(handle_secs / handled, 1)", &t),
        Ok(Some(dec!(333.3)))
    );
    assert_eq!(eval("round(2.5, 0)", &[]), Ok(Some(dec!(3))));
    assert_eq!(eval("round(-2.5, 0)", &[]), Ok(Some(dec!(-3))));
    assert_eq!(eval("if_zero(transferred, 7)", &t), Ok(Some(dec!(7))));
    assert_eq!(eval("if_zero(handled, 7)", &t), Ok(Some(dec!(3))));
    // if_zero also stands in for "no data".
    assert_eq!(
        eval("if_zero(talk_secs / surveys, 0)", &t),
        Ok(Some(dec!(0)))
    );
}

#[test]
fn a_measure_with_nothing_counted_is_zero() {
    assert_eq!(
        eval("offered + answered", &[("offered", dec!(4))]),
        Ok(Some(dec!(4)))
    );
}

#[test]
fn division_by_zero_follows_the_formulas_policy() {
    let f = parse("handle_secs / handled").unwrap();
    let t = totals(&[("handle_secs", dec!(10))]);
    assert_eq!(f.evaluate(&t), Ok(None));
    let zero = f.clone().with_div_zero(DivZero::Zero);
    assert_eq!(zero.evaluate(&t), Ok(Some(dec!(0))));
    let err = f.with_div_zero(DivZero::Error).evaluate(&t).unwrap_err();
    assert_eq!(err, FormulaError::DivisionByZero { column: 13 });
    assert_eq!(err.code(), "formula_division_by_zero");
}

#[test]
fn no_data_propagates_through_arithmetic_and_functions() {
    assert_eq!(eval("handle_secs / handled + 5", &[]), Ok(None));
    assert_eq!(eval("max(handle_secs / handled, 1)", &[]), Ok(None));
    assert_eq!(eval("round(handle_secs / handled, 2)", &[]), Ok(None));
}

#[test]
fn overflow_is_an_error_not_a_panic() {
    let big = Decimal::MAX;
    let err = eval("order_amount * 10", &[("order_amount", big)]).unwrap_err();
    assert_eq!(err, FormulaError::Overflow { column: 14 });
    assert_eq!(err.code(), "formula_overflow");
    assert!(eval("order_amount + order_amount", &[("order_amount", big)]).is_err());
    assert!(eval("order_amount / 0.1", &[("order_amount", big)]).is_err());
    assert!(eval("0 - order_amount - order_amount", &[("order_amount", big)]).is_err());
}

#[test]
fn syntax_errors_point_at_the_character() {
    let col = |text: &str| {
        let e = parse(text).unwrap_err();
        assert_eq!(e.code(), "formula_syntax", "{text}: {e}");
        e.column().unwrap()
    };
    assert_eq!(col("offered +"), 10);
    assert_eq!(col("offered answered"), 9);
    assert_eq!(col("(offered"), 9);
    assert_eq!(col("offered)"), 8);
    assert_eq!(col("offered # 2"), 9);
    assert_eq!(col(""), 1);
    assert_eq!(col("1."), 3);
    assert_eq!(col("min(1,)"), 7);
    let e = parse("(offered").unwrap_err();
    assert_eq!(
        e.to_string(),
        "syntax error at character 9: the parenthesis opened at character 1 is not closed"
    );
}

#[test]
fn an_unknown_measure_is_rejected_with_a_suggestion() {
    let e = parse("answered / ofered * 100").unwrap_err();
    assert_eq!(
        e,
        FormulaError::UnknownMeasure {
            name: "ofered".into(),
            column: 12,
            suggestion: Some("offered".into())
        }
    );
    assert_eq!(e.code(), "formula_unknown_measure");
    assert_eq!(
        e.to_string(),
        "unknown measure \"ofered\" at character 12 (did you mean \"offered\"?)"
    );
    let far = parse("xyzzy_quux").unwrap_err();
    assert!(matches!(
        far,
        FormulaError::UnknownMeasure {
            suggestion: None,
            ..
        }
    ));
}

#[test]
fn unknown_functions_and_wrong_arities_are_rejected() {
    let e = parse("mn(handled, 1)").unwrap_err();
    assert_eq!(e.code(), "formula_unknown_function");
    assert!(e.to_string().contains("did you mean \"min\""), "{e}");
    assert_eq!(parse("min(handled)").unwrap_err().code(), "formula_arity");
    assert_eq!(parse("round(1, 2, 3)").unwrap_err().code(), "formula_arity");
}

#[test]
fn round_takes_a_whole_literal_number_of_places() {
    for bad in [
        "round(1, 1.5)",
        "round(1, handled)",
        "round(1, 11)",
        "round(1, -1)",
    ] {
        assert_eq!(
            parse(bad).unwrap_err().code(),
            "formula_bad_argument",
            "{bad}"
        );
    }
    assert!(parse("round(1, 10)").is_ok());
}

#[test]
fn adding_seconds_to_counts_is_a_unit_mismatch() {
    let e = parse("talk_secs + handled").unwrap_err();
    assert_eq!(
        e,
        FormulaError::UnitMismatch {
            operation: "add",
            column: 11,
            left: "seconds".into(),
            right: "number".into()
        }
    );
    assert_eq!(e.code(), "formula_unit_mismatch");
    for bad in [
        "scheduled_mins - talk_secs",
        "min(order_amount, points)",
        "if_zero(talk_secs, surveys)",
    ] {
        assert_eq!(
            parse(bad).unwrap_err().code(),
            "formula_unit_mismatch",
            "{bad}"
        );
    }
}

#[test]
fn literals_take_the_unit_of_what_they_are_added_to() {
    let f = parse("talk_secs + 5").unwrap();
    assert!(f.check_unit(Unit::Seconds).is_ok());
    let f = parse("(handle_secs + 30 * 2) / handled").unwrap();
    assert!(f.check_unit(Unit::Seconds).is_ok());
    assert!(
        parse("order_amount / buyers_paid")
            .unwrap()
            .check_unit(Unit::Money)
            .is_ok()
    );
}

#[test]
fn a_kpi_declared_in_another_unit_is_rejected() {
    let e = parse("handle_secs / handled")
        .unwrap()
        .check_unit(Unit::Percent)
        .unwrap_err();
    assert_eq!(e.code(), "formula_wrong_unit");
    assert_eq!(
        e.to_string(),
        "the formula gives seconds, but the KPI is declared in percent"
    );
}

#[test]
fn length_and_depth_are_limited() {
    let long = format!("handled{}", " ".repeat(Formula::MAX_CHARS));
    assert_eq!(parse(&long).unwrap_err().code(), "formula_too_long");
    let nested = format!("{}1{}", "(".repeat(100), ")".repeat(100));
    assert_eq!(parse(&nested).unwrap_err().code(), "formula_too_deep");
    let minus = format!("{}1", "-".repeat(100));
    assert_eq!(parse(&minus).unwrap_err().code(), "formula_too_deep");
    let chain = vec!["handled"; 100].join("+");
    assert_eq!(parse(&chain).unwrap_err().code(), "formula_too_deep");
    let ok = vec!["handled"; 60].join("+");
    assert!(parse(&ok).is_ok());
}

#[test]
fn a_stored_spec_round_trips_through_json() {
    let f = parse("surveys_top2 / surveys * 100")
        .unwrap()
        .with_div_zero(DivZero::Zero);
    let json = serde_json::to_string(&f.spec()).unwrap();
    assert_eq!(
        json,
        r#"{"text":"surveys_top2 / surveys * 100","div_zero":"zero"}"#
    );
    let back: FormulaSpec = serde_json::from_str(&json).unwrap();
    assert_eq!(back.compile(&cat()).unwrap(), f);
    let old: FormulaSpec = serde_json::from_str(r#"{"text":"handled"}"#).unwrap();
    assert_eq!(old.div_zero, DivZero::NoData);
}

#[test]
fn a_teams_ratio_is_its_summed_numerator_over_its_summed_denominator() {
    // Agent A: 1 call of 600 s; agent B: 9 calls of 100 s. The mean of their AHTs would be
    // 350 s; the team's AHT is 1,500 s over 10 calls.
    let f = parse("handle_secs / handled").unwrap();
    let mut team = totals(&[("handle_secs", dec!(600)), ("handled", dec!(1))]);
    team.merge(&totals(&[("handle_secs", dec!(900)), ("handled", dec!(9))]))
        .unwrap();
    assert_eq!(f.evaluate(&team), Ok(Some(dec!(150))));
}
