//! What a checkout submission does to a payment, inside the payment's IMMEDIATE transaction:
//! approve with a saved or new card (saving it if asked) and record a Transaction, or finish it
//! as declined or cancelled. A payment that is no longer `Requested` is left alone.

use rusqlite::Connection;

use crate::sandbox::card::{self, NewCard};
use crate::sandbox::{store, store::payments::StoredPayment};
use crate::voucherly::types::{PaymentMethod, PaymentStatus, Transaction};

pub enum Decision {
    Pay(Choice),
    Finish(PaymentStatus),
}

pub enum Choice {
    Saved(String),
    New { card: NewCard, save: bool },
}

pub enum Refusal {
    /// Someone finished the payment first; here it is as it stands now.
    AlreadyCompleted(Box<StoredPayment>),
    /// The chosen saved method is gone, expired or not the customer's.
    Unusable,
}

/// Applies `decision` to a payment being updated; `conn` is inside its transaction.
pub fn decide(
    conn: &Connection,
    stored: &mut StoredPayment,
    decision: Decision,
) -> anyhow::Result<Result<(), Refusal>> {
    if stored.status() != PaymentStatus::Requested {
        return Ok(Err(Refusal::AlreadyCompleted(Box::new(stored.clone()))));
    }
    let choice = match decision {
        Decision::Finish(status) => {
            stored.payment.status = Some(status);
            return Ok(Ok(()));
        }
        Decision::Pay(choice) => choice,
    };
    let customer_id = stored.payment.customer_id.clone().unwrap_or_default();
    let (method, saved) = match choice {
        Choice::Saved(id) => {
            let methods = store::methods(conn, &customer_id)?;
            let Some(method) = methods.into_iter().find(|method| method.id == id) else {
                return Ok(Err(Refusal::Unusable));
            };
            let today = card::this_month();
            if method
                .credit_card
                .as_ref()
                .is_some_and(|c| card::is_expired(c, today))
            {
                return Ok(Err(Refusal::Unusable));
            }
            (method, true)
        }
        Choice::New { card, save } => {
            let method = PaymentMethod {
                id: uuid::Uuid::new_v4().to_string(),
                payment_gateway_id: Some("card".into()),
                holder_email: stored.payment.customer_email.clone(),
                holder_name: Some(card.holder_name),
                credit_card: Some(card.card),
                direct_debit: None,
            };
            if save {
                store::insert_method(conn, &customer_id, &method)?;
            }
            (method, save)
        }
    };
    record_payment(stored, method, saved);
    Ok(Ok(()))
}

/// Marks the payment paid (confirmed at once with `isAutoConfirm`) with one Transaction.
fn record_payment(stored: &mut StoredPayment, method: PaymentMethod, saved: bool) {
    let payment = &mut stored.payment;
    let amount = payment.final_amount.unwrap_or_default();
    let gateway = method.payment_gateway_id.clone();
    let is_voucher = matches!(gateway.as_deref(), Some("edenred" | "pluxee"));
    let voucher_amount = if is_voucher { amount } else { 0 };
    let confirmed = stored.request.is_auto_confirm == Some(true);
    let status = if confirmed {
        PaymentStatus::Confirmed
    } else {
        PaymentStatus::Paid
    };
    payment
        .transactions
        .get_or_insert_default()
        .push(Transaction {
            id: uuid::Uuid::new_v4().to_string(),
            payment_gateway_id: gateway.clone(),
            is_wallet: Some(false),
            amount: Some(amount),
            voucher_amount: Some(voucher_amount),
            confirmed_amount: Some(if confirmed { amount } else { 0 }),
            refunded_amount: Some(0),
            currency: Some("EUR".into()),
            customer_payment_method_id: saved.then_some(method.id),
            credit_card: method.credit_card,
            direct_debit: method.direct_debit,
            holder_email: method.holder_email,
            holder_name: method.holder_name,
            status: Some(status.as_str().to_owned()),
            ..Default::default()
        });
    payment.selected_payment_gateway = gateway;
    payment.paid_amount = Some(amount);
    payment.paid_voucher_amount = Some(voucher_amount);
    payment.status = Some(status);
}
