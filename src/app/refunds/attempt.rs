//! One try of a claimed refund: read the payment, plan the refund over its transactions the
//! first time (keeping what each had given back already), and ask Voucherly only when the
//! payment does not already show it made. A refund sent before a crash, or whose answer was
//! lost, is then found made by the next try instead of being sent again.

use super::Refunds;
use crate::domain::refund::{Held, Refund, RefundDestination, RefundPlan};
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::Payment;

/// Voucherly's word for a refund it cannot make, on a transaction.
const IMPOSSIBLE: &str = "ImpossibleRefund";
/// The longest wait between two tries, in seconds.
const MAX_BACKOFF: i64 = 300;
/// Tries answered "not in a status that allows it" before a person is asked to look.
const MAX_CONFLICTS: i64 = 8;

impl Refunds {
    /// Tries `refund`, claimed by this worker at `now`.
    pub(super) async fn attempt(&self, refund: &Refund, now: i64) -> anyhow::Result<()> {
        let id = &refund.voucherly_payment_id;
        let payment = match self.voucherly.get_payment(id).await {
            Ok(payment) => payment,
            Err(error) => return self.later(refund, &error, now).await,
        };
        let held = held(&payment);
        let plan = match &refund.plan {
            Some(plan) => plan.clone(),
            None => match RefundPlan::allocate(refund.amount, refund.food_amount, &held) {
                Some(plan) => self.refunds.keep_refund_plan(refund.id, plan).await?,
                None => {
                    let error = "Voucherly shows less left to refund on the payment than asked";
                    return self.needs_person(refund, error.to_owned(), now).await;
                }
            },
        };
        // Only what Voucherly does not show made yet is asked: nothing is given back twice.
        let parts = plan.remaining(&held);
        if parts.is_empty() {
            tracing::info!(
                refund = refund.id,
                "Voucherly already shows the refund made"
            );
            return self.done(refund, now).await;
        }
        let wallet = refund.destination == RefundDestination::Wallet;
        match self.voucherly.refund_transactions(id, &parts, wallet).await {
            Ok(answer) if plan.is_done(&held_of_answer(&answer, &held)) => {
                self.done(refund, now).await
            }
            Ok(answer) if is_impossible(&answer, &plan) => {
                self.needs_person(refund, IMPOSSIBLE.to_owned(), now).await
            }
            // Not shown made yet: the next try reads the payment first.
            Ok(_) => {
                let error = VoucherlyError::UnexpectedAnswer("the refund is not shown made".into());
                self.later(refund, &error, now).await
            }
            Err(
                error @ VoucherlyError::Refused {
                    status: 400 | 422, ..
                },
            ) => self.needs_person(refund, error.to_string(), now).await,
            // Not refundable in its status, try after try: a person must look.
            Err(error) if error.is_conflict() && refund.attempts >= MAX_CONFLICTS => {
                self.needs_person(refund, error.to_string(), now).await
            }
            Err(error) => self.later(refund, &error, now).await,
        }
    }

    /// Tried again later, waiting longer after each failed try.
    async fn later(&self, refund: &Refund, error: &VoucherlyError, now: i64) -> anyhow::Result<()> {
        tracing::warn!(refund = refund.id, %error, "could not make a store refund now; retrying");
        let wait = 1i64
            .checked_shl(u32::try_from(refund.attempts.clamp(0, 16)).unwrap_or(16))
            .unwrap_or(MAX_BACKOFF)
            .min(MAX_BACKOFF);
        self.refunds
            .retry_refund_later(refund.id, now + wait, error.to_string())
            .await
    }
}

/// The payment's transactions as refunds see them.
fn held(payment: &Payment) -> Vec<Held> {
    payment
        .transactions
        .iter()
        .flatten()
        .map(|tx| {
            let refunded = tx.refunded_amount.unwrap_or(0);
            Held {
                transaction_id: tx.id.clone(),
                is_voucher: tx.voucher_amount.unwrap_or(0) > 0,
                left: tx.confirmed_amount.unwrap_or(0) - refunded,
                refunded,
            }
        })
        .collect()
}

/// The transactions of Voucherly's answer to the refund; an answer without them (some answer
/// with the payment alone) shows nothing made.
fn held_of_answer(answer: &Payment, before: &[Held]) -> Vec<Held> {
    match answer.transactions.as_deref() {
        Some([_, ..]) => held(answer),
        _ => before.to_vec(),
    }
}

/// Whether a transaction the refund asked of ended `ImpossibleRefund`.
fn is_impossible(payment: &Payment, plan: &RefundPlan) -> bool {
    payment.transactions.iter().flatten().any(|tx| {
        tx.status.as_ref().map(|s| s.as_str()) == Some(IMPOSSIBLE)
            && plan
                .parts
                .iter()
                .any(|part| part.transaction_id.eq_ignore_ascii_case(&tx.id))
    })
}
