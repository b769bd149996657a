//! Notifications to the store: order events (paid, payment failed, refunded) written to an
//! outbox in the same transaction as the change, then posted to the store's webhook, signed with
//! HMAC-SHA256, retried with backoff until the store answers 2xx, in order per order.

pub mod deliver;
pub mod event;
pub mod outbox;
pub mod signature;
pub mod worker;

use tokio::sync::Notify;

pub use deliver::{Deliverer, deliver_once};
pub use event::EventType;
pub use signature::{sign, verify};

/// Wakes the delivery worker early when an event was queued. One per process: several apps in
/// one process (tests) all wake, and each just runs once more.
static WAKE: Notify = Notify::const_new();

/// Tells the delivery worker there is something to send (call it after the commit).
pub fn wake() {
    // Every waiting worker, and a permit for one that is busy with a run right now.
    WAKE.notify_waiters();
    WAKE.notify_one();
}
