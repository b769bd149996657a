//! An order as the store API shows it: with its shopper's store user id, its last change and
//! every attempt to pay it.

use super::Order;

/// An order with what the store API adds to it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoreOrder {
    pub order: Order,
    pub store_user_id: String,
    pub updated_at: i64,
    /// Oldest first.
    pub payments: Vec<StorePayment>,
}

/// One attempt to pay an order, as the store sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorePayment {
    pub reference: String,
    pub voucherly_payment_id: Option<String>,
    /// Our status of the payment (`requested`, `paid`, `failed`, …).
    pub status: String,
    pub amount: i64,
    /// How the saved method read when chosen; `None` when chosen at Voucherly's checkout.
    pub method: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl StoreOrder {
    /// The Voucherly id of the payment that paid the order, or else of the latest payment that
    /// has one.
    pub fn voucherly_payment_id(&self) -> Option<&str> {
        let settled =
            |p: &&StorePayment| matches!(p.status.as_str(), "authorised" | "paid" | "refunded");
        let with_id = |p: &&StorePayment| p.voucherly_payment_id.is_some();
        let newest_first = || self.payments.iter().rev();
        newest_first()
            .filter(with_id)
            .find(settled)
            .or_else(|| newest_first().find(with_id))
            .and_then(|p| p.voucherly_payment_id.as_deref())
    }

    /// The order's status as the store sees it, telling money only authorised from money
    /// captured.
    pub fn status(&self) -> &'static str {
        let has = |wanted: &str| self.payments.iter().any(|p| p.status == wanted);
        match self.order.status.as_str() {
            "paid" if has("authorised") && !has("paid") => "authorised",
            other => other,
        }
    }
}
