//! The store's orders.

use async_trait::async_trait;

use crate::domain::order::{CancelOrder, CreateOrder, NewOrder, Order, StoreOrder};
use crate::domain::refund::Refund;
use crate::storage::RefundStore;

/// What the store API shows of an order ([`OrderStore::order_with_refunds`]).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderWithRefunds {
    pub order: StoreOrder,
    /// Oldest first.
    pub refunds: Vec<Refund>,
}

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
    /// The order the store knows as `store_order_id` with every refund of it, kept in memory
    /// until its shopper's rows change (see `storage::PageCache`).
    async fn order_with_refunds(
        &self,
        store_order_id: &str,
    ) -> anyhow::Result<Option<OrderWithRefunds>>;
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

/// What [`OrderStore::order_with_refunds`] reads, before it is kept: the order, then its
/// refunds (a change between the two is not kept, see `storage::PageCache`).
pub(super) async fn read_with_refunds<S: OrderStore + RefundStore + ?Sized>(
    store: &S,
    store_order_id: &str,
) -> anyhow::Result<Option<OrderWithRefunds>> {
    let Some(order) = store.store_order(store_order_id).await? else {
        return Ok(None);
    };
    let refunds = store.refunds_of_order(order.order.id).await?;
    Ok(Some(OrderWithRefunds { order, refunds }))
}
