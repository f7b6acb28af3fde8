//! What can be wrong with a profile, and with a file read through one.

use crate::canonical::FileError;

/// A profile that cannot be used as written; each names the profile key at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The text is not TOML, or not the shape of a profile (misspelt key, wrong type).
    #[error("the profile could not be read: {message}")]
    Syntax {
        /// The TOML reader's explanation, with line and column.
        message: String,
    },
    /// `kind` names no canonical record kind.
    #[error("kind: unknown record kind \"{kind}\" (known: {known})")]
    UnknownKind {
        /// The kind as written.
        kind: String,
        /// The known kinds, comma-separated.
        known: String,
    },
    /// A key under `fields` is not a field of the kind.
    #[error("fields.{field}: {kind} has no field \"{field}\" (it has: {known})")]
    UnknownField {
        /// The field as written.
        field: String,
        /// The profile's kind.
        kind: String,
        /// The kind's fields, comma-separated.
        known: String,
    },
    /// A field the kind requires has no rule.
    #[error("fields.{field}: {kind} requires this field and the profile does not map it")]
    MissingField {
        /// The required field.
        field: String,
        /// The profile's kind.
        kind: String,
    },
    /// A rule is incomplete or contradicts itself.
    #[error("{key}: {message}")]
    BadRule {
        /// The profile key, e.g. `fields.talk_secs`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A date, time, duration or number format cannot be used for its field.
    #[error("{key}: the format \"{format}\" {message}")]
    BadFormat {
        /// The profile key, e.g. `fields.started_at.format`.
        key: String,
        /// The format as written.
        format: String,
        /// What is wrong.
        message: String,
    },
    /// `timezone` is not an IANA time zone name.
    #[error("timezone: unknown time zone \"{zone}\" (use an IANA name such as Asia/Shanghai)")]
    UnknownTimezone {
        /// The zone as written.
        zone: String,
    },
    /// Any other key with a value that cannot be used.
    #[error("{key}: {message}")]
    Invalid {
        /// The profile key.
        key: String,
        /// What is wrong.
        message: String,
    },
}

impl ProfileError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::Syntax { .. } => "profile_syntax",
            ProfileError::UnknownKind { .. } => "profile_unknown_kind",
            ProfileError::UnknownField { .. } => "profile_unknown_field",
            ProfileError::MissingField { .. } => "profile_missing_field",
            ProfileError::BadRule { .. } => "profile_bad_rule",
            ProfileError::BadFormat { .. } => "profile_bad_format",
            ProfileError::UnknownTimezone { .. } => "profile_unknown_timezone",
            ProfileError::Invalid { .. } => "profile_invalid",
        }
    }
}

/// Why a file could not be read through a profile; nothing of it is imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// The file itself: empty, undecodable, not CSV, not a workbook.
    #[error(transparent)]
    File(#[from] FileError),
    /// The profile is not valid.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// The profile reads a column the file's header does not have.
    #[error("{key}: the file has no column \"{column}\" (it has: {found})")]
    MissingColumn {
        /// The profile key that names the column.
        key: String,
        /// The column as the profile names it.
        column: String,
        /// The header as found, comma-separated.
        found: String,
    },
    /// The profile reads a column whose name the header has twice.
    #[error("{key}: the column \"{column}\" appears more than once in the file's header")]
    AmbiguousColumn {
        /// The profile key that names the column.
        key: String,
        /// The repeated column.
        column: String,
    },
}

impl MapError {
    /// The stable machine-readable code for this error.
    pub fn code(&self) -> &'static str {
        match self {
            MapError::File(e) => e.code(),
            MapError::Profile(e) => e.code(),
            MapError::MissingColumn { .. } => "profile_column_missing",
            MapError::AmbiguousColumn { .. } => "profile_column_ambiguous",
        }
    }
}
