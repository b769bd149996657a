//! Capturing later, for a store that chose to (`--capture later`): the store captures an
//! order's authorised payment, or releases it (the authorisation is cancelled through a
//! refund, as Voucherly documents), through its API.

use super::apply::Applied;
use super::refresh::{RefreshError, capture as confirm};
use crate::domain::LocalStatus;
use crate::state::AppState;
use crate::storage::payments::capture::authorised_for_order;
use crate::voucherly::VoucherlyError;

/// Why an order could not be captured or released.
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The order has no authorised payment waiting (unpaid, captured, or released already).
    #[error("the order has no authorised payment to capture or release")]
    NothingAuthorised,
    #[error(transparent)]
    Refresh(#[from] RefreshError),
}

/// Captures the order's authorised payment; returns where it stands after.
pub async fn capture_order(state: &AppState, order_id: i64) -> Result<LocalStatus, CaptureError> {
    let id = authorised(state, order_id).await?;
    let authorised = Applied::Unknown;
    match confirm(state, &id, authorised).await? {
        Applied::Known { status, .. } if status != LocalStatus::Authorised => Ok(status),
        // Voucherly could not be reached: the payment is still only authorised.
        _ => Err(RefreshError::Voucherly(VoucherlyError::Unavailable(
            "the capture could not be made now".into(),
        ))
        .into()),
    }
}

/// Releases the order's authorised payment (Voucherly cancels the authorisation); returns
/// where it stands after.
pub async fn release_order(state: &AppState, order_id: i64) -> Result<LocalStatus, CaptureError> {
    let id = authorised(state, order_id).await?;
    let mut payment = state
        .voucherly
        .refund_payment(&id)
        .await
        .map_err(RefreshError::from)?;
    if payment.id.is_empty() {
        payment.id = id;
    }
    match super::apply(&state.db, &payment)
        .await
        .map_err(RefreshError::from)?
    {
        Applied::Known { status, .. } => Ok(status),
        Applied::Unknown => Err(CaptureError::NothingAuthorised),
    }
}

async fn authorised(state: &AppState, order_id: i64) -> Result<String, CaptureError> {
    authorised_for_order(&state.db, order_id)
        .await
        .map_err(RefreshError::from)?
        .ok_or(CaptureError::NothingAuthorised)
}
