//! `/config/schemes`: every department's assessment scheme in summary, and the TOML editor of
//! one department's scheme with its check result.

use askama::Template;
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;

use super::Chrome;
use super::fmt::plain;

/// One KPI of a scheme, worded.
#[derive(Debug, Clone)]
pub struct ItemVm {
    /// The KPI's code (the library KPI's when set).
    pub code: String,
    /// Weight in percent.
    pub weight: String,
    /// The scoring rule in words.
    pub rule: String,
    /// Whether it deducts from the total instead of being weighted.
    pub deducts: bool,
}

/// A scheme in summary.
#[derive(Debug, Clone)]
pub struct SummaryVm {
    /// KPIs in order.
    pub items: Vec<ItemVm>,
    /// Σ the weights.
    pub weight_total: String,
    /// Grade bands, best first: (grade, lowest score).
    pub bands: Vec<(String, String)>,
}

impl SummaryVm {
    /// Words a scheme.
    pub fn of(scheme: &Scheme) -> SummaryVm {
        let items = scheme
            .items
            .iter()
            .map(|i| {
                let unit = if i.library_kpi.is_some() {
                    ""
                } else {
                    i.kpi.unit()
                };
                ItemVm {
                    code: i.code().to_string(),
                    weight: plain(i.weight),
                    rule: match &i.scoring {
                        Some(r) => r.describe(unit),
                        None => i.describe(),
                    },
                    deducts: i.deducts_from_total(),
                }
            })
            .collect();
        let total: Decimal = scheme.items.iter().map(|i| i.weight).sum();
        SummaryVm {
            items,
            weight_total: plain(total),
            bands: scheme
                .grades
                .iter()
                .map(|g| (g.grade.clone(), plain(g.min_score)))
                .collect(),
        }
    }
}

/// A department's row on the list.
#[derive(Debug, Clone)]
pub struct DepartmentVm {
    /// Code, as in the editor's URL.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its scheme, if one is set.
    pub summary: Option<SummaryVm>,
    /// Unit price per point.
    pub unit_price: String,
}

/// `/config/schemes`.
#[derive(Template)]
#[template(path = "schemes.html")]
pub struct SchemesPage {
    /// Frame.
    pub c: Chrome,
    /// Departments by code.
    pub departments: Vec<DepartmentVm>,
}

/// `/config/schemes/{code}`.
#[derive(Template)]
#[template(path = "scheme_edit.html")]
pub struct SchemeEditPage {
    /// Frame.
    pub c: Chrome,
    /// The department's code.
    pub code: String,
    /// The department's name.
    pub name: String,
    /// The scheme as TOML, as stored or as submitted.
    pub toml: String,
    /// The checked scheme's summary, when it is valid.
    pub summary: Option<SummaryVm>,
    /// Why the submitted scheme was refused.
    pub error: Option<String>,
    /// Set after a successful save.
    pub saved: bool,
}
