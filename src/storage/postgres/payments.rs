//! Our record of each attempt to pay an order, on PostgreSQL (see the SQLite engine's): written
//! before Voucherly is called, then marked created or failed. One row per form submission,
//! however many instances receive the form at once (`UNIQUE (shopper_id, idempotency_key)`), and
//! at most one open payment per order (the partial unique index `one_open_payment_per_order`).

mod apply;
mod capture;
mod created;
pub(super) mod event;
mod inbox;
mod open;
mod refunds;
mod schedule;
mod store;
mod summary;

use tokio_postgres::Row;
use tokio_postgres::error::SqlState;

use super::{Postgres, now};
use crate::domain::LocalStatus;
use crate::domain::payment::{Begun, NewPayment, PaymentRecord};

macro_rules! select_payment {
    ($condition:literal) => {
        concat!(
            "SELECT id, reference, shopper_id, order_id, environment, amount, currency,
                    method_id, method_label, voucherly_payment_id, checkout_url, status,
                    voucherly_status, created_at, updated_at
             FROM payments WHERE ",
            $condition
        )
    };
}

/// How many times beginning a payment is tried when another instance's insert for the same
/// order or form got in between (each try sees what that one committed).
const BEGIN_TRIES: usize = 5;

/// Writes the record of a new payment in `creating`, or finds the one this form already made,
/// or the order's payment that is still open. A record left `creating` for `creating_timeout`
/// seconds never heard Voucherly's answer: it is marked failed so the order can be paid.
#[tracing::instrument(skip_all, fields(shopper_id = new.shopper_id, order_id = new.order_id))]
async fn begin(db: &Postgres, new: NewPayment, creating_timeout: i64) -> anyhow::Result<Begun> {
    for _ in 0..BEGIN_TRIES {
        if let Some(begun) = try_begin(db, &new, creating_timeout).await? {
            return Ok(begun);
        }
    }
    anyhow::bail!(
        "payment of order {} kept changing while it began",
        new.order_id
    )
}

/// One try: the insert, in a transaction with the clean-up of stuck records. An insert another
/// instance's open payment of the order refuses rolls back, and that payment is read instead;
/// `None` when it moved on before it could be read (try again).
async fn try_begin(
    db: &Postgres,
    new: &NewPayment,
    creating_timeout: i64,
) -> anyhow::Result<Option<Begun>> {
    let mut client = db.client().await?;
    let tx = client.transaction().await?;
    let fail_stuck = tx
        .prepare_cached(
            "UPDATE payments SET status = $2, updated_at = $3,
                 error = COALESCE(error, 'unknown outcome: Voucherly''s answer never stored')
             WHERE order_id = $1 AND status = $4 AND voucherly_payment_id IS NULL
               AND created_at <= $3::BIGINT - $5::BIGINT",
        )
        .await?;
    let at = now();
    tx.execute(
        &fail_stuck,
        &[
            &new.order_id,
            &LocalStatus::CreateFailed.as_str(),
            &at,
            &LocalStatus::Creating.as_str(),
            &creating_timeout,
        ],
    )
    .await?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key, environment,
                 amount, method_id, method_label, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
             ON CONFLICT (shopper_id, idempotency_key) DO NOTHING",
        )
        .await?;
    let reference = uuid::Uuid::new_v4().to_string();
    let inserted = tx
        .execute(
            &insert,
            &[
                &reference,
                &new.shopper_id,
                &new.order_id,
                &new.idempotency_key,
                &new.environment,
                &new.amount,
                &new.method_id,
                &new.method_label,
                &LocalStatus::Creating.as_str(),
                &at,
            ],
        )
        .await;
    let inserted = match inserted {
        Ok(inserted) => inserted,
        Err(error) if error.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            // The transaction is spoilt: what the other insert made is read outside it.
            tx.rollback().await?;
            return found_instead(&client, new).await;
        }
        Err(error) => return Err(error.into()),
    };
    let by_key = tx
        .prepare_cached(select_payment!("shopper_id = $1 AND idempotency_key = $2"))
        .await?;
    // The row inserted, or the same form's that stopped the insert: committed, so this
    // statement sees it.
    let record = tx
        .query_one(&by_key, &[&new.shopper_id, &new.idempotency_key])
        .await?;
    tx.commit().await?;
    let record = record_from_row(&record)?;
    Ok(Some(if inserted == 1 {
        Begun::New(record)
    } else {
        Begun::Existing(record)
    }))
}

/// After an insert refused for a unique index: the record this form made (the same form sent
/// to two instances at once), else the order's open payment; neither (it moved on meanwhile)
/// means try again.
async fn found_instead(
    client: &tokio_postgres::Client,
    new: &NewPayment,
) -> anyhow::Result<Option<Begun>> {
    if let Some(record) = by_key(client, new.shopper_id, &new.idempotency_key).await? {
        return Ok(Some(Begun::Existing(record)));
    }
    let open = client
        .query_opt(
            select_payment!("order_id = $1 AND status IN ('creating', 'requested')"),
            &[&new.order_id],
        )
        .await?;
    open.map(|row| Ok(Begun::Busy(record_from_row(&row)?)))
        .transpose()
}

/// The record a shopper's form already made, if it was submitted before.
async fn find_by_idempotency_key(
    db: &Postgres,
    shopper_id: i64,
    idempotency_key: &str,
) -> anyhow::Result<Option<PaymentRecord>> {
    let client = db.client().await?;
    by_key(&client, shopper_id, idempotency_key).await
}

/// The record of the shopper's form `idempotency_key`, on a connection already held.
async fn by_key(
    client: &tokio_postgres::Client,
    shopper_id: i64,
    idempotency_key: &str,
) -> anyhow::Result<Option<PaymentRecord>> {
    let row = client
        .query_opt(
            select_payment!("shopper_id = $1 AND idempotency_key = $2"),
            &[&shopper_id, &idempotency_key],
        )
        .await?;
    row.as_ref().map(record_from_row).transpose()
}

/// The payment whose `referenceId` at Voucherly is `reference`.
async fn find_by_reference(
    db: &Postgres,
    reference: &str,
) -> anyhow::Result<Option<PaymentRecord>> {
    let client = db.client().await?;
    let statement = client
        .prepare_cached(select_payment!("reference = $1"))
        .await?;
    let row = client.query_opt(&statement, &[&reference]).await?;
    row.as_ref().map(record_from_row).transpose()
}

/// The payment status in `column`, which must be one we know.
fn status_from_row(row: &Row, column: &str) -> anyhow::Result<LocalStatus> {
    let text: String = row.try_get(column)?;
    LocalStatus::parse(&text).ok_or_else(|| anyhow::anyhow!("unknown payment status {text:?}"))
}

/// A `select_payment!` row as our record.
fn record_from_row(row: &Row) -> anyhow::Result<PaymentRecord> {
    Ok(PaymentRecord {
        id: row.try_get("id")?,
        reference: row.try_get("reference")?,
        shopper_id: row.try_get("shopper_id")?,
        order_id: row.try_get("order_id")?,
        environment: row.try_get("environment")?,
        amount: row.try_get("amount")?,
        currency: row.try_get("currency")?,
        method_id: row.try_get("method_id")?,
        method_label: row.try_get("method_label")?,
        voucherly_payment_id: row.try_get("voucherly_payment_id")?,
        checkout_url: row.try_get("checkout_url")?,
        status: status_from_row(row, "status")?,
        voucherly_status: row.try_get("voucherly_status")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}
