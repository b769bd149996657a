//! Shoppers and their Voucherly customer ids.

use async_trait::async_trait;

use crate::domain::{FirstPayment, Shopper, ShopperDetails};

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
