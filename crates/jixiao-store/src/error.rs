//! The store's error type; each variant has a stable code.

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A unique key already exists.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The period is closed and cannot change.
    #[error("period {0} is closed")]
    PeriodClosed(jixiao_core::Period),
    /// The period cannot move from its state to the one asked for.
    #[error("period {period} cannot go from {from} to {to}")]
    InvalidTransition {
        /// The period.
        period: jixiao_core::Period,
        /// Its state (stored spelling).
        from: &'static str,
        /// The state asked for.
        to: &'static str,
    },
    /// The period's review window is not open (appeals are taken only while it is).
    #[error("the review window of period {0} is not open")]
    ReviewWindowClosed(jixiao_core::Period),
    /// A domain rule failed.
    #[error(transparent)]
    Core(#[from] jixiao_core::CoreError),
    /// The database URL is not sqlite:// or postgres://.
    #[error("unsupported database URL (expected sqlite://PATH or postgres://…)")]
    BadUrl,
    /// Anything the database said.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration error: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// An import's source could not be read on (a streamed file broke off); nothing of the
    /// import was recorded.
    #[error("the import's source could not be read: {0}")]
    Source(String),
    /// The operating system gave no random bytes (for a new secret).
    #[error("no randomness from the operating system: {0}")]
    NoRandomness(String),
}

impl StoreError {
    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound(_) => "not_found",
            StoreError::Conflict(_) => "conflict",
            StoreError::PeriodClosed(_) => "period_closed",
            StoreError::InvalidTransition { .. } => "invalid_transition",
            StoreError::ReviewWindowClosed(_) => "review_window_closed",
            StoreError::Core(e) => e.code(),
            StoreError::BadUrl => "bad_database_url",
            StoreError::Db(_) => "database",
            StoreError::Migrate(_) => "migration",
            StoreError::NoRandomness(_) => "no_randomness",
            StoreError::Source(_) => "source_unreadable",
        }
    }
}
