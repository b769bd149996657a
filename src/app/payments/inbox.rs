//! The callback worker: reads back each payment a callback named, as kept in the inbox, and
//! applies it, retrying with backoff while Voucherly cannot answer. The callback itself was
//! answered `{"ok": true}` at once, so Voucherly never cancels a sale because its own API was
//! slow when it called us. Each round first replays the callbacks spooled while the database
//! refused them.

use std::time::Duration;

use super::Payments;
use crate::domain::payment::Applied;
use crate::domain::payment_work::DueCallback as Due;

/// How many callbacks one run reads back at most.
const BATCH: i64 = 20;
/// The longest wait between two tries of one callback, in seconds.
const MAX_BACKOFF: i64 = 60 * 60;
/// How often the worker looks for due callbacks when nothing wakes it.
const POLL: Duration = Duration::from_secs(1);

static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();

/// Tells the worker a callback arrived.
pub fn wake() {
    WAKE.notify_one();
}

/// Runs the callback worker until the process ends. A callback is tried until its payment
/// could be read back, or for `give_up_after` seconds (the reconciler still re-reads every
/// payment of ours that is unsettled).
pub fn spawn(payments: Payments, give_up_after: i64) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(error) = payments.replay_spool().await {
                // The database still refuses writes: the spool waits for the next round.
                tracing::warn!(error = %error, "could not replay the callback spool yet");
            }
            match payments
                .handle_callbacks(payments.clock.now(), give_up_after)
                .await
            {
                Ok(handled) if handled > 0 => continue,
                Ok(_) => {}
                Err(error) => tracing::error!(error = ?error, "callback worker run failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(POLL) => {}
                () = WAKE.notified() => {}
            }
        }
    })
}

impl Payments {
    /// Handles the callbacks due at `now`; returns how many it settled.
    pub async fn handle_callbacks(&self, now: i64, give_up_after: i64) -> anyhow::Result<usize> {
        let due = self.inbox.lease_due_callbacks(now, BATCH).await?;
        let mut settled = 0;
        for due in &due {
            settled += usize::from(self.handle(due, now, give_up_after).await?);
        }
        // A payment just applied may be an order's second: its refund is due at once.
        self.refund_due(now).await?;
        Ok(settled)
    }

    /// `true` when the callback needs nothing more.
    async fn handle(&self, due: &Due, now: i64, give_up_after: i64) -> anyhow::Result<bool> {
        let id = &due.voucherly_payment_id;
        let error = match self.refresh(id).await {
            Ok(Applied::Known { status, .. }) => {
                tracing::info!(voucherly_payment_id = %id, status = status.as_str(), "callback applied");
                self.inbox.callback_done(id, None, now).await?;
                return Ok(true);
            }
            Ok(Applied::Unknown) => {
                tracing::warn!(voucherly_payment_id = %id, "callback for a payment that is not ours");
                self.inbox
                    .callback_done(id, Some("not one of our payments".into()), now)
                    .await?;
                return Ok(true);
            }
            Err(error) => error,
        };
        if now - due.received_at >= give_up_after {
            tracing::error!(voucherly_payment_id = %id, %error, "callback given up: the payment could not be read back");
            self.inbox
                .callback_done(id, Some(error.to_string()), now)
                .await?;
            return Ok(true);
        }
        tracing::warn!(voucherly_payment_id = %id, attempts = due.attempts, %error, "callback read-back failed; retrying later");
        let wait = backoff(due.attempts);
        self.inbox
            .retry_callback_at(id, error.to_string(), now + wait)
            .await?;
        Ok(false)
    }
}

/// 1, 2, 4, … seconds after the first, second, third… failed try, at most an hour.
fn backoff(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 12)).unwrap_or(12);
    (1_i64 << exponent).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn backoff_doubles_from_one_second_up_to_an_hour() {
        let waits: Vec<i64> = [1, 2, 3, 4, 12, 13, 40].into_iter().map(backoff).collect();
        assert_eq!(waits, [1, 2, 4, 8, 2048, 3600, 3600]);
    }
}
