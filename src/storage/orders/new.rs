//! An order as the store sends it, checked before anything is stored: every amount in minor
//! units, totals worked out here with checked arithmetic, never taken from the sender.

use serde::Serialize;
use sha2::{Digest, Sha256};

const MAX_LINES: usize = 200;
const MAX_DISCOUNTS: usize = 50;
const MAX_ID_CHARS: usize = 64;
const MAX_NAME_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 2000;

/// One line of a new order, as the store describes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewOrderLine {
    pub product_id: Option<String>,
    pub product_name: String,
    pub product_description: Option<String>,
    /// An absolute http(s) URL.
    pub product_image: Option<String>,
    pub quantity: i64,
    /// Minor units (cents), per unit.
    pub unit_amount: i64,
    /// Minor units taken off each unit.
    pub unit_discount_amount: i64,
    /// Percent, e.g. `10.0`.
    pub tax_rate: Option<f64>,
    /// Only food may be paid with meal vouchers.
    pub is_food: bool,
}

/// A discount on the whole order, in minor units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewOrderDiscount {
    pub name: String,
    pub description: Option<String>,
    pub amount: i64,
}

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
    lines: Vec<NewOrderLine>,
    discounts: Vec<NewOrderDiscount>,
    totals: Totals,
}

/// Why an order was refused, in words for the store's developers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid order: {0}")]
pub struct InvalidOrder(pub String);

impl NewOrder {
    pub fn parse(
        store_order_id: &str,
        lines: Vec<NewOrderLine>,
        discounts: Vec<NewOrderDiscount>,
    ) -> Result<Self, InvalidOrder> {
        let bad = |text: String| Err(InvalidOrder(text));
        let store_order_id = store_order_id.trim();
        if !is_plain_text(store_order_id, MAX_ID_CHARS) {
            return bad(format!(
                "the store order id must be 1 to {MAX_ID_CHARS} characters, no control characters"
            ));
        }
        if lines.is_empty() || lines.len() > MAX_LINES {
            return bad(format!("an order needs 1 to {MAX_LINES} lines"));
        }
        if discounts.len() > MAX_DISCOUNTS {
            return bad(format!("an order has at most {MAX_DISCOUNTS} discounts"));
        }
        for (index, line) in lines.iter().enumerate() {
            check_line(line).map_err(|e| InvalidOrder(format!("line {}: {e}", index + 1)))?;
        }
        for (index, discount) in discounts.iter().enumerate() {
            check_discount(discount)
                .map_err(|e| InvalidOrder(format!("discount {}: {e}", index + 1)))?;
        }
        let totals = totals(&lines, &discounts)
            .ok_or_else(|| InvalidOrder("the amounts are too large".into()))?;
        if totals.discount_amount > totals.total_amount || totals.final_amount <= 0 {
            return bad("the order must come to more than zero after its discounts".into());
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

    pub fn lines(&self) -> &[NewOrderLine] {
        &self.lines
    }

    pub fn discounts(&self) -> &[NewOrderDiscount] {
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
            lines: &'a [NewOrderLine],
            discounts: &'a [NewOrderDiscount],
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

fn check_line(line: &NewOrderLine) -> Result<(), String> {
    if !is_plain_text(line.product_name.trim(), MAX_NAME_CHARS) {
        return Err(format!(
            "the product name must be 1 to {MAX_NAME_CHARS} characters"
        ));
    }
    optional_text(&line.product_id, MAX_ID_CHARS, "product id")?;
    optional_text(&line.product_description, MAX_TEXT_CHARS, "description")?;
    if let Some(image) = &line.product_image {
        let url = reqwest::Url::parse(image).map_err(|_| "the image is not a URL".to_owned())?;
        if !matches!(url.scheme(), "http" | "https") || image.len() > MAX_TEXT_CHARS {
            return Err("the image must be an http or https URL".into());
        }
    }
    if line.quantity < 1 {
        return Err("the quantity must be at least 1".into());
    }
    if line.unit_amount < 0 || line.unit_discount_amount < 0 {
        return Err("amounts cannot be negative".into());
    }
    if line.unit_discount_amount > line.unit_amount {
        return Err("the unit discount is larger than the unit amount".into());
    }
    if line
        .tax_rate
        .is_some_and(|rate| !rate.is_finite() || !(0.0..=100.0).contains(&rate))
    {
        return Err("the tax rate must be a percentage between 0 and 100".into());
    }
    Ok(())
}

fn check_discount(discount: &NewOrderDiscount) -> Result<(), String> {
    if !is_plain_text(discount.name.trim(), MAX_NAME_CHARS) {
        return Err(format!("the name must be 1 to {MAX_NAME_CHARS} characters"));
    }
    optional_text(&discount.description, MAX_TEXT_CHARS, "description")?;
    if discount.amount < 0 {
        return Err("the amount cannot be negative".into());
    }
    Ok(())
}

fn totals(lines: &[NewOrderLine], discounts: &[NewOrderDiscount]) -> Option<Totals> {
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
            Err(format!("the {what} is longer than {max_chars} characters"))
        }
        _ => Ok(()),
    }
}
