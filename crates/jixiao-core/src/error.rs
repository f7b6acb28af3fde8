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
    /// A scoring rule, pay table, rating scale or quota is inconsistent.
    #[error("invalid {what}: {reason}")]
    InvalidRule {
        /// The kind of rule, for example "step bands".
        what: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// A KPI formula was rejected when saved or failed when evaluated.
    #[error(transparent)]
    Formula(#[from] crate::kpi::formula::FormulaError),
    /// Explicit targets of the parts of a unit do not add up to the unit's target.
    #[error("the targets under {unit} total {total}, {difference} away from its target {whole}")]
    TargetsDoNotAddUp {
        /// The unit whose target was split.
        unit: String,
        /// The unit's target.
        whole: rust_decimal::Decimal,
        /// The sum of its parts' targets.
        total: rust_decimal::Decimal,
        /// total − whole: positive when the parts ask for more than the whole.
        difference: rust_decimal::Decimal,
    },
    /// Two point standards of one business type take effect on the same date.
    #[error("two point standards for {type_code} take effect on {effective_from}")]
    DuplicateStandard {
        /// The business type.
        type_code: String,
        /// The date both take effect.
        effective_from: chrono::NaiveDate,
    },
    /// A workflow (a complaint) cannot take the step asked for from its state.
    #[error("{what} cannot go from {from} to {to}: {reason}")]
    InvalidTransition {
        /// The workflow, for example "complaint".
        what: &'static str,
        /// Its state (stored spelling).
        from: String,
        /// The state or step asked for.
        to: String,
        /// Why not.
        reason: String,
    },
}

impl CoreError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { .. } => "invalid_value",
            CoreError::WeightsNot100 { .. } => "weights_not_100",
            CoreError::InvalidScheme(_) => "invalid_scheme",
            CoreError::InvalidRule { .. } => "invalid_rule",
            CoreError::Formula(e) => e.code(),
            CoreError::TargetsDoNotAddUp { .. } => "targets_do_not_add_up",
            CoreError::DuplicateStandard { .. } => "point_standard_duplicate",
            CoreError::InvalidTransition { .. } => "invalid_transition",
        }
    }

    pub(crate) fn rule(what: &'static str, reason: impl Into<String>) -> Self {
        CoreError::InvalidRule {
            what,
            reason: reason.into(),
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
