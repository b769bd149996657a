//! A background job deleting ended sessions (and old rate-limit counters) every few minutes.
//! Reads already treat them as gone; this keeps the tables (and the database file) small.

use std::time::Duration;

use crate::heartbeat::Heartbeats;
use crate::storage::Database;

pub const SWEEP_EVERY: Duration = Duration::from_secs(300);

pub fn spawn_sweeper(
    db: Database,
    max_age: i64,
    heartbeats: Heartbeats,
) -> tokio::task::JoinHandle<()> {
    let heartbeat = heartbeats.register("session sweeper", SWEEP_EVERY);
    tokio::spawn(async move {
        // The first sweep waits one period: at once, it would race the first requests (the
        // server answers before this task first runs) and delete a session they still read.
        let first = tokio::time::Instant::now() + SWEEP_EVERY;
        let mut ticks = tokio::time::interval_at(first, SWEEP_EVERY);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let swept = crate::storage::sessions::sweep_with_counters(&db, max_age).await;
            match swept {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "ended sessions and old counters swept away"),
                Err(error) => tracing::warn!(error = ?error, "could not sweep ended sessions"),
            }
            heartbeat.beat();
        }
    })
}
