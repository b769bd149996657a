//! Shoppers: who the store says they are, and the claim on their first payment (which creates
//! their Voucherly customer).

use super::{Email, PersonName, StoreUserId};

/// A stored shopper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shopper {
    pub id: i64,
    pub store_user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// The language code their pages are shown in (`it`, `en`).
    pub language: String,
}

/// A shopper as the store describes them, already validated.
#[derive(Debug, Clone)]
pub struct ShopperDetails {
    pub store_user_id: StoreUserId,
    pub email: Email,
    pub first_name: PersonName,
    pub last_name: PersonName,
    /// A language code we speak (`it`, `en`).
    pub language: &'static str,
}

/// What claiming a shopper's first payment found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstPayment {
    /// The shopper has a customer id: no claim needed.
    Customer(String),
    /// This caller makes the shopper's first payment; release the claim when Voucherly answered.
    Claimed,
    /// Another first payment of the shopper is under way.
    Busy,
}
