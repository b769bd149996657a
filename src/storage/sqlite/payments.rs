//! Our record of each attempt to pay an order, on the side that creates it: written before
//! Voucherly is called, then marked created or failed. One row per form submission, however many
//! times the form is sent (`UNIQUE (shopper_id, idempotency_key)`).

mod amounts;
mod apply;
mod capture;
mod created;
mod history;
mod inbox;
mod open;
mod refunds;
mod schedule;
mod summary;

use rusqlite::{OptionalExtension, Row, TransactionBehavior, params};

mod store;

pub(super) use history::{history, history_on};
pub(super) use open::open_checkouts_on;

use super::{Database, now};
use crate::domain::LocalStatus;
use crate::domain::order::OrderStatus;
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

/// Writes the record of a new payment in `creating`, or finds the one this form already made,
/// or the order's payment that is still open. A record left `creating` for `creating_timeout`
/// seconds never heard Voucherly's answer (the call's own timeout is shorter): it is marked
/// failed so the order can be paid; a late word from Voucherly about it is still applied.
#[tracing::instrument(skip_all, fields(shopper_id = new.shopper_id, order_id = new.order_id))]
async fn begin(db: &Database, new: NewPayment, creating_timeout: i64) -> anyhow::Result<Begun> {
    let reference = uuid::Uuid::new_v4().to_string();
    db.run(move |conn| {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Read in the IMMEDIATE transaction: a cancellation comes wholly before or after.
        let order: Option<String> = tx
            .query_row(
                "SELECT status FROM orders WHERE id = ?1",
                [new.order_id],
                |row| row.get(0),
            )
            .optional()?;
        if order.as_deref() == Some(OrderStatus::Cancelled.as_str()) {
            return Ok(Begun::NotPayable);
        }
        tx.execute(
            "UPDATE payments SET status = ?2, updated_at = ?3,
                 error = COALESCE(error, 'unknown outcome: Voucherly''s answer never stored')
             WHERE order_id = ?1 AND status = ?4 AND voucherly_payment_id IS NULL
               AND created_at <= ?3 - ?5",
            params![
                new.order_id,
                LocalStatus::CreateFailed.as_str(),
                now(),
                LocalStatus::Creating.as_str(),
                creating_timeout
            ],
        )?;
        let inserted = tx.execute(
            "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key, environment,
                 amount, method_id, method_label, status, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)
             ON CONFLICT (shopper_id, idempotency_key) DO NOTHING",
            params![
                reference,
                new.shopper_id,
                new.order_id,
                new.idempotency_key,
                new.environment,
                new.amount,
                new.method_id,
                new.method_label,
                LocalStatus::Creating.as_str(),
                now()
            ],
        );
        let inserted = match inserted {
            Ok(inserted) => inserted,
            Err(error) if is_unique_violation(&error) => {
                let open = tx.query_row(
                    select_payment!("order_id = ?1 AND status IN ('creating', 'requested')"),
                    [new.order_id],
                    record_from_row,
                )?;
                tx.commit()?;
                return Ok(Begun::Busy(open));
            }
            Err(error) => return Err(error.into()),
        };
        let record = tx.query_row(
            select_payment!("shopper_id = ?1 AND idempotency_key = ?2"),
            params![new.shopper_id, new.idempotency_key],
            record_from_row,
        )?;
        tx.commit()?;
        Ok(if inserted == 1 {
            Begun::New(record)
        } else {
            Begun::Existing(record)
        })
    })
    .await
}

/// The record a shopper's form already made, if it was submitted before.
async fn find_by_idempotency_key(
    db: &Database,
    shopper_id: i64,
    idempotency_key: &str,
) -> anyhow::Result<Option<PaymentRecord>> {
    let key = idempotency_key.to_owned();
    db.run(move |conn| {
        Ok(conn
            .query_row(
                select_payment!("shopper_id = ?1 AND idempotency_key = ?2"),
                params![shopper_id, key],
                record_from_row,
            )
            .optional()?)
    })
    .await
}

async fn find_by_reference(
    db: &Database,
    reference: &str,
) -> anyhow::Result<Option<PaymentRecord>> {
    let reference = reference.to_owned();
    db.run(move |conn| {
        Ok(conn
            .query_row(
                select_payment!("reference = ?1"),
                [reference],
                record_from_row,
            )
            .optional()?)
    })
    .await
}

fn is_unique_violation(error: &rusqlite::Error) -> bool {
    matches!(
        error,
        rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    )
}

pub(crate) fn status_from_row(row: &Row<'_>, column: &str) -> rusqlite::Result<LocalStatus> {
    let text: String = row.get(column)?;
    LocalStatus::parse(&text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("unknown payment status {text:?}").into(),
        )
    })
}

fn record_from_row(row: &Row<'_>) -> rusqlite::Result<PaymentRecord> {
    Ok(PaymentRecord {
        id: row.get("id")?,
        reference: row.get("reference")?,
        shopper_id: row.get("shopper_id")?,
        order_id: row.get("order_id")?,
        environment: row.get("environment")?,
        amount: row.get("amount")?,
        currency: row.get("currency")?,
        method_id: row.get("method_id")?,
        method_label: row.get("method_label")?,
        voucherly_payment_id: row.get("voucherly_payment_id")?,
        checkout_url: row.get("checkout_url")?,
        status: status_from_row(row, "status")?,
        voucherly_status: row.get("voucherly_status")?,
        created_at: row.get("created_at")?,
        updated_at: row.get("updated_at")?,
    })
}
