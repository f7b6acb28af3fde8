//! Point standards and the payroll for the pages: parsing the add-a-standard form, auditing
//! it, and building the payroll files from the stored cards.

use chrono::{DateTime, NaiveDate, Utc};
use jixiao_core::Period;
use jixiao_core::org::TypeCode;
use jixiao_core::points::{PointStandard, PointUnit};
use jixiao_store::{CardFilter, NewAudit, Store, unit_str};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::WebError;
use crate::auth::HasCsrf;
use crate::i18n::Lang;
use crate::queries::{export_lang, export_rows};

/// The add-a-standard form of `/config/points`.
#[derive(Debug, Deserialize)]
pub struct StandardForm {
    #[serde(default)]
    csrf: String,
    /// The business type's code.
    #[serde(default)]
    pub type_code: String,
    /// Points per handled interaction.
    #[serde(default)]
    pub coefficient: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub effective_from: String,
}

impl StandardForm {
    /// The form's fields as typed elsewhere (the API's body), for [`add_standard`].
    pub fn new(type_code: &str, coefficient: &str, effective_from: &str) -> StandardForm {
        StandardForm {
            csrf: String::new(),
            type_code: type_code.to_string(),
            coefficient: coefficient.to_string(),
            effective_from: effective_from.to_string(),
        }
    }
}

impl HasCsrf for StandardForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Why a submitted standard was refused, as a catalog key.
pub fn refusal_key(e: &WebError) -> Option<&'static str> {
    match e {
        WebError::Invalid(_) => Some("pts_err_invalid"),
        WebError::Conflict(_) => Some("pts_err_conflict"),
        WebError::PeriodClosed(_) => Some("pts_err_closed"),
        _ => None,
    }
}

/// Checks the form and adds the standard, with an audit entry naming who and what; the
/// standard added.
pub async fn add_standard(
    store: &Store,
    form: &StandardForm,
    by: &str,
    at: DateTime<Utc>,
) -> Result<PointStandard, WebError> {
    let invalid = |what: &str| WebError::Invalid(what.to_string());
    let type_code = TypeCode::parse(form.type_code.trim()).map_err(|_| invalid("business type"))?;
    let coefficient: Decimal = form
        .coefficient
        .trim()
        .parse()
        .map_err(|_| invalid("coefficient"))?;
    let effective_from = NaiveDate::parse_from_str(form.effective_from.trim(), "%Y-%m-%d")
        .map_err(|_| invalid("effective date"))?;
    let standard = PointStandard {
        type_code,
        unit: PointUnit::PerInteraction,
        coefficient,
        effective_from,
    };
    store.add_point_standard(&standard, by, at).await?;
    store
        .audit(&NewAudit {
            actor: by.to_string(),
            kind: "points.standard.add".into(),
            subject: standard.type_code.to_string(),
            detail: serde_json::json!({
                "unit": unit_str(standard.unit),
                "coefficient": standard.coefficient.to_string(),
                "effective_from": standard.effective_from.to_string(),
            }),
            at,
        })
        .await?;
    Ok(standard)
}

/// The payroll of the whole center for a period, as .xlsx or (with `csv`) CSV.
pub async fn payroll(
    store: &Store,
    period: Period,
    lang: Lang,
    csv: bool,
) -> Result<Vec<u8>, WebError> {
    let cards = store.scorecards(period, &CardFilter::default()).await?;
    let rows = export_rows(store, cards).await?;
    let lang = export_lang(lang);
    let bytes = if csv {
        jixiao_import::export::payroll_csv(&rows, lang)
    } else {
        jixiao_import::export::payroll_workbook(&rows, lang)
    };
    bytes.map_err(WebError::internal)
}
