//! Kept settings, readiness, backlogs and housekeeping.

use async_trait::async_trait;

/// The application's own settings kept in the database (the session key, say).
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The value kept under `name`; when there is none yet, `fresh` is kept and returned. Two
    /// instances starting at once agree: the first one to write wins, the other reads it back.
    async fn kept_or_keep(&self, name: &'static str, fresh: String) -> anyhow::Result<String>;
}

/// How much work is waiting.
#[derive(Debug, Clone, Copy)]
pub struct Backlogs {
    /// Callbacks received but not yet read back and applied.
    pub callback_inbox: i64,
    /// Payments not settled yet, which the reconciler keeps re-reading.
    pub unsettled_payments: i64,
    /// Of those, the ones due for a re-read now.
    pub payments_due: i64,
    /// Store events not delivered yet.
    pub outbox: i64,
}

/// Readiness, backlogs and housekeeping.
#[async_trait]
pub trait HealthStore: Send + Sync {
    /// Whether the database can be written and its schema is the one this program knows; the
    /// reason when not.
    async fn check_ready(&self) -> anyhow::Result<()>;
    /// How much work waits, with payments due counted as of `now`.
    async fn backlogs(&self, now: i64) -> anyhow::Result<Backlogs>;
    /// The engine's periodic housekeeping; `false` when it could not finish this time (the next
    /// run finishes the job).
    async fn housekeep(&self) -> anyhow::Result<bool>;
}

// While the application moves onto the traits above, the SQLite functions keep their paths.
