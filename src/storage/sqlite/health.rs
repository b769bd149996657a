//! Readiness, backlogs and housekeeping: whether the file can be written with the schema this
//! program knows, how much work is waiting (for the metrics), and the periodic checkpoint.

use anyhow::Context;
use async_trait::async_trait;

use super::{Database, maintenance, migrations, now};
use crate::storage::{Backlogs, HealthStore};

#[async_trait]
impl HealthStore for Database {
    async fn check_ready(&self) -> anyhow::Result<()> {
        self.run(|conn| {
            migrations::check_current(conn)?;
            conn.prepare_cached(
                "INSERT INTO app_settings (name, value) VALUES ('ready_probe', ?1)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )?
            .execute([now().to_string()])
            .context("the database cannot be written")?;
            Ok(())
        })
        .await
    }

    async fn backlogs(&self, now: i64) -> anyhow::Result<Backlogs> {
        self.run(move |conn| {
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
                     WHERE status IN ('creating', 'requested', 'authorised')
                       AND next_check_at <= ?1",
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

    async fn housekeep(&self) -> anyhow::Result<bool> {
        maintenance::checkpoint(self).await
    }
}
