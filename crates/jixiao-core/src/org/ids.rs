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
}
