//! What a shopper's pages read.

use std::collections::HashMap;

use async_trait::async_trait;

use crate::domain::Shopper;
use crate::domain::order::Order;
use crate::domain::payment::HistoryPage;

/// What a shopper's pages show (profile, history), each read in one unit of work.
#[async_trait]
pub trait PageStore: Send + Sync {
    /// What the profile page shows of `shopper_id` (their customer id in `environment`), with
    /// page `history_page` of their history, `per_page` to a page, or the last page when that
    /// is past the end; `None` when there is no such shopper (any more). Its parts agree with
    /// each other: they are read at one moment.
    async fn profile_page(
        &self,
        shopper_id: i64,
        environment: &'static str,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<AccountPage>>;

    /// Page `page` of the shopper's payment history, newest first, `per_page` to a page.
    async fn payment_history(
        &self,
        shopper_id: i64,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<HistoryPage>;
}

/// What the profile page reads ([`PageStore::profile_page`]).
#[derive(Clone)]
pub struct AccountPage {
    pub shopper: Shopper,
    /// Their Voucherly customer id in the environment asked for.
    pub customer_id: Option<String>,
    /// Orders still to pay, oldest first.
    pub orders: Vec<Order>,
    /// Order id → the checkout URL of its payment still at Voucherly's checkout.
    pub open_checkouts: HashMap<i64, String>,
    pub history: HistoryPage,
    /// The history page read: the one asked for, or the last one when that is past the end.
    pub history_page: u32,
    /// The id of the method the shopper prefers, if any.
    pub preferred: Option<String>,
    /// Saved method id → when (Unix seconds) its latest paid payment began.
    pub last_used: HashMap<String, i64>,
}
