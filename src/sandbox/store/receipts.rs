//! When a payment's receipts were issued, as far as the sandbox can tell: a sale receipt when
//! the payment was made, a refund receipt when it last changed (its refund).

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension};

/// The payment's creation and last change (Unix seconds), `None` when there is no such payment.
pub fn dates(conn: &Connection, payment_id: &str) -> anyhow::Result<Option<(i64, i64)>> {
    conn.query_row(
        "SELECT created_at, updated_at FROM sandbox_payments WHERE id = ?1",
        [payment_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
    .context("could not read a sandbox payment's dates")
}
