//! Shoppers and their Voucherly customer ids ([`ShopperStore`] on SQLite).

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Database, now};
use crate::domain::{FirstPayment, Shopper, ShopperDetails};
use crate::storage::ShopperStore;

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
        find_by_store_user_id(self, store_user_id).await
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
        save_customer_id(self, shopper_id, environment, customer_id).await
    }

    async fn forget_customer_id(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()> {
        forget_customer_id(self, shopper_id, environment, customer_id).await
    }

    async fn claim_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
        now: i64,
        lease: i64,
    ) -> anyhow::Result<FirstPayment> {
        claim_first_payment(self, shopper_id, environment, now, lease).await
    }

    async fn release_first_payment(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<()> {
        release_first_payment(self, shopper_id, environment).await
    }

    async fn take_outdated_profile(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        take_outdated_profile(self, shopper_id, environment).await
    }

    async fn mark_profile_outdated(
        &self,
        shopper_id: i64,
        environment: &'static str,
        customer_id: String,
    ) -> anyhow::Result<()> {
        mark_profile_outdated(self, shopper_id, environment, customer_id).await
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

macro_rules! select_shopper {
    ($condition:literal) => {
        concat!(
            "SELECT id, store_user_id, email, first_name, last_name, language FROM shoppers WHERE ",
            $condition
        )
    };
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

/// The customer id in `environment` whose name or email Voucherly has not been told yet, if
/// any, clearing the mark: whoever gets it sends the change, and puts the mark back with
/// [`ShopperStore::mark_profile_outdated`] if that failed. So a change is sent once.
async fn take_outdated_profile(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
) -> anyhow::Result<Option<String>> {
    db.run(move |conn| {
        Ok(conn
            .query_row(
                "UPDATE voucherly_customers SET profile_outdated = 0
                 WHERE shopper_id = ?1 AND environment = ?2 AND profile_outdated = 1
                 RETURNING customer_id",
                params![shopper_id, environment],
                |row| row.get(0),
            )
            .optional()?)
    })
    .await
}

/// Voucherly could not be told of the change: it is tried again later.
async fn mark_profile_outdated(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE voucherly_customers SET profile_outdated = 1
             WHERE shopper_id = ?1 AND environment = ?2 AND customer_id = ?3",
            params![shopper_id, environment, customer_id],
        )?;
        Ok(())
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

async fn find_by_store_user_id(
    db: &Database,
    store_user_id: &str,
) -> anyhow::Result<Option<Shopper>> {
    let store_user_id = store_user_id.to_owned();
    db.run(move |conn| {
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

/// The shopper's customer id in `environment`, on a connection already held.
pub(crate) fn customer_id_on(
    conn: &Connection,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT customer_id FROM voucherly_customers
             WHERE shopper_id = ?1 AND environment = ?2",
        )?
        .query_row(params![shopper_id, environment], |row| row.get(0))
        .optional()?)
}

async fn save_customer_id(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "INSERT INTO voucherly_customers (shopper_id, environment, customer_id, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (shopper_id, environment) DO UPDATE SET customer_id = ?3, updated_at = ?4",
            params![shopper_id, environment, customer_id, now()],
        )?;
        Ok(())
    })
    .await
}

/// The shopper's customer id in `environment`, or the right to make their first payment (and so
/// create their Voucherly customer) for `lease` seconds, or `Busy` while another holds it.
async fn claim_first_payment(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    now: i64,
    lease: i64,
) -> anyhow::Result<FirstPayment> {
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(id) = customer_id_on(&tx, shopper_id, environment)? {
            return Ok(FirstPayment::Customer(id));
        }
        let claimed = tx.execute(
            "INSERT INTO customer_claims (shopper_id, environment, until) VALUES (?1, ?2, ?3)
             ON CONFLICT (shopper_id, environment) DO UPDATE SET until = excluded.until
             WHERE customer_claims.until <= ?4",
            params![shopper_id, environment, now + lease, now],
        )?;
        tx.commit()?;
        Ok(if claimed == 1 {
            FirstPayment::Claimed
        } else {
            FirstPayment::Busy
        })
    })
    .await
}

/// The first payment is over (its customer id saved, or it failed): others may go on.
async fn release_first_payment(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "DELETE FROM customer_claims WHERE shopper_id = ?1 AND environment = ?2",
            params![shopper_id, environment],
        )?;
        Ok(())
    })
    .await
}

/// Voucherly no longer knows `customer_id` (`RESOURCE_MISSING`): it is dropped, unless it was
/// replaced meanwhile, so the next payment creates the customer again.
async fn forget_customer_id(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "DELETE FROM voucherly_customers
             WHERE shopper_id = ?1 AND environment = ?2 AND customer_id = ?3",
            params![shopper_id, environment, customer_id],
        )?;
        Ok(())
    })
    .await
}
