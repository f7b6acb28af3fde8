//! Validated identifiers ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::CoreError;

/// An employee number: 1–32 ASCII letters, digits, `-` or `_`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmployeeNo(String);

impl EmployeeNo {
    /// Parses and trims an employee number.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        parse_code("employee number", s).map(EmployeeNo)
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How a source system names an agent: an employee number, or an alias of that system (a login,
/// an extension, a display name, a resolver id). Any text of 1–64 characters without control
/// characters, because the store, not the parser, decides which employee it means.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AgentRef(String);

impl AgentRef {
    /// Longest accepted reference, in characters.
    pub const MAX_CHARS: usize = 64;

    /// Parses and trims an agent reference.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        let what = "agent";
        let t = s.trim();
        if t.is_empty() {
            return Err(CoreError::invalid(what, s, "must not be empty"));
        }
        if t.chars().count() > Self::MAX_CHARS {
            return Err(CoreError::invalid(
                what,
                s,
                format!("must be at most {} characters", Self::MAX_CHARS),
            ));
        }
        if t.chars().any(char::is_control) {
            return Err(CoreError::invalid(
                what,
                s,
                "must not contain control characters",
            ));
        }
        Ok(AgentRef(t.to_string()))
    }

    /// The reference as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<EmployeeNo> for AgentRef {
    /// Every employee number is a valid agent reference.
    fn from(no: EmployeeNo) -> Self {
        AgentRef(no.0)
    }
}

/// A business type code such as `INQUIRY` or `COMPLAINT`: same alphabet as employee numbers.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TypeCode(String);

impl TypeCode {
    /// Parses and trims a business type code.
    pub fn parse(s: &str) -> Result<Self, CoreError> {
        parse_code("business type", s).map(TypeCode)
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn parse_code(what: &'static str, s: &str) -> Result<String, CoreError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(CoreError::invalid(what, s, "must not be empty"));
    }
    if t.len() > 32 {
        return Err(CoreError::invalid(what, s, "must be at most 32 characters"));
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(CoreError::invalid(
            what,
            s,
            "may contain only letters, digits, - and _",
        ));
    }
    Ok(t.to_string())
}

macro_rules! string_newtype_impls {
    ($t:ident) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = CoreError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
    };
}
string_newtype_impls!(EmployeeNo);
string_newtype_impls!(TypeCode);
string_newtype_impls!(AgentRef);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn employee_numbers_are_trimmed_and_checked() {
        assert_eq!(EmployeeNo::parse(" A0012 ").unwrap().as_str(), "A0012");
        assert!(EmployeeNo::parse("").is_err());
        assert!(EmployeeNo::parse("a b").is_err());
        assert!(EmployeeNo::parse(&"x".repeat(33)).is_err());
    }

    #[test]
    fn agent_references_accept_any_short_text_a_source_system_uses() {
        for ok in ["A0012", "Resolver 149", "8001", " 张三 ", "SIP/1001"] {
            assert_eq!(AgentRef::parse(ok).unwrap().as_str(), ok.trim());
        }
        assert!(AgentRef::parse("  ").is_err());
        assert!(AgentRef::parse("a\nb").is_err());
        assert!(AgentRef::parse(&"张".repeat(65)).is_err());
        assert!(AgentRef::parse(&"张".repeat(64)).is_ok());
    }
}
