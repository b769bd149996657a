//! The `sessions` table (see the SQLite engine's): one row per session key, its state
//! (actix-session's map, as JSON text) and its idle deadline. A read deletes an ended session at
//! once, and an update is one conditional `UPDATE` that touches only a live row, so a request
//! still in flight on any instance when the shopper signs out, or when a sign-in renews the key,
//! cannot write the old key back.

use async_trait::async_trait;

use super::Postgres;
use crate::storage::{SessionFound, SessionRead, SessionStore};

#[async_trait]
impl SessionStore for Postgres {
    async fn read_session(&self, key: String, read: SessionRead) -> anyhow::Result<SessionFound> {
        let client = self.client().await?;
        let select = client
            .prepare_cached("SELECT state, expires_at FROM sessions WHERE key = $1")
            .await?;
        let Some(row) = client.query_opt(&select, &[&key]).await? else {
            return Ok(SessionFound::Missing);
        };
        let state: String = row.get(0);
        let expires_at: i64 = row.get(1);
        if expires_at < read.now || (read.too_old)(&state) {
            let delete = client
                .prepare_cached("DELETE FROM sessions WHERE key = $1")
                .await?;
            client.execute(&delete, &[&key]).await?;
            return Ok(SessionFound::Ended);
        }
        if read.extend_to - expires_at >= read.extend_step {
            let extend = client
                .prepare_cached(
                    "UPDATE sessions SET expires_at = $2 WHERE key = $1 AND expires_at >= $3",
                )
                .await;
            let extended = match extend {
                Ok(extend) => client
                    .execute(&extend, &[&key, &read.extend_to, &read.now])
                    .await
                    .map(drop),
                Err(error) => Err(error),
            };
            match extended {
                Ok(()) => {
                    return Ok(SessionFound::Alive {
                        state,
                        expires_at: read.extend_to,
                    });
                }
                Err(error) => tracing::warn!(%error, "could not extend a session's idle deadline"),
            }
        }
        Ok(SessionFound::Alive { state, expires_at })
    }

    async fn insert_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
    ) -> anyhow::Result<()> {
        let client = self.client().await?;
        let insert = client
            .prepare_cached("INSERT INTO sessions (key, state, expires_at) VALUES ($1, $2, $3)")
            .await?;
        client
            .execute(&insert, &[&key, &state, &expires_at])
            .await?;
        Ok(())
    }

    async fn update_live_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        let client = self.client().await?;
        let update = client
            .prepare_cached(
                "UPDATE sessions SET state = $2, expires_at = $3
                  WHERE key = $1 AND expires_at >= $4",
            )
            .await?;
        let updated = client
            .execute(&update, &[&key, &state, &expires_at, &now])
            .await?;
        Ok(updated > 0)
    }

    async fn extend_session(&self, key: String, expires_at: i64, now: i64) -> anyhow::Result<bool> {
        let client = self.client().await?;
        let extend = client
            .prepare_cached(
                "UPDATE sessions SET expires_at = GREATEST(expires_at, $2)
                  WHERE key = $1 AND expires_at >= $3",
            )
            .await?;
        let extended = client.execute(&extend, &[&key, &expires_at, &now]).await?;
        Ok(extended > 0)
    }

    async fn delete_session(&self, key: String) -> anyhow::Result<()> {
        let client = self.client().await?;
        let delete = client
            .prepare_cached("DELETE FROM sessions WHERE key = $1")
            .await?;
        client.execute(&delete, &[&key]).await?;
        Ok(())
    }

    /// Deletes the idle sessions and the signed-in ones whose sign-in (`signed_in_at`, a number
    /// in the state; none or not a number counts as long ago) is more than `max_age` old.
    async fn sweep_sessions(&self, now: i64, max_age: i64) -> anyhow::Result<usize> {
        let client = self.client().await?;
        let sweep = client
            .prepare_cached(
                "DELETE FROM sessions
                  WHERE expires_at < $1
                     OR (state::jsonb ->> 'shopper_id' IS NOT NULL
                         AND CASE WHEN state::jsonb ->> 'signed_in_at' ~ '^-?[0-9]{1,18}$'
                                  THEN (state::jsonb ->> 'signed_in_at')::bigint
                                  ELSE 0 END < $2)",
            )
            .await?;
        let swept = client
            .execute(&sweep, &[&now, &now.saturating_sub(max_age)])
            .await?;
        Ok(usize::try_from(swept)?)
    }
}
