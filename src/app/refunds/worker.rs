//! The refund worker: tries the store's pending refunds when they are due, on every instance,
//! each refund claimed by one worker at a time and, of one order, only the oldest unfinished
//! one, until Voucherly made it or a person must.

use std::time::Duration;

use super::{LEASE, Refunds};

/// At most this many refunds per run.
const BATCH: i64 = 20;
/// How often the worker looks for due refunds.
const POLL: Duration = Duration::from_secs(1);

/// Runs the refund worker until the process ends.
pub fn spawn(refunds: Refunds) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match refunds.retry_due(refunds.clock.now()).await {
                Ok(tried) if tried > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(error = ?error, "refund worker run failed"),
            }
            tokio::time::sleep(POLL).await;
        }
    })
}

impl Refunds {
    /// Tries the refunds due at `now`; returns how many.
    pub async fn retry_due(&self, now: i64) -> anyhow::Result<usize> {
        let due = self
            .refunds
            .lease_due_store_refunds(now, BATCH, LEASE)
            .await?;
        for refund in &due {
            self.attempt(refund, now).await?;
        }
        Ok(due.len())
    }
}
