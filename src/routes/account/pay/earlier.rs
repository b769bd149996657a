//! Before another payment of an order is started, Voucherly is asked how the order's earlier,
//! unsettled payments went: one may have been paid meanwhile (in another tab, or its callback is
//! late), and starting a new one would take the money twice.

use crate::domain::LocalStatus;
use crate::payments::{Applied, apply};
use crate::state::AppState;
use crate::storage::payments::unsettled_for_order;

/// Whether one of the order's earlier payments turns out to be paid. A payment Voucherly cannot
/// tell about now is left to the callback and the reconciler.
pub async fn paid_meanwhile(state: &AppState, order_id: i64) -> anyhow::Result<bool> {
    for payment_id in unsettled_for_order(&state.db, order_id).await? {
        match state.voucherly.get_payment(&payment_id).await {
            Ok(payment) => {
                if let Applied::Known {
                    status: LocalStatus::Paid,
                    ..
                } = apply(&state.db, &payment).await?
                {
                    return Ok(true);
                }
            }
            Err(error) => {
                tracing::warn!(%error, payment_id, "could not re-read an earlier payment");
            }
        }
    }
    Ok(false)
}
