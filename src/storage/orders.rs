//! The store's orders.

use async_trait::async_trait;

use crate::domain::order::{CancelOrder, CreateOrder, NewOrder, Order, StoreOrder};

/// The store's orders and their lines.
#[async_trait]
pub trait OrderStore: Send + Sync {
    /// Stores `order` for the shopper, unless its store order id is known: then the same order
    /// again is [`CreateOrder::AlreadyExists`], anything else a [`CreateOrder::Conflict`].
    async fn create_order(&self, shopper_id: i64, order: NewOrder) -> anyhow::Result<CreateOrder>;
    /// One of the shopper's orders; `None` when it does not exist or is someone else's.
    async fn order_for_shopper(
        &self,
        shopper_id: i64,
        order_id: i64,
    ) -> anyhow::Result<Option<Order>>;
    /// The shopper's orders still to pay, oldest first.
    async fn orders_awaiting_payment(&self, shopper_id: i64) -> anyhow::Result<Vec<Order>>;
    /// The order the store knows as `store_order_id`, whoever's it is, read in one unit of work.
    async fn store_order(&self, store_order_id: &str) -> anyhow::Result<Option<StoreOrder>>;
    /// The store user id of the shopper whose order `store_order_id` is, if there is one.
    async fn owner_of_order(&self, store_order_id: &str) -> anyhow::Result<Option<String>>;
    /// The id of the order the store knows as `store_order_id`, if it belongs to the shopper
    /// the store knows as `store_user_id`.
    async fn order_of_store_user(
        &self,
        store_user_id: &str,
        store_order_id: &str,
    ) -> anyhow::Result<Option<i64>>;
    /// Cancels order `order_id` at `now` if it still awaits payment, in one unit of work that
    /// [`PaymentStore::begin_payment`](crate::storage::PaymentStore::begin_payment) cannot
    /// interleave with: the order becomes `cancelled` (keeping `reason`), its payments still
    /// open (`creating`, `requested`) are given up and left for the reconciler to void at
    /// Voucherly from `now` on, and the store's `order.cancelled` event is queued. An order
    /// cancelled already answers as the first cancellation did; one paid or refunded is left as
    /// it is.
    async fn cancel_order(
        &self,
        order_id: i64,
        reason: Option<String>,
        now: i64,
    ) -> anyhow::Result<CancelOrder>;
}
