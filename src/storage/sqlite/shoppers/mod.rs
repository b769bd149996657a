//! Shoppers and their Voucherly customer ids ([`ShopperStore`] on SQLite).

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

mod customers;

use super::{Database, now};
use crate::domain::{FirstPayment, Shopper, ShopperDetails};
use crate::storage::{ListedShopper, ShopperStore};

pub(crate) use customers::customer_id_on;

macro_rules! select_shopper {
    ($condition:literal) => {
        concat!(
            "SELECT id, store_user_id, email, first_name, last_name, language FROM shoppers WHERE ",
            $condition
        )
    };
}

#[async_trait]
impl ShopperStore for Database {
    async fn upsert_shopper(&self, details: ShopperDetails) -> anyhow::Result<i64> {
        upsert(self, details).await
    }

    async fn shopper(&self, shopper_id: i64) -> anyhow::Result<Option<Shopper>> {
        self.run(move |conn| find_on(conn, shopper_id)).await
    }

    async fn shopper_by_store_user_id(
        &self,
        store_user_id: &str,
    ) -> anyhow::Result<Option<Shopper>> {
        let store_user_id = store_user_id.to_owned();
        self.run(move |conn| {
            Ok(conn
                .query_row(
                    select_shopper!("store_user_id = ?1"),
                    [store_user_id],
                    shopper_from_row,
                )
                .optional()?)
        })
        .await
    }

    async fn listed_shoppers(
        &self,
        store_user_ids: Vec<String>,
        environment: &'static str,
    ) -> anyhow::Result<Vec<ListedShopper>> {
        let read = crate::storage::shoppers::read_listed(self, &store_user_ids, environment);
        let key = (environment, store_user_ids.clone());
        self.inner.pages.list_or_read(key, read).await
    }

    async fn customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        self.run(move |conn| customer_id_on(conn, shopper_id, environment))
            .await
    }

    async fn save_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()> {
        customers::save_customer_id(self, shopper_id, environment, customer_id).await
    }

    async fn forget_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()> {
        customers::forget_customer_id(self, shopper_id, environment, customer_id).await
    }

    async fn claim_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
        now: i64,
        lease: i64,
    ) -> anyhow::Result<FirstPayment> {
        customers::claim_first_payment(self, shopper_id, environment, now, lease).await
    }

    async fn release_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<()> {
        customers::release_first_payment(self, shopper_id, environment).await
    }

    async fn take_outdated_profile(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        customers::take_outdated_profile(self, shopper_id, environment).await
    }

    async fn mark_profile_outdated(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()> {
        customers::mark_profile_outdated(self, shopper_id, environment, customer_id).await
    }
}

fn shopper_from_row(row: &Row<'_>) -> rusqlite::Result<Shopper> {
    Ok(Shopper {
        id: row.get("id")?,
        store_user_id: row.get("store_user_id")?,
        email: row.get("email")?,
        first_name: row.get("first_name")?,
        last_name: row.get("last_name")?,
        language: row.get("language")?,
    })
}

/// Creates the shopper, or updates their details if the store user id is known; returns the id.
/// A known shopper whose name or email changed has their Voucherly customers marked outdated, in
/// the same transaction, for [`ShopperStore::take_outdated_profile`].
async fn upsert(db: &Database, details: ShopperDetails) -> anyhow::Result<i64> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let before: Option<(String, String, String)> = tx
            .query_row(
                "SELECT email, first_name, last_name FROM shoppers WHERE store_user_id = ?1",
                [details.store_user_id.as_str()],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let id: i64 = tx.query_row(
            "INSERT INTO shoppers
                 (store_user_id, email, first_name, last_name, language, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
             ON CONFLICT (store_user_id) DO UPDATE SET
                 email = ?2, first_name = ?3, last_name = ?4, language = ?5, updated_at = ?6
             RETURNING id",
            params![
                details.store_user_id.as_str(),
                details.email.as_str(),
                details.first_name.as_str(),
                details.last_name.as_str(),
                details.language,
                now()
            ],
            |row| row.get(0),
        )?;
        let now_known = (
            details.email.as_str(),
            details.first_name.as_str(),
            details.last_name.as_str(),
        );
        if let Some((email, first, last)) = &before
            && (email.as_str(), first.as_str(), last.as_str()) != now_known
        {
            tx.execute(
                "UPDATE voucherly_customers SET profile_outdated = 1 WHERE shopper_id = ?1",
                [id],
            )?;
        }
        tx.commit()?;
        Ok(id)
    })
    .await
}

/// The shopper, on a connection already held, to read it with the rest of a page.
pub(crate) fn find_on(conn: &Connection, shopper_id: i64) -> anyhow::Result<Option<Shopper>> {
    Ok(conn
        .prepare_cached(select_shopper!("id = ?1"))?
        .query_row([shopper_id], shopper_from_row)
        .optional()?)
}
