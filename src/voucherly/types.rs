//! Request and response bodies of the Voucherly REST API, as `shared/voucherly-api.md` describes
//! them. Unknown JSON fields are ignored, absent ones default, and unknown enum values are kept
//! as text, so an API that grows never breaks us.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An enum that travels as a string: the values we know, and any other kept as it came.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(from = "String", into = "String")]
        pub enum $name {
            $($variant,)+
            /// A value the contract does not name, kept as Voucherly sent it.
            Other(String),
        }

        impl $name {
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(text) => text,
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match text.as_str() {
                    $($text => Self::$variant,)+
                    _ => Self::Other(text),
                }
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// Where a payment stands at Voucherly.
    PaymentStatus {
        Requested => "Requested",
        Paid => "Paid",
        Confirmed => "Confirmed",
        Captured => "Captured",
        Refunded => "Refunded",
        Cancelled => "Cancelled",
        Voided => "Voided",
        Expired => "Expired",
    }
}

impl PaymentStatus {
    /// `Paid`, `Confirmed` and `Captured` all mean the money was taken.
    pub fn is_paid(&self) -> bool {
        matches!(self, Self::Paid | Self::Confirmed | Self::Captured)
    }
}

open_enum! {
    /// `Payment` for a purchase, `Wallet` for a wallet top-up.
    PaymentMode {
        Payment => "Payment",
        Wallet => "Wallet",
    }
}

open_enum! {
    /// Where one transaction (one attempt to move money) stands (`Payments.TransactionStatus`).
    TransactionStatus {
        RequestFailed => "RequestFailed",
        Requested => "Requested",
        NextAction => "NextAction",
        Paid => "Paid",
        Confirmed => "Confirmed",
        Refunded => "Refunded",
        RefundedPartially => "RefundedPartially",
        Cancelled => "Cancelled",
        Failed => "Failed",
        Voided => "Voided",
        Expired => "Expired",
        Reversed => "Reversed",
        ImpossibleRefund => "ImpossibleRefund",
    }
}

open_enum! {
    /// What a payment line is (`Payments.LineType`). Meal vouchers pay only `Food`, and a line
    /// that says nothing is `NonFood`.
    LineType {
        NonFood => "NonFood",
        Food => "Food",
        Shipping => "Shipping",
        AdditionalCharge => "AdditionalCharge",
        PreauthorizationMargin => "PreauthorizationMargin",
    }
}

open_enum! {
    /// When a payment is complete (`completionMode`): the whole amount (`Standard`), the first
    /// successful transaction (`Partial`), or any transaction.
    CompletionMode {
        Standard => "Standard",
        Partial => "Partial",
        AnyTransaction => "AnyTransaction",
    }
}

open_enum! {
    /// What kind of gateway it is. The documentation's spec writes it as an integer (`0` card,
    /// `1` meal voucher, `2` other), the SDK's as these strings: both are read (see
    /// [`super::lenient::gateway_type`]).
    GatewayType {
        Card => "CC",
        MealVoucher => "MealVoucher",
        OtherKind => "Other",
        Custom => "Custom",
        Hidden => "Hidden",
    }
}

open_enum! {
    /// How a gateway's checkout step works.
    PaymentAction {
        Otp => "OTP",
        Redirect => "REDIRECT",
        DropIn => "DROPIN",
    }
}

open_enum! {
    /// How a discount's `value` is applied.
    DiscountType {
        AmountOff => "DOLLAROFF",
        PercentOff => "PERCENOFF",
        Fixed => "FIXED",
    }
}

/// The body of `POST v1/payments`. `None` fields are left out, as the official clients do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreatePaymentRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<PaymentMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// Seconds the shopper has to finish the checkout, then the payment is voided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i64>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_payment_method_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<CompletionMode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_confirm: Option<bool>,
    /// Opens the checkout on this gateway (`additionalProperties: false`: the request knows
    /// only this name; answers call it `selectedPaymentGateway`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_payment_gateway_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_ok_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub redirect_ko_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_address: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<NewPaymentLine>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<PaymentDiscount>,
}

/// One line of a new payment (`Payments.PaymentLine.Request`): amounts on the line, the
/// product under `product`. The flat `productName`/`isFood` shape is gone from the schema.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NewPaymentLine {
    pub quantity: i64,
    /// Minor units (cents).
    pub unit_amount: i64,
    /// Mutually exclusive with `discountAmount`, which is therefore never sent.
    pub unit_discount_amount: i64,
    /// Our own reference of the line, which pairs it at a confirmation by lines.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    pub product: PaymentProduct,
}

/// One line of a payment as answers carry it (`Payments.PaymentLine`: flat, unlike requests).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentLine {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub quantity: i64,
    /// Minor units (cents).
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub unit_amount: i64,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub unit_discount_amount: i64,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub discount_amount: i64,
    pub final_amount: Option<i64>,
    /// Percent, e.g. `10.0`.
    pub tax_rate: Option<f64>,
    /// An id in **Voucherly's own catalogue**, never the shop's product id.
    pub product_id: Option<String>,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub product_name: String,
    pub product_variant: Option<String>,
    pub product_image: Option<String>,
    /// The `product.externalId` the line was created with (the shop's product id).
    pub product_external_id1: Option<String>,
    /// The line's own `externalId`, as sent.
    pub external_id: Option<String>,
    pub line_type: Option<LineType>,
    /// Deprecated in answers (replaced by `lineType`); older answers may still carry it.
    pub is_food: Option<bool>,
}

/// A new line's product, as the shop knows it (the request's inline `product`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentProduct {
    /// The shop's own product id (SKU, EAN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Percent, e.g. `10.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_rate: Option<f64>,
    /// Always sent: left out, a line is `NonFood` and meal vouchers refuse it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_type: Option<LineType>,
}

/// A discount on the whole payment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentDiscount {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub discount_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discount_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<i64>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<DiscountType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
}

/// A payment as Voucherly reports it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payment {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub id: String,
    pub tenant: Option<String>,
    pub reference_id: Option<String>,
    pub mode: Option<PaymentMode>,
    pub parent_payment_id: Option<String>,
    pub customer_id: Option<String>,
    pub customer_first_name: Option<String>,
    pub customer_last_name: Option<String>,
    pub customer_email: Option<String>,
    /// `payment.Schema.json` names it `selectedPaymentGatewayId`; older answers without `Id`.
    #[serde(alias = "selectedPaymentGatewayId")]
    pub selected_payment_gateway: Option<String>,
    pub payment_gateways: Option<Vec<String>>,
    pub checkout_url: Option<String>,
    pub metadata: Option<BTreeMap<String, String>>,
    pub total_amount: Option<i64>,
    pub discount_amount: Option<i64>,
    pub final_amount: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_voucher_amount: Option<i64>,
    /// Paid with a card or another digital method.
    pub paid_digital_amount: Option<i64>,
    /// Paid with a fringe-benefit credit (the wallet).
    pub paid_fringe_amount: Option<i64>,
    pub paid_cash_amount: Option<i64>,
    /// Captured so far.
    pub confirmed_amount: Option<i64>,
    pub refunded_amount: Option<i64>,
    /// RFC 3339, UTC.
    pub confirmed_on_utc: Option<String>,
    pub amount: Option<i64>,
    pub status: Option<PaymentStatus>,
    pub lines: Option<Vec<PaymentLine>>,
    pub discounts: Option<Vec<PaymentDiscount>>,
    pub transactions: Option<Vec<Transaction>>,
}

/// One attempt to move money within a payment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Transaction {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub id: String,
    pub payment_gateway_id: Option<String>,
    pub external_id1: Option<String>,
    pub external_id2: Option<String>,
    pub external_id3: Option<String>,
    pub amount: Option<i64>,
    pub voucher_amount: Option<i64>,
    pub no_of_vouchers: Option<i64>,
    pub confirmed_amount: Option<i64>,
    pub refunded_amount: Option<i64>,
    /// When the transaction was paid: RFC 3339, UTC.
    pub paid_on_utc: Option<String>,
    pub currency: Option<String>,
    pub credit_card: Option<CreditCard>,
    pub direct_debit: Option<DirectDebit>,
    pub holder_email: Option<String>,
    pub holder_name: Option<String>,
    pub status: Option<TransactionStatus>,
}

/// One payment method a customer saved at Voucherly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentMethod {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub id: String,
    pub payment_gateway_id: Option<String>,
    pub holder_email: Option<String>,
    pub holder_name: Option<String>,
    // Boxed: a method is one or the other (or neither), and every shopper's list is kept in
    // memory (see `app::saved_methods`).
    pub credit_card: Option<Box<CreditCard>>,
    pub direct_debit: Option<Box<DirectDebit>>,
}

/// A card, with its number already masked by Voucherly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreditCard {
    pub brand: Option<String>,
    pub pan: Option<String>,
    pub expiration: Option<String>,
    #[serde(deserialize_with = "super::lenient::loose_int")]
    pub expiration_month: Option<i32>,
    #[serde(deserialize_with = "super::lenient::loose_int")]
    pub expiration_year: Option<i32>,
    pub product: Option<String>,
}

/// A SEPA direct-debit mandate.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectDebit {
    pub account_id: Option<String>,
    pub account_bic: Option<String>,
    pub account_iban: Option<String>,
}

/// One of the merchant's payment gateways.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentGateway {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub id: String,
    pub name: Option<String>,
    pub image: Option<String>,
    pub checkout_image: Option<String>,
    pub icon: Option<String>,
    #[serde(rename = "type", deserialize_with = "super::lenient::gateway_type")]
    pub kind: Option<GatewayType>,
    pub payment_action: Option<PaymentAction>,
    pub is_active: Option<bool>,
    pub merchant_configuration: Option<MerchantConfiguration>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MerchantConfiguration {
    pub default_payment_gateway_id: Option<String>,
    pub is_fallback: Option<bool>,
}

/// The envelope of list answers: `{"items": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Items<T> {
    #[serde(
        deserialize_with = "super::lenient::null_as_default",
        bound(deserialize = "T: Deserialize<'de>")
    )]
    pub items: Vec<T>,
}

/// A paginated list: `{"items": [...], "pagination": {"hasMore", "nextStart"}}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Page<T> {
    #[serde(
        deserialize_with = "super::lenient::null_as_default",
        bound(deserialize = "T: Deserialize<'de>")
    )]
    pub items: Vec<T>,
    #[serde(default)]
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Pagination {
    pub has_more: bool,
    /// Where the next page starts: a number or a cursor, as Voucherly writes it.
    pub next_start: Option<serde_json::Value>,
}

impl Pagination {
    /// The `start` of the next page, when there is one.
    pub fn next(&self) -> Option<String> {
        match self.next_start.as_ref()? {
            _ if !self.has_more => None,
            serde_json::Value::String(text) => Some(text.clone()),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    }
}

/// The body Voucherly posts to a payment's `callbackUrl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallbackBody {
    pub id: String,
}

/// What the app reads of a callback body (a subset of the payment): only `id` is required;
/// the rest are hints, never trusted for money.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackNotice {
    pub id: String,
    #[serde(default)]
    pub reference_id: Option<String>,
    #[serde(default)]
    pub mode: Option<PaymentMode>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chosen_gateway_travels_under_the_request_schemas_name_and_is_read_under_both() {
        let request = CreatePaymentRequest {
            selected_payment_gateway_id: Some("edenred".into()),
            ..Default::default()
        };
        let body = serde_json::to_value(&request).unwrap();
        assert_eq!(body["selectedPaymentGatewayId"], "edenred");
        assert!(body.get("selectedPaymentGateway").is_none());
        for name in ["selectedPaymentGatewayId", "selectedPaymentGateway"] {
            let payment: Payment =
                serde_json::from_value(serde_json::json!({ "id": "p", name: "edenred" })).unwrap();
            assert_eq!(payment.selected_payment_gateway.as_deref(), Some("edenred"));
        }
    }

    #[test]
    fn unknown_statuses_are_kept_as_text() {
        let payment: Payment =
            serde_json::from_str(r#"{"id":"p1","status":"CANCELED","surprise":1}"#).unwrap();
        assert_eq!(
            payment.status,
            Some(PaymentStatus::Other("CANCELED".into()))
        );
        assert_eq!(serde_json::to_value(&payment.status).unwrap(), "CANCELED");
    }

    #[test]
    fn transaction_statuses_old_and_new_are_read_and_unknown_ones_kept() {
        let payment: Payment =
            serde_json::from_value(serde_json::json!({"id": "p", "transactions": [
                {"id": "a", "status": "RefundedPartially"}, {"id": "b", "status": "NextAction"},
                {"id": "c", "status": "Dropped"}, {"id": "d", "status": null}
            ]}))
            .unwrap();
        let statuses: Vec<_> = payment
            .transactions
            .unwrap()
            .into_iter()
            .map(|t| t.status)
            .collect();
        assert_eq!(
            statuses,
            [
                Some(TransactionStatus::RefundedPartially),
                Some(TransactionStatus::NextAction),
                Some(TransactionStatus::Other("Dropped".into())),
                None
            ]
        );
    }

    #[test]
    fn a_new_line_is_only_the_nested_shape_with_its_line_type() {
        let line = NewPaymentLine {
            quantity: 2,
            unit_amount: 250,
            unit_discount_amount: 10,
            external_id: Some("1".into()),
            product: PaymentProduct {
                external_id: Some("SKU-MUFFIN-001".into()),
                name: Some("Muffin".into()),
                tax_rate: Some(10.0),
                line_type: Some(LineType::Food),
                ..Default::default()
            },
        };
        assert_eq!(
            serde_json::to_value(&line).unwrap(),
            serde_json::json!({"quantity": 2, "unitAmount": 250, "unitDiscountAmount": 10,
                "externalId": "1", "product": {"externalId": "SKU-MUFFIN-001", "name": "Muffin",
                "taxRate": 10.0, "lineType": "Food"}})
        );
    }

    #[test]
    fn gateway_types_are_read_as_integers_or_as_strings() {
        let read = |value: serde_json::Value| {
            serde_json::from_value::<PaymentGateway>(serde_json::json!({"id": "g", "type": value}))
                .unwrap()
                .kind
        };
        assert_eq!(read(serde_json::json!(1)), Some(GatewayType::MealVoucher));
        assert_eq!(
            read(serde_json::json!("MealVoucher")),
            Some(GatewayType::MealVoucher)
        );
        assert_eq!(read(serde_json::json!(0)), Some(GatewayType::Card));
        assert_eq!(read(serde_json::json!("CC")), Some(GatewayType::Card));
        assert_eq!(read(serde_json::json!(2)), Some(GatewayType::OtherKind));
        assert_eq!(
            read(serde_json::json!(7)),
            Some(GatewayType::Other("7".into()))
        );
        assert_eq!(read(serde_json::json!(null)), None);
    }

    #[test]
    fn captured_confirmed_and_paid_count_as_paid() {
        for text in ["Paid", "Confirmed", "Captured"] {
            assert!(PaymentStatus::from(text.to_owned()).is_paid(), "{text}");
        }
        assert!(!PaymentStatus::Requested.is_paid());
    }

    #[test]
    fn requests_leave_absent_fields_out() {
        let body = serde_json::to_value(CreatePaymentRequest {
            mode: Some(PaymentMode::Payment),
            customer_id: Some("cus_1".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(
            body,
            serde_json::json!({"mode": "Payment", "customerId": "cus_1"})
        );
    }
}
