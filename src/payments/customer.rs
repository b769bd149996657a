//! One Voucherly customer per shopper and environment. A shopper's first payment creates the
//! customer (Voucherly answers its `customerId`); first payments made at the same moment (two
//! tabs, several instances) are serialised in the database, so the others wait for that id
//! instead of creating more customers whose saved methods would vanish.

use std::time::Duration;

use crate::state::AppState;
use crate::storage::now;
use crate::storage::shoppers::{self, FirstPayment};

const POLL_EVERY: Duration = Duration::from_millis(50);

/// Whose payment this is, at Voucherly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payer {
    /// The shopper's customer id.
    Customer(String),
    /// The shopper's first payment: this caller holds the claim and must call
    /// [`first_payment_done`] when Voucherly answered.
    First,
}

/// The shopper's customer id, or the right to make their first payment, waiting at most
/// `within` for another first payment under way. `None` when that one took too long.
pub async fn payer(
    state: &AppState,
    shopper_id: i64,
    within: Duration,
) -> anyhow::Result<Option<Payer>> {
    let deadline = tokio::time::Instant::now() + within;
    let lease = state.payments.creating_timeout;
    loop {
        match shoppers::claim_first_payment(&state.db, shopper_id, state.environment, now(), lease)
            .await?
        {
            FirstPayment::Customer(id) => return Ok(Some(Payer::Customer(id))),
            FirstPayment::Claimed => return Ok(Some(Payer::First)),
            FirstPayment::Busy if tokio::time::Instant::now() >= deadline => {
                tracing::warn!("another first payment of the shopper is still under way");
                return Ok(None);
            }
            FirstPayment::Busy => tokio::time::sleep(POLL_EVERY).await,
        }
    }
}

/// The first payment's create call is over (its customer id saved, or it failed).
pub async fn first_payment_done(state: &AppState, shopper_id: i64) {
    if let Err(error) =
        shoppers::release_first_payment(&state.db, shopper_id, state.environment).await
    {
        // The claim lapses by itself after the creating timeout.
        tracing::error!(error = ?error, "could not release the first-payment claim");
    }
}
