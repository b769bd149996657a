//! The document's `webhooks`: one per store event, each posted as a [`WebhookEvent`] body with
//! the three signed headers `app::notifications` sends. utoipa 5 has no model of webhooks, so
//! they are written here and added to the generated document; their body is the generated
//! `WebhookEvent` schema of the event type itself.
//!
//! [`WebhookEvent`]: crate::domain::store_event::Event

use serde_json::{Value, json};

use crate::domain::store_event::EventType;

/// `{"order.paid": {"post": …}, …}` for every event the store can receive.
pub fn all() -> Value {
    EventType::ALL
        .into_iter()
        .map(|event| (event.as_str().to_owned(), webhook(event)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// What the webhook says, and the payment status its example shows.
fn summary(event: EventType) -> (&'static str, &'static str) {
    match event {
        EventType::OrderPaid => ("An order was paid", "paid"),
        EventType::OrderPaymentFailed => (
            "A payment of an order failed; the order can still be paid",
            "failed",
        ),
        EventType::OrderRefunded => (
            "An order's money was given back in full (after a store's refund, `data.refund` says \
             which)",
            "refunded",
        ),
        EventType::OrderPaidTwice => (
            "A second payment took money for an order already paid; the app refunds it by itself",
            "paid",
        ),
        EventType::OrderDuplicateRefunded => (
            "The second payment of an order paid twice was refunded",
            "refunded",
        ),
        EventType::OrderManualRefundNeeded => (
            "Voucherly could not refund a payment (a second one, one of a cancelled order, or a \
             store's refund, then with `data.refund`): refund the shopper yourself",
            "paid",
        ),
        EventType::OrderPartiallyRefunded => (
            "A store's refund gave back part of the order (`data.refund` says which)",
            "paid",
        ),
        EventType::OrderCancelled => (
            "The store cancelled the order: it can no longer be paid",
            "abandoned",
        ),
        EventType::OrderPaidAfterCancel => (
            "A payment of a cancelled order took money; the app refunds it by itself",
            "paid",
        ),
    }
}

fn webhook(event: EventType) -> Value {
    let name = event.as_str();
    let (summary, status) = summary(event);
    json!({"post": {
        "summary": summary,
        "operationId": name.replace('.', "_"),
        "parameters": [
            {
                "name": "Voucherly-Account-Event-Id",
                "in": "header",
                "required": true,
                "schema": {"type": "string"},
                "description": "The event's id, as in the body."
            },
            {
                "name": "Voucherly-Account-Event-Type",
                "in": "header",
                "required": true,
                "schema": {"type": "string", "enum": [name]},
                "description": "The event's type, as in the body."
            },
            {
                "name": "Voucherly-Account-Signature",
                "in": "header",
                "required": true,
                "schema": {"type": "string", "pattern": "^t=[0-9]+,v1=[0-9a-f]{64}$"},
                "example": "t=1740823500,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
                "description": "`t` is the Unix time of sending, `v1` the hex HMAC-SHA256 of \
                    `<t>.<raw body>` keyed with the webhook secret. Recompute it over the raw \
                    bytes (before parsing), compare in constant time, and refuse a `t` more than \
                    five minutes old."
            }
        ],
        "requestBody": {
            "required": true,
            "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/WebhookEvent"},
                "example": {
                    "id": "0b9f6a2e-7c1d-4e3b-9a8f-5d2c1b0a9e87",
                    "type": name,
                    "created_at": "2025-03-01T10:05:00Z",
                    "data": {
                        "store_order_id": "A-1001",
                        "store_user_id": "user-42",
                        "amount": 1300,
                        "currency": "EUR",
                        "payment": {
                            "reference": "8b0d6c1e-2f4a-4b7c-9d3e-5a6f7b8c9d0e",
                            "voucherly_payment_id": "pay_123",
                            "status": status
                        }
                    }
                }
            }}
        },
        "responses": {"2XX": {
            "description": "Received. Anything else (or no answer in 10 seconds) is retried with \
                backoff, in order per order, until a 2xx."
        }}
    }})
}
