//! Every KPI of the standard library evaluated on a segment's measures, each kept with the
//! numerator and denominator it was divided from, so any number on a card can be drilled into.

use std::sync::LazyLock;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::CoreError;
use crate::kpi::{
    Formula, KpiDefinition, KpiValue, MeasureCatalog, MeasureTotals, STANDARD_KPIS, StandardKpi,
    Unit, kpi_value,
};

/// One library KPI on a segment: its value and exactly what it was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryValue {
    /// The KPI's code in `kpi::STANDARD_KPIS`.
    pub kpi: String,
    /// The summed numerator of the formula (the formula itself when it is no ratio).
    pub numerator: Decimal,
    /// The summed denominator (1 when the formula is no ratio).
    pub denominator: Decimal,
    /// The value rounded to two decimals; `None` is "no data", which is not 0.
    pub value: Option<Decimal>,
    /// The unit of the value.
    pub unit: Unit,
    /// The version of a custom KPI's definition this value was computed with; `None` for the
    /// standard library, whose formulas only change with the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<u32>,
}

impl LibraryValue {
    /// As a [`KpiValue`], the shape scheme items are scored from.
    pub fn kpi_value(&self) -> KpiValue {
        KpiValue {
            value: self.value,
            numerator: self.numerator,
            denominator: self.denominator,
        }
    }
}

/// A standard KPI compiled once: the whole formula and its two halves.
struct Compiled {
    kpi: &'static StandardKpi,
    formula: Formula,
    numerator: Formula,
    denominator: Option<Formula>,
}

// The library is constant and checked by a test in `kpi::library`, so compiling it can only
// fail if that test fails; compile it once rather than for each of 10,000 cards.
static LIBRARY: LazyLock<Vec<Compiled>> = LazyLock::new(|| {
    let catalog = MeasureCatalog::standard();
    let compile = |text: &str| {
        Formula::parse(text, &catalog)
            .unwrap_or_else(|e| panic!("standard KPI formula {text:?} does not compile: {e}"))
    };
    STANDARD_KPIS
        .iter()
        .map(|kpi| {
            let (numerator, denominator) = match split_ratio(kpi.formula) {
                Some((n, d)) => (compile(n), Some(compile(d))),
                None => (compile(kpi.formula), None),
            };
            Compiled {
                kpi,
                formula: compile(kpi.formula),
                numerator,
                denominator,
            }
        })
        .collect()
});

/// Every standard KPI evaluated on `totals`, in library order. A value too large to compute
/// exactly is shown as "no data" rather than wrong.
pub fn library_values(totals: &MeasureTotals) -> Vec<LibraryValue> {
    let eval = |f: &Formula| f.evaluate(totals).ok().flatten().unwrap_or_default();
    LIBRARY
        .iter()
        .map(|c| LibraryValue {
            kpi: c.kpi.code.to_string(),
            numerator: eval(&c.numerator),
            denominator: c.denominator.as_ref().map_or(Decimal::ONE, eval),
            value: kpi_value(&c.formula, totals).ok().flatten(),
            unit: c.kpi.unit,
            version: None,
        })
        .collect()
}

/// A custom KPI definition compiled once per computation, with its two halves when it is a
/// ratio, so its value is explained like a standard KPI's.
#[derive(Debug, Clone)]
pub struct CustomKpi {
    definition: KpiDefinition,
    formula: Formula,
    numerator: Formula,
    denominator: Option<Formula>,
}

impl CustomKpi {
    /// Compiles a stored definition; fails as [`KpiDefinition::compile`] does.
    pub fn compile(definition: KpiDefinition, catalog: &MeasureCatalog) -> Result<Self, CoreError> {
        let formula = definition.compile(catalog)?;
        let text = definition.formula.text.as_str();
        // The halves of a formula that compiled compile too; if one ever did not, the whole
        // formula stands as the numerator, as for any formula that is no ratio.
        let halves = split_ratio(text).and_then(|(n, d)| {
            Some((
                Formula::parse(n, catalog).ok()?,
                Formula::parse(d, catalog).ok()?,
            ))
        });
        let (numerator, denominator) = match halves {
            Some((n, d)) => (n, Some(d)),
            None => (formula.clone(), None),
        };
        Ok(CustomKpi {
            definition,
            formula,
            numerator,
            denominator,
        })
    }

    /// The definition it was compiled from.
    pub fn definition(&self) -> &KpiDefinition {
        &self.definition
    }
}

/// Appends every custom KPI evaluated on the segment's measures (workload points included) to
/// `card.library`, each with the version of the definition it used: a card, once closed,
/// keeps the definitions it was computed with.
pub fn add_custom_values(
    card: &mut super::Scorecard,
    customs: &[CustomKpi],
    totals: &MeasureTotals,
) {
    let totals = super::with_points(totals, card.points);
    card.library.extend(custom_values(customs, &totals));
}

/// Every custom KPI evaluated on `totals`, in the order given, each with its version.
pub fn custom_values(customs: &[CustomKpi], totals: &MeasureTotals) -> Vec<LibraryValue> {
    let eval = |f: &Formula| f.evaluate(totals).ok().flatten().unwrap_or_default();
    customs
        .iter()
        .map(|c| LibraryValue {
            kpi: c.definition.code.clone(),
            numerator: eval(&c.numerator),
            denominator: c.denominator.as_ref().map_or(Decimal::ONE, eval),
            value: kpi_value(&c.formula, totals).ok().flatten(),
            unit: c.definition.unit,
            version: Some(c.definition.version),
        })
        .collect()
}

/// The short unit words rules are described with (`s`, `%`), as `KpiCode::unit` words them.
pub fn unit_symbol(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "count",
        Unit::Seconds => "s",
        Unit::Minutes => "min",
        Unit::Money => "yuan",
        Unit::Score => "pts",
        Unit::Points => "points",
        Unit::Percent => "%",
    }
}

/// Splits a ratio formula `N / D` or `N / D * k` (k a number) into `N` and `D`, the parts an
/// explanation prints; `None` for any other shape, whose numerator is then the value itself.
/// `N` may not hold a bare `+` or `-`, which would bind looser than the division.
pub(crate) fn split_ratio(text: &str) -> Option<(&str, &str)> {
    let slash = top_level(text).find(|&(_, c)| c == '/')?.0;
    let numerator = text[..slash].trim();
    let loose = top_level(numerator).any(|(i, c)| i > 0 && matches!(c, '+' | '-'));
    if numerator.is_empty() || loose {
        return None;
    }
    let rest = text[slash + 1..].trim_start();
    let end = if rest.starts_with('(') {
        top_level(rest).find(|&(i, c)| i > 0 && c == ')')?.0 + 1
    } else {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len())
    };
    let (denominator, tail) = rest.split_at(end);
    let tail = tail.trim();
    let scale_only = tail.is_empty()
        || tail
            .strip_prefix('*')
            .is_some_and(|k| k.trim().parse::<Decimal>().is_ok());
    (!denominator.is_empty() && scale_only).then_some((numerator, denominator))
}

/// The characters of `text` outside parentheses, with their byte offsets; a closing
/// parenthesis that returns to the top level is included (it ends a group).
fn top_level(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut depth = 0_i32;
    text.char_indices().filter(move |&(_, c)| {
        let was = depth;
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        (was == 0 && c != '(') || (c == ')' && depth == 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_formulas_split_into_numerator_and_denominator() {
        assert_eq!(
            split_ratio("handle_secs / handled"),
            Some(("handle_secs", "handled"))
        );
        assert_eq!(
            split_ratio("surveys_top2 / surveys * 100"),
            Some(("surveys_top2", "surveys"))
        );
        assert_eq!(
            split_ratio("(abandoned - short_abandoned) / (offered - short_abandoned) * 100"),
            Some((
                "(abandoned - short_abandoned)",
                "(offered - short_abandoned)"
            ))
        );
    }

    #[test]
    fn other_shapes_are_not_split() {
        assert_eq!(split_ratio("handled"), None);
        assert_eq!(split_ratio("a - b / c"), None, "the division binds tighter");
        assert_eq!(split_ratio("a / b + 1"), None);
        assert_eq!(
            split_ratio("a / b * c"),
            None,
            "only a constant scale may follow"
        );
        assert_eq!(split_ratio("max(a / b, 1)"), None);
    }

    #[test]
    fn every_standard_kpi_is_evaluated_with_its_parts() {
        let t = MeasureTotals::from_pairs([
            ("offered", Decimal::from(10)),
            ("abandoned", Decimal::from(3)),
            ("short_abandoned", Decimal::from(1)),
            ("answered_within_threshold", Decimal::from(6)),
        ])
        .unwrap();
        let values = library_values(&t);
        assert_eq!(values.len(), STANDARD_KPIS.len());
        let get = |code: &str| values.iter().find(|v| v.kpi == code).unwrap();
        let sl = get("service_level");
        assert_eq!(
            (sl.numerator, sl.denominator, sl.value),
            (
                Decimal::from(6),
                Decimal::from(9),
                Some(Decimal::new(6667, 2))
            )
        );
        let abandon = get("abandonment_rate");
        assert_eq!(
            (abandon.numerator, abandon.denominator),
            (2.into(), 9.into())
        );
        let handled = get("handled");
        assert_eq!(
            (handled.numerator, handled.denominator, handled.value),
            (0.into(), 1.into(), Some(0.into()))
        );
        assert_eq!(get("aht").value, None, "no handled calls: no data");
        assert_eq!(get("aht").unit, Unit::Seconds);
    }

    #[test]
    fn a_custom_kpi_is_evaluated_with_its_parts_and_its_version() {
        use crate::kpi::{Direction, DivZero, FormulaSpec, KpiClass};
        let def = KpiDefinition {
            code: "sl_20s".into(),
            version: 2,
            name_en: "Answered within 20 s".into(),
            name_zh: "20 秒接通率".into(),
            formula: FormulaSpec {
                text: "answered_within_threshold / offered * 100".into(),
                div_zero: DivZero::NoData,
            },
            unit: Unit::Percent,
            direction: Direction::HigherIsBetter,
            class: KpiClass::Quality,
        };
        let custom = CustomKpi::compile(def, &MeasureCatalog::standard()).unwrap();
        let t = MeasureTotals::from_pairs([
            ("answered_within_threshold", Decimal::from(2)),
            ("offered", Decimal::from(3)),
        ])
        .unwrap();
        let v = &custom_values(std::slice::from_ref(&custom), &t)[0];
        assert_eq!(
            (
                v.kpi.as_str(),
                v.numerator,
                v.denominator,
                v.value,
                v.version
            ),
            (
                "sl_20s",
                2.into(),
                3.into(),
                Some(Decimal::new(6667, 2)),
                Some(2)
            )
        );
        let none = &custom_values(&[custom], &MeasureTotals::default())[0];
        assert_eq!(none.value, None, "no calls offered: no data");
    }

    #[test]
    fn a_standard_value_has_no_version_and_serializes_as_before() {
        let v = &library_values(&MeasureTotals::default())[0];
        assert_eq!(v.version, None);
        assert!(!serde_json::to_string(v).unwrap().contains("version"));
    }
}
