//! Why a formula was rejected when saved, or failed when evaluated. Columns are 1-based
//! character positions in the formula text, so a page can point at the spot.

/// A formula error with a stable code (`formula_*`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormulaError {
    /// The text is not a well-formed formula.
    #[error("syntax error at character {column}: {message}")]
    Syntax {
        /// Where.
        column: usize,
        /// What was expected or found.
        message: String,
    },
    /// A name is not a known measure.
    #[error(
        "unknown measure {name:?} at character {column}{}",
        did_you_mean(suggestion)
    )]
    UnknownMeasure {
        /// The name as written.
        name: String,
        /// Where.
        column: usize,
        /// The nearest known measure, if one is close.
        suggestion: Option<String>,
    },
    /// A function is not one of min, max, round, if_zero.
    #[error(
        "unknown function {name:?} at character {column}{}; the functions are min, max, round and if_zero",
        did_you_mean(suggestion)
    )]
    UnknownFunction {
        /// The name as written.
        name: String,
        /// Where.
        column: usize,
        /// The nearest function, if one is close.
        suggestion: Option<String>,
    },
    /// A function got the wrong number of arguments.
    #[error("{function} at character {column} takes {expected} arguments, not {found}")]
    Arity {
        /// The function.
        function: &'static str,
        /// Where.
        column: usize,
        /// How many it takes.
        expected: usize,
        /// How many it got.
        found: usize,
    },
    /// An argument is not acceptable (round's decimal places must be a whole number 0–10).
    #[error("{function} at character {column}: {reason}")]
    BadArgument {
        /// The function.
        function: &'static str,
        /// Where.
        column: usize,
        /// Why.
        reason: String,
    },
    /// Two sides of +, −, min, max or if_zero have different units.
    #[error("cannot {operation} {left} and {right} at character {column}")]
    UnitMismatch {
        /// `add`, `subtract`, `compare` or `choose between`.
        operation: &'static str,
        /// Where the operator or function is.
        column: usize,
        /// The left side's unit.
        left: String,
        /// The right side's unit.
        right: String,
    },
    /// The formula's result is not in the unit the KPI is declared in.
    #[error("the formula gives {found}, but the KPI is declared in {expected}")]
    WrongUnit {
        /// The declared unit.
        expected: &'static str,
        /// The formula's unit.
        found: String,
    },
    /// The text is longer than the limit.
    #[error("the formula is {chars} characters long; at most {max} are allowed")]
    TooLong {
        /// Its length.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// The formula nests deeper than the limit.
    #[error("the formula nests more than {max} levels deep")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A division by zero under the `error` policy.
    #[error("division by zero at character {column}")]
    DivisionByZero {
        /// Where the `/` is.
        column: usize,
    },
    /// A result too large for exact decimal arithmetic.
    #[error("the value at character {column} is too large to compute exactly")]
    Overflow {
        /// Where the operation is (0 when summing measures).
        column: usize,
    },
}

fn did_you_mean(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean {s:?}?)"))
        .unwrap_or_default()
}

impl FormulaError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            FormulaError::Syntax { .. } => "formula_syntax",
            FormulaError::UnknownMeasure { .. } => "formula_unknown_measure",
            FormulaError::UnknownFunction { .. } => "formula_unknown_function",
            FormulaError::Arity { .. } => "formula_arity",
            FormulaError::BadArgument { .. } => "formula_bad_argument",
            FormulaError::UnitMismatch { .. } => "formula_unit_mismatch",
            FormulaError::WrongUnit { .. } => "formula_wrong_unit",
            FormulaError::TooLong { .. } => "formula_too_long",
            FormulaError::TooDeep { .. } => "formula_too_deep",
            FormulaError::DivisionByZero { .. } => "formula_division_by_zero",
            FormulaError::Overflow { .. } => "formula_overflow",
        }
    }

    /// The 1-based character position the error points at, if it points at one.
    pub fn column(&self) -> Option<usize> {
        match self {
            FormulaError::Syntax { column, .. }
            | FormulaError::UnknownMeasure { column, .. }
            | FormulaError::UnknownFunction { column, .. }
            | FormulaError::Arity { column, .. }
            | FormulaError::BadArgument { column, .. }
            | FormulaError::UnitMismatch { column, .. }
            | FormulaError::DivisionByZero { column }
            | FormulaError::Overflow { column } => Some(*column).filter(|c| *c > 0),
            FormulaError::WrongUnit { .. }
            | FormulaError::TooLong { .. }
            | FormulaError::TooDeep { .. } => None,
        }
    }
}
