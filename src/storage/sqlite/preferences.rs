//! What the app keeps about a shopper's saved methods beyond Voucherly's list: the preferred one,
//! and when each last paid an order here; with the method set-ups of [`super::method_setups`],
//! the SQLite side of [`MethodStore`].

use std::collections::HashMap;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Database, method_setups, now};
use crate::storage::{MethodSetup, MethodStore, SetupBegun, SetupCheckout};

#[async_trait]
impl MethodStore for Database {
    async fn preferred_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        self.run(move |conn| preferred_on(conn, shopper_id, environment))
            .await
    }

    async fn prefer_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
        method_id: String,
    ) -> anyhow::Result<()> {
        self.run(move |conn| prefer_on(conn, shopper_id, environment, &method_id))
            .await
    }

    async fn method_removed(
        &self,
        shopper_id: i64,
        environment: &'static str,
        removed: String,
        instead: Option<String>,
    ) -> anyhow::Result<()> {
        self.run(move |conn| {
            let tx = conn.transaction()?;
            tx.execute(
                "DELETE FROM preferred_methods
                 WHERE shopper_id = ?1 AND environment = ?2 AND method_id = ?3",
                params![shopper_id, environment, removed],
            )?;
            if let Some(instead) = instead {
                prefer_on(&tx, shopper_id, environment, &instead)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn begin_method_setup(
        &self,
        shopper_id: i64,
        environment: &'static str,
        idempotency_key: String,
        known_methods: Vec<String>,
    ) -> anyhow::Result<SetupBegun> {
        method_setups::begin(
            self,
            shopper_id,
            environment,
            idempotency_key,
            known_methods,
        )
        .await
    }

    async fn method_setup(&self, reference: &str) -> anyhow::Result<Option<MethodSetup>> {
        method_setups::find(self, reference).await
    }

    async fn record_setup_answer(
        &self,
        reference: &str,
        answer: Result<SetupCheckout, String>,
    ) -> anyhow::Result<()> {
        method_setups::record_answer(self, reference, answer).await
    }
}

/// The preferred method on a connection already held, to read it with the rest of a page.
pub(super) fn preferred_on(
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

fn prefer_on(
    conn: &Connection,
    shopper_id: i64,
    environment: &str,
    method_id: &str,
) -> anyhow::Result<()> {
    conn.execute(
        "INSERT INTO preferred_methods (shopper_id, environment, method_id, updated_at)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (shopper_id, environment)
         DO UPDATE SET method_id = excluded.method_id, updated_at = excluded.updated_at",
        params![shopper_id, environment, method_id, now()],
    )?;
    Ok(())
}

/// Saved method id → when (Unix seconds) the latest payment with it that was paid began, for the
/// shopper's payments in `environment`.
pub(super) fn last_used_on(
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
