//! Jixiao's web face: axum routes, session authentication, authorization extractors, one error
//! type, compiled askama templates, the two UI catalogs and the embedded stylesheet.
//!
//! This crate owns HTTP only. It holds no SQL and no KPI math: data comes from `jixiao-store`
//! (and its `service` module), files from `jixiao-import`, numbers from `jixiao-core`. It must
//! not depend on sqlx directly, and handlers must not build HTML with `format!`.

mod api;
mod appeals;
mod auth;
mod calibration;
mod charts;
mod compete;
mod error;
mod fairness;
mod fairness_extra;
mod i18n;
mod jobs;
mod kdefs;
mod password;
mod payconf;
mod people;
mod points;
mod profiles;
mod queries;
mod rewards;
mod routes;
mod schemes;
mod spans;
mod targets;
mod view;

pub use error::WebError;
pub use i18n::Lang;
pub use password::{hash_password, hash_password_cheap, verify_password};

use jixiao_store::Store;

/// Everything a handler may use: the store and the web settings. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The storage (a pool handle).
    pub store: Store,
    /// Web settings, loaded once by the binary.
    pub settings: WebSettings,
}

/// The settings the web layer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSettings {
    /// Mark the session cookie `Secure` (when served behind TLS).
    pub secure_cookies: bool,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Language for visitors who have not chosen one: `zh-CN` or `en`.
    pub default_locale: String,
    /// The address users reach Jixiao at, without a trailing `/`, for links sent outside a
    /// page; `None`: the request's Host header, `https` when cookies are `Secure`.
    pub public_url: Option<String>,
}

impl WebSettings {
    /// The absolute URL of `path` (which starts with `/`) as users outside reach it.
    pub fn absolute(&self, host: Option<&str>, path: &str) -> String {
        match &self.public_url {
            Some(base) => format!("{base}{path}"),
            None => {
                let scheme = if self.secure_cookies { "https" } else { "http" };
                format!("{scheme}://{}{path}", host.unwrap_or("localhost"))
            }
        }
    }
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            secure_cookies: false,
            session_hours: 12,
            default_locale: "zh-CN".into(),
            public_url: None,
        }
    }
}

/// The application's router, state applied.
pub fn router(state: AppState) -> axum::Router {
    routes::router(state)
}

#[cfg(test)]
mod settings_tests {
    use super::WebSettings;

    #[test]
    fn links_use_the_public_url_else_the_host_with_the_cookie_scheme() {
        let mut s = WebSettings::default();
        assert_eq!(
            s.absolute(Some("10.0.0.5:8080"), "/s/t"),
            "http://10.0.0.5:8080/s/t"
        );
        s.secure_cookies = true;
        assert_eq!(
            s.absolute(Some("jx.example.cn"), "/s/t"),
            "https://jx.example.cn/s/t"
        );
        s.public_url = Some("https://jixiao.example.cn".into());
        assert_eq!(
            s.absolute(Some("10.0.0.5"), "/s/t"),
            "https://jixiao.example.cn/s/t"
        );
    }
}
