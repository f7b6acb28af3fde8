//! `/config/schemes`: every department's and position's assessment scheme in summary, and the
//! TOML editor of one with its check result.

use askama::Template;
use jixiao_core::scheme::Scheme;
use rust_decimal::Decimal;

use super::Chrome;
use super::fmt::plain;

/// One forced-distribution quota, worded: (grade, "≤ 20 %" / "≥ 5 %").
pub type QuotaVm = (String, String);

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
    /// Forced-distribution quotas, in band order; empty without any.
    pub quotas: Vec<QuotaVm>,
    /// Whether the quotas move grades (`enabled`).
    pub quotas_enabled: bool,
    /// Within which population the quotas count: "department" or "team".
    pub quotas_within: String,
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
            quotas: scheme
                .distribution
                .iter()
                .flat_map(|d| &d.quotas)
                .map(|q| {
                    let mut words = Vec::new();
                    if let Some(p) = q.max_percent {
                        words.push(format!("≤ {} %", plain(p)));
                    }
                    if let Some(p) = q.min_percent {
                        words.push(format!("≥ {} %", plain(p)));
                    }
                    (q.grade.clone(), words.join(", "))
                })
                .collect(),
            quotas_enabled: scheme.distribution.as_ref().is_some_and(|d| d.enabled),
            quotas_within: scheme
                .distribution
                .as_ref()
                .map_or("department", |d| d.within.as_str())
                .to_string(),
        }
    }
}

/// A position's scheme on the list.
#[derive(Debug, Clone)]
pub struct PositionVm {
    /// The position.
    pub position: String,
    /// Its editor's URL.
    pub href: String,
    /// Its scheme.
    pub summary: SummaryVm,
    /// Its unit price, or empty when it keeps the department's.
    pub unit_price: String,
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
    /// Its positions' schemes, by position.
    pub positions: Vec<PositionVm>,
}

/// `/config/schemes`.
#[derive(Template)]
#[template(path = "schemes.html")]
pub struct SchemesPage {
    /// Frame.
    pub c: Chrome,
    /// Departments by code.
    pub departments: Vec<DepartmentVm>,
    /// The positions employees hold, offered when adding a position scheme.
    pub known_positions: Vec<String>,
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
    /// The position, when editing a position's scheme.
    pub position: Option<String>,
    /// The editor's base path (`/config/schemes/CALL` or
    /// `/config/schemes/CALL/positions/Senior%20agent`): check and save post below it.
    pub action: String,
    /// A position's unit price as stored or submitted (blank: the department's).
    pub unit_price: String,
    /// The department's unit price, shown beside a position's.
    pub department_price: String,
    /// A position without its own scheme yet: the editor starts from the department's.
    pub inherited: bool,
    /// The scheme as TOML, as stored or as submitted.
    pub toml: String,
    /// The checked scheme's summary, when it is valid.
    pub summary: Option<SummaryVm>,
    /// Why the submitted scheme was refused.
    pub error: Option<String>,
    /// Set after a successful save.
    pub saved: bool,
}
