//! The calibration preview's inputs, read from a query string or a form: base type, months
//! (`2026-09,2026-10`), skill factors (`IN=1.2` a line or comma-separated) and places.

use std::collections::BTreeMap;

use jixiao_core::Period;
use jixiao_core::org::TypeCode;
use jixiao_store::service::CalibrationRequest;
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::WebError;
use crate::auth::HasCsrf;

/// `?base=&months=&skill=&dp=` (the page and `GET /api/v1/calibration`), and the apply form.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalibrationQuery {
    /// The session's CSRF token (the apply form only).
    #[serde(default)]
    #[param(ignore)]
    csrf: String,
    /// The base type's code (coefficient 1).
    #[serde(default)]
    pub base: String,
    /// Months measured, comma-separated `YYYY-MM`.
    #[serde(default)]
    pub months: String,
    /// Skill factors, `CODE=factor`, comma- or line-separated.
    #[serde(default)]
    pub skill: String,
    /// Decimal places of a proposed coefficient, 0–4 (default 2).
    #[serde(default)]
    pub dp: String,
    /// The first day the applied coefficients apply, `YYYY-MM-DD` (the apply form only).
    #[serde(default)]
    #[param(ignore)]
    pub effective_from: String,
}

impl HasCsrf for CalibrationQuery {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

impl CalibrationQuery {
    /// Whether a base was chosen (the page shows only the form until then).
    pub fn asked(&self) -> bool {
        !self.base.trim().is_empty()
    }

    /// The request it describes.
    pub fn request(&self) -> Result<CalibrationRequest, WebError> {
        let invalid = |m: String| WebError::Invalid(m);
        let base = TypeCode::parse(self.base.trim())
            .map_err(|_| invalid(format!("base type {:?}", self.base.trim())))?;
        let months = self
            .months
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(|m| {
                m.parse::<Period>()
                    .map_err(|_| invalid(format!("month {m:?}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut skill = BTreeMap::new();
        for pair in self
            .skill
            .split([',', '\n'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let bad = || invalid(format!("skill factor {pair:?}: expected CODE=factor"));
            let (code, f) = pair.split_once('=').ok_or_else(bad)?;
            let code = TypeCode::parse(code.trim()).map_err(|_| bad())?;
            let f: Decimal = f.trim().parse().map_err(|_| bad())?;
            skill.insert(code, f);
        }
        let dp = match self.dp.trim() {
            "" => 2,
            d => d.parse().map_err(|_| invalid(format!("places {d:?}")))?,
        };
        Ok(CalibrationRequest {
            base,
            months,
            skill,
            dp,
        })
    }
}
