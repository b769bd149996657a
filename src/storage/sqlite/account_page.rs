//! The SQLite side of [`PageStore`]: everything the profile page reads from the database, in one
//! trip to a storage thread and in one read transaction, so its parts agree with each other;
//! kept in memory until a unit of work changes it (see `watch`).

use async_trait::async_trait;

use super::payments;
use super::{Database, orders, preferences, shoppers};
use crate::domain::last_page;
use crate::domain::payment::HistoryPage;
use crate::storage::{AccountPage, PageStore};

#[async_trait]
impl PageStore for Database {
    async fn profile_page(
        &self,
        shopper_id: i64,
        environment: &'static str,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<AccountPage>> {
        let read = self.run(move |conn| {
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
        });
        let key = (environment, history_page, per_page);
        self.inner
            .pages
            .profile_or_read(shopper_id, key, read)
            .await
    }

    async fn payment_history(
        &self,
        shopper_id: i64,
        page: u32,
        per_page: u32,
    ) -> anyhow::Result<HistoryPage> {
        payments::history(self, shopper_id, page, per_page).await
    }
}
