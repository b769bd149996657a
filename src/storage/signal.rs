//! "An event was queued": wakes the outbox's delivery worker early, after the commit that queued
//! it. One per process: several apps in one process (tests) all wake, and each just runs once
//! more. (A shared engine would carry it between instances, as PostgreSQL's `NOTIFY` does.)

use tokio::sync::Notify;

static QUEUED: Notify = Notify::const_new();

/// Tells the delivery worker there is something to send (call it after the commit).
pub fn events_queued() {
    // Every waiting worker, and a permit for one that is busy with a run right now.
    QUEUED.notify_waiters();
    QUEUED.notify_one();
}

/// Returns when an event is queued.
pub async fn next_queued() {
    QUEUED.notified().await;
}
