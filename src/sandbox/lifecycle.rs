//! How money moves on a payment after its checkout: confirm (capture), void, refund, the clock
//! (checkouts and authorisations that expire) and the cancel-and-refund that follows a callback
//! nobody answered. Each function edits a loaded payment inside its transaction; refusals are
//! the API's errors.
//!
//! Sources: `docs/guides/about/resources/payments-lifecycle.md` (payment and transaction
//! statuses; void only `Requested`; refund "cancels the authorizations not yet captured and
//! refunds the captured ones"; `ImpossibleRefund` "common for meal voucher Payment gateways"),
//! `payment-confirmation.md` ("Only a Payment in the `Paid` status can be confirmed ...
//! Confirming it again fails with `409`"; `refundMode`), `void-payment.api.mdx`,
//! `{confirm,refund}-payment.StatusCodes.json` (409 `INVALID_STATUS`/`ALREADY_CONFIRMED` with
//! `paymentStatus`), openapi.yaml's `RefundPaymentRequest` (per-transaction partial amounts),
//! openapi.yaml's `CreatePaymentRequest.timeout` and `hosted-checkout/index.md` ("If the
//! payment is not captured before the authorization expires, the payment is canceled").

use serde::Deserialize;

use super::dialect::Dialect;
use super::error::ApiError;
use super::store::payments::StoredPayment;
use super::wire::{Status, Transaction, TxStatus};

/// Applies what the clock decided since the payment was last looked at. Returns whether it
/// changed anything.
///
/// A checkout left open past its deadline (its `timeout`, else 12 hours) is voided:
/// openapi.yaml `CreatePaymentRequest.timeout`, "after which the Payment is voided ... a Payment
/// still `Requested` 12 hours after its creation is voided". Money a transaction already took
/// goes back. An authorisation not confirmed in time is cancelled.
pub fn catch_up(stored: &mut StoredPayment, now: i64) -> bool {
    let due = |deadline: Option<i64>| deadline.is_some_and(|at| now >= at);
    match stored.payment.status {
        Status::Requested if due(stored.state.checkout_deadline) => {
            for tx in transactions(stored) {
                match tx.status {
                    TxStatus::Confirmed => refund_whole(tx, false),
                    TxStatus::Paid | TxStatus::Requested => tx.status = TxStatus::Voided,
                    _ => {}
                }
            }
            stored.payment.status = Status::Voided;
            true
        }
        Status::Paid if due(stored.state.authorised_until) => {
            for tx in transactions(stored) {
                match tx.status {
                    TxStatus::Paid => tx.status = TxStatus::Expired,
                    // The meal-voucher part of a mixed payment was captured at the checkout.
                    TxStatus::Confirmed => refund_whole(tx, false),
                    _ => {}
                }
            }
            stored.state.authorised_until = None;
            stored.payment.status = status_after_giving_back(stored).unwrap_or(Status::Cancelled);
            true
        }
        _ => false,
    }
}

/// `POST v1/payments/{id}/confirm`: captures every authorisation of a `Paid` payment.
pub fn confirm(stored: &mut StoredPayment) -> Result<(), ApiError> {
    match stored.payment.status {
        Status::Paid => {}
        Status::Confirmed => {
            return Err(ApiError::Conflict {
                code: "ALREADY_CONFIRMED",
                status: Status::Confirmed,
                detail: "The payment is already confirmed.".into(),
            });
        }
        other => {
            return Err(ApiError::invalid_status(
                other,
                "Only 'Paid' payment can be confirmed.",
            ));
        }
    }
    for tx in transactions(stored) {
        if tx.status == TxStatus::Paid {
            tx.status = TxStatus::Confirmed;
            tx.confirmed_amount = tx.amount;
        }
    }
    stored.state.authorised_until = None;
    stored.payment.status = Status::Confirmed;
    Ok(())
}

/// `POST v1/payments/{id}/void`: only a `Requested` payment (an open checkout).
pub fn void(stored: &mut StoredPayment) -> Result<(), ApiError> {
    if stored.payment.status != Status::Requested {
        return Err(ApiError::invalid_status(
            stored.payment.status,
            "Only 'Requested' payment can be voided.",
        ));
    }
    for tx in transactions(stored) {
        if tx.status == TxStatus::Confirmed {
            refund_whole(tx, false);
        }
        tx.status = TxStatus::Voided;
    }
    stored.payment.status = Status::Voided;
    Ok(())
}

/// The body of `POST v1/payments/{id}/refund`: openapi.yaml's `RefundPaymentRequest` has
/// `asCredit` (at the top and per transaction), the SDK's spec and the confirmation guide
/// `refundMode` in the same places. Both are read; [`RefundRequest::uses_foreign_field`] tells
/// a strict sandbox which one its dialect lacks.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct RefundRequest {
    /// `null`: every transaction, in full.
    pub transactions: Option<Vec<RefundTransaction>>,
    pub refund_mode: Option<RefundMode>,
    pub as_credit: Option<bool>,
}

/// `id` is required; the rest may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RefundTransaction {
    pub id: String,
    /// A partial amount; absent: what is left of the transaction.
    pub amount: Option<i64>,
    pub refund_mode: Option<RefundMode>,
    pub as_credit: Option<bool>,
}

impl RefundRequest {
    /// Whether the body uses the field `dialect`'s schema does not have.
    pub fn uses_foreign_field(&self, dialect: Dialect) -> bool {
        let items = self.transactions.iter().flatten();
        match dialect {
            Dialect::Docs => {
                self.refund_mode.is_some() || items.into_iter().any(|t| t.refund_mode.is_some())
            }
            Dialect::Sdk => {
                self.as_credit.is_some() || items.into_iter().any(|t| t.as_credit.is_some())
            }
        }
    }
}

/// Whether money given back goes through the gateway (which may refuse meal vouchers) rather
/// than to the wallet: `asCredit: true` or a `Credit`/`GatewayOrCredit` mode says wallet.
fn through_gateway(
    refund_mode: Option<RefundMode>,
    as_credit: Option<bool>,
) -> Result<bool, ApiError> {
    match (refund_mode, as_credit) {
        (Some(RefundMode::NoRefund), _) => Err(ApiError::validation(
            "RefundMode",
            "NoRefund is not accepted on a refund",
        )),
        (Some(RefundMode::Credit | RefundMode::GatewayOrCredit), _) | (_, Some(true)) => Ok(false),
        (Some(RefundMode::Gateway) | None, _) => Ok(true),
    }
}

/// `payment-confirmation.md#refund-mode`: on a refund `Gateway` is the default and `NoRefund`
/// is not accepted; `Credit` credits the customer's wallet instead of calling the gateway.
#[derive(Debug, Clone, Copy, Deserialize)]
pub enum RefundMode {
    NoRefund,
    Gateway,
    Credit,
    GatewayOrCredit,
}

/// `POST v1/payments/{id}/refund`: cancels what is only authorised and refunds what was
/// captured, in full or, per transaction, in part.
pub fn refund(stored: &mut StoredPayment, request: &RefundRequest) -> Result<(), ApiError> {
    if !stored.payment.status.is_paid() {
        return Err(ApiError::invalid_status(
            stored.payment.status,
            "Only 'Paid' or 'Confirmed' payment can be refunded.",
        ));
    }
    let refuses = stored.state.voucher_refund_fails;
    let whole = through_gateway(request.refund_mode, request.as_credit)?;
    match &request.transactions {
        None => {
            for tx in transactions(stored) {
                give_back(tx, None, refuses && whole)?;
            }
        }
        Some(wanted) => {
            for (index, item) in wanted.iter().enumerate() {
                let gateway = whole && through_gateway(item.refund_mode, item.as_credit)?;
                let tx = transactions(stored)
                    .find(|tx| tx.id.eq_ignore_ascii_case(&item.id))
                    .ok_or_else(|| {
                        ApiError::missing(&format!("Transactions[{index}].Id"), &item.id)
                    })?;
                give_back(tx, item.amount, refuses && gateway)?;
            }
        }
    }
    if let Some(status) = status_after_giving_back(stored) {
        stored.payment.status = status;
        stored.state.authorised_until = None;
    }
    Ok(())
}

/// A callback nobody answered: "the payment will be cancelled, and all transactions will be
/// refunded" (s2s.md). Whatever cannot be given back is left as Voucherly would leave it.
pub fn cancel_and_refund(stored: &mut StoredPayment) {
    if !stored.payment.status.is_paid() {
        return;
    }
    let fails = stored.state.voucher_refund_fails;
    for tx in transactions(stored) {
        // Never `Err` without a partial amount.
        let _ = give_back(tx, None, fails);
    }
    if let Some(status) = status_after_giving_back(stored) {
        stored.payment.status = status;
        stored.state.authorised_until = None;
    }
}

fn transactions(stored: &mut StoredPayment) -> impl Iterator<Item = &mut Transaction> {
    stored.payment.transactions.iter_mut().flatten()
}

/// Gives back `amount` (or everything left) of one transaction: an authorisation is cancelled
/// whole (authorisations "are captured partially or voided, never refunded"), a capture is
/// refunded. Meal vouchers whose gateway refuses end `ImpossibleRefund`.
fn give_back(
    tx: &mut Transaction,
    amount: Option<i64>,
    voucher_refund_fails: bool,
) -> Result<(), ApiError> {
    match tx.status {
        TxStatus::Paid => {
            if amount.is_some_and(|amount| amount != tx.amount) {
                return Err(ApiError::validation(
                    "Transactions.Amount",
                    "an authorisation is cancelled whole, not in part",
                ));
            }
            tx.status = TxStatus::Cancelled;
            Ok(())
        }
        TxStatus::Confirmed | TxStatus::RefundedPartially | TxStatus::ImpossibleRefund => {
            let left = tx.confirmed_amount - tx.refunded_amount;
            let amount = amount.unwrap_or(left);
            if amount <= 0 || amount > left {
                return Err(ApiError::validation(
                    "Transactions.Amount",
                    format!("between 1 and {left} cents of this transaction can be refunded"),
                ));
            }
            if voucher_refund_fails && tx.voucher_amount > 0 {
                tx.status = TxStatus::ImpossibleRefund;
                return Ok(());
            }
            tx.refunded_amount += amount;
            tx.status = match tx.refunded_amount == tx.confirmed_amount {
                true => TxStatus::Refunded,
                false => TxStatus::RefundedPartially,
            };
            Ok(())
        }
        // Nothing held: nothing to give back.
        _ if amount.is_none() => Ok(()),
        _ => Err(ApiError::validation(
            "Transactions.Id",
            "this transaction holds no money to refund",
        )),
    }
}

fn refund_whole(tx: &mut Transaction, voucher_refund_fails: bool) {
    if tx.confirmed_amount > tx.refunded_amount {
        let _ = give_back(tx, None, voucher_refund_fails);
    }
}

/// The payment's status once no transaction holds money: `Refunded` if anything captured was
/// given back, else `Cancelled`. `None` while some money is still held (a partial refund, an
/// impossible one).
fn status_after_giving_back(stored: &StoredPayment) -> Option<Status> {
    let all = stored.payment.transactions.as_deref().unwrap_or_default();
    let holding = all.iter().any(|tx| {
        matches!(
            tx.status,
            TxStatus::Paid
                | TxStatus::Confirmed
                | TxStatus::RefundedPartially
                | TxStatus::ImpossibleRefund
        )
    });
    if holding {
        return None;
    }
    match all.iter().any(|tx| tx.status == TxStatus::Refunded) {
        true => Some(Status::Refunded),
        false => Some(Status::Cancelled),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::wire::Payment;

    fn tx(status: TxStatus, amount: i64, voucher: bool) -> Transaction {
        Transaction {
            id: format!("tx-{amount}"),
            payment_gateway_id: if voucher { "edenred" } else { "card" }.into(),
            external_id1: String::new(),
            is_wallet: false,
            amount,
            voucher_amount: if voucher { amount } else { 0 },
            confirmed_amount: if status == TxStatus::Confirmed {
                amount
            } else {
                0
            },
            refunded_amount: 0,
            currency: "EUR".into(),
            customer_payment_method_id: None,
            credit_card: None,
            direct_debit: None,
            holder_email: None,
            holder_name: None,
            status,
        }
    }

    fn stored(status: Status, transactions: Vec<Transaction>) -> StoredPayment {
        StoredPayment {
            payment: Payment {
                status,
                transactions: Some(transactions),
                ..Default::default()
            },
            request: Default::default(),
            token: String::new(),
            state: Default::default(),
        }
    }

    #[test]
    fn a_refund_cancels_authorisations_and_refunds_captures() -> Result<(), ApiError> {
        let mut mixed = stored(
            Status::Paid,
            vec![
                tx(TxStatus::Confirmed, 1000, true),
                tx(TxStatus::Paid, 500, false),
            ],
        );
        refund(&mut mixed, &RefundRequest::default())?;
        let txs = mixed.payment.transactions.as_deref().unwrap_or_default();
        assert_eq!(txs[0].status, TxStatus::Refunded);
        assert_eq!(txs[1].status, TxStatus::Cancelled);
        assert_eq!(mixed.payment.status, Status::Refunded);
        Ok(())
    }

    #[test]
    fn a_partial_refund_keeps_the_payment_confirmed() -> Result<(), ApiError> {
        let mut paid = stored(
            Status::Confirmed,
            vec![tx(TxStatus::Confirmed, 1000, false)],
        );
        let request = RefundRequest {
            transactions: Some(vec![RefundTransaction {
                id: "tx-1000".into(),
                amount: Some(300),
                ..Default::default()
            }]),
            ..Default::default()
        };
        refund(&mut paid, &request)?;
        let txs = paid.payment.transactions.as_deref().unwrap_or_default();
        assert_eq!(txs[0].status, TxStatus::RefundedPartially);
        assert_eq!(txs[0].refunded_amount, 300);
        assert_eq!(paid.payment.status, Status::Confirmed);
        Ok(())
    }

    #[test]
    fn expired_authorisations_cancel_the_payment() {
        let mut paid = stored(Status::Paid, vec![tx(TxStatus::Paid, 1000, false)]);
        paid.state.authorised_until = Some(100);
        assert!(!catch_up(&mut paid, 99));
        assert!(catch_up(&mut paid, 100));
        assert_eq!(paid.payment.status, Status::Cancelled);
    }
}
