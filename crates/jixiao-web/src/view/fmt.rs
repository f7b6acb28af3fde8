//! Number formatting for pages: ratios and money with two decimals, "—" for no data.

use jixiao_core::kpi::KpiCode;
use jixiao_core::money::round_half_up;
use jixiao_core::scheme::LinearRule;
use jixiao_core::scorecard::{KpiResult, Scorecard};
use rust_decimal::Decimal;

use crate::i18n::Tr;

/// Shown where a value is missing ("no data" is not 0).
pub const NO_DATA: &str = "—";

/// Two decimals, rounded half away from zero.
pub fn dec2(d: Decimal) -> String {
    format!("{:.2}", round_half_up(d, 2))
}

/// Two decimals, or "—".
pub fn opt2(d: Option<Decimal>) -> String {
    d.map_or_else(|| NO_DATA.to_string(), dec2)
}

/// A plain decimal without trailing zeros (coefficients, weights, bounds).
pub fn plain(d: Decimal) -> String {
    d.normalize().to_string()
}

/// The value of one KPI on a card, if the card's scheme has it and it has data.
pub fn kpi_value(card: &Scorecard, kpi: KpiCode) -> Option<Decimal> {
    card.kpis
        .iter()
        .find(|k| k.kpi == kpi)
        .and_then(|k| k.value.value)
}

/// The CSS class of a grade badge (`grade-a` …), `grade-none` without a grade.
pub fn grade_class(grade: Option<&str>) -> String {
    match grade {
        Some(g) if !g.is_empty() => format!(
            "grade-{}",
            g.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        ),
        _ => "grade-none".to_string(),
    }
}

/// The catalog key of a KPI's name.
pub fn kpi_key(kpi: KpiCode) -> &'static str {
    match kpi {
        KpiCode::Handled => "kpi_handled",
        KpiCode::Points => "kpi_points",
        KpiCode::Aht => "kpi_aht",
        KpiCode::Csat => "kpi_csat",
        KpiCode::Qa => "kpi_qa",
    }
}

/// The catalog key of a KPI's unit.
pub fn unit_key(kpi: KpiCode) -> &'static str {
    match kpi {
        KpiCode::Handled => "unit_handled",
        KpiCode::Points => "unit_points",
        KpiCode::Aht => "unit_aht",
        KpiCode::Csat => "unit_csat",
        KpiCode::Qa => "unit_qa",
    }
}

/// The catalog key of a KPI's formula (the English text equals `KpiCode::formula()`).
pub fn formula_key(kpi: KpiCode) -> &'static str {
    match kpi {
        KpiCode::Handled => "formula_handled",
        KpiCode::Points => "formula_points",
        KpiCode::Aht => "formula_aht",
        KpiCode::Csat => "formula_csat",
        KpiCode::Qa => "formula_qa",
    }
}

/// A KPI's scoring rule in the page's language; the engine's English words when a stored
/// card's rule cannot be read back as data.
pub fn rule_text(t: Tr, k: &KpiResult) -> String {
    let Some(rule) = k.linear_rule() else {
        return k.rule.clone();
    };
    linear_text(t, k.kpi, &rule)
}

fn linear_text(t: Tr, kpi: KpiCode, rule: &LinearRule) -> String {
    let key = if rule.prorate {
        "rule_linear_prorated"
    } else {
        "rule_linear"
    };
    let (floor, target) = (rule.floor.to_string(), rule.target.to_string());
    let unit = t.get(unit_key(kpi));
    t.fill(
        key,
        &[("floor", &floor), ("target", &target), ("unit", unit)],
    )
}

/// A card's rounding rule in the page's language; the engine's words when it cannot be read back.
pub fn rounding_text(t: Tr, card: &Scorecard) -> String {
    card.rounding_rule().map_or_else(
        || card.rounding.clone(),
        |r| t.fill("rounding_half_up", &[("dp", &r.dp.to_string())]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use jixiao_core::money::RoundingRule;
    use rust_decimal::dec;

    #[test]
    fn ratios_show_two_decimals_and_missing_values_a_dash() {
        assert_eq!(dec2(dec!(66.666)), "66.67");
        assert_eq!(dec2(dec!(120)), "120.00");
        assert_eq!(opt2(None), NO_DATA);
        assert_eq!(plain(dec!(1.500)), "1.5");
    }

    #[test]
    fn grade_badges_get_a_safe_lowercase_class() {
        assert_eq!(grade_class(Some("A")), "grade-a");
        assert_eq!(grade_class(Some("B+\"")), "grade-b");
        assert_eq!(grade_class(None), "grade-none");
    }

    #[test]
    fn english_formulas_are_the_engines_own_definitions() {
        let en = Tr::new(Lang::En);
        for k in KpiCode::ALL {
            assert_eq!(en.get(formula_key(k)), k.formula(), "{k:?}");
        }
    }

    #[test]
    fn english_rules_are_the_engines_own_words() {
        let en = Tr::new(Lang::En);
        for kpi in KpiCode::ALL {
            for prorate in [false, true] {
                let rule = LinearRule {
                    floor: dec!(600),
                    target: dec!(240.5),
                    prorate,
                };
                assert_eq!(linear_text(en, kpi, &rule), rule.describe(kpi));
            }
        }
        let r = RoundingRule { dp: 2 };
        assert_eq!(
            en.fill("rounding_half_up", &[("dp", &r.dp.to_string())]),
            r.describe()
        );
    }

    #[test]
    fn chinese_rules_use_chinese_units() {
        let zh = Tr::new(Lang::ZhCn);
        let rule = LinearRule {
            floor: dec!(600),
            target: dec!(1600),
            prorate: true,
        };
        assert_eq!(
            linear_text(zh, KpiCode::Points, &rule),
            "线性：600积分 得 0 分，1600积分 得 100 分；按在组天数折算"
        );
    }
}
