//! The core's error type. Every variant has a stable code shared by the API, pages and CLI.

/// A domain rule was violated by user-supplied data.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CoreError {
    /// A value could not be parsed into a domain type.
    #[error("invalid {what} {value:?}: {reason}")]
    Invalid {
        /// The kind of value, for example "employee number".
        what: &'static str,
        /// The rejected input, as given.
        value: String,
        /// Why it was rejected.
        reason: String,
    },
    /// Scheme weights must total exactly 100 %.
    #[error("scheme weights total {total} %, they must total 100 %")]
    WeightsNot100 {
        /// The actual total.
        total: rust_decimal::Decimal,
    },
    /// A scheme or rule is internally inconsistent.
    #[error("invalid scheme: {0}")]
    InvalidScheme(String),
}

impl CoreError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } => "invalid_value",
            CoreError::WeightsNot100 { .. } => "weights_not_100",
            CoreError::InvalidScheme(_) => "invalid_scheme",
        }
    }

    pub(crate) fn invalid(what: &'static str, value: &str, reason: impl Into<String>) -> Self {
        CoreError::Invalid {
            what,
            value: value.to_string(),
            reason: reason.into(),
        }
    }
}
