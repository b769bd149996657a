//! The events the store hears about, and the JSON body each one is posted with.

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// What happened to an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// The order became paid.
    OrderPaid,
    /// A payment of an order still awaiting payment failed (declined, cancelled, expired).
    OrderPaymentFailed,
    /// The order's money was given back.
    OrderRefunded,
    /// A second payment took money for an order already paid: the app refunds it by itself.
    OrderPaidTwice,
    /// The payment the app refunded by itself (the second payment of an order paid twice, or
    /// one of a cancelled order) was refunded.
    OrderDuplicateRefunded,
    /// Voucherly could not refund a payment the app refunds by itself, or a store's refund
    /// (`ImpossibleRefund`, a refusal): a person must refund it.
    OrderManualRefundNeeded,
    /// The store cancelled the order before it was paid: it can no longer be paid.
    OrderCancelled,
    /// A payment of a cancelled order took money (the shopper paid as it was cancelled): the
    /// app refunds it by itself, and `order.duplicate_refunded` follows.
    OrderPaidAfterCancel,
    /// A store's refund gave back part of the order's captured money.
    OrderPartiallyRefunded,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrderPaid => "order.paid",
            Self::OrderPaymentFailed => "order.payment_failed",
            Self::OrderRefunded => "order.refunded",
            Self::OrderPaidTwice => "order.paid_twice",
            Self::OrderDuplicateRefunded => "order.duplicate_refunded",
            Self::OrderManualRefundNeeded => "order.manual_refund_needed",
            Self::OrderCancelled => "order.cancelled",
            Self::OrderPaidAfterCancel => "order.paid_after_cancel",
            Self::OrderPartiallyRefunded => "order.partially_refunded",
        }
    }
}

/// The body posted to the store: `{"id", "type", "created_at", "data": {…}}`.
#[derive(Debug, Clone, Serialize)]
pub struct Event<D = OrderData> {
    /// A UUID v4, the same on every retry: the store drops duplicates by it.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub data: D,
}

#[derive(Debug, Clone, Serialize)]
pub struct OrderData {
    pub store_order_id: String,
    pub store_user_id: String,
    /// Minor units (cents).
    pub amount: i64,
    pub currency: String,
    /// The payment the event is about; for `order.cancelled`, the order's latest payment, and
    /// absent when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentData>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentData {
    /// Our reference, the payment's `referenceId` at Voucherly.
    pub reference: String,
    pub voucherly_payment_id: Option<String>,
    /// Our status of the payment: `paid`, `failed` or `refunded`.
    pub status: String,
}

/// The data of an event about a store's refund: the order's, and the refund's.
#[derive(Debug, Clone, Serialize)]
pub struct RefundedOrderData {
    #[serde(flatten)]
    pub order: OrderData,
    pub refund: RefundData,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefundData {
    /// The store's refund id.
    pub refund_id: String,
    /// Minor units given back by this refund.
    pub amount: i64,
    /// Minor units given back by every refund of the order so far, this one included.
    pub refunded_amount: i64,
    /// `original_methods` or `wallet`.
    pub destination: String,
    /// `refunded` or `manual_refund_needed`.
    pub status: String,
}

impl<D> Event<D> {
    /// A new event with a fresh id, created at `now` (Unix seconds).
    pub fn new(kind: EventType, now: i64, data: D) -> anyhow::Result<Self> {
        Ok(Self {
            id: uuid::Uuid::new_v4().to_string(),
            kind: kind.as_str(),
            created_at: rfc3339(now)?,
            data,
        })
    }
}

/// `2025-01-31T12:00:00Z` for a Unix timestamp.
pub fn rfc3339(unix_seconds: i64) -> anyhow::Result<String> {
    Ok(OffsetDateTime::from_unix_timestamp(unix_seconds)?.format(&Rfc3339)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_serialises_with_its_documented_fields() {
        let data = OrderData {
            store_order_id: "A-1".into(),
            store_user_id: "u-1".into(),
            amount: 1290,
            currency: "EUR".into(),
            payment: Some(PaymentData {
                reference: "ref".into(),
                voucherly_payment_id: Some("pay_1".into()),
                status: "paid".into(),
            }),
        };
        let event = Event::new(EventType::OrderPaid, 1_700_000_000, data).unwrap();
        let json: serde_json::Value = serde_json::to_value(&event).unwrap();
        assert_eq!(json["type"], "order.paid");
        assert_eq!(json["created_at"], "2023-11-14T22:13:20Z");
        assert_eq!(json["data"]["amount"], 1290);
        assert_eq!(json["data"]["payment"]["voucherly_payment_id"], "pay_1");
        assert_eq!(
            uuid::Uuid::parse_str(&event.id).unwrap().get_version_num(),
            4
        );
    }
}
