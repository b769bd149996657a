//! "Add a card or meal voucher" checkouts (`method_setups`): written before Voucherly is called,
//! one per form (a resubmitted form finds the first, also on another instance), with the
//! methods saved before. Their part of [`crate::storage::MethodStore`].

use deadpool_postgres::GenericClient;

use super::{Postgres, now};
use crate::storage::{MethodSetup, SetupBegun as Begun, SetupCheckout};

/// Writes the set-up unless the shopper's form (`idempotency_key`) made one already: of two
/// submissions at once, one inserts and the other waits for it, then finds that row.
pub(super) async fn begin(
    db: &Postgres,
    shopper_id: i64,
    environment: &'static str,
    idempotency_key: String,
    known_methods: Vec<String>,
) -> anyhow::Result<Begun> {
    let reference = uuid::Uuid::new_v4().to_string();
    let known = serde_json::to_string(&known_methods)?;
    let client = db.client().await?;
    let insert = client
        .prepare_cached(
            "INSERT INTO method_setups (reference, shopper_id, environment, idempotency_key,
                 known_methods, created_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (shopper_id, idempotency_key) DO NOTHING",
        )
        .await?;
    let added = client
        .execute(
            &insert,
            &[
                &reference,
                &shopper_id,
                &environment,
                &idempotency_key,
                &known,
                &now(),
            ],
        )
        .await?;
    let first = client
        .prepare_cached(
            "SELECT reference FROM method_setups WHERE shopper_id = $1 AND idempotency_key = $2",
        )
        .await?;
    let found: String = client
        .query_one(&first, &[&shopper_id, &idempotency_key])
        .await?
        .try_get(0)?;
    let setup = find_on(&client, &found)
        .await?
        .ok_or_else(|| anyhow::anyhow!("setup vanished"))?;
    Ok(if added == 1 {
        Begun::New(setup)
    } else {
        Begun::Existing(setup)
    })
}

/// The set-up `reference`, if there is one.
pub(super) async fn find_on(
    client: &impl GenericClient,
    reference: &str,
) -> anyhow::Result<Option<MethodSetup>> {
    let read = client
        .prepare_cached(
            "SELECT reference, shopper_id, known_methods, checkout_url, failure
             FROM method_setups WHERE reference = $1",
        )
        .await?;
    let Some(row) = client.query_opt(&read, &[&reference]).await? else {
        return Ok(None);
    };
    let known: String = row.try_get(2)?;
    Ok(Some(MethodSetup {
        reference: row.try_get(0)?,
        shopper_id: row.try_get(1)?,
        known_methods: serde_json::from_str(&known)?,
        checkout_url: row.try_get(3)?,
        failure: row.try_get(4)?,
    }))
}

pub(super) async fn record_answer(
    db: &Postgres,
    reference: &str,
    answer: Result<SetupCheckout, String>,
) -> anyhow::Result<()> {
    let (payment, url, failure) = match answer {
        Ok(checkout) => (
            Some(checkout.voucherly_payment_id),
            Some(checkout.checkout_url),
            None,
        ),
        Err(failure) => (None, None, Some(failure)),
    };
    let client = db.client().await?;
    let record = client
        .prepare_cached(
            "UPDATE method_setups SET voucherly_payment_id = $2, checkout_url = $3, failure = $4
             WHERE reference = $1",
        )
        .await?;
    client
        .execute(&record, &[&reference, &payment, &url, &failure])
        .await?;
    Ok(())
}
