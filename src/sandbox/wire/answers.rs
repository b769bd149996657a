//! What the sandbox answers and stores: openapi.yaml's `Payment`, `Payments.*`,
//! `PaymentMethod`, `PaymentGateways.PaymentGatewayDto`, `PaginationResponse`, and the callback
//! body of s2s.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CompletionMode, DiscountType, LineType, Mode, Status, TxStatus};

/// A payment as the API reports it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payment {
    #[serde(deserialize_with = "or_default")]
    pub id: String,
    #[serde(deserialize_with = "or_default")]
    pub tenant: String,
    pub reference_id: Option<String>,
    pub mode: Mode,
    pub parent_payment_id: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_first_name: Option<String>,
    pub customer_last_name: Option<String>,
    pub customer_payment_method_id: Option<String>,
    /// openapi.yaml `Payment.selectedPaymentGateway` (no `Id` suffix in answers, unlike the
    /// request); `selectedPaymentGatewayId` is read from payments an older sandbox stored.
    #[serde(rename = "selectedPaymentGateway", alias = "selectedPaymentGatewayId")]
    pub selected_payment_gateway: Option<String>,
    pub payment_gateways: Option<Vec<String>>,
    pub checkout_url: Option<String>,
    pub completion_mode: CompletionMode,
    /// payment.Schema.json `closeCheckout` (`Payments.PaymentCloseCheckout`, the same shape
    /// as `callback`): set when the shopper leaves the checkout, paid or not.
    pub close_checkout: Option<LastCallback>,
    pub callback: Option<LastCallback>,
    #[serde(deserialize_with = "or_default")]
    pub total_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub discount_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub final_amount: i64,
    /// "The part of finalAmount that meal vouchers can pay": the food lines after their
    /// discounts, capped at `finalAmount`.
    #[serde(deserialize_with = "or_default")]
    pub food_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub paid_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub paid_voucher_amount: i64,
    /// payment.Schema.json `paidDigitalAmount`: paid by card or another digital method.
    #[serde(deserialize_with = "or_default")]
    pub paid_digital_amount: i64,
    /// payment.Schema.json `paidFringeAmount`: paid with a fringe-benefit credit (the wallet).
    #[serde(deserialize_with = "or_default")]
    pub paid_fringe_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub amount: i64,
    pub status: Status,
    pub metadata: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<Line>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discounts: Option<Vec<Discount>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transactions: Option<Vec<Transaction>>,
}

/// `Payments.PaymentLastCallback`: how the last callback went; also the shape of
/// `Payments.PaymentCloseCheckout`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LastCallback {
    pub success: bool,
    pub date: String,
}

/// A line as answers carry it: payment.Schema.json's `Payments.PaymentLine`, flat ("when
/// creating a Payment, the request body uses a different, normalized shape that nests product
/// fields under a `product` object"): the product's `externalId` comes back as
/// `productExternalId1`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Line {
    #[serde(deserialize_with = "or_default")]
    pub quantity: i64,
    pub product_id: Option<String>,
    #[serde(deserialize_with = "or_default")]
    pub product_name: String,
    pub product_variant: Option<String>,
    pub product_image: Option<String>,
    #[serde(deserialize_with = "or_default")]
    pub unit_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub unit_discount_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub discount_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub final_amount: i64,
    pub tax_rate: Option<f64>,
    /// `Payments.LineType`; absent on lines an older sandbox stored, which had only `isFood`.
    pub line_type: Option<LineType>,
    /// Deprecated in answers, still written for older readers: whether `lineType` is `Food`
    /// (the one thing the sandbox's checkout reads to let meal vouchers pay).
    #[serde(deserialize_with = "or_default")]
    pub is_food: bool,
    /// The line's own `externalId`, as sent.
    pub external_id: Option<String>,
    pub product_external_id1: Option<String>,
    pub product_external_id2: Option<String>,
    #[serde(deserialize_with = "or_default")]
    pub is_gift: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Discount {
    #[serde(deserialize_with = "or_default")]
    pub discount_name: String,
    pub discount_description: Option<String>,
    #[serde(deserialize_with = "or_default")]
    pub amount: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<DiscountType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Transaction {
    #[serde(deserialize_with = "or_default")]
    pub id: String,
    #[serde(deserialize_with = "or_default")]
    pub payment_gateway_id: String,
    #[serde(deserialize_with = "or_default")]
    pub external_id1: String,
    #[serde(deserialize_with = "or_default")]
    pub is_wallet: bool,
    #[serde(deserialize_with = "or_default")]
    pub amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub voucher_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub confirmed_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub refunded_amount: i64,
    #[serde(deserialize_with = "or_default")]
    pub currency: String,
    /// Not in openapi.yaml's `Payments.Transaction`, but in the official .NET client's model.
    pub customer_payment_method_id: Option<String>,
    pub credit_card: Option<CreditCard>,
    pub direct_debit: Option<DirectDebit>,
    pub holder_email: Option<String>,
    pub holder_name: Option<String>,
    pub status: TxStatus,
}

/// A customer's saved method (`PaymentMethod`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentMethod {
    #[serde(deserialize_with = "or_default")]
    pub id: String,
    #[serde(deserialize_with = "or_default")]
    pub payment_gateway_id: String,
    pub holder_email: Option<String>,
    pub holder_name: Option<String>,
    pub credit_card: Option<CreditCard>,
    pub direct_debit: Option<DirectDebit>,
}

/// `CreditCardInfo`: the number only ever masked.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CreditCard {
    #[serde(deserialize_with = "or_default")]
    pub brand: String,
    #[serde(deserialize_with = "or_default")]
    pub pan: String,
    #[serde(deserialize_with = "or_default")]
    pub expiration: String,
    #[serde(deserialize_with = "or_default")]
    pub expiration_month: i32,
    #[serde(deserialize_with = "or_default")]
    pub expiration_year: i32,
    #[serde(deserialize_with = "or_default")]
    pub product: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectDebit {
    #[serde(deserialize_with = "or_default")]
    pub account_id: String,
    #[serde(deserialize_with = "or_default")]
    pub account_bic: String,
    #[serde(deserialize_with = "or_default")]
    pub account_iban: String,
}

/// `PaymentGateways.PaymentGatewayDto`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Gateway {
    pub id: String,
    pub name: String,
    /// An integer enum (0, 1, 2) whose meaning openapi.yaml does not give; see `seed.rs`.
    #[serde(rename = "type")]
    pub kind: i32,
    pub payment_action: String,
    pub image: Option<String>,
    pub checkout_image: Option<String>,
    pub icon: Option<String>,
    pub is_active: bool,
    pub merchant_configuration: MerchantConfiguration,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct MerchantConfiguration {
    pub default_payment_gateway_id: Option<String>,
    pub is_fallback: bool,
}

/// `{"items": [...]}`, with the `pagination` cursor where the operation documents one.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

/// `PaginationResponse`: `nextStart` is an opaque string cursor (an integer in older specs).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub has_more: bool,
    pub next_start: Option<String>,
}

/// The callback body: the subset of the Payment that `s2s.md` lists.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackBody {
    pub id: String,
    pub tenant: String,
    pub mode: Mode,
    pub reference_id: Option<String>,
    pub merchant_id: String,
    pub customer_id: Option<String>,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
    pub paid_amount: i64,
    pub paid_voucher_amount: i64,
    pub amount: i64,
    pub status: Status,
}

/// A field that an older sandbox stored as `null` (its types were all optional): read as the
/// type's default, so a demo database from before keeps loading.
fn or_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payments_stored_by_the_older_sandbox_still_load() {
        let old = r#"{"id":"p1","tenant":"sandbox","mode":"Payment","totalAmount":1780,
            "finalAmount":1780,"status":"Paid","metadata":{},"transactions":[{"id":"t1",
            "paymentGatewayId":"card","externalId1":null,"isWallet":false,"amount":1780,
            "voucherAmount":0,"noOfVouchers":null,"confirmedAmount":0,"refundedAmount":0,
            "currency":"EUR","customerPaymentMethodId":null,"creditCard":{"brand":"Visa",
            "pan":"************4242","expiration":"12/2030","expirationMonth":12,
            "expirationYear":2030,"product":null},"directDebit":null,"holderEmail":null,
            "holderName":"Mario Rossi","status":"Paid"}]}"#;
        let payment: Payment = serde_json::from_str(old).unwrap();
        let transactions = payment.transactions.unwrap_or_default();
        assert_eq!(transactions[0].status, TxStatus::Paid);
        assert_eq!(
            transactions[0]
                .credit_card
                .as_ref()
                .map(|c| c.product.as_str()),
            Some("")
        );
    }
}
