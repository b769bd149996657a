//! The payments of an order that Voucherly created and that have not settled yet.

use std::collections::HashMap;

use rusqlite::Connection;

use crate::domain::LocalStatus;
use crate::storage::sqlite::Database;

/// Voucherly ids of the order's payments that may still be open or paid at Voucherly: those
/// `requested`, and those whose outcome is unknown (`create_failed` with an id) that the
/// reconciler still watches; oldest first.
pub(super) async fn unsettled_for_order(
    db: &Database,
    order_id: i64,
) -> anyhow::Result<Vec<String>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "SELECT voucherly_payment_id FROM payments
             WHERE order_id = ?1 AND voucherly_payment_id IS NOT NULL
               AND (status = ?2 OR (status = ?3 AND next_check_at IS NOT NULL))
             ORDER BY id",
        )?;
        let ids = statement
            .query_map(
                rusqlite::params![
                    order_id,
                    LocalStatus::Requested.as_str(),
                    LocalStatus::CreateFailed.as_str()
                ],
                |row| row.get(0),
            )?
            .collect::<Result<Vec<String>, _>>()?;
        Ok(ids)
    })
    .await
}

/// An open payment Voucherly says it does not know: no longer open for us, its outcome
/// unknown (`create_failed`), so the order can be paid again and the reconciler keeps looking.
pub(super) async fn unknown_outcome(
    db: &Database,
    voucherly_payment_id: &str,
) -> anyhow::Result<()> {
    let id = voucherly_payment_id.to_owned();
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET status = ?2, updated_at = ?3,
                 error = COALESCE(error, 'unknown to Voucherly when the order was paid again')
             WHERE voucherly_payment_id = ?1 AND status IN (?4, ?5)",
            rusqlite::params![
                id,
                LocalStatus::CreateFailed.as_str(),
                crate::storage::sqlite::now(),
                LocalStatus::Creating.as_str(),
                LocalStatus::Requested.as_str()
            ],
        )?;
        Ok(())
    })
    .await
}

/// An authorised payment could not be captured now: the reconciler tries again at `at`.
pub(super) async fn retry_capture_at(
    db: &Database,
    voucherly_payment_id: &str,
    at: i64,
) -> anyhow::Result<()> {
    let id = voucherly_payment_id.to_owned();
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET next_check_at = ?2, check_interval = COALESCE(check_interval, 60)
             WHERE voucherly_payment_id = ?1 AND status = ?3",
            rusqlite::params![id, at, LocalStatus::Authorised.as_str()],
        )?;
        Ok(())
    })
    .await
}

/// For each of the shopper's orders with a payment still at Voucherly's checkout, the newest
/// such payment's checkout URL, so the shopper can go back to it. Only web addresses are
/// offered as links, whatever Voucherly sent.
pub(in crate::storage::sqlite) fn open_checkouts_on(
    conn: &Connection,
    shopper_id: i64,
) -> anyhow::Result<HashMap<i64, String>> {
    let mut statement = conn.prepare_cached(
        "SELECT order_id, checkout_url FROM payments
         WHERE shopper_id = ?1 AND status = ?2
           AND (checkout_url LIKE 'https://%' OR checkout_url LIKE 'http://%')
         ORDER BY id",
    )?;
    let open = statement
        .query_map(
            rusqlite::params![shopper_id, LocalStatus::Requested.as_str()],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?
        // Later rows replace earlier ones: the newest payment of each order wins.
        .collect::<Result<_, _>>()?;
    Ok(open)
}
