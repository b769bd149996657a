//! The order as the store API shows it, in `POST` and `GET` answers alike.

use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

use crate::domain::order::{OrderDiscount, OrderLine, StoreOrder, StorePayment};
use crate::domain::store_event::rfc3339;
use crate::routes::api::refunds::{RefundJson, RefundListJson};

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Order, example = json!({
    "store_order_id": "A-1001",
    "store_user_id": "user-42",
    "status": "awaiting_payment",
    "currency": "EUR",
    "total_amount": 1500,
    "discount_amount": 200,
    "final_amount": 1300,
    "lines": [{
        "product_id": "pizza-margherita",
        "product_name": "Pizza margherita",
        "product_description": null,
        "product_image": "https://shop.example/img/margherita.jpg",
        "quantity": 2,
        "unit_amount": 750,
        "unit_discount_amount": 0,
        "tax_rate": 10.0,
        "is_food": true
    }],
    "discounts": [{"name": "Welcome", "description": "First order", "amount": 200}],
    "voucherly_payment_id": null,
    "payments": [],
    "refunded_amount": 0,
    "refunds": [],
    "created_at": "2025-03-01T10:00:00Z",
    "updated_at": "2025-03-01T10:00:00Z"
}))]
pub struct OrderJson {
    store_order_id: String,
    store_user_id: String,
    #[schema(schema_with = order_status)]
    status: &'static str,
    #[schema(schema_with = currency)]
    currency: String,
    /// Sum of quantity × unit_amount, in cents.
    total_amount: i64,
    /// Line and order discounts, in cents.
    discount_amount: i64,
    /// What the shopper pays, in cents.
    final_amount: i64,
    /// As the domain serialises them: the same form the order's digest is taken of.
    lines: Vec<OrderLine>,
    discounts: Vec<OrderDiscount>,
    /// Voucherly's id of the payment that paid the order, or else of the latest payment; null
    /// before any.
    #[schema(required = true)]
    voucherly_payment_id: Option<String>,
    /// Oldest first.
    payments: Vec<PaymentJson>,
    /// Cents given back by the store's refunds so far.
    refunded_amount: i64,
    /// The store's refunds of the order, oldest first.
    refunds: Vec<RefundJson>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

/// One attempt to pay the order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Payment)]
struct PaymentJson {
    /// Our id of the attempt; its referenceId at Voucherly.
    reference: String,
    /// Voucherly's id, once Voucherly created the payment.
    #[schema(required = true)]
    voucherly_payment_id: Option<String>,
    #[schema(schema_with = payment_status)]
    status: String,
    /// In cents.
    amount: i64,
    /// The saved method chosen, as it read ("Visa •••• 4242"); null when chosen at Voucherly's
    /// checkout.
    #[schema(required = true)]
    method: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

fn order_status() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([
            "awaiting_payment",
            "authorised",
            "paid",
            "partially_refunded",
            "refunded",
            "cancelled",
        ]))
        .description(Some(
            "`authorised`: paid by the shopper, the money authorised and not yet captured (only \
             with `--capture later`, or while a capture is retried); `paid`: captured; \
             `partially_refunded`: part of it given back by the store's refunds; `cancelled`: \
             cancelled by the store before it was paid.",
        ))
        .build()
}

fn payment_status() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some([
            "creating",
            "create_failed",
            "requested",
            "authorised",
            "paid",
            "failed",
            "refunded",
            "abandoned",
        ]))
        .build()
}

/// The currency of every answer: `EUR`.
pub(in crate::routes::api) fn currency() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["EUR"]))
        .build()
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
