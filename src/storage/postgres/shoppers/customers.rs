//! Shoppers' Voucherly customer ids per environment: the claim on a shopper's first payment
//! (which creates the customer), and the mark on a customer whose name or email Voucherly has
//! not been told yet. Each change is one statement or one transaction, safe with several
//! instances on the database.

use deadpool_postgres::GenericClient;

use crate::domain::FirstPayment;
use crate::storage::postgres::{Postgres, now};

/// The customer id in `environment` whose name or email Voucherly has not been told yet, if
/// any, clearing the mark: whoever gets it sends the change, and puts the mark back with
/// [`mark_profile_outdated`] if that failed. So a change is sent once: of two callers at once,
/// the second waits for the first's row lock and then finds the mark cleared.
pub(super) async fn take_outdated_profile(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
) -> anyhow::Result<Option<String>> {
    let client = db.client().await?;
    let take = client
        .prepare_cached(
            "UPDATE voucherly_customers SET profile_outdated = FALSE
             WHERE shopper_id = $1 AND environment = $2 AND profile_outdated
             RETURNING customer_id",
        )
        .await?;
    client
        .query_opt(&take, &[&shopper_id, &environment])
        .await?
        .map(|row| row.try_get(0))
        .transpose()
        .map_err(Into::into)
}

/// Voucherly could not be told of the change: it is tried again later.
pub(super) async fn mark_profile_outdated(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let mark = client
        .prepare_cached(
            "UPDATE voucherly_customers SET profile_outdated = TRUE
             WHERE shopper_id = $1 AND environment = $2 AND customer_id = $3",
        )
        .await?;
    client
        .execute(&mark, &[&shopper_id, &environment, &customer_id])
        .await?;
    Ok(())
}

/// The shopper's customer id in `environment`, on a connection or transaction already held.
pub(crate) async fn customer_id_on(
    client: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    let read = client
        .prepare_cached(
            "SELECT customer_id FROM voucherly_customers
             WHERE shopper_id = $1 AND environment = $2",
        )
        .await?;
    client
        .query_opt(&read, &[&shopper_id, &environment])
        .await?
        .map(|row| row.try_get(0))
        .transpose()
        .map_err(Into::into)
}

pub(super) async fn save_customer_id(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let save = client
        .prepare_cached(
            "INSERT INTO voucherly_customers (shopper_id, environment, customer_id, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (shopper_id, environment)
             DO UPDATE SET customer_id = EXCLUDED.customer_id, updated_at = EXCLUDED.updated_at",
        )
        .await?;
    client
        .execute(&save, &[&shopper_id, &environment, &customer_id, &now()])
        .await?;
    Ok(())
}

/// The shopper's customer id in `environment`, or the right to make their first payment (and so
/// create their Voucherly customer) for `lease` seconds, or `Busy` while another holds it.
///
/// The claim is taken first (an upsert that only replaces an expired claim, so of several
/// instances at once exactly one gets it), and the customer id read after it, in the same
/// transaction: a claim won just after another holder saved the customer and let go still sees
/// that customer, and is then given back untouched by rolling back.
pub(super) async fn claim_first_payment(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
    now: i64,
    lease: i64,
) -> anyhow::Result<FirstPayment> {
    let mut client = db.client().await?;
    if let Some(id) = customer_id_on(&client, shopper_id, environment).await? {
        return Ok(FirstPayment::Customer(id));
    }
    let tx = client.transaction().await?;
    let claim = tx
        .prepare_cached(
            "INSERT INTO customer_claims (shopper_id, environment, until) VALUES ($1, $2, $3)
             ON CONFLICT (shopper_id, environment) DO UPDATE SET until = EXCLUDED.until
             WHERE customer_claims.until <= $4",
        )
        .await?;
    let claimed = tx
        .execute(&claim, &[&shopper_id, &environment, &(now + lease), &now])
        .await?;
    if let Some(id) = customer_id_on(&tx, shopper_id, environment).await? {
        tx.rollback().await?;
        return Ok(FirstPayment::Customer(id));
    }
    tx.commit().await?;
    Ok(if claimed == 1 {
        FirstPayment::Claimed
    } else {
        FirstPayment::Busy
    })
}

/// The first payment is over (its customer id saved, or it failed): others may go on.
pub(super) async fn release_first_payment(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let release = client
        .prepare_cached("DELETE FROM customer_claims WHERE shopper_id = $1 AND environment = $2")
        .await?;
    client
        .execute(&release, &[&shopper_id, &environment])
        .await?;
    Ok(())
}

/// Voucherly no longer knows `customer_id` (`RESOURCE_MISSING`): it is dropped, unless it was
/// replaced meanwhile, so the next payment creates the customer again.
pub(super) async fn forget_customer_id(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
    customer_id: String,
) -> anyhow::Result<()> {
    let client = db.client().await?;
    let forget = client
        .prepare_cached(
            "DELETE FROM voucherly_customers
             WHERE shopper_id = $1 AND environment = $2 AND customer_id = $3",
        )
        .await?;
    client
        .execute(&forget, &[&shopper_id, &environment, &customer_id])
        .await?;
    Ok(())
}
