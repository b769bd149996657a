//! The store's orders: one [`Order`] with its [`OrderLine`]s and [`OrderDiscount`]s, whether it
//! was just sent ([`NewOrder`], checked once) or read back; what the store API shows of it
//! ([`StoreOrder`]); and the rules on it (food for meal vouchers, totals).

mod new;
mod store_view;

use serde::Serialize;
use utoipa::ToSchema;

pub use new::{InvalidOrder, MAX_AMOUNT, MAX_QUANTITY, NewOrder, Totals};
pub use store_view::{StoreOrder, StorePayment};

/// A stored order with its lines and discounts.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: i64,
    pub shopper_id: i64,
    pub store_order_id: String,
    pub currency: String,
    pub status: OrderStatus,
    pub total_amount: i64,
    pub discount_amount: i64,
    pub final_amount: i64,
    pub created_at: i64,
    pub lines: Vec<OrderLine>,
    pub discounts: Vec<OrderDiscount>,
}

impl Order {
    /// Whether any line is food: only then may meal vouchers pay part of it.
    pub fn has_food(&self) -> bool {
        self.lines.iter().any(|line| line.is_food)
    }

    /// How much of the order meal vouchers may pay: its food, less its share of the discounts.
    pub fn food_amount(&self) -> i64 {
        let lines: Vec<(i64, bool)> = self
            .lines
            .iter()
            .map(|line| (line.final_amount(), line.is_food))
            .collect();
        super::food_share(&lines, self.final_amount)
    }
}

/// One line of an order, as the store describes it. Its serialised form is what the store API
/// answers and what an order's digest is taken of: a renamed field changes both.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrderLine {
    #[schema(required = true)]
    pub product_id: Option<String>,
    pub product_name: String,
    #[schema(required = true)]
    pub product_description: Option<String>,
    /// An absolute https URL.
    #[schema(required = true)]
    pub product_image: Option<String>,
    pub quantity: i64,
    /// Minor units (cents), per unit.
    pub unit_amount: i64,
    /// Minor units taken off each unit.
    pub unit_discount_amount: i64,
    /// Percent, e.g. `10.0`.
    #[schema(required = true)]
    pub tax_rate: Option<f64>,
    /// Only food may be paid with meal vouchers.
    pub is_food: bool,
}

impl OrderLine {
    /// quantity × (unit amount − unit discount): what the line comes to. Checked when the
    /// order was created, so it cannot overflow here.
    pub fn final_amount(&self) -> i64 {
        self.quantity
            .saturating_mul(self.unit_amount.saturating_sub(self.unit_discount_amount))
    }
}

/// A discount on the whole order, in minor units. Serialised as [`OrderLine`] is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[schema(as = Discount)]
pub struct OrderDiscount {
    pub name: String,
    #[schema(required = true)]
    pub description: Option<String>,
    pub amount: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    AwaitingPayment,
    Paid,
    /// Part of the captured money was given back through the store API.
    PartiallyRefunded,
    Refunded,
    /// The store cancelled it before it was paid: it can no longer be paid.
    Cancelled,
}

impl OrderStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwaitingPayment => "awaiting_payment",
            Self::Paid => "paid",
            Self::PartiallyRefunded => "partially_refunded",
            Self::Refunded => "refunded",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::AwaitingPayment,
            Self::Paid,
            Self::PartiallyRefunded,
            Self::Refunded,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }
}

/// What cancelling an order did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancelOrder {
    /// The order is cancelled (now, or by an earlier request: `first` says which), with the
    /// reason and time of the first cancellation.
    Cancelled {
        first: bool,
        reason: Option<String>,
        cancelled_at: i64,
    },
    /// The order no longer awaited payment (paid or refunded): nothing changed.
    NotAwaitingPayment(OrderStatus),
}

/// What storing a new order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreateOrder {
    /// Stored under this id.
    Created(i64),
    /// The very same order was already stored, for the same shopper, under this id.
    AlreadyExists(i64),
    /// The store order id is taken by a different order, or by another shopper's.
    Conflict,
}

#[cfg(test)]
mod tests;
