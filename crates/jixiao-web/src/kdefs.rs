//! Custom KPI definitions on the web: the editor's form as a definition, the check of a
//! formula as it is typed (the page's Check button and `POST /api/v1/kpis/check`), and saving
//! a definition as the next version of its code (the page's Save and `POST /api/v1/kpis`).
//!
//! The checks only call the core (`Formula::parse`); [`save`] is the one place that stores.

use chrono::{DateTime, Utc};
use jixiao_core::CoreError;
use jixiao_core::kpi::{FormulaError, FormulaSpec, KpiDefinition, MeasureCatalog, Unit};
use jixiao_store::{Store, StoreError, StoredKpiDefinition};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::WebError;
use crate::auth::HasCsrf;

/// The editor's fields, as posted (every field a string, so a bad choice is reported on the
/// page rather than refused as a malformed form).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KdefForm {
    /// The session's CSRF token.
    pub csrf: String,
    /// The KPI's code.
    pub code: String,
    /// English name.
    pub name_en: String,
    /// Chinese name.
    pub name_zh: String,
    /// The formula text.
    pub formula: String,
    /// `no_data`, `zero` or `error`.
    pub div_zero: String,
    /// The declared unit's code.
    pub unit: String,
    /// `higher_is_better` or `lower_is_better`.
    pub direction: String,
    /// `workload` or `quality`.
    pub class: String,
}

impl HasCsrf for KdefForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Reads a serde enum from its snake_case code.
fn choice<T: DeserializeOwned>(what: &'static str, code: &str) -> Result<T, CoreError> {
    serde_json::from_value(serde_json::Value::String(code.trim().into())).map_err(|_| {
        CoreError::Invalid {
            what,
            value: code.to_string(),
            reason: "not one of the choices offered".into(),
        }
    })
}

impl KdefForm {
    /// The form as a definition to save (the store assigns the version).
    pub fn definition(&self) -> Result<KpiDefinition, CoreError> {
        Ok(KpiDefinition {
            code: self.code.trim().to_string(),
            version: 1,
            name_en: self.name_en.trim().to_string(),
            name_zh: self.name_zh.trim().to_string(),
            formula: FormulaSpec {
                text: self.formula.clone(),
                div_zero: choice("division by zero policy", &self.div_zero)?,
            },
            unit: choice("unit", &self.unit)?,
            direction: choice("direction", &self.direction)?,
            class: choice("KPI class", &self.class)?,
        })
    }

    /// The declared unit, if the form names a known one.
    pub fn unit(&self) -> Option<Unit> {
        choice("unit", &self.unit).ok()
    }
}

/// `POST /api/v1/kpis/check`: a formula and, optionally, the unit it is declared in.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CheckRequest {
    /// The formula text, e.g. `answered_within_threshold / offered * 100`.
    pub formula: String,
    /// The declared unit (`count`, `seconds`, `minutes`, `money`, `score`, `points`,
    /// `percent`); when given, a formula giving another unit is `formula_wrong_unit`.
    #[serde(default)]
    pub unit: Option<String>,
}

/// Whether a formula is valid, and the unit of its result or what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FormulaCheck {
    /// The formula parses and checks.
    pub ok: bool,
    /// The unit of the result (`number`, `seconds`, `money/minutes`…), when it parses.
    pub unit: Option<String>,
    /// Why it does not, when it does not.
    pub error: Option<FormulaProblem>,
}

/// A rejected formula or definition: a stable code, a message, where, and a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FormulaProblem {
    /// Stable code, e.g. `formula_unknown_measure`, `formula_syntax`, `formula_wrong_unit`.
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
    /// The 1-based character position in the formula the error points at.
    pub position: Option<usize>,
    /// The nearest known name, for an unknown measure or function.
    pub suggestion: Option<String>,
}

impl FormulaProblem {
    /// The problem a core error describes.
    pub fn new(e: &CoreError) -> FormulaProblem {
        match e {
            CoreError::Formula(f) => FormulaProblem::from_formula(f),
            other => FormulaProblem {
                code: other.code().into(),
                message: other.to_string(),
                position: None,
                suggestion: None,
            },
        }
    }

    fn from_formula(e: &FormulaError) -> FormulaProblem {
        let suggestion = match e {
            FormulaError::UnknownMeasure { suggestion, .. }
            | FormulaError::UnknownFunction { suggestion, .. } => suggestion.clone(),
            _ => None,
        };
        FormulaProblem {
            code: e.code().into(),
            message: e.to_string(),
            position: e.column(),
            suggestion,
        }
    }
}

/// Checks `formula` against the standard measures, and against `unit` when one is declared.
pub fn check(formula: &str, unit: Option<Unit>) -> FormulaCheck {
    let parsed = jixiao_core::kpi::Formula::parse(formula, &MeasureCatalog::standard());
    let result = parsed.and_then(|f| {
        unit.map_or(Ok(()), |u| f.check_unit(u))?;
        Ok(f.dimension().to_string())
    });
    match result {
        Ok(unit) => FormulaCheck {
            ok: true,
            unit: Some(unit),
            error: None,
        },
        Err(e) => FormulaCheck {
            ok: false,
            unit: None,
            error: Some(FormulaProblem::from_formula(&e)),
        },
    }
}

/// Saves `form` as the next version of its code (1 for a new code), audited: the stored
/// version, or the problem that refused it (an unknown choice, a bad code or formula, a unit
/// the formula does not give, a standard KPI's code) with its stable code. Anything else (the
/// database) is the error.
pub async fn save(
    store: &Store,
    form: &KdefForm,
    by: &str,
    at: DateTime<Utc>,
) -> Result<Result<StoredKpiDefinition, FormulaProblem>, WebError> {
    let saved = match form.definition() {
        Ok(def) => store.save_kpi_definition(&def, by, at).await,
        Err(e) => Err(StoreError::Core(e)),
    };
    match saved {
        Ok(s) => {
            let (code, version) = (&s.definition.code, s.definition.version);
            tracing::info!(kpi = code, version, by, "custom KPI saved");
            Ok(Ok(s))
        }
        Err(StoreError::Core(e)) => Ok(Err(FormulaProblem::new(&e))),
        Err(e) => Err(e.into()),
    }
}

/// [`check`] for an API request; an unknown unit name is itself the problem.
pub fn check_request(req: &CheckRequest) -> FormulaCheck {
    match req.unit.as_deref().filter(|u| !u.is_empty()) {
        None => check(&req.formula, None),
        Some(u) => match choice::<Unit>("unit", u) {
            Ok(unit) => check(&req.formula, Some(unit)),
            Err(e) => FormulaCheck {
                ok: false,
                unit: None,
                error: Some(FormulaProblem::new(&e)),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_formula_checks_with_the_unit_of_its_result() {
        let c = check("handle_secs / handled", Some(Unit::Seconds));
        assert_eq!((c.ok, c.unit.as_deref()), (true, Some("seconds")));
    }

    #[test]
    fn an_unknown_measure_is_pointed_at_with_a_suggestion() {
        let c = check("answered / offerd * 100", None);
        let e = c.error.unwrap();
        assert_eq!(e.code, "formula_unknown_measure");
        assert_eq!(e.position, Some(12));
        assert_eq!(e.suggestion.as_deref(), Some("offered"));
    }

    #[test]
    fn a_formula_in_another_unit_than_declared_is_refused() {
        let c = check("handle_secs / handled", Some(Unit::Percent));
        assert_eq!(c.error.unwrap().code, "formula_wrong_unit");
    }
}
