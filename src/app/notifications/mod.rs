//! Notifications to the store: order events (paid, payment failed, refunded) written to an
//! outbox in the same transaction as the change, then posted to the store's webhook, signed with
//! HMAC-SHA256, retried with backoff until the store answers 2xx, in order per order.

pub mod deliver;
pub mod retry;
pub mod signature;
pub mod worker;

use std::sync::Arc;

pub use deliver::{Run, client};
pub use signature::{sign, verify};

use crate::app::store::Webhook;
use crate::domain::Clock;
use crate::storage::OutboxStore;

/// The delivery of the store's notifications: built with the outbox, the HTTP client posting to
/// the store, the store's webhook (none: nobody listens, events are dropped) and the clock.
pub struct Notifications {
    outbox: Arc<dyn OutboxStore>,
    client: reqwest::Client,
    webhook: Option<Webhook>,
    clock: Arc<dyn Clock>,
}

impl Notifications {
    pub fn new(
        outbox: Arc<dyn OutboxStore>,
        client: reqwest::Client,
        webhook: Option<Webhook>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            outbox,
            client,
            webhook,
            clock,
        }
    }

    /// One run as of now.
    pub async fn run(&self) -> anyhow::Result<Run> {
        self.run_at(self.clock.now()).await
    }

    /// One run as of `now` (Unix seconds); returns how many events it posted.
    pub async fn deliver_once(&self, now: i64) -> anyhow::Result<usize> {
        Ok(self.run_at(now).await?.attempted)
    }
}
