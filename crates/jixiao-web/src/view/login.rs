//! The sign-in page.

use askama::Template;

use crate::i18n::Tr;

/// `/login`.
#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// Translator.
    pub t: Tr,
    /// Catalog key of an error to show.
    pub error: Option<&'static str>,
    /// The username typed, kept on failure.
    pub username: String,
}
