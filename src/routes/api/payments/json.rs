//! The payment list as JSON. Amounts in cents; times in RFC 3339, UTC.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ledger::LedgerEntry;
use crate::domain::store_event::rfc3339;

/// A page of the store's payments, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentList {
    /// The payments of this page.
    pub items: Vec<PaymentJson>,
    /// Send it back as `cursor` for the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// One payment (one attempt to pay an order) as we recorded it, with the amounts Voucherly
/// reported when we last read it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerPayment)]
pub struct PaymentJson {
    /// The store's order id.
    pub store_order_id: String,
    /// Our reference of the payment (Voucherly's `referenceId`).
    pub reference: String,
    /// Voucherly's payment id; `null` if Voucherly never created the payment.
    pub voucherly_payment_id: Option<String>,
    /// The shopper's user id at the store.
    pub store_user_id: String,
    /// Where the payment stands for us: `creating`, `create_failed`, `requested`, `failed`,
    /// `abandoned`, `authorised`, `paid` (captured) or `refunded`.
    pub status: &'static str,
    /// Voucherly's own word for its status when we last read it (`Confirmed`, `Paid`, ...).
    pub voucherly_status: Option<String>,
    /// When the payment was started.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When the money was taken (authorised); `null` if it never was.
    #[schema(format = DateTime)]
    pub paid_at: Option<String>,
    /// When it was captured; `null` if it was not (yet).
    #[schema(format = DateTime)]
    pub confirmed_at: Option<String>,
    /// ISO 4217 code, `EUR`.
    pub currency: String,
    /// What the order asked, in cents.
    pub amount: i64,
    /// Paid in all, in cents (Voucherly's `paidAmount`).
    pub paid_amount: Option<i64>,
    /// Paid with meal vouchers, in cents (`paidVoucherAmount`).
    pub paid_voucher_amount: Option<i64>,
    /// Paid by card or another digital method, in cents (`paidDigitalAmount`).
    pub paid_digital_amount: Option<i64>,
    /// Paid with a fringe-benefit credit, the wallet, in cents (`paidFringeAmount`).
    pub paid_fringe_amount: Option<i64>,
    /// Paid in cash, in cents (`paidCashAmount`).
    pub paid_cash_amount: Option<i64>,
    /// Captured, in cents (`confirmedAmount`).
    pub confirmed_amount: Option<i64>,
    /// Refunded, in cents (`refundedAmount`).
    pub refunded_amount: Option<i64>,
}

impl PaymentJson {
    pub fn of(entry: &LedgerEntry) -> anyhow::Result<Self> {
        let time = |at: Option<i64>| at.map(rfc3339).transpose();
        let money = &entry.breakdown;
        Ok(Self {
            store_order_id: entry.store_order_id.clone(),
            reference: entry.reference.clone(),
            voucherly_payment_id: entry.voucherly_payment_id.clone(),
            store_user_id: entry.store_user_id.clone(),
            status: entry.status.as_str(),
            voucherly_status: entry.voucherly_status.clone(),
            created_at: rfc3339(entry.created_at)?,
            paid_at: time(money.paid_at)?,
            confirmed_at: time(money.confirmed_at)?,
            currency: entry.currency.clone(),
            amount: entry.amount,
            paid_amount: entry.paid_amount,
            paid_voucher_amount: entry.paid_voucher_amount,
            paid_digital_amount: money.paid_digital,
            paid_fringe_amount: money.paid_fringe,
            paid_cash_amount: money.paid_cash,
            confirmed_amount: money.confirmed,
            refunded_amount: money.refunded,
        })
    }
}
