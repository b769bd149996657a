//! Capturing later, for a store that chose to (`--capture later`): the store captures an
//! order's authorised payment, or releases it (the authorisation is cancelled through a
//! refund, as Voucherly documents), through its API.

use super::Payments;
use super::refresh::RefreshError;
use crate::domain::LocalStatus;
use crate::domain::payment::{Applied, Uncaptured};
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

impl Payments {
    /// Every authorised payment still to capture or release, oldest first.
    pub async fn uncaptured(&self) -> anyhow::Result<Vec<Uncaptured>> {
        self.store.uncaptured().await
    }

    /// Captures the order's authorised payment; returns where it stands after.
    pub async fn capture_order(&self, order_id: i64) -> Result<LocalStatus, CaptureError> {
        let id = self.authorised(order_id).await?;
        let authorised = Applied::Unknown;
        match self.capture(&id, authorised).await? {
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
    pub async fn release_order(&self, order_id: i64) -> Result<LocalStatus, CaptureError> {
        let id = self.authorised(order_id).await?;
        let mut payment = self
            .voucherly
            .refund_payment(&id)
            .await
            .map_err(RefreshError::from)?;
        if payment.id.is_empty() {
            payment.id = id;
        }
        match self.apply(&payment).await.map_err(RefreshError::from)? {
            Applied::Known { status, .. } => Ok(status),
            Applied::Unknown => Err(CaptureError::NothingAuthorised),
        }
    }

    async fn authorised(&self, order_id: i64) -> Result<String, CaptureError> {
        self.store
            .authorised_for_order(order_id)
            .await
            .map_err(RefreshError::from)?
            .ok_or(CaptureError::NothingAuthorised)
    }
}
