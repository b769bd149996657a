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
    pub is_partial_payment: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_auto_confirm: Option<bool>,
    /// The RequestSchema's name (`additionalProperties: false`: any other name is refused).
    #[serde(
        rename = "selectedPaymentGatewayId",
        skip_serializing_if = "Option::is_none"
    )]
    pub selected_payment_gateway: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub payment_gateways: Vec<String>,
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
    pub lines: Vec<PaymentLine>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<PaymentDiscount>,
}

/// One line of a payment. In answers Voucherly adds the line's computed totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentLine {
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub quantity: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_id: Option<String>,
    /// Minor units (cents).
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub unit_amount: i64,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub unit_discount_amount: i64,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub discount_amount: i64,
    /// Percent, e.g. `10.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tax_rate: Option<f64>,
    /// An id in **Voucherly's own catalogue** (its details replace the line's): never the
    /// shop's product id, which goes in `product.externalId`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// The product in the current shape; the flat `product…`/`isFood` fields are the legacy
    /// shape the plugins still send, kept for readers of either.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product: Option<PaymentProduct>,
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub product_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_image: Option<String>,
    /// Only food lines may be paid with meal vouchers.
    #[serde(deserialize_with = "super::lenient::null_as_default")]
    pub is_food: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_discount_amount: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_amount: Option<i64>,
}

/// A line's product, as the merchant knows it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentProduct {
    /// The merchant's own product id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// Only food may be paid with meal vouchers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_food: Option<bool>,
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
    pub redirect_url: Option<String>,
    pub metadata: Option<BTreeMap<String, String>>,
    pub total_amount: Option<i64>,
    pub discount_amount: Option<i64>,
    pub final_amount: Option<i64>,
    pub paid_amount: Option<i64>,
    pub paid_voucher_amount: Option<i64>,
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
    pub is_wallet: Option<bool>,
    pub amount: Option<i64>,
    pub voucher_amount: Option<i64>,
    pub no_of_vouchers: Option<i64>,
    pub confirmed_amount: Option<i64>,
    pub refunded_amount: Option<i64>,
    pub currency: Option<String>,
    pub customer_payment_method_id: Option<String>,
    pub credit_card: Option<CreditCard>,
    pub direct_debit: Option<DirectDebit>,
    pub holder_email: Option<String>,
    pub holder_name: Option<String>,
    pub status: Option<String>,
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
    pub credit_card: Option<CreditCard>,
    pub direct_debit: Option<DirectDebit>,
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
            selected_payment_gateway: Some("edenred".into()),
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
