//! Voucherly's callbacks coming in: each is kept in the inbox for the worker (see `inbox`), or,
//! while the database refuses writes, in the spool file beside it, replayed into the inbox
//! once the database is back.

use std::sync::Arc;

use super::Payments;
use crate::domain::payment::could_be_an_id;
use crate::domain::payment_work::{Callback, Kept};
use crate::metrics;

/// What became of a callback.
#[derive(Debug)]
pub enum Intake {
    /// In the inbox; the worker was woken.
    Kept,
    /// No payment of ours has its id or reference: certainly someone else's.
    NotOurs,
    /// The inbox holds `cap` callbacks already; the reconciler still re-reads the payment.
    Full { cap: i64 },
    /// The database refused it (`refused`): it is in the spool, replayed later.
    Spooled { refused: anyhow::Error },
    /// Neither the database (`refused`) nor the spool (`spool`) could keep it.
    Refused {
        refused: anyhow::Error,
        spool: anyhow::Error,
    },
}

impl Payments {
    /// Keeps a callback naming Voucherly's payment `voucherly_payment_id` (and our `reference`,
    /// when it carried one) for the inbox worker, in the spool if the database refuses it.
    pub async fn receive_callback(
        &self,
        voucherly_payment_id: String,
        reference: Option<String>,
    ) -> Intake {
        let named = std::iter::once(&voucherly_payment_id).chain(reference.as_ref());
        if !named.into_iter().all(|id| could_be_an_id(id)) {
            return Intake::NotOurs;
        }
        let callback = Callback {
            voucherly_payment_id,
            reference,
            received_at: self.clock.now(),
        };
        let cap = self.config.callback_inbox_cap;
        match self.inbox.keep_callback(callback.clone(), cap).await {
            Ok(Kept::Kept) => {
                super::inbox::wake();
                Intake::Kept
            }
            Ok(Kept::NotOurs) => Intake::NotOurs,
            Ok(Kept::Full) => Intake::Full { cap },
            Err(refused) => {
                let spool = Arc::clone(&self.spool);
                let kept = tokio::task::spawn_blocking(move || spool.append(callback))
                    .await
                    .map_err(anyhow::Error::from)
                    .and_then(|kept| kept);
                match kept {
                    Ok(()) => Intake::Spooled { refused },
                    Err(spool) => Intake::Refused { refused, spool },
                }
            }
        }
    }

    /// Replays the spool into the inbox. Fails (and leaves the file for the next try) while
    /// the database refuses writes.
    pub async fn replay_spool(&self) -> anyhow::Result<()> {
        let spool = Arc::clone(&self.spool);
        let claimer = Arc::clone(&spool);
        let Some((guard, entries)) = tokio::task::spawn_blocking(move || claimer.claim()).await??
        else {
            return Ok(());
        };
        let cap = self.config.callback_inbox_cap;
        let now = self.clock.now();
        let outcomes = self.inbox.keep_spooled(entries, cap, now).await?;
        tokio::task::spawn_blocking(move || spool.finish(guard)).await??;
        for outcome in &outcomes {
            metrics::record_callback(match outcome {
                Kept::Kept => "replayed",
                Kept::NotOurs => "not_ours",
                Kept::Full => "inbox_full",
            });
        }
        tracing::info!(
            replayed = outcomes.len(),
            "callbacks kept in the spool while the database refused them are in the inbox"
        );
        Ok(())
    }
}
