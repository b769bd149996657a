//! "Add a card or meal voucher" checkouts (`method_setups`): written before Voucherly is called,
//! one per form (a resubmitted form finds the first), with the methods saved before. Their
//! part of [`crate::storage::MethodStore`].

use rusqlite::{OptionalExtension, params};

use super::{Database, now};
use crate::storage::{MethodSetup, SetupBegun as Begun, SetupCheckout};

pub(super) async fn begin(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    idempotency_key: String,
    known_methods: Vec<String>,
) -> anyhow::Result<Begun> {
    let reference = uuid::Uuid::new_v4().to_string();
    db.run(move |conn| {
        let known = serde_json::to_string(&known_methods)?;
        let added = conn.execute(
            "INSERT INTO method_setups (reference, shopper_id, environment, idempotency_key,
                 known_methods, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (shopper_id, idempotency_key) DO NOTHING",
            params![
                reference,
                shopper_id,
                environment,
                idempotency_key,
                known,
                now()
            ],
        )?;
        let found = conn.query_row(
            "SELECT reference FROM method_setups WHERE shopper_id = ?1 AND idempotency_key = ?2",
            params![shopper_id, idempotency_key],
            |row| row.get::<_, String>(0),
        )?;
        let setup = find_on(conn, &found)?.ok_or_else(|| anyhow::anyhow!("setup vanished"))?;
        Ok(if added == 1 {
            Begun::New(setup)
        } else {
            Begun::Existing(setup)
        })
    })
    .await
}

fn find_on(conn: &rusqlite::Connection, reference: &str) -> anyhow::Result<Option<MethodSetup>> {
    let row = conn
        .query_row(
            "SELECT reference, shopper_id, known_methods, checkout_url, failure
             FROM method_setups WHERE reference = ?1",
            [reference],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                    row.get::<_, Option<String>>(4)?,
                ))
            },
        )
        .optional()?;
    row.map(|(reference, shopper_id, known, checkout_url, failure)| {
        Ok(MethodSetup {
            reference,
            shopper_id,
            known_methods: serde_json::from_str(&known)?,
            checkout_url,
            failure,
        })
    })
    .transpose()
}

pub(super) async fn find(db: &Database, reference: &str) -> anyhow::Result<Option<MethodSetup>> {
    let reference = reference.to_owned();
    db.run(move |conn| find_on(conn, &reference)).await
}

pub(super) async fn record_answer(
    db: &Database,
    reference: &str,
    answer: Result<SetupCheckout, String>,
) -> anyhow::Result<()> {
    let reference = reference.to_owned();
    db.run(move |conn| {
        let (payment, url, failure) = match answer {
            Ok(checkout) => (
                Some(checkout.voucherly_payment_id),
                Some(checkout.checkout_url),
                None,
            ),
            Err(failure) => (None, None, Some(failure)),
        };
        conn.execute(
            "UPDATE method_setups SET voucherly_payment_id = ?2, checkout_url = ?3, failure = ?4
             WHERE reference = ?1",
            params![reference, payment, url, failure],
        )?;
        Ok(())
    })
    .await
}
