//! Refunding, by itself, a second payment of an order already paid (two checkouts approved in
//! a race no void could stop). The store hears of it: paid twice, then refunded, or a manual
//! refund needed when Voucherly cannot make it (`ImpossibleRefund`, common with meal vouchers).

use super::apply::{Applied, apply};
use crate::domain::LocalStatus;
use crate::state::AppState;
use crate::storage::payments::refunds::{self, DueRefund};
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::Payment;

/// At most this many refunds per run.
const BATCH: i64 = 20;
/// Seconds before a refund Voucherly could not take now is tried again.
const RETRY: i64 = 60;
/// Voucherly's word for a refund it cannot make, on the payment or a transaction.
const IMPOSSIBLE: &str = "ImpossibleRefund";

/// Makes the refunds due at `now`; returns how many it tried.
pub async fn refund_due(state: &AppState, now: i64) -> anyhow::Result<usize> {
    let due = refunds::claim_due(&state.db, now, BATCH).await?;
    for refund in &due {
        refund_one(state, refund, now).await?;
    }
    Ok(due.len())
}

async fn refund_one(state: &AppState, due: &DueRefund, now: i64) -> anyhow::Result<()> {
    let id = &due.voucherly_payment_id;
    let answer = match state.voucherly.refund_payment(id).await {
        Ok(payment) => payment,
        // Not refundable in its status: it may be refunded already, else a person must look.
        Err(error) if error.is_conflict() => match state.voucherly.get_payment(id).await {
            Ok(payment) => payment,
            Err(error) => return retry(state, due, now, &error).await,
        },
        Err(error @ (VoucherlyError::Unavailable(_) | VoucherlyError::UnexpectedAnswer(_))) => {
            return retry(state, due, now, &error).await;
        }
        Err(error) => {
            tracing::error!(voucherly_payment_id = %id, %error, "Voucherly refused to refund a second payment");
            return refunds::impossible(&state.db, due.id, error.to_string(), now).await;
        }
    };
    if is_impossible(&answer) {
        tracing::error!(voucherly_payment_id = %id, "Voucherly cannot refund a second payment: manual refund needed");
        return refunds::impossible(&state.db, due.id, IMPOSSIBLE.to_owned(), now).await;
    }
    let mut answer = answer;
    if answer.id.is_empty() {
        answer.id = id.clone();
    }
    match apply(&state.db, &answer).await? {
        Applied::Known {
            status: LocalStatus::Refunded,
            ..
        } => {
            tracing::info!(voucherly_payment_id = %id, "second payment refunded");
            refunds::done(&state.db, due.id).await
        }
        // Not refunded yet (Voucherly is still at it): look again later.
        _ => refunds::retry_at(&state.db, due.id, now + RETRY, "not refunded yet".into()).await,
    }
}

async fn retry(
    state: &AppState,
    due: &DueRefund,
    now: i64,
    error: &VoucherlyError,
) -> anyhow::Result<()> {
    tracing::warn!(voucherly_payment_id = %due.voucherly_payment_id, %error, "could not refund a second payment now; retrying");
    refunds::retry_at(&state.db, due.id, now + RETRY, error.to_string()).await
}

fn is_impossible(payment: &Payment) -> bool {
    let status = payment.status.as_ref().map(|s| s.as_str());
    status == Some(IMPOSSIBLE)
        || payment
            .transactions
            .iter()
            .flatten()
            .any(|t| t.status.as_ref().map(|s| s.as_str()) == Some(IMPOSSIBLE))
}
