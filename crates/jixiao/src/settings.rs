//! The one typed settings struct: defaults, then a TOML file, then `JIXIAO_*` environment
//! variables, then command-line flags (clap merges the last two). Loaded once in `main`.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// Every setting Jixiao reads.
#[derive(Clone, PartialEq, Eq)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://…`. May hold a password: never printed.
    pub database: String,
    /// Address to listen on.
    pub bind: String,
    /// Port to listen on.
    pub port: u16,
    /// Mark session cookies `Secure` (set when served behind TLS).
    pub secure_cookies: bool,
    /// Session lifetime in hours.
    pub session_hours: i64,
    /// Language for users who have not chosen one: `zh-CN` or `en`.
    pub default_locale: String,
    /// The address users reach Jixiao at (`https://jixiao.example.cn`), for links sent
    /// outside a page (survey links); unset: built from the request's Host header.
    pub public_url: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database: "sqlite://jixiao.db".into(),
            bind: "127.0.0.1".into(),
            port: 8080,
            secure_cookies: false,
            session_hours: 12,
            default_locale: "zh-CN".into(),
            public_url: None,
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("database", &redact(&self.database))
            .field("bind", &self.bind)
            .field("port", &self.port)
            .field("secure_cookies", &self.secure_cookies)
            .field("session_hours", &self.session_hours)
            .field("default_locale", &self.default_locale)
            .field("public_url", &self.public_url)
            .finish()
    }
}

/// The same settings, each optional: one layer (a file, or env + flags).
#[derive(Debug, Default, Clone, Deserialize, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    /// Database URL: sqlite://PATH or postgres://USER@HOST/DB.
    #[arg(long, env = "JIXIAO_DATABASE")]
    pub database: Option<String>,
    /// Address to listen on [default: 127.0.0.1].
    #[arg(long, env = "JIXIAO_BIND")]
    pub bind: Option<String>,
    /// Port to listen on [default: 8080].
    #[arg(long, env = "JIXIAO_PORT")]
    pub port: Option<u16>,
    /// Mark session cookies Secure (behind TLS).
    #[arg(long, env = "JIXIAO_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Session lifetime in hours [default: 12].
    #[arg(long, env = "JIXIAO_SESSION_HOURS")]
    pub session_hours: Option<i64>,
    /// Default language: zh-CN or en [default: zh-CN].
    #[arg(long, env = "JIXIAO_DEFAULT_LOCALE")]
    pub default_locale: Option<String>,
    /// The address users reach Jixiao at, for links sent outside a page, such as
    /// https://jixiao.example.cn [default: from the request's Host header].
    #[arg(long, env = "JIXIAO_PUBLIC_URL")]
    pub public_url: Option<String>,
}

impl Settings {
    /// Builds settings from defaults, the config file (if any) and the env/flag layer.
    pub fn load(file: Option<&Path>, cli: &Layer, defaults: Settings) -> anyhow::Result<Settings> {
        let file_layer = match file {
            Some(p) => read_file(p)?,
            None if Path::new("jixiao.toml").exists() => read_file(Path::new("jixiao.toml"))?,
            None => Layer::default(),
        };
        let mut s = defaults;
        for layer in [&file_layer, cli] {
            s.apply(layer);
        }
        anyhow::ensure!(
            s.default_locale == "zh-CN" || s.default_locale == "en",
            "default_locale must be zh-CN or en, not {:?}",
            s.default_locale
        );
        anyhow::ensure!(s.session_hours > 0, "session_hours must be positive");
        if let Some(url) = &mut s.public_url {
            anyhow::ensure!(
                url.starts_with("https://") || url.starts_with("http://"),
                "public_url must start with https:// or http://, not {url:?}"
            );
            *url = url.trim_end_matches('/').to_string();
        }
        Ok(s)
    }

    fn apply(&mut self, l: &Layer) {
        if let Some(v) = &l.database {
            self.database = v.clone();
        }
        if let Some(v) = &l.bind {
            self.bind = v.clone();
        }
        if let Some(v) = l.port {
            self.port = v;
        }
        if let Some(v) = l.secure_cookies {
            self.secure_cookies = v;
        }
        if let Some(v) = l.session_hours {
            self.session_hours = v;
        }
        if let Some(v) = &l.default_locale {
            self.default_locale = v.clone();
        }
        if let Some(v) = &l.public_url {
            self.public_url = Some(v.clone());
        }
    }
}

fn read_file(p: &Path) -> anyhow::Result<Layer> {
    let text = std::fs::read_to_string(p)
        .with_context(|| format!("reading settings file {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing settings file {}", p.display()))
}

/// Hides the password in a database URL (`postgres://u:secret@h/db` → `postgres://u:***@h/db`).
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Where the demo keeps its database unless told otherwise.
pub fn default_demo_database() -> String {
    let p: PathBuf = ["jixiao-data", "demo.db"].iter().collect();
    format!("sqlite://{}", p.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = std::env::temp_dir().join(format!("jixiao-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("j.toml");
        std::fs::write(&f, "port = 9000\ndatabase = \"sqlite://file.db\"\n").unwrap();
        let cli = Layer {
            port: Some(9100),
            ..Layer::default()
        };
        let s = Settings::load(Some(&f), &cli, Settings::default()).unwrap();
        assert_eq!(s.port, 9100);
        assert_eq!(s.database, "sqlite://file.db");
        assert_eq!(s.bind, "127.0.0.1");
    }

    #[test]
    fn a_public_url_loses_its_trailing_slash_and_must_be_http() {
        let dir = std::env::temp_dir().join(format!("jixiao-settings-url-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("j.toml");
        std::fs::write(&f, "public_url = \"https://jixiao.example.cn/\"\n").unwrap();
        let s = Settings::load(Some(&f), &Layer::default(), Settings::default()).unwrap();
        assert_eq!(s.public_url.as_deref(), Some("https://jixiao.example.cn"));
        std::fs::write(&f, "public_url = \"jixiao.example.cn\"\n").unwrap();
        assert!(Settings::load(Some(&f), &Layer::default(), Settings::default()).is_err());
    }

    #[test]
    fn unknown_keys_in_the_settings_file_are_an_error() {
        let dir = std::env::temp_dir().join(format!("jixiao-settings-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("j.toml");
        std::fs::write(&f, "prot = 9000\n").unwrap();
        assert!(Settings::load(Some(&f), &Layer::default(), Settings::default()).is_err());
    }

    #[test]
    fn passwords_in_database_urls_are_never_printed() {
        let s = Settings {
            database: "postgres://app:s3cret@db/jixiao".into(),
            ..Settings::default()
        };
        let printed = format!("{s:?}");
        assert!(!printed.contains("s3cret"), "{printed}");
        assert!(printed.contains("postgres://app:***@db/jixiao"));
    }
}
