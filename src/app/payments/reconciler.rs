//! The reconciler: a background job that re-reads from Voucherly the payments still unsettled
//! (a tab closed at checkout, a lost callback), applies what it hears, backs off between reads,
//! and gives up after a while, so no payment stays "processing" forever.

use std::time::Duration;

use super::Payments;
use super::config::Capture;
use super::refresh::RefreshError;
use crate::app::heartbeat::Heartbeat;
use crate::domain::LocalStatus;
use crate::domain::payment::{Applied, FIRST_CHECK_INTERVAL};
use crate::domain::payment_work::DueCheck as Due;
use crate::voucherly::VoucherlyError;

/// The longest wait between two readings of one payment, in seconds.
pub const MAX_CHECK_INTERVAL: i64 = 60 * 60;
/// At most this many payments are read back per run; the rest wait for the next run.
const BATCH: i64 = 100;
/// Seconds a run holds the payments it reads back: their reads (and a void or a capture) end
/// well within it; a payment whose worker died is read again after it.
const CHECK_LEASE: i64 = 120;

/// How often the reconciler runs and how patient it is.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub every: Duration,
    /// Seconds after its creation when an unsettled payment is given up as abandoned.
    pub give_up_after: i64,
    /// Seconds after which a payment still `creating` never heard back from Voucherly.
    pub creating_timeout: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(30),
            give_up_after: 24 * 60 * 60,
            creating_timeout: 60,
        }
    }
}

/// Runs the reconciler every `policy.every` until the process ends. The first run waits one
/// period, so a starting app is not busy with it.
pub fn spawn(
    payments: Payments,
    heartbeat: Heartbeat,
    policy: Policy,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + policy.every;
        let mut ticks = tokio::time::interval_at(start, policy.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match payments.reconcile_with(payments.clock.now(), &policy).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "reconciler looked at unsettled payments"),
                Err(error) => tracing::error!(error = ?error, "reconciler run failed"),
            }
            heartbeat.beat();
        }
    })
}

impl Payments {
    /// One run with the default policy, as of `now` (Unix seconds); returns how many payments it
    /// looked at.
    pub async fn reconcile_once(&self, now: i64) -> anyhow::Result<usize> {
        self.reconcile_with(now, &Policy::default()).await
    }

    /// One run with `policy`, as of `now` (Unix seconds); returns how many payments it looked at.
    #[tracing::instrument(name = "payments.reconcile", skip_all)]
    pub async fn reconcile_with(&self, now: i64, policy: &Policy) -> anyhow::Result<usize> {
        let stuck = self
            .store
            .fail_stuck_creations(now, policy.creating_timeout)
            .await?;
        for (payment, reference) in &stuck {
            tracing::warn!(payment, %reference, "payment creation never finished: unknown outcome, marked failed");
        }
        let refunded = self.refund_due(now).await?;
        let due = self.store.lease_due_checks(now, BATCH, CHECK_LEASE).await?;
        for payment in &due {
            if let Err(error) = self.check(payment, now, policy).await {
                tracing::error!(payment = payment.id, error = ?error, "could not reconcile a payment");
            }
        }
        Ok(stuck.len() + refunded + due.len())
    }

    async fn check(&self, due: &Due, now: i64, policy: &Policy) -> anyhow::Result<()> {
        let (current, gone) = match self.refresh(&due.voucherly_payment_id).await {
            Ok(Applied::Known { status, .. }) => (status, false),
            Ok(Applied::Unknown) => (due.status, false),
            Err(RefreshError::Voucherly(VoucherlyError::NotFound)) => (due.status, true),
            Err(RefreshError::Storage(error)) => return Err(error),
            Err(error) => {
                tracing::warn!(payment = due.id, %error, "could not read a payment back");
                (due.status, false)
            }
        };
        let store = &self.store;
        let id = due.id;
        // An authorisation is read (and captured) again until captured.
        let awaits_capture =
            current == LocalStatus::Authorised && self.config.capture == Capture::AtPayment;
        if current.is_settled() && !awaits_capture && (gone || current != LocalStatus::CreateFailed)
        {
            return store.stop_checking(id, now).await;
        }
        if now - due.created_at >= policy.give_up_after {
            if current.can_move_to(LocalStatus::Abandoned) {
                tracing::warn!(payment = id, "payment never settled: abandoned");
                store.abandon(id, now).await?;
                // Its checkout, if still open at Voucherly, is an orphan now: read again, it is
                // voided (or adopted, paid at the last moment).
                if let Err(error) = self.refresh(&due.voucherly_payment_id).await {
                    tracing::warn!(payment = id, %error, "could not close the abandoned payment's checkout");
                }
                return Ok(());
            }
            return store.stop_checking(id, now).await;
        }
        let doubled = due.check_interval.unwrap_or(FIRST_CHECK_INTERVAL / 2) * 2;
        let interval = doubled.clamp(FIRST_CHECK_INTERVAL, MAX_CHECK_INTERVAL);
        store.check_again_in(id, interval, now).await
    }
}
