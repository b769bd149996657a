//! The storage engine's periodic housekeeping (for SQLite, a checkpoint that keeps the
//! write-ahead log from growing under steady traffic), run every minute for as long as the
//! runtime lives.

use std::sync::Arc;
use std::time::Duration;

use crate::storage::HealthStore;

/// How often the engine's housekeeping runs.
pub const EVERY: Duration = Duration::from_secs(60);

/// Runs `health`'s housekeeping every `every`.
pub fn spawn(health: Arc<dyn HealthStore>, every: Duration) {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.tick().await;
        loop {
            ticks.tick().await;
            if let Err(error) = health.housekeep().await {
                tracing::warn!(error = ?error, "could not checkpoint the database log");
            }
        }
    });
}
