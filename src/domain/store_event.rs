//! The events the store hears about, and the JSON body each one is posted with.

use serde::Serialize;
use time::OffsetDateTime;

use super::italian_time::push_digits;
use utoipa::ToSchema;
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};

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
    /// Every event, in the order the store API's document lists them.
    pub const ALL: [Self; 9] = [
        Self::OrderPaid,
        Self::OrderPaymentFailed,
        Self::OrderPartiallyRefunded,
        Self::OrderRefunded,
        Self::OrderCancelled,
        Self::OrderPaidTwice,
        Self::OrderPaidAfterCancel,
        Self::OrderDuplicateRefunded,
        Self::OrderManualRefundNeeded,
    ];

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
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebhookEvent, example = json!({
    "id": "0b9f6a2e-7c1d-4e3b-9a8f-5d2c1b0a9e87",
    "type": "order.paid",
    "created_at": "2025-03-01T10:05:00Z",
    "data": {
        "store_order_id": "A-1001",
        "store_user_id": "user-42",
        "amount": 1300,
        "currency": "EUR",
        "payment": {
            "reference": "8b0d6c1e-2f4a-4b7c-9d3e-5a6f7b8c9d0e",
            "voucherly_payment_id": "pay_123",
            "status": "paid"
        }
    }
}))]
pub struct Event {
    /// A UUID, unique per event and the same on every retry: drop ids you have seen.
    pub id: String,
    #[serde(rename = "type")]
    #[schema(schema_with = event_type_schema)]
    pub kind: &'static str,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub data: OrderData,
}

/// The `type` of an event, as the store API's document describes it.
fn event_type_schema() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(EventType::ALL.map(EventType::as_str)))
        .description(Some(
            "`order.paid_twice`: a second payment took money for an order already paid; the \
             app refunds it by itself (`data.payment` is that payment). \
             `order.duplicate_refunded`: that refund was made. `order.manual_refund_needed`: \
             Voucherly could not refund it (`ImpossibleRefund`, common with meal vouchers): \
             refund the shopper yourself. `order.partially_refunded` and `order.refunded` \
             after a refund through the store API carry `data.refund`. `order.cancelled`: the \
             store cancelled the order. `order.paid_after_cancel`: a payment of a cancelled \
             order took money; the app refunds it by itself.",
        ))
        .build()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebhookOrder)]
pub struct OrderData {
    pub store_order_id: String,
    pub store_user_id: String,
    /// In cents.
    pub amount: i64,
    #[schema(schema_with = euro)]
    pub currency: String,
    /// The payment the event is about; for `order.cancelled`, the order's latest payment, and
    /// absent when it had none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment: Option<PaymentData>,
    /// The store's refund the event is about (`order.partially_refunded`, `order.refunded` and
    /// `order.manual_refund_needed` after a refund through the store API); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refund: Option<RefundData>,
}

fn euro() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(["EUR"]))
        .build()
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebhookPayment)]
pub struct PaymentData {
    /// Our reference, the payment's `referenceId` at Voucherly.
    pub reference: String,
    #[schema(required = true)]
    pub voucherly_payment_id: Option<String>,
    /// Our status of the payment: `paid`, `failed` or `refunded`.
    pub status: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = WebhookRefund)]
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

impl Event {
    /// A new event with a fresh id, created at `now` (Unix seconds).
    pub fn new(kind: EventType, now: i64, data: OrderData) -> anyhow::Result<Self> {
        Ok(Self {
            id: uuid::Uuid::new_v4().to_string(),
            kind: kind.as_str(),
            created_at: rfc3339(now)?,
            data,
        })
    }
}

/// `2025-01-31T12:00:00Z` for a Unix timestamp, written digit by digit: the `time` crate's
/// RFC 3339 formatting cost an order read of the store API a twentieth of its instructions (four
/// times about 750). RFC 3339 has no year before 0 or after 9999: those are an error, as there.
pub fn rfc3339(unix_seconds: i64) -> anyhow::Result<String> {
    let at = OffsetDateTime::from_unix_timestamp(unix_seconds)?;
    let year = u32::try_from(at.year())
        .ok()
        .filter(|year| *year <= 9999)
        .ok_or_else(|| anyhow::anyhow!("the year {} has no RFC 3339 form", at.year()))?;
    let mut text = String::with_capacity(20);
    push_digits(&mut text, year, 4);
    for (separator, number) in [
        ('-', u8::from(at.month())),
        ('-', at.day()),
        ('T', at.hour()),
        (':', at.minute()),
        (':', at.second()),
    ] {
        text.push(separator);
        push_digits(&mut text, u32::from(number), 2);
    }
    text.push('Z');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;

    proptest::proptest! {
        #[test]
        fn a_time_is_written_as_the_time_crate_writes_it_in_rfc_3339(
            seconds in -62_300_000_000i64..253_500_000_000
        ) {
            // Past year 9999 the time crate cannot even hold the instant: that too is an error.
            let by_time = OffsetDateTime::from_unix_timestamp(seconds)
                .map_err(|error| error.to_string())
                .and_then(|at| at.format(&Rfc3339).map_err(|error| error.to_string()));
            match (rfc3339(seconds), by_time) {
                (Ok(ours), Ok(theirs)) => proptest::prop_assert_eq!(ours, theirs),
                (Err(_), Err(_)) => {}
                (ours, theirs) => proptest::prop_assert!(false, "{ours:?} but {theirs:?}"),
            }
        }
    }

    #[test]
    fn the_first_and_last_seconds_rfc_3339_can_write() {
        assert_eq!(rfc3339(-62_167_219_200).unwrap(), "0000-01-01T00:00:00Z");
        assert_eq!(rfc3339(253_402_300_799).unwrap(), "9999-12-31T23:59:59Z");
        assert_eq!(rfc3339(1_738_324_800).unwrap(), "2025-01-31T12:00:00Z");
        assert!(rfc3339(-62_167_219_201).is_err());
        assert!(rfc3339(253_402_300_800).is_err());
    }

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
            refund: None,
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
