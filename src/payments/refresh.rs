//! Reading a payment back from Voucherly and applying it: the one way any part of the app (the
//! return page, the callback worker, the reconciler, the pay route) learns how a payment went.

use super::apply::{Applied, apply};
use crate::domain::LocalStatus;
use crate::state::AppState;
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::PaymentStatus;

/// Why a payment could not be refreshed now. Each is worth another try later.
#[derive(Debug, thiserror::Error)]
pub enum RefreshError {
    #[error(transparent)]
    Voucherly(#[from] VoucherlyError),
    /// A 2xx answer without a status teaches nothing: it is not taken as "no change".
    #[error("Voucherly's answer carries no status")]
    NoStatus,
    #[error(transparent)]
    Storage(#[from] anyhow::Error),
}

/// Reads Voucherly's payment `voucherly_payment_id` back and applies it to our records.
#[tracing::instrument(name = "payments.refresh", skip(state))]
pub async fn refresh(
    state: &AppState,
    voucherly_payment_id: &str,
) -> Result<Applied, RefreshError> {
    let mut payment = state.voucherly.get_payment(voucherly_payment_id).await?;
    if payment.id.is_empty() {
        payment.id = voucherly_payment_id.to_owned();
    } else if payment.id != voucherly_payment_id {
        return Err(VoucherlyError::UnexpectedAnswer(format!(
            "asked for payment {voucherly_payment_id}, got {}",
            payment.id
        ))
        .into());
    }
    if payment.status.is_none() {
        return Err(RefreshError::NoStatus);
    }
    let applied = apply(&state.db, &payment).await?;
    if let Applied::Known { status, .. } = applied {
        let given_up = matches!(
            status,
            LocalStatus::CreateFailed | LocalStatus::Failed | LocalStatus::Abandoned
        );
        if given_up && payment.status == Some(PaymentStatus::Requested) {
            return void_orphan(state, voucherly_payment_id).await;
        }
    }
    Ok(applied)
}

/// A checkout still open at Voucherly for a payment we gave up on (its creation timed out, the
/// app stopped, or a newer payment of the order replaced it): nobody will finish it, so it is
/// voided before anyone can pay it twice.
async fn void_orphan(
    state: &AppState,
    voucherly_payment_id: &str,
) -> Result<Applied, RefreshError> {
    tracing::warn!(
        voucherly_payment_id,
        "open checkout of a payment we gave up on: voiding it"
    );
    let mut payment = match state.voucherly.void_payment(voucherly_payment_id).await {
        Ok(payment) => payment,
        // It moved on meanwhile (paid, say): what it is now is what counts.
        Err(error) if error.is_conflict() => {
            state.voucherly.get_payment(voucherly_payment_id).await?
        }
        Err(error) => return Err(error.into()),
    };
    if payment.id.is_empty() {
        payment.id = voucherly_payment_id.to_owned();
    }
    if payment.status.is_none() {
        return Err(RefreshError::NoStatus);
    }
    Ok(apply(&state.db, &payment).await?)
}
