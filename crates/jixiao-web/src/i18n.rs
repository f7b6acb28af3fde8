//! The two UI catalogs (zh-CN, en), embedded at build time, and language negotiation.
//!
//! Catalogs are flat TOML tables of `key = "text"`. A unit test checks both hold exactly the same
//! keys and that every key a template asks for exists.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// A supported UI language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// Simplified Chinese, the default.
    ZhCn,
    /// English.
    En,
}

impl Lang {
    /// The BCP 47 tag, as used in cookies, `lang` attributes and user preferences.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a tag loosely: any `zh…` is Chinese, any `en…` is English.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The first supported language of an `Accept-Language` header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut prefs: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.split(';');
                let lang = Lang::parse(it.next()?)?;
                let q = it
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .and_then(|q| q.parse().ok())
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        // Stable sort keeps header order among equal qualities.
        prefs.sort_by(|a, b| b.0.total_cmp(&a.0));
        prefs.first().map(|p| p.1)
    }
}

type Catalog = BTreeMap<String, String>;

fn load(src: &str) -> Catalog {
    toml::from_str(src).expect("embedded catalog is a flat TOML table of strings")
}

fn catalog(lang: Lang) -> &'static Catalog {
    static ZH: OnceLock<Catalog> = OnceLock::new();
    static EN: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::ZhCn => ZH.get_or_init(|| load(include_str!("../i18n/zh-CN.toml"))),
        Lang::En => EN.get_or_init(|| load(include_str!("../i18n/en.toml"))),
    }
}

/// A translator for one language, handed to every template as `t`.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    /// The language.
    pub lang: Lang,
}

impl Tr {
    /// A translator for `lang`.
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The text for `key`; a missing key shows itself so it is noticed, never panics.
    pub fn get(&self, key: &str) -> &'static str {
        match catalog(self.lang).get(key) {
            Some(v) => v.as_str(),
            None => {
                tracing::warn!(key, lang = self.lang.tag(), "missing catalog key");
                "??"
            }
        }
    }

    /// The text for `key` with each `{name}` replaced by its value.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        args.iter()
            .fold(self.get(key).to_string(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
    }

    /// The language tag, for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.lang.tag()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_catalogs_have_exactly_the_same_keys() {
        let zh: Vec<_> = catalog(Lang::ZhCn).keys().collect();
        let en: Vec<_> = catalog(Lang::En).keys().collect();
        assert_eq!(zh, en);
        assert!(catalog(Lang::En).values().all(|v| !v.trim().is_empty()));
    }

    #[test]
    fn every_key_a_template_uses_is_in_the_catalogs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for piece in text.split("t.get(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                if !catalog(Lang::En).contains_key(key) {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "missing keys: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled_by_name() {
        let zh = Tr::new(Lang::ZhCn);
        assert_eq!(
            zh.fill("rounding_half_up", &[("dp", "2")]),
            "按四舍五入保留 2 位小数"
        );
    }

    #[test]
    fn accept_language_picks_the_preferred_supported_language() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::ZhCn)
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("fr, en;q=0.5"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de"), None);
    }
}
