//! The KPI library pages: the standard KPIs and the custom definitions with their versions,
//! and the formula editor with its validation result and the measure catalogue beside it.

use askama::Template;
use jixiao_core::kpi::{Direction, KpiClass, MeasureCatalog, STANDARD_KPIS, Unit};
use jixiao_store::StoredKpiDefinition;

use super::Chrome;
use super::library::unit;
use crate::i18n::{Lang, Tr};
use crate::kdefs::{FormulaCheck, FormulaProblem, KdefForm};

/// The editor's path for custom KPI `code` (codes are `[a-z0-9_]`, safe in a path).
pub fn href(code: &str) -> String {
    format!("/config/kpis/{code}")
}

fn names(t: Tr, en: &str, zh: &str) -> String {
    match t.lang {
        Lang::ZhCn if !zh.is_empty() => zh.to_string(),
        _ => en.to_string(),
    }
}

/// The snake_case code a serde enum is written as.
fn code_of<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn direction_key(d: Direction) -> &'static str {
    match d {
        Direction::HigherIsBetter => "kdef_dir_higher_is_better",
        Direction::LowerIsBetter => "kdef_dir_lower_is_better",
    }
}

fn class_key(c: KpiClass) -> &'static str {
    match c {
        KpiClass::Workload => "kdef_class_workload",
        KpiClass::Quality => "kdef_class_quality",
    }
}

/// One KPI of a list: standard or one version of a custom one.
#[derive(Debug, Clone)]
pub struct KpiRowVm {
    /// Code.
    pub code: String,
    /// Name in the page's language.
    pub name: String,
    /// Formula.
    pub formula: String,
    /// Unit word.
    pub unit: &'static str,
    /// Catalog key of the direction.
    pub direction: &'static str,
    /// Catalog key of the class.
    pub class: &'static str,
    /// Version, or "" for a standard KPI.
    pub version: String,
    /// Who saved it and when, or "".
    pub saved: String,
    /// The editor's path, or "" for a standard KPI.
    pub href: String,
}

/// `/config/kpis`.
#[derive(Template)]
#[template(path = "kpis.html")]
pub struct KpisPage {
    /// Frame.
    pub c: Chrome,
    /// The standard library.
    pub standard: Vec<KpiRowVm>,
    /// Every version of every custom KPI, newest version first within a code.
    pub custom: Vec<KpiRowVm>,
}

impl KpisPage {
    /// Builds the page from every stored version.
    pub fn build(c: Chrome, mut defs: Vec<StoredKpiDefinition>) -> KpisPage {
        let t = c.t;
        let standard = STANDARD_KPIS
            .iter()
            .map(|k| KpiRowVm {
                code: k.code.into(),
                name: names(t, k.name_en, k.name_zh),
                formula: k.formula.into(),
                unit: unit(t, k.unit),
                direction: direction_key(k.direction),
                class: class_key(k.class),
                version: String::new(),
                saved: String::new(),
                href: String::new(),
            })
            .collect();
        defs.sort_by(|a, b| {
            let (a, b) = (&a.definition, &b.definition);
            (&a.code, b.version).cmp(&(&b.code, a.version))
        });
        let custom = defs
            .into_iter()
            .map(|s| {
                let d = s.definition;
                KpiRowVm {
                    name: names(t, &d.name_en, &d.name_zh),
                    formula: d.formula.text,
                    unit: unit(t, d.unit),
                    direction: direction_key(d.direction),
                    class: class_key(d.class),
                    version: d.version.to_string(),
                    saved: format!(
                        "{} · {}",
                        s.created_by,
                        s.created_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                    href: href(&d.code),
                    code: d.code,
                }
            })
            .collect();
        KpisPage {
            c,
            standard,
            custom,
        }
    }
}

/// One option of a select.
#[derive(Debug, Clone)]
pub struct OptionVm {
    /// The value posted.
    pub value: &'static str,
    /// The label shown.
    pub label: &'static str,
    /// Whether it is chosen.
    pub selected: bool,
}

fn options(t: Tr, chosen: &str, choices: &[(&'static str, &'static str)]) -> Vec<OptionVm> {
    choices
        .iter()
        .map(|&(value, key)| OptionVm {
            value,
            label: t.get(key),
            selected: value == chosen,
        })
        .collect()
}

/// One base measure beside the editor.
#[derive(Debug, Clone)]
pub struct MeasureVm {
    /// Name, as formulas write it.
    pub name: String,
    /// Unit word.
    pub unit: &'static str,
    /// What it counts, in the page's language.
    pub description: String,
}

/// The result of a check or a refused save, ready to show.
#[derive(Debug, Clone)]
pub struct ResultVm {
    /// Valid.
    pub ok: bool,
    /// The unit of the result, when valid.
    pub unit: String,
    /// The error's code, message and suggestion, when not.
    pub problem: Option<FormulaProblem>,
    /// Spaces then `^` under the formula's character the error points at, or "".
    pub caret: String,
}

impl ResultVm {
    /// From a formula check.
    pub fn check(c: FormulaCheck) -> ResultVm {
        let caret = c
            .error
            .as_ref()
            .and_then(|e| e.position)
            .map_or(String::new(), |p| format!("{}^", " ".repeat(p - 1)));
        ResultVm {
            ok: c.ok,
            unit: c.unit.unwrap_or_default(),
            problem: c.error,
            caret,
        }
    }

    /// From a refused save.
    pub fn refused(p: FormulaProblem) -> ResultVm {
        ResultVm::check(FormulaCheck {
            ok: false,
            unit: None,
            error: Some(p),
        })
    }
}

/// `/config/kpis/new` and `/config/kpis/{code}`: the editor.
#[derive(Template)]
#[template(path = "kpi_edit.html")]
pub struct KpiEditPage {
    /// Frame.
    pub c: Chrome,
    /// The form's values.
    pub form: KdefForm,
    /// The latest version of the code being edited, or "" for a new KPI.
    pub version: String,
    /// Set after a save: the version saved.
    pub saved: String,
    /// The validation result, after a check or a refused save.
    pub result: Option<ResultVm>,
    /// Units to choose from.
    pub units: Vec<OptionVm>,
    /// Division-by-zero policies.
    pub div_zeros: Vec<OptionVm>,
    /// Directions.
    pub directions: Vec<OptionVm>,
    /// Classes.
    pub classes: Vec<OptionVm>,
    /// The measure catalogue.
    pub measures: Vec<MeasureVm>,
}

impl KpiEditPage {
    /// The editor on `form`; `version` is the latest saved version of its code, if any.
    pub fn build(c: Chrome, mut form: KdefForm, version: Option<u32>) -> KpiEditPage {
        let t = c.t;
        let or = |s: &mut String, d: &str| {
            if s.is_empty() {
                *s = d.to_string();
            }
        };
        or(&mut form.div_zero, "no_data");
        or(&mut form.unit, "percent");
        or(&mut form.direction, "higher_is_better");
        or(&mut form.class, "quality");
        let units = Unit::ALL
            .iter()
            .map(|u| OptionVm {
                value: u.as_str(),
                label: unit(t, *u),
                selected: u.as_str() == form.unit,
            })
            .collect();
        let div_zeros = options(
            t,
            &form.div_zero,
            &[
                ("no_data", "kdef_dz_no_data"),
                ("zero", "kdef_dz_zero"),
                ("error", "kdef_dz_error"),
            ],
        );
        let directions = options(
            t,
            &form.direction,
            &[
                ("higher_is_better", "kdef_dir_higher_is_better"),
                ("lower_is_better", "kdef_dir_lower_is_better"),
            ],
        );
        let classes = options(
            t,
            &form.class,
            &[
                ("quality", "kdef_class_quality"),
                ("workload", "kdef_class_workload"),
            ],
        );
        let measures = MeasureCatalog::standard()
            .iter()
            .map(|m| MeasureVm {
                name: m.name.clone(),
                unit: unit(t, m.unit),
                description: names(t, &m.description_en, &m.description_zh),
            })
            .collect();
        KpiEditPage {
            c,
            form,
            version: version.map_or(String::new(), |v| v.to_string()),
            saved: String::new(),
            result: None,
            units,
            div_zeros,
            directions,
            classes,
            measures,
        }
    }

    /// The editor on a stored definition.
    pub fn open(c: Chrome, s: &StoredKpiDefinition) -> KpiEditPage {
        let d = &s.definition;
        let form = KdefForm {
            csrf: String::new(),
            code: d.code.clone(),
            name_en: d.name_en.clone(),
            name_zh: d.name_zh.clone(),
            formula: d.formula.text.clone(),
            div_zero: code_of(&d.formula.div_zero),
            unit: d.unit.as_str().into(),
            direction: code_of(&d.direction),
            class: code_of(&d.class),
        };
        KpiEditPage::build(c, form, Some(d.version))
    }
}
