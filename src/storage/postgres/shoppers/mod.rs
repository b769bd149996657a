//! Shoppers and their Voucherly customer ids ([`ShopperStore`] on PostgreSQL). Several
//! instances may upsert the same shopper at once: the unique store user id and row locks make
//! them agree on one shopper.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

mod customers;

use super::{Postgres, now};
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
impl ShopperStore for Postgres {
    async fn upsert_shopper(&self, details: ShopperDetails) -> anyhow::Result<i64> {
        upsert(self, details).await
    }

    async fn shopper(&self, shopper_id: i64) -> anyhow::Result<Option<Shopper>> {
        find_on(&self.client().await?, shopper_id).await
    }

    async fn shopper_by_store_user_id(
        &self,
        store_user_id: &str,
    ) -> anyhow::Result<Option<Shopper>> {
        let client = self.client().await?;
        let statement = client
            .prepare_cached(select_shopper!("store_user_id = $1"))
            .await?;
        client
            .query_opt(&statement, &[&store_user_id])
            .await?
            .map(|row| shopper_from_row(&row))
            .transpose()
    }

    async fn listed_shoppers(
        &self,
        store_user_ids: Vec<String>,
        environment: &'static str,
    ) -> anyhow::Result<Vec<ListedShopper>> {
        self.listen_in_background();
        let read = crate::storage::shoppers::read_listed(self, &store_user_ids, environment);
        let key = (environment, store_user_ids.clone());
        self.inner.hearing.pages.list_or_read(key, read).await
    }

    async fn customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        customer_id_on(&self.client().await?, shopper_id, environment).await
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

fn shopper_from_row(row: &Row) -> anyhow::Result<Shopper> {
    Ok(Shopper {
        id: row.try_get("id")?,
        store_user_id: row.try_get("store_user_id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        language: row.try_get("language")?,
    })
}

/// Creates the shopper, or updates their details if the store user id is known; returns the id.
/// A known shopper whose name or email changed has their Voucherly customers marked outdated, in
/// the same transaction, for [`ShopperStore::take_outdated_profile`].
///
/// The known shopper's row is locked while it is compared and updated, so of two instances
/// changing it at once the second compares with what the first wrote (`NO KEY`: rows that only
/// refer to the shopper, as a new order does, are not held up). A shopper new to both is
/// inserted by one (`ON CONFLICT DO NOTHING` waits for the other's transaction); the other then
/// finds that row and updates it, as if it had come second.
async fn upsert(db: &Postgres, details: ShopperDetails) -> anyhow::Result<i64> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let (store_user_id, email, first_name, last_name) = (
        details.store_user_id.as_str(),
        details.email.as_str(),
        details.first_name.as_str(),
        details.last_name.as_str(),
    );
    let lock = tx
        .prepare_cached(
            "SELECT id, email, first_name, last_name FROM shoppers
             WHERE store_user_id = $1 FOR NO KEY UPDATE",
        )
        .await?;
    let mut before = tx.query_opt(&lock, &[&store_user_id]).await?;
    if before.is_none() {
        let insert = tx
            .prepare_cached(
                "INSERT INTO shoppers
                     (store_user_id, email, first_name, last_name, language, created_at,
                      updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $6)
                 ON CONFLICT (store_user_id) DO NOTHING
                 RETURNING id",
            )
            .await?;
        let params: [&(dyn tokio_postgres::types::ToSql + Sync); 6] = [
            &store_user_id,
            &email,
            &first_name,
            &last_name,
            &details.language,
            &now(),
        ];
        if let Some(row) = tx.query_opt(&insert, &params).await? {
            let id = row.try_get(0)?;
            tx.commit().await?;
            return Ok(id);
        }
        // Another instance inserted the shopper meanwhile and has committed: update its row.
        before = tx.query_opt(&lock, &[&store_user_id]).await?;
    }
    let Some(before) = before else {
        anyhow::bail!("the shopper {store_user_id:?} vanished while being saved");
    };
    let id: i64 = before.try_get("id")?;
    let update = tx
        .prepare_cached(
            "UPDATE shoppers SET email = $2, first_name = $3, last_name = $4, language = $5,
                 updated_at = $6
             WHERE id = $1",
        )
        .await?;
    tx.execute(
        &update,
        &[
            &id,
            &email,
            &first_name,
            &last_name,
            &details.language,
            &now(),
        ],
    )
    .await?;
    let known: (String, String, String) = (
        before.try_get("email")?,
        before.try_get("first_name")?,
        before.try_get("last_name")?,
    );
    if (known.0.as_str(), known.1.as_str(), known.2.as_str()) != (email, first_name, last_name) {
        let outdated = tx
            .prepare_cached(
                "UPDATE voucherly_customers SET profile_outdated = TRUE WHERE shopper_id = $1",
            )
            .await?;
        tx.execute(&outdated, &[&id]).await?;
    }
    tx.commit().await?;
    Ok(id)
}

/// The shopper, on a connection or transaction already held, to read it with the rest of a
/// page.
pub(crate) async fn find_on(
    client: &impl GenericClient,
    shopper_id: i64,
) -> anyhow::Result<Option<Shopper>> {
    let statement = client.prepare_cached(select_shopper!("id = $1")).await?;
    client
        .query_opt(&statement, &[&shopper_id])
        .await?
        .map(|row| shopper_from_row(&row))
        .transpose()
}
