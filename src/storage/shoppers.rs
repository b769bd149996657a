//! Shoppers and their Voucherly customer ids.

use async_trait::async_trait;

use crate::domain::{FirstPayment, Shopper, ShopperDetails};

/// A shopper of [`ShopperStore::listed_shoppers`], with their customer id.
pub type ListedShopper = (Shopper, Option<String>);

/// Shoppers and their Voucherly customer ids per environment (`embedded`, `sandbox`, `live`).
#[async_trait]
pub trait ShopperStore: Send + Sync {
    /// Creates the shopper, or updates their details if the store user id is known; returns
    /// the id. A known shopper whose name or email changed has their customers marked outdated
    /// in the same unit of work, for [`ShopperStore::take_outdated_profile`].
    async fn upsert_shopper(&self, details: ShopperDetails) -> anyhow::Result<i64>;
    async fn shopper(&self, shopper_id: i64) -> anyhow::Result<Option<Shopper>>;
    async fn shopper_by_store_user_id(
        &self,
        store_user_id: &str,
    ) -> anyhow::Result<Option<Shopper>>;
    /// The shoppers of `store_user_ids` that exist, in that order, each with their customer id
    /// in `environment`; kept in memory until any shopper's rows change (see
    /// `storage::PageCache`).
    async fn listed_shoppers(
        &self,
        store_user_ids: Vec<String>,
        environment: &'static str,
    ) -> anyhow::Result<Vec<ListedShopper>>;
    /// The shopper's customer id in `environment`, if Voucherly gave them one there.
    async fn customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;
    async fn save_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
    /// Voucherly no longer knows `customer_id`: it is dropped, unless it was replaced
    /// meanwhile, so the next payment creates the customer again.
    async fn forget_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
    /// The shopper's customer id in `environment`, or the right to make their first payment
    /// (and so create their customer) until `now + lease`, or `Busy` while another holds it.
    async fn claim_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
        now: i64,
        lease: i64,
    ) -> anyhow::Result<FirstPayment>;
    /// The first payment is over (its customer id saved, or it failed): others may go on.
    async fn release_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<()>;
    /// The customer id in `environment` whose name or email Voucherly has not been told yet,
    /// if any, clearing the mark: whoever gets it sends the change, and puts the mark back
    /// with [`ShopperStore::mark_profile_outdated`] if that failed. So a change is sent once.
    async fn take_outdated_profile(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;
    /// Voucherly could not be told of the change: it is tried again later.
    async fn mark_profile_outdated(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()>;
}

/// What [`ShopperStore::listed_shoppers`] reads, before it is kept.
pub(super) async fn read_listed<S: ShopperStore + ?Sized>(
    store: &S,
    store_user_ids: &[String],
    environment: &'static str,
) -> anyhow::Result<Vec<ListedShopper>> {
    let mut listed = Vec::new();
    for store_user_id in store_user_ids {
        if let Some(shopper) = store.shopper_by_store_user_id(store_user_id).await? {
            let customer_id = store.customer_id(shopper.id, environment).await?;
            listed.push((shopper, customer_id));
        }
    }
    Ok(listed)
}
