//! The `sessions` table: one row per session key, its state (actix-session's map, as JSON text)
//! and its idle deadline. When a session has ended is decided by the caller; here a read
//! deletes an ended session at once, and an update touches only a live row, so a request still
//! in flight when the shopper signs out, or when a sign-in renews the key, cannot write the old
//! key back.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::Database;
use crate::storage::{SessionFound, SessionRead, SessionStore};

#[async_trait]
impl SessionStore for Database {
    async fn read_session(&self, key: String, read: SessionRead) -> anyhow::Result<SessionFound> {
        self.run(move |conn| read_on(conn, &key, read)).await
    }

    async fn insert_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
    ) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.prepare_cached(
                "INSERT INTO sessions (key, state, expires_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![key, state, expires_at])?;
            Ok(())
        })
        .await
    }

    async fn update_live_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
        now: i64,
    ) -> anyhow::Result<bool> {
        self.run(move |conn| {
            Ok(conn
                .prepare_cached(
                    "UPDATE sessions SET state = ?2, expires_at = ?3
                      WHERE key = ?1 AND expires_at >= ?4",
                )?
                .execute(params![key, state, expires_at, now])?
                > 0)
        })
        .await
    }

    async fn extend_session(&self, key: String, expires_at: i64, now: i64) -> anyhow::Result<bool> {
        self.run(move |conn| {
            Ok(conn
                .prepare_cached(
                    "UPDATE sessions SET expires_at = max(expires_at, ?2)
                      WHERE key = ?1 AND expires_at >= ?3",
                )?
                .execute(params![key, expires_at, now])?
                > 0)
        })
        .await
    }

    async fn delete_session(&self, key: String) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
                .execute([key])?;
            Ok(())
        })
        .await
    }

    async fn sweep_sessions(&self, now: i64, max_age: i64) -> anyhow::Result<usize> {
        self.run(move |conn| sweep(conn, now, max_age)).await
    }
}

fn read_on(conn: &Connection, key: &str, read: SessionRead) -> anyhow::Result<SessionFound> {
    let row: Option<(String, i64)> = conn
        .prepare_cached("SELECT state, expires_at FROM sessions WHERE key = ?1")?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((state, expires_at)) = row else {
        return Ok(SessionFound::Missing);
    };
    if expires_at < read.now || (read.too_old)(&state) {
        conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
            .execute([key])?;
        return Ok(SessionFound::Ended);
    }
    let mut now_expires = expires_at;
    if read.extend_to - expires_at >= read.extend_step {
        let touched = conn
            .prepare_cached(
                "UPDATE sessions SET expires_at = ?2 WHERE key = ?1 AND expires_at >= ?3",
            )
            .and_then(|mut update| update.execute(params![key, read.extend_to, read.now]));
        match touched {
            Ok(_) => now_expires = read.extend_to,
            Err(error) => tracing::warn!(%error, "could not extend a session's idle deadline"),
        }
    }
    Ok(SessionFound::Alive {
        state,
        expires_at: now_expires,
    })
}

/// Deletes every ended session; returns how many. Reads treat them as gone already, this only
/// keeps the table small.
fn sweep(conn: &Connection, now: i64, max_age: i64) -> anyhow::Result<usize> {
    let idle = conn
        .prepare_cached("DELETE FROM sessions WHERE expires_at < ?1")?
        .execute([now])?;
    let too_old = conn
        .prepare_cached(
            "DELETE FROM sessions WHERE json_extract(state, '$.shopper_id') IS NOT NULL
               AND coalesce(CAST(json_extract(state, '$.signed_in_at') AS INTEGER), 0) < ?1",
        )?
        .execute([now - max_age])?;
    Ok(idle + too_old)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::sqlite::now;

    #[test]
    fn sweeping_deletes_idle_and_too_old_sessions_only() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(&dir.path().join("sweep.db")).unwrap();
        let conn = Connection::open(db.path()).unwrap();
        let now = now();
        let signed_in = |at: i64| format!(r#"{{"shopper_id":"1","signed_in_at":"{at}"}}"#);
        for (key, state, expires_at) in [
            ("visitor", r#"{"lang":"\"en\""}"#.to_owned(), now + 60),
            ("idle", r#"{"lang":"\"en\""}"#.to_owned(), now - 1),
            ("fresh", signed_in(now - 50), now + 60),
            ("too old", signed_in(now - 200), now + 60),
        ] {
            conn.execute(
                "INSERT INTO sessions (key, state, expires_at) VALUES (?1, ?2, ?3)",
                params![key, state, expires_at],
            )
            .unwrap();
        }
        assert_eq!(sweep(&conn, now, 100).unwrap(), 2);
        let left: Vec<String> = conn
            .prepare("SELECT key FROM sessions ORDER BY key")
            .unwrap()
            .query_map([], |row| row.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(left, ["fresh", "visitor"]);
    }
}
