//! The KPI library on pages: each library value's name, unit, formula and parts in the page's
//! language, the wording of scoring rules other than today's linear one, and the center's
//! KPI tiles.

use jixiao_core::kpi::{Direction, Unit, standard_kpi};
use jixiao_core::scorecard::LibraryValue;
use jixiao_core::scoring::{PeerGroup, ScoringRule};
use jixiao_store::KpiThresholds;

use super::fmt::{opt2, plain};
use crate::i18n::Tr;

/// The library KPIs the overview shows for the whole center, in tile order.
pub const CENTER_TILES: [&str; 6] = [
    "service_level",
    "abandonment_rate",
    "asa",
    "aht",
    "csat",
    "fcr",
];

/// One library value, ready to show.
#[derive(Debug, Clone)]
pub struct LibraryRowVm {
    /// The KPI's code.
    pub code: String,
    /// Its name in the page's language.
    pub name: String,
    /// Its unit in the page's language.
    pub unit: &'static str,
    /// The formula over base measures, as defined in docs/KPIS.md.
    pub formula: &'static str,
    /// The value, or "—".
    pub value: String,
    /// Numerator.
    pub numerator: String,
    /// Denominator.
    pub denominator: String,
    /// No data (a zero denominator).
    pub no_data: bool,
}

impl LibraryRowVm {
    /// The row of `v`, worded by `t`.
    pub fn new(t: Tr, v: &LibraryValue) -> LibraryRowVm {
        LibraryRowVm {
            code: v.kpi.clone(),
            // A custom KPI is named by its code and the version the card used.
            name: match v.version {
                Some(version) => format!("{} · v{version}", v.kpi),
                None => name(t, &v.kpi).to_string(),
            },
            unit: unit(t, v.unit),
            formula: standard_kpi(&v.kpi).map_or("", |k| k.formula),
            value: opt2(v.value),
            numerator: plain(v.numerator),
            denominator: plain(v.denominator),
            no_data: v.value.is_none(),
        }
    }
}

/// A library KPI's name; its code when the catalogs do not know it (a newer card).
pub fn name(t: Tr, code: &str) -> &'static str {
    match t.get(&format!("lib_name_{code}")) {
        "??" => standard_kpi(code).map_or("??", |k| k.code),
        found => found,
    }
}

/// A unit's short word.
pub fn unit(t: Tr, unit: Unit) -> &'static str {
    t.get(&format!("lib_unit_{}", unit.as_str()))
}

/// A scoring rule in the page's language; `unit` is the KPI's unit word.
pub fn rule_text(t: Tr, rule: &ScoringRule, unit: &str) -> String {
    let better = |d: Direction| match d {
        Direction::HigherIsBetter => "≥",
        Direction::LowerIsBetter => "≤",
    };
    match rule {
        ScoringRule::Linear(r) => {
            let key = if r.prorate {
                "rule_linear_prorated"
            } else {
                "rule_linear"
            };
            let (floor, target) = (plain(r.floor), plain(r.target));
            let text = t.fill(
                key,
                &[("floor", &floor), ("target", &target), ("unit", unit)],
            );
            if r.capped {
                text
            } else {
                format!("{text}{}", t.get("lib_rule_uncapped"))
            }
        }
        ScoringRule::Steps(r) => {
            let bands: Vec<String> = r
                .bands
                .iter()
                .map(|b| {
                    let (edge, score) = (plain(b.edge), plain(b.score));
                    let args: [(&str, &str); 4] = [
                        ("sign", better(r.direction)),
                        ("edge", &edge),
                        ("unit", unit),
                        ("score", &score),
                    ];
                    t.fill("lib_rule_band", &args)
                })
                .collect();
            t.fill(
                "lib_rule_steps",
                &[("bands", &bands.join(t.get("lib_list_sep")))],
            )
        }
        ScoringRule::PassFail(r) => {
            let threshold = plain(r.threshold);
            let args: [(&str, &str); 3] = [
                ("sign", better(r.direction)),
                ("threshold", &threshold),
                ("unit", unit),
            ];
            t.fill("lib_rule_pass_fail", &args)
        }
        ScoringRule::DeductionPerEvent(r) => {
            let points = plain(r.points);
            match r.cap {
                Some(cap) => t.fill(
                    "lib_rule_deduction_cap",
                    &[("points", &points), ("cap", &plain(cap))],
                ),
                None => t.fill("lib_rule_deduction", &[("points", &points)]),
            }
        }
        ScoringRule::Percentile(r) => {
            let group = match r.within {
                PeerGroup::Team => t.get("lib_group_team"),
                PeerGroup::Department => t.get("lib_group_department"),
            };
            let key = match r.direction {
                Direction::HigherIsBetter => "lib_rule_percentile_higher",
                Direction::LowerIsBetter => "lib_rule_percentile_lower",
            };
            t.fill(key, &[("group", group)])
        }
    }
}

/// One center KPI tile.
#[derive(Debug, Clone)]
pub struct TileVm {
    /// Name.
    pub name: &'static str,
    /// Value with its unit, or "—".
    pub value: String,
    /// Unit word (empty without a value).
    pub unit: &'static str,
    /// "numerator ÷ denominator", for the tooltip and the small print.
    pub parts: String,
}

/// The center tiles of [`CENTER_TILES`] from the center's library values.
pub fn center_tiles(t: Tr, values: &[LibraryValue]) -> Vec<TileVm> {
    CENTER_TILES
        .iter()
        .filter_map(|code| values.iter().find(|v| v.kpi == *code))
        .map(|v| TileVm {
            name: name(t, &v.kpi),
            value: opt2(v.value),
            unit: if v.value.is_some() {
                unit(t, v.unit)
            } else {
                ""
            },
            parts: format!("{} ÷ {}", plain(v.numerator), plain(v.denominator)),
        })
        .collect()
}

/// The thresholds the center tiles were computed with, in the page's language.
pub fn thresholds_text(t: Tr, th: &KpiThresholds) -> String {
    t.fill(
        "lib_thresholds",
        &[
            ("sl", &th.service_level_secs.to_string()),
            ("short", &th.short_abandon_secs.to_string()),
            ("window", &th.repeat_window_days.to_string()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use jixiao_core::kpi::STANDARD_KPIS;
    use jixiao_core::scoring::{DeductionRule, PercentileRule, StepBand, StepsRule};
    use rust_decimal::dec;

    #[test]
    fn every_library_kpi_and_unit_has_a_name_in_both_languages() {
        let (en, zh) = (Tr::new(Lang::En), Tr::new(Lang::ZhCn));
        for k in STANDARD_KPIS {
            assert_eq!(name(en, k.code), k.name_en, "{}", k.code);
            assert_eq!(name(zh, k.code), k.name_zh, "{}", k.code);
        }
        for u in Unit::ALL {
            assert_ne!(unit(zh, u), "??", "{u:?}");
            assert_ne!(unit(en, u), "??", "{u:?}");
        }
    }

    #[test]
    fn scoring_rules_are_worded_in_the_page_language() {
        let zh = Tr::new(Lang::ZhCn);
        let steps = ScoringRule::Steps(StepsRule {
            direction: Direction::HigherIsBetter,
            bands: vec![
                StepBand {
                    edge: dec!(80),
                    score: dec!(100),
                },
                StepBand {
                    edge: dec!(70.0),
                    score: dec!(60),
                },
            ],
        });
        assert_eq!(
            rule_text(zh, &steps, "%"),
            "分档：≥ 80% 得 100 分；≥ 70% 得 60 分；其余得 0 分"
        );
        let deduction = ScoringRule::DeductionPerEvent(DeductionRule {
            points: dec!(2),
            cap: None,
        });
        assert_eq!(
            rule_text(Tr::new(Lang::En), &deduction, "count"),
            "deduction: 100 − 2 per event, down to 0"
        );
        let pct = ScoringRule::Percentile(PercentileRule {
            direction: Direction::LowerIsBetter,
            within: PeerGroup::Department,
        });
        assert_eq!(rule_text(zh, &pct, "秒"), "按部门内百分位排名，越低越好");
    }

    #[test]
    fn a_scored_library_kpi_is_explained_with_its_own_name_unit_formula_and_rule() {
        use crate::view::agent::KpiRowVm;
        use jixiao_core::kpi::{KpiCode, KpiValue};
        use jixiao_core::scorecard::KpiResult;
        use jixiao_core::scoring::PassFailRule;
        let k = KpiResult {
            kpi: KpiCode::Handled,
            value: KpiValue {
                value: Some(dec!(75)),
                numerator: dec!(3),
                denominator: dec!(4),
            },
            floor: dec!(0),
            target: dec!(0),
            rule: String::new(),
            linear: None,
            score: Some(dec!(0)),
            weight: dec!(50),
            effective_weight: Some(dec!(50)),
            library_kpi: Some("fcr".into()),
            scoring: Some(ScoringRule::PassFail(PassFailRule {
                direction: Direction::HigherIsBetter,
                threshold: dec!(80),
            })),
            deducted: None,
        };
        let row = KpiRowVm::new(Tr::new(Lang::ZhCn), &k);
        assert_eq!((row.name, row.unit), ("首次解决率", "%"));
        assert!(row.formula.starts_with("first_contact_resolved /"));
        assert_eq!(row.rule, "达标制：≥ 80% 得 100 分，否则得 0 分");
        assert_eq!((row.floor.as_str(), row.target.as_str()), ("—", "—"));
        assert_eq!(
            (row.numerator.as_str(), row.denominator.as_str()),
            ("3", "4")
        );
    }
}
