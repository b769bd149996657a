//! The store API's use cases on orders: record what a shopper owes, idempotently on the
//! store's order id, and read back where an order stands.

use std::sync::Arc;

use anyhow::Context;

use super::shoppers::{Shoppers, StoreShopper};
use crate::domain::order::{CreateOrder, NewOrder, StoreOrder};
use crate::storage::OrderStore;

/// What creating an order did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// The order is new.
    New,
    /// The very same order was sent before: nothing changed.
    Again,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    /// The store order id is taken by a different order, or by another shopper's.
    #[error("the store order id is used by a different order or another shopper")]
    Conflict,
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

pub struct Orders {
    orders: Arc<dyn OrderStore>,
    shoppers: Arc<Shoppers>,
}

impl Orders {
    pub fn new(orders: Arc<dyn OrderStore>, shoppers: Arc<Shoppers>) -> Self {
        Self { orders, shoppers }
    }

    /// Saves the shopper and their order, and reads the order back as the store sees it.
    pub async fn create(
        &self,
        shopper: StoreShopper,
        order: NewOrder,
    ) -> Result<(Created, StoreOrder), CreateError> {
        let store_order_id = order.store_order_id().to_owned();
        // Refused before the shopper is written: the id is another shopper's.
        let owner = self.orders.owner_of_order(&store_order_id).await?;
        if owner.is_some_and(|owner| owner != shopper.store_user_id.as_str()) {
            return Err(CreateError::Conflict);
        }
        let shopper_id = self.shoppers.save(shopper).await?;
        let created = match self
            .orders
            .create_order(shopper_id, order)
            .await
            .context("could not save the order")?
        {
            CreateOrder::Created(_) => Created::New,
            CreateOrder::AlreadyExists(_) => Created::Again,
            CreateOrder::Conflict => return Err(CreateError::Conflict),
        };
        let stored = self
            .orders
            .store_order(&store_order_id)
            .await?
            .context("the order just stored cannot be read")?;
        Ok((created, stored))
    }

    /// The order the store knows as `store_order_id`, with its payments.
    pub async fn read(&self, store_order_id: &str) -> anyhow::Result<Option<StoreOrder>> {
        self.orders.store_order(store_order_id).await
    }
}
