//! The outbox's rules: events are written in the transaction that changes the order (by
//! storage), and leased back by the delivery, oldest first per order. Here: when a failed
//! delivery is retried, and how long delivered events are kept.

use crate::storage::{DueEvent, OutboxStore};

/// The first wait after a failed delivery, in seconds; it doubles on each failure.
pub const FIRST_RETRY_DELAY: i64 = 10;
/// The longest wait between two attempts, in seconds.
pub const MAX_RETRY_DELAY: i64 = 60 * 60;
/// Delivered events are kept this long (for support), then deleted.
pub const KEEP_DELIVERED: i64 = 30 * 24 * 60 * 60;

/// Records a failed attempt and schedules the next; returns the wait in seconds.
pub async fn mark_failed(
    outbox: &dyn OutboxStore,
    due: &DueEvent,
    now: i64,
    error: &str,
) -> anyhow::Result<i64> {
    let attempts = due.attempts.saturating_add(1);
    let wait = retry_delay(attempts);
    outbox
        .mark_event_failed(
            due.event_id.clone(),
            attempts,
            now.saturating_add(wait),
            error.to_owned(),
        )
        .await?;
    Ok(wait)
}

/// The wait after the `attempts`-th failure: 10 s, 20 s, 40 s, … up to an hour.
pub fn retry_delay(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(20);
    FIRST_RETRY_DELAY
        .saturating_mul(1_i64 << doublings)
        .min(MAX_RETRY_DELAY)
}

/// Deletes events delivered more than [`KEEP_DELIVERED`] seconds before `now`.
pub async fn prune_delivered(outbox: &dyn OutboxStore, now: i64) -> anyhow::Result<usize> {
    outbox
        .prune_events_delivered_before(now.saturating_sub(KEEP_DELIVERED))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_from_ten_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=11).map(retry_delay).collect();
        assert_eq!(
            waits,
            [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]
        );
        assert_eq!(retry_delay(i64::MAX), MAX_RETRY_DELAY);
    }
}
