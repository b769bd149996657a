//! What callers send: the body of `POST v1/payments` (openapi.yaml `CreatePaymentRequest`, with
//! the legacy names the official SDKs still send), read strictly.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::{CompletionMode, DiscountType, LineType, Mode};

/// The body of `POST v1/payments`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NewPayment {
    pub mode: Option<Mode>,
    pub reference_id: Option<String>,
    pub reference_date: Option<String>,
    #[serde(deserialize_with = "id")]
    pub company_id: Option<String>,
    #[serde(deserialize_with = "id")]
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_first_name: Option<String>,
    pub customer_last_name: Option<String>,
    pub customer_phone_number: Option<String>,
    #[serde(deserialize_with = "id")]
    pub customer_payment_method_id: Option<String>,
    /// The schema's name; `selectedPaymentGateway` is the legacy one.
    pub selected_payment_gateway_id: Option<String>,
    /// Legacy (refused when strict).
    pub selected_payment_gateway: Option<String>,
    pub payment_gateway_configuration_id: Option<String>,
    /// Legacy: removed from the request schema (refused when strict).
    pub payment_gateways: Option<Vec<String>>,
    #[serde(deserialize_with = "metadata")]
    pub metadata: BTreeMap<String, String>,
    pub lines: Option<Vec<NewLine>>,
    pub discounts: Option<Vec<NewDiscount>>,
    #[serde(deserialize_with = "whole")]
    pub timeout: Option<i64>,
    pub completion_mode: Option<CompletionMode>,
    /// The legacy switch for `completionMode: Partial` (refused when strict).
    pub is_partial_payment: Option<bool>,
    pub is_auto_confirm: Option<bool>,
    pub redirect_ok_url: Option<String>,
    pub redirect_ko_url: Option<String>,
    pub callback_url: Option<String>,
    pub language: Option<String>,
    pub country: Option<String>,
    pub shipping_address: Option<String>,
}

impl NewPayment {
    pub fn completion_mode(&self) -> CompletionMode {
        match (self.completion_mode, self.is_partial_payment) {
            (Some(mode), _) => mode,
            (None, Some(true)) => CompletionMode::Partial,
            (None, _) => CompletionMode::Standard,
        }
    }
}

/// A line: the current shape (`Payments.PaymentLine.Request`, product fields under `product`)
/// or the legacy flat shape (`productName`, `isFood`, line-level `taxRate`…) that the official
/// SDKs and plugins still send. [`super::super::dialect::legacy_field`] names the legacy ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NewLine {
    #[serde(deserialize_with = "whole")]
    pub quantity: Option<i64>,
    #[serde(deserialize_with = "whole")]
    pub unit_amount: Option<i64>,
    #[serde(deserialize_with = "whole")]
    pub unit_discount_amount: Option<i64>,
    #[serde(deserialize_with = "whole")]
    pub discount_amount: Option<i64>,
    /// The caller's own reference of the line (at most 100 characters).
    pub external_id: Option<String>,
    pub tax_rate: Option<f64>,
    /// An id in Voucherly's own product catalogue, never the shop's.
    #[serde(deserialize_with = "id")]
    pub product_id: Option<String>,
    /// Sent by the PHP SDK (`?int $priceId`); a catalogue price id, like `productId`.
    #[serde(deserialize_with = "id")]
    pub price_id: Option<String>,
    pub product: Option<NewProduct>,
    pub product_name: Option<String>,
    pub product_variant: Option<String>,
    pub product_description: Option<String>,
    pub product_image: Option<String>,
    pub is_food: Option<bool>,
    pub modifiers: Option<Vec<serde_json::Value>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NewProduct {
    #[serde(deserialize_with = "id")]
    pub external_id: Option<String>,
    pub name: Option<String>,
    pub variant: Option<String>,
    pub image: Option<String>,
    pub tax_rate: Option<f64>,
    /// "Defaults to `NonFood` when omitted".
    pub line_type: Option<LineType>,
    pub unit: Option<NewUnit>,
    /// Legacy (guides still show it; the schema has `lineType`): refused when strict.
    pub is_food: Option<bool>,
}

/// `Payments.PaymentLine.Unit`: descriptive only, "no amount is computed from it".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NewUnit {
    pub code: String,
    #[serde(default)]
    pub size: Option<f64>,
    #[serde(default, deserialize_with = "whole")]
    pub amount: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct NewDiscount {
    pub discount_name: Option<String>,
    pub discount_description: Option<String>,
    #[serde(deserialize_with = "whole")]
    pub amount: Option<i64>,
    #[serde(rename = "type")]
    pub kind: Option<DiscountType>,
    /// An integer (`format: int32`): `10.5` is refused.
    #[serde(deserialize_with = "whole")]
    pub value: Option<i64>,
    #[serde(deserialize_with = "whole")]
    pub index: Option<i64>,
    pub external_id1: Option<String>,
    pub external_id2: Option<String>,
    pub coupon_code: Option<String>,
    #[serde(deserialize_with = "whole")]
    pub points: Option<i64>,
}

/// An id sent as a string or, as the PHP SDK's `?int` properties are, as an integer.
fn id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Text(String),
        Number(i64),
    }
    Ok(match Option::<Id>::deserialize(deserializer)? {
        Some(Id::Text(text)) => Some(text),
        Some(Id::Number(number)) => Some(number.to_string()),
        None => None,
    })
}

/// An integer that may come written as a whole decimal (`200.0`): PHP's `round()` gives floats,
/// and the official WooCommerce plugin sends its discounts' `amount` so. A fraction is refused.
fn whole<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    use serde::de::Error;
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else {
        return Ok(None);
    };
    if let Some(integer) = number.as_i64() {
        return Ok(Some(integer));
    }
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Ok(Some(float as i64)),
        _ => Err(D::Error::custom(format!("{number} is not a whole number"))),
    }
}

/// A string map; `null` and `[]` (how PHP's `json_encode` writes an empty array) mean empty.
fn metadata<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Metadata {
        Map(BTreeMap<String, String>),
        Empty([(); 0]),
    }
    Ok(match Option::<Metadata>::deserialize(deserializer)? {
        Some(Metadata::Map(map)) => map,
        Some(Metadata::Empty(_)) | None => BTreeMap::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_may_be_integers_and_php_empty_metadata_is_an_array() {
        let request: NewPayment = serde_json::from_str(
            r#"{"customerId": 42, "metadata": [], "lines": [{"productId": 7, "quantity": 1}]}"#,
        )
        .unwrap();
        assert_eq!(request.customer_id.as_deref(), Some("42"));
        assert!(request.metadata.is_empty());
        let lines = request.lines.unwrap();
        assert_eq!(lines[0].product_id.as_deref(), Some("7"));
    }

    #[test]
    fn whole_decimals_are_integers() {
        let request: NewPayment =
            serde_json::from_str(r#"{"discounts": [{"amount": 200.0, "value": 10}]}"#).unwrap();
        let discounts = request.discounts.unwrap();
        assert_eq!(
            (discounts[0].amount, discounts[0].value),
            (Some(200), Some(10))
        );
    }

    #[test]
    fn unknown_fields_and_fractional_discount_values_are_refused() {
        assert!(serde_json::from_str::<NewPayment>(r#"{"surprise": 1}"#).is_err());
        let fractional = r#"{"discounts": [{"type": "PERCENOFF", "value": 10.5}]}"#;
        assert!(serde_json::from_str::<NewPayment>(fractional).is_err());
        assert!(serde_json::from_str::<NewPayment>(r#"{"metadata": [1]}"#).is_err());
    }
}
