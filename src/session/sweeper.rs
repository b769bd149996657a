//! A background job deleting ended sessions (and old rate-limit counters) every few minutes.
//! Reads already treat them as gone; this keeps the tables (and the database file) small.

use std::sync::Arc;
use std::time::Duration;

use crate::app::heartbeat::Heartbeats;
use crate::domain::Clock;
use crate::storage::{RateLimitStore, SessionStore};

pub const SWEEP_EVERY: Duration = Duration::from_secs(300);

/// Rate-limit counters of windows that started longer ago than this are deleted.
const KEEP_COUNTERS: i64 = 24 * 3600;

/// What the sweeper deletes from, and the time it goes by.
pub struct Swept {
    pub sessions: Arc<dyn SessionStore>,
    pub counters: Arc<dyn RateLimitStore>,
    pub clock: Arc<dyn Clock>,
}

pub fn spawn_sweeper(
    swept: Swept,
    max_age: i64,
    heartbeats: &Heartbeats,
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
            match sweep(&swept, max_age).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "ended sessions and old counters swept away"),
                Err(error) => tracing::warn!(error = ?error, "could not sweep ended sessions"),
            }
            heartbeat.beat();
        }
    })
}

async fn sweep(swept: &Swept, max_age: i64) -> anyhow::Result<usize> {
    let now = swept.clock.now();
    let sessions = swept.sessions.sweep_sessions(now, max_age).await?;
    let counters = swept.counters.sweep_counters(now - KEEP_COUNTERS).await?;
    Ok(sessions + counters)
}
