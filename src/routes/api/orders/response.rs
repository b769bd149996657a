//! The order as the store API shows it, in `POST` and `GET` answers alike.

use serde::Serialize;

use crate::domain::order::{OrderDiscount, OrderLine, StoreOrder, StorePayment};
use crate::domain::store_event::rfc3339;
use crate::routes::api::refunds::{RefundJson, RefundListJson};

#[derive(Debug, Serialize)]
pub struct OrderJson {
    store_order_id: String,
    store_user_id: String,
    status: &'static str,
    currency: String,
    total_amount: i64,
    discount_amount: i64,
    final_amount: i64,
    /// As the domain serialises them: the same form the order's digest is taken of.
    lines: Vec<OrderLine>,
    discounts: Vec<OrderDiscount>,
    voucherly_payment_id: Option<String>,
    payments: Vec<PaymentJson>,
    /// Minor units given back by the store's refunds so far.
    refunded_amount: i64,
    /// The store's refunds of the order, oldest first.
    refunds: Vec<RefundJson>,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Serialize)]
struct PaymentJson {
    reference: String,
    voucherly_payment_id: Option<String>,
    status: String,
    amount: i64,
    method: Option<String>,
    created_at: String,
    updated_at: String,
}

impl OrderJson {
    pub fn from_store(found: StoreOrder) -> anyhow::Result<Self> {
        let voucherly_payment_id = found.voucherly_payment_id().map(str::to_owned);
        let status = found.status();
        let StoreOrder {
            order,
            store_user_id,
            updated_at,
            payments,
        } = found;
        Ok(Self {
            store_order_id: order.store_order_id,
            store_user_id,
            status,
            currency: order.currency,
            total_amount: order.total_amount,
            discount_amount: order.discount_amount,
            final_amount: order.final_amount,
            lines: order.lines,
            discounts: order.discounts,
            voucherly_payment_id,
            payments: payments
                .into_iter()
                .map(PaymentJson::try_from)
                .collect::<anyhow::Result<_>>()?,
            refunded_amount: 0,
            refunds: Vec::new(),
            created_at: rfc3339(order.created_at)?,
            updated_at: rfc3339(updated_at)?,
        })
    }
}

impl OrderJson {
    /// The order with its refunds.
    pub fn with_refunds(self, refunds: RefundListJson) -> Self {
        Self {
            refunded_amount: refunds.refunded_amount,
            refunds: refunds.items,
            ..self
        }
    }
}

impl TryFrom<StorePayment> for PaymentJson {
    type Error = anyhow::Error;

    fn try_from(payment: StorePayment) -> anyhow::Result<Self> {
        Ok(Self {
            reference: payment.reference,
            voucherly_payment_id: payment.voucherly_payment_id,
            status: payment.status,
            amount: payment.amount,
            method: payment.method,
            created_at: rfc3339(payment.created_at)?,
            updated_at: rfc3339(payment.updated_at)?,
        })
    }
}
