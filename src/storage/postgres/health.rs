//! Readiness, backlogs and housekeeping: whether the database takes writes and has the schema
//! this program knows, how much work is waiting (for the metrics), and the periodic upkeep,
//! which PostgreSQL does by itself (autovacuum), so there is none here.

use anyhow::Context;
use async_trait::async_trait;

use super::{Postgres, migrations, now};
use crate::storage::{Backlogs, HealthStore};

#[async_trait]
impl HealthStore for Postgres {
    async fn check_ready(&self) -> anyhow::Result<()> {
        let client = self.client().await?;
        migrations::check_current(&client).await?;
        let probe = client
            .prepare_cached(
                "INSERT INTO app_settings (name, value) VALUES ('ready_probe', $1)
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            )
            .await?;
        client
            .execute(&probe, &[&now().to_string()])
            .await
            .context("the database cannot be written")?;
        Ok(())
    }

    async fn backlogs(&self, now: i64) -> anyhow::Result<Backlogs> {
        let client = self.client().await?;
        let count = client
            .prepare_cached(
                "SELECT
                   (SELECT COUNT(*) FROM callback_inbox WHERE done_at IS NULL),
                   (SELECT COUNT(*) FROM payments
                     WHERE status IN ('creating', 'requested', 'authorised')),
                   (SELECT COUNT(*) FROM payments
                     WHERE status IN ('creating', 'requested', 'authorised')
                       AND next_check_at <= $1),
                   (SELECT COUNT(*) FROM outbox_events WHERE delivered_at IS NULL)",
            )
            .await?;
        let row = client.query_one(&count, &[&now]).await?;
        Ok(Backlogs {
            callback_inbox: row.get(0),
            unsettled_payments: row.get(1),
            payments_due: row.get(2),
            outbox: row.get(3),
        })
    }

    /// Nothing to do: SQLite's housekeeping copies its write-ahead log back into the file, which
    /// PostgreSQL's checkpointer does by itself, as autovacuum reclaims deleted rows; neither
    /// engine prunes rows here (the app's sweeps do).
    async fn housekeep(&self) -> anyhow::Result<bool> {
        Ok(true)
    }
}
