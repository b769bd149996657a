//! The background loop: a delivery run every few seconds, and at once when an event is written.
//! Its state is the outbox in the database, so a restart picks up where it stopped.

use std::sync::Arc;
use std::time::Duration;

use super::Notifications;
use crate::app::heartbeat::Heartbeats;
use crate::storage::signal;

/// Runs the delivery worker until the process ends: at start (events left by a previous run are
/// due), then every `every`, or sooner when an event is queued. `None` when `every` is zero:
/// no background delivery.
pub fn spawn(
    notifications: Arc<Notifications>,
    heartbeats: &Heartbeats,
    every: Duration,
) -> Option<tokio::task::JoinHandle<()>> {
    if every.is_zero() {
        tracing::info!("notification delivery is off: events wait in the outbox");
        return None;
    }
    let heartbeat = heartbeats.register("notifications", every);
    Some(tokio::spawn(async move {
        loop {
            heartbeat.beat();
            let delivered = match notifications.run().await {
                Ok(run) => run.delivered,
                Err(error) => {
                    tracing::error!(error = ?error, "notification run failed");
                    0
                }
            };
            // A delivered event may have let the next one of its order through: go on at once.
            if delivered == 0 {
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    () = signal::next_queued() => {}
                }
            }
        }
    }))
}
