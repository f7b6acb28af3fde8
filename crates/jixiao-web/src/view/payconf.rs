//! `/config/pay`: every department's unit price and pay rules, one form each.

use askama::Template;

use super::Chrome;
use crate::payconf::PayForm;

/// One department's form.
#[derive(Debug, Clone)]
pub struct DeptPayVm {
    /// Code, as in the form's URL.
    pub code: String,
    /// Name.
    pub name: String,
    /// Whether it has a scheme (the unit price is stored with it).
    pub has_scheme: bool,
    /// The values shown: the stored ones, or the refused submission.
    pub form: PayForm,
    /// Why the submission was refused.
    pub error: Option<String>,
    /// Just saved.
    pub saved: bool,
}

/// `/config/pay`.
#[derive(Template)]
#[template(path = "payconf.html")]
pub struct PayConfPage {
    /// Frame.
    pub c: Chrome,
    /// Departments by code.
    pub departments: Vec<DeptPayVm>,
}
