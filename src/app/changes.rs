//! What this instance does with the changes every instance announces (see
//! `storage::ChangeFeed`): forgets the caches they make stale, and wakes the delivery of store
//! events another instance queued.

use tokio::sync::broadcast::error::RecvError;

use crate::app::saved_methods::Caches;
use crate::storage::{Change, ChangeFeed, signal};

/// Applies every change heard to this instance's `caches`, for as long as the process runs.
pub fn spawn(feed: &dyn ChangeFeed, caches: Caches) {
    let mut changes = feed.changes();
    tokio::spawn(async move {
        loop {
            match changes.recv().await {
                Ok(change) => apply(change, &caches),
                // Fell behind: what was missed is unknown, so nothing cached is trusted.
                Err(RecvError::Lagged(_)) => apply(Change::Everything, &caches),
                Err(RecvError::Closed) => return,
            }
        }
    });
}

fn apply(change: Change, caches: &Caches) {
    match change {
        Change::Methods { shopper_id } => caches.forget(shopper_id),
        Change::EventsQueued => signal::events_queued(),
        // The storage engine applies these to its own page cache before they get here, and the
        // session layer keeps its own cache (see `session::cache`).
        Change::Pages { .. }
        | Change::Fence { .. }
        | Change::Session { .. }
        | Change::Applied { .. } => {}
        Change::Everything => {
            caches.forget_all();
            signal::events_queued();
        }
    }
}
