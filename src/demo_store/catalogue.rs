//! What the demo store knows on its own, as any store would: its users (the demo shoppers) and a
//! tiny catalogue. None of it is read from the app; it reaches the app only through the API.

use serde_json::{Value, json};

/// A user of the demo store.
pub struct StoreUser {
    pub store_user_id: &'static str,
    pub email: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
}

impl StoreUser {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The `shopper` the store API expects, and the shopper fields of a hand-over.
    pub fn shopper_json(&self, language: &str) -> Value {
        json!({
            "store_user_id": self.store_user_id,
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "language": language,
        })
    }
}

pub const USERS: &[StoreUser] = &[
    StoreUser {
        store_user_id: "demo-mario",
        email: "mario.rossi@example.com",
        first_name: "Mario",
        last_name: "Rossi",
    },
    StoreUser {
        store_user_id: "demo-luca",
        email: "luca.verdi@example.com",
        first_name: "Luca",
        last_name: "Verdi",
    },
    StoreUser {
        store_user_id: "demo-giulia",
        email: "giulia.bianchi@example.com",
        first_name: "Giulia",
        last_name: "Bianchi",
    },
];

pub fn user(store_user_id: &str) -> Option<&'static StoreUser> {
    USERS
        .iter()
        .find(|user| user.store_user_id == store_user_id)
}

/// A product line of the demo order; amounts in euro cents.
pub struct Product {
    pub name: &'static str,
    pub description: &'static str,
    pub quantity: i64,
    pub unit_amount: i64,
    pub is_food: bool,
    pub tax_rate: f64,
}

/// Every demo order: one food line (payable with meal vouchers) and one that is not.
pub const ORDER: &[Product] = &[
    Product {
        name: "Panino al prosciutto",
        description: "Prosciutto crudo e mozzarella",
        quantity: 2,
        unit_amount: 550,
        is_food: true,
        tax_rate: 10.0,
    },
    Product {
        name: "Borraccia in acciaio",
        description: "500 ml",
        quantity: 1,
        unit_amount: 1290,
        is_food: false,
        tax_rate: 22.0,
    },
];

/// Store order ids of the demo store start with this.
pub const ORDER_ID_PREFIX: &str = "shop-";

/// A fresh store order id, `shop-` and 12 hex digits.
pub fn new_order_id() -> anyhow::Result<String> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(format!("{ORDER_ID_PREFIX}{}", hex::encode(bytes)))
}

/// Whether `id` looks like one of ours, so a tampered form cannot send anything else.
pub fn is_order_id(id: &str) -> bool {
    id.strip_prefix(ORDER_ID_PREFIX).is_some_and(|rest| {
        (1..=32).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The body of `POST /api/v1/orders` for `user`.
pub fn order_request(user: &StoreUser, store_order_id: &str, language: &str) -> Value {
    let lines: Vec<Value> = ORDER
        .iter()
        .map(|product| {
            json!({
                "product_name": product.name,
                "product_description": product.description,
                "quantity": product.quantity,
                "unit_amount": product.unit_amount,
                "is_food": product.is_food,
                "tax_rate": product.tax_rate,
            })
        })
        .collect();
    json!({
        "store_order_id": store_order_id,
        "shopper": user.shopper_json(language),
        "lines": lines,
    })
}
