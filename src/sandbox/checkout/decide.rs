//! What a checkout submission does to a payment, inside the payment's IMMEDIATE transaction:
//! add a Transaction with the chosen method (saving a new card if asked), and close the payment
//! when `completionMode` says so; or void it (declined or cancelled by the shopper). A payment
//! that is no longer `Requested` is left alone.
//!
//! Sources: `payments-lifecycle.md` (captured-at-once gateways end `Confirmed`, cards `Paid`;
//! `completionMode`; "Voided ... by the customer during checkout"), `payment-confirmation.md`
//! ("Meal vouchers pay only food"; a mixed voucher-and-card payment "stays `Paid`"),
//! create-payment.RequestSchema.json (`isAutoConfirm`: unset means the merchant's default,
//! which the sandbox takes as "confirm by hand", the stricter choice; `country` other than
//! Italy hides meal vouchers; `paymentGateways` limits the methods).

use rusqlite::Connection;

use crate::sandbox::amounts;
use crate::sandbox::card::{self, NewCard};
use crate::sandbox::seed::{captures_at_checkout, is_meal_voucher};
use crate::sandbox::store::payments::StoredPayment;
use crate::sandbox::wire::{
    CompletionMode, Mode, NewPayment, Payment, PaymentMethod, Status, Transaction, TxStatus,
};
use crate::sandbox::{Timings, lifecycle, store};

pub enum Decision {
    Pay(Choice),
    /// Declined or cancelled by the shopper.
    Void,
}

pub enum Choice {
    Saved(String),
    New {
        card: NewCard,
        save: bool,
    },
    /// A gateway paid without a saved method (a meal-voucher card typed at the issuer, Satispay).
    Gateway(String),
    /// Top up the customer's Voucherly wallet and pay with it: the top-up is a separate payment
    /// in `Wallet` mode with `parentPaymentId` (s2s.md, "Multiple callbacks and Wallet payments").
    Wallet,
}

pub enum Refusal {
    /// Someone finished the payment first; here it is as it stands now.
    AlreadyCompleted(Box<StoredPayment>),
    /// The chosen saved method is gone, expired or not the customer's.
    Unusable,
    /// Meal vouchers were chosen but nothing (more) in the basket is food.
    NoFood,
    /// A method this payment does not offer (`paymentGateways`, or vouchers outside Italy).
    NotOffered,
}

/// What the checkout does next.
pub enum Next {
    /// The payment is no longer `Requested`: callbacks (the wallet top-up's first, if any, then
    /// the payment's, if paid) and redirect.
    Closed { top_up: Option<Box<StoredPayment>> },
    /// `Standard` completion and money still due: the checkout asks for the rest.
    PayTheRest,
}

/// The gateways this payment's checkout offers.
pub fn offers(stored: &StoredPayment, gateway_id: &str) -> bool {
    let allowed = stored
        .request
        .payment_gateways
        .as_deref()
        .unwrap_or_default();
    let listed = allowed.is_empty() || allowed.iter().any(|id| id == gateway_id);
    let country = stored.request.country.as_deref().unwrap_or("IT");
    listed && (!is_meal_voucher(gateway_id) || country.eq_ignore_ascii_case("IT"))
}

/// What meal vouchers may still pay on this payment.
pub fn food_left(stored: &StoredPayment) -> i64 {
    let payment = &stored.payment;
    let food = amounts::food_amount(
        payment.lines.as_deref().unwrap_or_default(),
        payment.final_amount,
    );
    (food - payment.paid_voucher_amount).max(0)
}

pub fn left_to_pay(stored: &StoredPayment) -> i64 {
    (stored.payment.final_amount - stored.payment.paid_amount).max(0)
}

/// Applies `decision` to a payment being updated; `conn` is inside its transaction.
pub fn decide(
    conn: &Connection,
    stored: &mut StoredPayment,
    decision: Decision,
    timings: Timings,
    now: i64,
) -> anyhow::Result<Result<Next, Refusal>> {
    if stored.status() != Status::Requested {
        return Ok(Err(Refusal::AlreadyCompleted(Box::new(stored.clone()))));
    }
    let choice = match decision {
        Decision::Void => {
            // Never refused: the payment is `Requested`.
            let _ = lifecycle::void(stored);
            return Ok(Ok(Next::Closed { top_up: None }));
        }
        Decision::Pay(choice) => choice,
    };
    let customer_id = stored.payment.customer_id.clone().unwrap_or_default();
    let saving = saves_a_method(stored);
    let mut top_up = None;
    let (method, saved) = match choice {
        Choice::Wallet if stored.payment.mode != Mode::Payment => {
            return Ok(Err(Refusal::NotOffered));
        }
        Choice::Wallet => {
            let child = wallet_top_up(stored, left_to_pay(stored))?;
            store::payments::insert(conn, &child)?;
            top_up = Some(Box::new(child));
            let method = PaymentMethod {
                payment_gateway_id: WALLET.into(),
                holder_email: stored.payment.customer_email.clone(),
                ..Default::default()
            };
            (method, false)
        }
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
                payment_gateway_id: "card".into(),
                holder_email: stored.payment.customer_email.clone(),
                holder_name: Some(card.holder_name),
                credit_card: Some(card.card),
                direct_debit: None,
            };
            // A checkout that only saves a method saves the card whatever the box said.
            let save = save || saving;
            if save {
                store::insert_method(conn, &customer_id, &method)?;
            }
            (method, save)
        }
        Choice::Gateway(gateway_id) => {
            let mut method = PaymentMethod {
                id: String::new(),
                payment_gateway_id: gateway_id,
                holder_email: stored.payment.customer_email.clone(),
                ..Default::default()
            };
            // Saving a meal-voucher account: a method known by its gateway alone.
            let save = saving && is_meal_voucher(&method.payment_gateway_id);
            if save {
                method.id = uuid::Uuid::new_v4().to_string();
                store::insert_method(conn, &customer_id, &method)?;
            }
            (method, save)
        }
    };
    if method.payment_gateway_id != WALLET && !offers(stored, &method.payment_gateway_id) {
        return Ok(Err(Refusal::NotOffered));
    }
    let voucher = is_meal_voucher(&method.payment_gateway_id);
    let left = left_to_pay(stored);
    let amount = match voucher {
        true => food_left(stored).min(left),
        false => left,
    };
    if voucher && amount == 0 && !saving {
        return Ok(Err(Refusal::NoFood));
    }
    add_transaction(stored, method, saved, amount, voucher);
    let closes = match stored.payment.completion_mode {
        CompletionMode::Standard => left_to_pay(stored) == 0,
        CompletionMode::Partial | CompletionMode::AnyTransaction => true,
    };
    if !closes {
        return Ok(Ok(Next::PayTheRest));
    }
    let all_captured = stored
        .payment
        .transactions
        .iter()
        .flatten()
        .filter(|tx| matches!(tx.status, TxStatus::Paid | TxStatus::Confirmed))
        .all(|tx| tx.status == TxStatus::Confirmed);
    stored.payment.status = match all_captured || saving {
        true => Status::Confirmed,
        false => Status::Paid,
    };
    if stored.payment.status == Status::Paid {
        let hold = i64::try_from(timings.authorisation.as_secs()).unwrap_or(i64::MAX);
        stored.state.authorised_until = Some(now.saturating_add(hold));
    }
    super::ledger::book(conn, stored, top_up.as_deref(), now)?;
    Ok(Ok(Next::Closed { top_up }))
}

/// A line-less `Wallet` payment of nothing: openapi.yaml's "Create a Wallet to save a payment
/// method". The shopper saves a card (or a meal-voucher account) and pays nothing.
pub fn saves_a_method(stored: &StoredPayment) -> bool {
    stored.payment.mode == Mode::Wallet && stored.payment.final_amount == 0
}

/// The `paymentGatewayId` of a transaction paid from the customer's wallet.
pub const WALLET: &str = "wallet";

/// The wallet top-up of `amount` made during `parent`'s checkout: a `Wallet` payment, paid by
/// card and captured at once (the wallet "captured at checkout": payments-lifecycle.md).
fn wallet_top_up(parent: &StoredPayment, amount: i64) -> anyhow::Result<StoredPayment> {
    let id = format!("pay_{}", uuid::Uuid::new_v4().simple());
    let payment = Payment {
        id,
        tenant: parent.payment.tenant.clone(),
        mode: Mode::Wallet,
        parent_payment_id: Some(parent.payment.id.clone()),
        customer_id: parent.payment.customer_id.clone(),
        customer_email: parent.payment.customer_email.clone(),
        customer_first_name: parent.payment.customer_first_name.clone(),
        customer_last_name: parent.payment.customer_last_name.clone(),
        reference_id: parent.payment.reference_id.clone(),
        total_amount: amount,
        final_amount: amount,
        amount,
        paid_amount: amount,
        paid_digital_amount: amount,
        status: Status::Confirmed,
        lines: Some(Vec::new()),
        discounts: Some(Vec::new()),
        transactions: Some(vec![Transaction {
            id: uuid::Uuid::new_v4().to_string(),
            payment_gateway_id: "card".into(),
            external_id1: format!("sandbox-{}", uuid::Uuid::new_v4().simple()),
            is_wallet: false,
            amount,
            voucher_amount: 0,
            confirmed_amount: amount,
            refunded_amount: 0,
            currency: "EUR".into(),
            customer_payment_method_id: None,
            credit_card: None,
            direct_debit: None,
            holder_email: parent.payment.customer_email.clone(),
            holder_name: None,
            status: TxStatus::Confirmed,
        }]),
        ..Default::default()
    };
    Ok(StoredPayment {
        payment,
        request: NewPayment {
            mode: Some(Mode::Wallet),
            callback_url: parent.request.callback_url.clone(),
            ..Default::default()
        },
        token: super::new_token()?,
        state: Default::default(),
    })
}

fn add_transaction(
    stored: &mut StoredPayment,
    method: PaymentMethod,
    saved: bool,
    amount: i64,
    voucher: bool,
) {
    let captured = captures_at_checkout(&method.payment_gateway_id)
        || stored.request.is_auto_confirm == Some(true);
    let payment = &mut stored.payment;
    let voucher_amount = if voucher { amount } else { 0 };
    let is_wallet = method.payment_gateway_id == WALLET;
    payment
        .transactions
        .get_or_insert_default()
        .push(Transaction {
            id: uuid::Uuid::new_v4().to_string(),
            payment_gateway_id: method.payment_gateway_id.clone(),
            external_id1: format!("sandbox-{}", uuid::Uuid::new_v4().simple()),
            is_wallet,
            amount,
            voucher_amount,
            confirmed_amount: if captured { amount } else { 0 },
            refunded_amount: 0,
            currency: "EUR".into(),
            customer_payment_method_id: saved.then_some(method.id),
            credit_card: method.credit_card,
            direct_debit: method.direct_debit,
            holder_email: method.holder_email,
            holder_name: method.holder_name,
            status: if captured {
                TxStatus::Confirmed
            } else {
                TxStatus::Paid
            },
        });
    if payment.selected_payment_gateway.is_none() {
        payment.selected_payment_gateway = Some(method.payment_gateway_id);
    }
    payment.paid_amount += amount;
    payment.paid_voucher_amount += voucher_amount;
    // payment.Schema.json lists `paidDigitalAmount` and `paidFringeAmount` without saying which
    // a wallet payment counts in; the fringe-benefit credit is our reading (voucherly-api.md,
    // "Payments": amounts).
    if !voucher {
        if is_wallet {
            payment.paid_fringe_amount += amount;
        } else {
            payment.paid_digital_amount += amount;
        }
    }
}
