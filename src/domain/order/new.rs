//! A new order as the store sends it, checked once, here, before anything is stored (the store API
//! and the demo data both go through [`NewOrder::parse`]): every amount in minor units and
//! bounded, totals worked out here with checked arithmetic, never taken from the sender. Errors
//! name the field at fault as the store API's JSON does (`lines[0].quantity: …`).

use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{OrderDiscount, OrderLine};

const MAX_LINES: usize = 200;
const MAX_DISCOUNTS: usize = 50;
const MAX_ID_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 2000;
/// The most of one product in an order.
pub const MAX_QUANTITY: i64 = 10_000;
/// The most an order (and so any unit) may cost, in cents: 999.999,99 €. Voucherly's amounts
/// are 32-bit integers; no order of 92 quadrillion euros gets near them.
pub const MAX_AMOUNT: i64 = 99_999_999;

/// What an order comes to, in minor units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Σ quantity × unit amount.
    pub total_amount: i64,
    /// Line discounts plus order discounts.
    pub discount_amount: i64,
    /// What the shopper pays: always more than zero.
    pub final_amount: i64,
}

/// A new order that passed every check; only [`NewOrder::parse`] makes one.
#[derive(Debug, Clone, PartialEq)]
pub struct NewOrder {
    store_order_id: String,
    lines: Vec<OrderLine>,
    discounts: Vec<OrderDiscount>,
    totals: Totals,
}

/// Why an order was refused, in words for the store's developers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid order: {0}")]
pub struct InvalidOrder(pub String);

impl NewOrder {
    pub fn parse(
        store_order_id: &str,
        lines: Vec<OrderLine>,
        discounts: Vec<OrderDiscount>,
    ) -> Result<Self, InvalidOrder> {
        let bad = |text: String| Err(InvalidOrder(text));
        let store_order_id = store_order_id.trim();
        if !is_plain_text(store_order_id, MAX_ID_CHARS) {
            return bad(format!(
                "store_order_id: must be 1 to {MAX_ID_CHARS} characters, no control characters"
            ));
        }
        if lines.is_empty() || lines.len() > MAX_LINES {
            return bad(format!("lines: an order needs 1 to {MAX_LINES} lines"));
        }
        if discounts.len() > MAX_DISCOUNTS {
            return bad(format!(
                "discounts: an order has at most {MAX_DISCOUNTS} discounts"
            ));
        }
        for (index, line) in lines.iter().enumerate() {
            check_line(line).map_err(|e| InvalidOrder(format!("lines[{index}].{e}")))?;
        }
        for (index, discount) in discounts.iter().enumerate() {
            check_discount(discount)
                .map_err(|e| InvalidOrder(format!("discounts[{index}].{e}")))?;
        }
        let totals = totals(&lines, &discounts)
            .filter(|totals| totals.total_amount <= MAX_AMOUNT)
            .ok_or_else(|| {
                InvalidOrder(format!(
                    "lines: the order comes to more than {MAX_AMOUNT} cents, the most one order may"
                ))
            })?;
        if totals.discount_amount > totals.total_amount || totals.final_amount <= 0 {
            return bad(
                "discounts: the order must come to more than zero after its discounts".into(),
            );
        }
        Ok(Self {
            store_order_id: store_order_id.to_owned(),
            lines,
            discounts,
            totals,
        })
    }

    pub fn store_order_id(&self) -> &str {
        &self.store_order_id
    }

    pub fn lines(&self) -> &[OrderLine] {
        &self.lines
    }

    pub fn discounts(&self) -> &[OrderDiscount] {
        &self.discounts
    }

    pub fn totals(&self) -> Totals {
        self.totals
    }

    /// The SHA-256, in hex, of everything that makes this order this shopper's order: the same
    /// order sent again has the same digest, any change to it (or another shopper) another one.
    pub fn digest(&self, shopper_id: i64) -> String {
        #[derive(Serialize)]
        struct Canonical<'a> {
            shopper_id: i64,
            store_order_id: &'a str,
            lines: &'a [OrderLine],
            discounts: &'a [OrderDiscount],
        }
        let canonical = Canonical {
            shopper_id,
            store_order_id: &self.store_order_id,
            lines: &self.lines,
            discounts: &self.discounts,
        };
        // Serialising plain structs of strings and numbers cannot fail; an empty body would
        // still give a digest, just a useless one.
        let bytes = serde_json::to_vec(&canonical).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }
}

/// The line's problem as `field: problem`.
fn check_line(line: &OrderLine) -> Result<(), String> {
    if !is_plain_text(line.product_name.trim(), MAX_NAME_CHARS) {
        return Err(format!(
            "product_name: must be 1 to {MAX_NAME_CHARS} characters, no control characters"
        ));
    }
    optional_text(&line.product_id, MAX_ID_CHARS, "product_id")?;
    optional_text(
        &line.product_description,
        MAX_TEXT_CHARS,
        "product_description",
    )?;
    if let Some(image) = &line.product_image {
        // Shown on an https page: an http image would be mixed content.
        let is_https = reqwest::Url::parse(image).is_ok_and(|url| url.scheme() == "https");
        if !is_https || image.len() > MAX_TEXT_CHARS {
            return Err("product_image: must be an absolute https URL".into());
        }
    }
    if !(1..=MAX_QUANTITY).contains(&line.quantity) {
        return Err(format!(
            "quantity: must be at least 1 and at most {MAX_QUANTITY}"
        ));
    }
    if !(0..=MAX_AMOUNT).contains(&line.unit_amount) {
        return Err(format!(
            "unit_amount: cannot be negative or more than {MAX_AMOUNT}"
        ));
    }
    if line.unit_discount_amount < 0 || line.unit_discount_amount > line.unit_amount {
        return Err("unit_discount_amount: must be between 0 and unit_amount".into());
    }
    if line
        .tax_rate
        .is_some_and(|rate| !rate.is_finite() || !(0.0..=100.0).contains(&rate))
    {
        return Err("tax_rate: must be a percentage between 0 and 100".into());
    }
    Ok(())
}

/// The discount's problem as `field: problem`.
fn check_discount(discount: &OrderDiscount) -> Result<(), String> {
    if !is_plain_text(discount.name.trim(), MAX_NAME_CHARS) {
        return Err(format!(
            "name: must be 1 to {MAX_NAME_CHARS} characters, no control characters"
        ));
    }
    optional_text(&discount.description, MAX_TEXT_CHARS, "description")?;
    if !(0..=MAX_AMOUNT).contains(&discount.amount) {
        return Err(format!(
            "amount: cannot be negative or more than {MAX_AMOUNT}"
        ));
    }
    Ok(())
}

fn totals(lines: &[OrderLine], discounts: &[OrderDiscount]) -> Option<Totals> {
    let (mut total, mut discount) = (0i64, 0i64);
    for line in lines {
        total = total.checked_add(line.quantity.checked_mul(line.unit_amount)?)?;
        discount = discount.checked_add(line.quantity.checked_mul(line.unit_discount_amount)?)?;
    }
    for order_discount in discounts {
        discount = discount.checked_add(order_discount.amount)?;
    }
    Some(Totals {
        total_amount: total,
        discount_amount: discount,
        final_amount: total.checked_sub(discount)?,
    })
}

fn is_plain_text(text: &str, max_chars: usize) -> bool {
    !text.is_empty() && text.chars().count() <= max_chars && !text.chars().any(char::is_control)
}

fn optional_text(text: &Option<String>, max_chars: usize, what: &str) -> Result<(), String> {
    match text {
        Some(text) if text.chars().count() > max_chars => {
            Err(format!("{what}: must be at most {max_chars} characters"))
        }
        _ => Ok(()),
    }
}
