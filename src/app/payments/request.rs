//! The `POST v1/payments` body for paying one stored order. Every amount comes from the order.

use std::collections::BTreeMap;

use crate::domain::Shopper;
use crate::domain::order::Order;
use crate::voucherly::types::{
    CreatePaymentRequest, LineType, NewPaymentLine, PaymentDiscount, PaymentMode, PaymentProduct,
};

/// What the request needs besides the order.
pub struct PaymentContext<'a> {
    /// Our payment record's reference, sent as `referenceId`.
    pub reference: &'a str,
    pub shopper: &'a Shopper,
    /// The shopper's customer id in this environment; without one, Voucherly creates the
    /// customer from the shopper's name and email.
    pub customer_id: Option<String>,
    pub method_id: Option<String>,
    /// The app's public URL, without a trailing slash.
    pub public_url: &'a str,
    pub language: &'static str,
    /// Whether Voucherly captures at the checkout (`isAutoConfirm`).
    pub auto_confirm: bool,
}

/// How long a shopper has to finish Voucherly's checkout, in seconds (Voucherly's own default
/// is 12 hours): past it the checkout is voided and can no longer be paid.
pub const CHECKOUT_TIMEOUT_SECONDS: i64 = 60 * 60;

pub fn create_payment_request(order: &Order, context: PaymentContext<'_>) -> CreatePaymentRequest {
    let shopper = context.shopper;
    let (first_name, last_name, email) = match context.customer_id {
        Some(_) => (None, None, None),
        None => (
            Some(shopper.first_name.clone()),
            Some(shopper.last_name.clone()),
            Some(shopper.email.clone()),
        ),
    };
    let return_url = format!(
        "{}/payments/{}/return",
        context.public_url, context.reference
    );
    CreatePaymentRequest {
        mode: Some(PaymentMode::Payment),
        reference_id: Some(context.reference.to_owned()),
        metadata: BTreeMap::from([("orderId".to_owned(), order.store_order_id.clone())]),
        customer_id: context.customer_id,
        customer_first_name: first_name,
        customer_last_name: last_name,
        customer_email: email,
        customer_payment_method_id: context.method_id,
        redirect_ok_url: Some(format!("{return_url}?outcome=ok")),
        redirect_ko_url: Some(format!("{return_url}?outcome=ko")),
        callback_url: Some(format!("{}/payments/callback", context.public_url)),
        language: Some(context.language.to_owned()),
        country: Some("IT".to_owned()),
        is_auto_confirm: Some(context.auto_confirm),
        lines: order
            .lines
            .iter()
            .enumerate()
            .map(|(index, line)| NewPaymentLine {
                quantity: line.quantity,
                unit_amount: line.unit_amount,
                unit_discount_amount: line.unit_discount_amount,
                // The line's place in the order (1, 2, …): unique within the payment, which is
                // all a confirmation by lines needs to pair it.
                external_id: Some((index + 1).to_string()),
                // The shop's id is not a Voucherly catalogue id (`productId`).
                product: PaymentProduct {
                    external_id: line.product_id.clone(),
                    name: Some(line.product_name.clone()),
                    image: line.product_image.clone(),
                    tax_rate: line.tax_rate,
                    line_type: Some(match line.is_food {
                        true => LineType::Food,
                        false => LineType::NonFood,
                    }),
                },
            })
            .collect(),
        discounts: order
            .discounts
            .iter()
            .map(|discount| PaymentDiscount {
                discount_name: discount.name.clone(),
                discount_description: discount.description.clone(),
                amount: Some(discount.amount),
                ..Default::default()
            })
            .collect(),
        // A checkout whose creation we never heard back from (the app stopped meanwhile) has
        // no id of ours to void it by: Voucherly voids it itself at this deadline.
        timeout: Some(CHECKOUT_TIMEOUT_SECONDS),
        ..Default::default()
    }
}
