//! Our record of each attempt to pay an order, and the plain records the payment use cases and
//! the storage interface exchange about it.

use crate::domain::LocalStatus;

/// The first wait before re-reading an unsettled payment that had no schedule yet, in seconds.
pub const FIRST_CHECK_INTERVAL: i64 = 60;

/// A payment about to be asked of Voucherly. The amount is the order's, never the form's.
#[derive(Debug, Clone)]
pub struct NewPayment {
    pub shopper_id: i64,
    pub order_id: i64,
    /// From the form, 32 to 64 hex digits.
    pub idempotency_key: String,
    pub environment: &'static str,
    pub amount: i64,
    /// The saved method chosen; `None` when the shopper chooses at Voucherly's checkout.
    pub method_id: Option<String>,
    /// How the method read when chosen ("Visa •••• 4242").
    pub method_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRecord {
    pub id: i64,
    /// Our `referenceId` at Voucherly: a UUID.
    pub reference: String,
    pub shopper_id: i64,
    pub order_id: i64,
    pub environment: String,
    pub amount: i64,
    pub currency: String,
    pub method_id: Option<String>,
    pub method_label: Option<String>,
    pub voucherly_payment_id: Option<String>,
    pub checkout_url: Option<String>,
    pub status: LocalStatus,
    pub voucherly_status: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// What beginning a payment found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begun {
    /// A fresh record in `creating`: this request must call Voucherly.
    New(PaymentRecord),
    /// The form was already submitted: this is the record of the first submission.
    Existing(PaymentRecord),
    /// Another payment of the order is open (being created, or at the checkout): this one.
    Busy(PaymentRecord),
    /// The store cancelled the order (meanwhile: the caller read it awaiting payment): nothing
    /// was written.
    NotPayable,
}

/// Voucherly's answer to a create that succeeded, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    pub voucherly_payment_id: String,
    /// Voucherly's status, as it words it.
    pub voucherly_status: Option<String>,
    pub checkout_url: String,
    /// Seconds before the reconciler first looks at it, and then as often.
    pub first_check_after: i64,
}

/// What Voucherly says of a payment, read back from its API, in our terms: what applying it
/// to our records needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    /// Voucherly's id; empty when its answer carried none.
    pub voucherly_payment_id: String,
    /// Our reference, as Voucherly keeps it (`referenceId`).
    pub reference: Option<String>,
    /// What Voucherly's status means for us; `None` for a status we do not know.
    pub status: Option<LocalStatus>,
    /// Voucherly's status as it words it, kept for support.
    pub voucherly_status: Option<String>,
    pub checkout_url: Option<String>,
    pub paid_amount: Option<i64>,
    pub paid_voucher_amount: Option<i64>,
    /// The rest of what Voucherly said of the money, kept for the store's reconciliation.
    pub breakdown: Breakdown,
}

/// How Voucherly reported a payment's money beyond its paid total, in cents, and when it was
/// paid and captured (Unix seconds); `None` where its answer did not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// `finalAmount`: what Voucherly asks of the shopper. Compared with the order's amount,
    /// never stored over it.
    pub final_amount: Option<i64>,
    /// `paidDigitalAmount`: by card or another digital method.
    pub paid_digital: Option<i64>,
    /// `paidFringeAmount`: with a fringe-benefit credit (the wallet).
    pub paid_fringe: Option<i64>,
    /// `paidCashAmount`.
    pub paid_cash: Option<i64>,
    /// `confirmedAmount`: captured.
    pub confirmed: Option<i64>,
    /// `refundedAmount`.
    pub refunded: Option<i64>,
    /// When the money was taken: the first transaction's `paidOnUtc`.
    pub paid_at: Option<i64>,
    /// `confirmedOnUtc`.
    pub confirmed_at: Option<i64>,
}

/// What applying a payment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// No payment of ours has this Voucherly id or reference: nothing changed.
    Unknown,
    /// Our payment `id`, and where it stands now.
    Known { id: i64, status: LocalStatus },
}

/// A payment as the return page needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentSummary {
    pub id: i64,
    pub reference: String,
    pub shopper_id: i64,
    pub status: LocalStatus,
    pub voucherly_payment_id: Option<String>,
    /// The store's order number.
    pub store_order_id: String,
    /// Minor units (cents).
    pub amount: i64,
}

/// One payment as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub reference: String,
    /// Unix seconds.
    pub created_at: i64,
    pub store_order_id: String,
    pub amount: i64,
    pub currency: String,
    /// `None`: chosen at Voucherly's checkout.
    pub method_label: Option<String>,
    pub status: LocalStatus,
    /// A second payment of an order already paid (refunded by the app).
    pub is_duplicate: bool,
    /// Voucherly could not refund it: a person must.
    pub needs_manual_refund: bool,
    /// The meal-voucher part of what was paid, as Voucherly last reported it.
    pub voucher_amount: Option<i64>,
    /// The store's refunds of it that Voucherly made, oldest first.
    pub refunds: Vec<HistoryRefund>,
}

/// A store's refund of a payment, as the shopper's history shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRefund {
    pub amount: i64,
    /// Unix seconds.
    pub refunded_at: i64,
    /// `original_methods` or `wallet`.
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryPage {
    pub entries: Vec<HistoryEntry>,
    /// How many payments the shopper has in all.
    pub total: i64,
}

/// An authorised, uncaptured payment, as the store API lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uncaptured {
    pub store_order_id: String,
    pub voucherly_payment_id: String,
    pub amount: i64,
    /// When we learnt it was authorised (Unix seconds): Voucherly voids it after a while.
    pub authorised_at: i64,
}

/// Whether `id` could name a payment: the references we make and the ids Voucherly gives are
/// printable, so one with a control character (a NUL, which PostgreSQL's text cannot even
/// hold) names nothing of ours and is not looked up.
pub fn could_be_an_id(id: &str) -> bool {
    !id.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::could_be_an_id;

    #[test]
    fn an_id_with_a_control_character_names_nothing() {
        assert!(could_be_an_id("3f2c1c1e-8f7a-4c55-9a51-0c7d3c9b7a10"));
        assert!(could_be_an_id("pay_1"));
        assert!(!could_be_an_id("pay_1\0"));
        assert!(!could_be_an_id("pay\n1"));
    }
}
