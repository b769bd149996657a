//! How much work is waiting, for the metrics: callbacks not yet applied, payments the reconciler
//! still has to settle, events not yet delivered to the store.

use super::{Database, now};

pub struct Backlogs {
    /// Callbacks received but not yet read back and applied.
    pub callback_inbox: i64,
    /// Payments not settled yet, which the reconciler keeps re-reading.
    pub unsettled_payments: i64,
    /// Of those, the ones due for a re-read now.
    pub payments_due: i64,
    /// Store events not delivered yet.
    pub outbox: i64,
}

pub async fn read(db: &Database) -> anyhow::Result<Backlogs> {
    let now = now();
    db.run(move |conn| {
        let count = |sql: &str, params: &[&dyn rusqlite::ToSql]| -> rusqlite::Result<i64> {
            conn.query_row(sql, params, |row| row.get(0))
        };
        Ok(Backlogs {
            callback_inbox: count(
                "SELECT COUNT(*) FROM callback_inbox WHERE done_at IS NULL",
                &[],
            )?,
            unsettled_payments: count(
                "SELECT COUNT(*) FROM payments
                 WHERE status IN ('creating', 'requested', 'authorised')",
                &[],
            )?,
            payments_due: count(
                "SELECT COUNT(*) FROM payments
                 WHERE status IN ('creating', 'requested', 'authorised') AND next_check_at <= ?1",
                &[&now],
            )?,
            outbox: count(
                "SELECT COUNT(*) FROM outbox_events WHERE delivered_at IS NULL",
                &[],
            )?,
        })
    })
    .await
}
