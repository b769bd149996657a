//! Session state kept in SQLite, so the server decides when a session ends: signing out deletes
//! it, an idle one expires, and a stolen cookie of an ended session opens nothing.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use anyhow::Context;
use rusqlite::{OptionalExtension, params};

use crate::storage::{Database, now};

#[derive(Clone)]
pub struct SqliteSessionStore {
    db: Database,
}

impl SqliteSessionStore {
    pub fn new(db: Database) -> Self {
        Self { db }
    }

    async fn write(
        &self,
        key: String,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> anyhow::Result<SessionKey> {
        let state = serde_json::to_string(&state).context("could not serialise a session")?;
        let expires_at = now() + ttl.whole_seconds();
        let stored = key.clone();
        self.db
            .run(move |conn| {
                conn.execute(
                    "INSERT INTO sessions (key, state, expires_at) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key) DO UPDATE SET state = ?2, expires_at = ?3",
                    params![stored, state, expires_at],
                )?;
                // Sweeping here keeps the table small without a separate job.
                conn.execute("DELETE FROM sessions WHERE expires_at < ?1", [now()])?;
                Ok(())
            })
            .await?;
        SessionKey::try_from(key).map_err(|e| anyhow::anyhow!("invalid session key: {e}"))
    }
}

fn new_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex::encode(bytes))
}

impl SessionStore for SqliteSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let key = key.as_ref().to_owned();
        let state: Option<String> = self
            .db
            .run(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT state FROM sessions WHERE key = ?1 AND expires_at >= ?2",
                        params![key, now()],
                        |row| row.get(0),
                    )
                    .optional()?)
            })
            .await
            .map_err(LoadError::Other)?;
        state
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| LoadError::Deserialization(e.into()))
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let key = new_key().map_err(SaveError::Other)?;
        self.write(key, state, ttl).await.map_err(SaveError::Other)
    }

    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        self.write(key.as_ref().to_owned(), state, ttl)
            .await
            .map_err(UpdateError::Other)
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> anyhow::Result<()> {
        let key = key.as_ref().to_owned();
        let expires_at = now() + ttl.whole_seconds();
        self.db
            .run(move |conn| {
                conn.execute(
                    "UPDATE sessions SET expires_at = ?2 WHERE key = ?1",
                    params![key, expires_at],
                )?;
                Ok(())
            })
            .await
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let key = key.as_ref().to_owned();
        self.db
            .run(move |conn| {
                conn.execute("DELETE FROM sessions WHERE key = ?1", [key])?;
                Ok(())
            })
            .await
    }
}
