//! What the sandbox answers and stores: openapi.yaml's `Payment`, `Payments.*`,
//! `PaymentMethod`, `PaymentGateways.PaymentGatewayDto`, `PaginationResponse`, and the callback
//! body of s2s.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{CompletionMode, DiscountType, Mode, NewProduct, Status, TxStatus};

/// A payment as the API reports it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Payment {
    pub id: String,
    pub tenant: String,
    pub reference_id: Option<String>,
    pub mode: Mode,
    pub parent_payment_id: Option<String>,
    pub customer_id: Option<String>,
    pub customer_email: Option<String>,
    pub customer_first_name: Option<String>,
    pub customer_last_name: Option<String>,
    pub customer_payment_method_id: Option<String>,
    pub selected_payment_gateway: Option<String>,
    pub payment_gateways: Option<Vec<String>>,
    pub checkout_url: Option<String>,
    pub completion_mode: CompletionMode,
    pub callback: Option<LastCallback>,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
    pub paid_amount: i64,
    pub paid_voucher_amount: i64,
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

/// `Payments.PaymentLastCallback`: how the last callback went.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LastCallback {
    pub success: bool,
    pub date: String,
}

/// A line as answers carry it: openapi.yaml's flat fields, plus the `product` it was sent with.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Line {
    pub quantity: i64,
    pub product_id: Option<String>,
    pub product_name: String,
    pub product_variant: Option<String>,
    pub product_image: Option<String>,
    pub unit_amount: i64,
    pub unit_discount_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
    pub tax_rate: Option<f64>,
    pub is_food: bool,
    pub product: Option<NewProduct>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Discount {
    pub discount_name: String,
    pub discount_description: Option<String>,
    pub amount: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<DiscountType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    pub id: String,
    pub payment_gateway_id: String,
    pub external_id1: String,
    pub is_wallet: bool,
    pub amount: i64,
    pub voucher_amount: i64,
    pub confirmed_amount: i64,
    pub refunded_amount: i64,
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
    pub id: String,
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
    pub brand: String,
    pub pan: String,
    pub expiration: String,
    pub expiration_month: i32,
    pub expiration_year: i32,
    pub product: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DirectDebit {
    pub account_id: String,
    pub account_bic: String,
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

/// `PaginationResponse`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub has_more: bool,
    pub next_start: Option<i64>,
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
