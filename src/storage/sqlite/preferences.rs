//! What the app keeps about a shopper's saved methods beyond Voucherly's list: the preferred one,
//! and when each last paid an order here.

use std::collections::HashMap;

use rusqlite::{Connection, OptionalExtension, params};

use super::{Database, now};

/// The id of the shopper's preferred method in `environment`, if they chose one.
pub async fn preferred(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
) -> anyhow::Result<Option<String>> {
    db.run(move |conn| preferred_on(conn, shopper_id, environment))
        .await
}

/// [`preferred`] on a connection already held, to read it with the rest of a page.
pub fn preferred_on(
    conn: &Connection,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    Ok(conn
        .prepare_cached(
            "SELECT method_id FROM preferred_methods
             WHERE shopper_id = ?1 AND environment = ?2",
        )?
        .query_row(params![shopper_id, environment], |row| row.get(0))
        .optional()?)
}

/// Makes `method_id` the shopper's preferred method in `environment`, replacing any other.
pub async fn prefer(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    method_id: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "INSERT INTO preferred_methods (shopper_id, environment, method_id, updated_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (shopper_id, environment)
             DO UPDATE SET method_id = excluded.method_id, updated_at = excluded.updated_at",
            params![shopper_id, environment, method_id, now()],
        )?;
        Ok(())
    })
    .await
}

/// Forgets the preference if it is `method_id` (a removed method is preferred no more).
pub async fn forget(
    db: &Database,
    shopper_id: i64,
    environment: &'static str,
    method_id: String,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "DELETE FROM preferred_methods
             WHERE shopper_id = ?1 AND environment = ?2 AND method_id = ?3",
            params![shopper_id, environment, method_id],
        )?;
        Ok(())
    })
    .await
}

/// Saved method id → when (Unix seconds) the latest payment with it that was paid began, for the
/// shopper's payments in `environment`.
pub fn last_used_on(
    conn: &Connection,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<HashMap<String, i64>> {
    let mut statement = conn.prepare_cached(
        "SELECT method_id, MAX(created_at) FROM payments
         WHERE shopper_id = ?1 AND environment = ?2 AND method_id IS NOT NULL
           AND status IN ('paid', 'refunded')
         GROUP BY method_id",
    )?;
    let rows = statement
        .query_map(params![shopper_id, environment], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}
