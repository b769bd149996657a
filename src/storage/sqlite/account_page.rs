//! Everything the profile page reads from the database, in one trip to a storage thread and in
//! one read transaction, so its parts agree with each other.

use std::collections::HashMap;

use super::Database;
use super::orders::{self, Order};
use super::payments;
use super::preferences;
use super::shoppers::{self, Shopper};
use crate::domain::payment::HistoryPage;

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
    /// Saved method id → when its latest paid payment began.
    pub last_used: HashMap<String, i64>,
}

/// The page of `shopper_id`; `None` when there is no such shopper (any more).
pub async fn load(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    history_page: u32,
    per_page: u32,
) -> anyhow::Result<Option<AccountPage>> {
    db.run(move |conn| {
        let tx = conn.transaction()?;
        let Some(shopper) = shoppers::find_on(&tx, shopper_id)? else {
            return Ok(None);
        };
        let mut page = history_page.max(1);
        let mut history = payments::history_on(&tx, shopper_id, page, per_page)?;
        let last = last_page(history.total, per_page);
        if page > last {
            page = last;
            history = payments::history_on(&tx, shopper_id, page, per_page)?;
        }
        let found = AccountPage {
            customer_id: shoppers::customer_id_on(&tx, shopper_id, environment)?,
            orders: orders::awaiting_payment_on(&tx, shopper_id)?,
            open_checkouts: payments::open_checkouts_on(&tx, shopper_id)?,
            preferred: preferences::preferred_on(&tx, shopper_id, environment)?,
            last_used: preferences::last_used_on(&tx, shopper_id, environment)?,
            shopper,
            history,
            history_page: page,
        };
        tx.commit()?;
        Ok(Some(found))
    })
    .await
}

/// The number of the last page of `total` rows, `per_page` to a page (1 when there are none).
pub fn last_page(total: i64, per_page: u32) -> u32 {
    let per_page = i64::from(per_page.max(1));
    u32::try_from((total.max(1) + per_page - 1) / per_page).unwrap_or(1)
}
