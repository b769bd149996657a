//! Shoppers' Voucherly customer ids per environment: the claim on a shopper's first payment
//! (which creates the customer), and the mark on a customer whose name or email Voucherly has
//! not been told yet.

use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::FirstPayment;
use crate::storage::sqlite::{Database, now};

/// The customer id in `environment` whose name or email Voucherly has not been told yet, if
/// any, clearing the mark: whoever gets it sends the change, and puts the mark back with
/// [`mark_profile_outdated`] if that failed. So a change is sent once.
pub(super) async fn take_outdated_profile(
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
pub(super) async fn mark_profile_outdated(
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

pub(super) async fn save_customer_id(
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
pub(super) async fn claim_first_payment(
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
pub(super) async fn release_first_payment(
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
pub(super) async fn forget_customer_id(
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
