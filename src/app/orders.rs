//! The store API's use cases on orders: record what a shopper owes, idempotently on the
//! store's order id, and read back where an order stands.

use std::sync::Arc;

use anyhow::Context;

use super::shoppers::{Shoppers, StoreShopper};
use crate::domain::order::{CreateOrder, NewOrder, StoreOrder};
use crate::storage::{OrderStore, OrderWithRefunds};

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

    /// The order the store knows as `store_order_id`, with its payments and refunds: from
    /// memory when it was read before and has not changed since.
    pub async fn read_with_refunds(
        &self,
        store_order_id: &str,
    ) -> anyhow::Result<Option<OrderWithRefunds>> {
        self.orders.order_with_refunds(store_order_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::order::OrderLine;
    use crate::domain::{Email, PersonName, StoreUserId, SystemClock};
    use crate::storage::{Database, ShopperStore};

    fn shopper(name: &str) -> StoreShopper {
        StoreShopper {
            store_user_id: StoreUserId::parse(name).unwrap(),
            email: Email::parse(&format!("{name}@example.com")).unwrap(),
            first_name: PersonName::parse(name).unwrap(),
            last_name: PersonName::parse("Test").unwrap(),
            language: None,
        }
    }

    fn order(quantity: i64) -> NewOrder {
        let line = OrderLine {
            product_id: None,
            product_name: "Pizza".into(),
            product_description: None,
            product_image: None,
            quantity,
            unit_amount: 750,
            unit_discount_amount: 0,
            tax_rate: None,
            is_food: true,
        };
        NewOrder::parse("o-1", vec![line], Vec::new()).unwrap()
    }

    #[tokio::test]
    async fn an_order_is_created_once_and_its_id_is_not_anyone_elses() {
        let dir = tempfile::tempdir().unwrap();
        let db = Arc::new(Database::open(&dir.path().join("test.db")).unwrap());
        let shoppers = Shoppers::new(
            db.clone(),
            db.clone(),
            db.clone(),
            Arc::new(SystemClock),
            300,
        );
        let orders = Orders::new(db.clone(), Arc::new(shoppers));

        let (created, stored) = orders.create(shopper("anna"), order(2)).await.unwrap();
        assert_eq!((created, stored.order.final_amount), (Created::New, 1500));
        let (again, _) = orders.create(shopper("anna"), order(2)).await.unwrap();
        assert_eq!(again, Created::Again);
        let changed = orders.create(shopper("anna"), order(3)).await;
        assert!(matches!(changed, Err(CreateError::Conflict)));
        // Refused before the other shopper is written.
        let other = orders.create(shopper("bruno"), order(2)).await;
        assert!(matches!(other, Err(CreateError::Conflict)));
        assert!(
            db.shopper_by_store_user_id("bruno")
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(orders.read("o-1").await.unwrap(), Some(stored));
    }
}
