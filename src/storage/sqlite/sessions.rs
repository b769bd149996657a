//! The `sessions` table: one row per session key, its state (actix-session's map, as JSON text)
//! and its idle deadline. When a session has ended is decided in `session::store`; here a read
//! deletes an ended session at once, and an update touches only a live row, so a request still
//! in flight when the shopper signs out, or when a sign-in renews the key, cannot write the old
//! key back.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Database, now};

/// What a read found.
pub enum Found {
    /// The session's state, as JSON text.
    Alive(String),
    /// It had ended: it is deleted now.
    Ended,
    Missing,
}

/// Moving an alive session's idle deadline forward on a read.
#[derive(Debug, Clone, Copy)]
pub struct Extend {
    /// The new idle deadline.
    pub to: i64,
    /// Only when the stored deadline is at least this much behind `to`, so a busy session is
    /// not written at every request.
    pub step: i64,
}

/// The session kept under `key`, as of `now`. It has ended when its idle deadline is past or
/// when `too_old(state)` says so (then it is deleted); an alive one is extended by `extend`,
/// best effort: with the database busy the session is still alive, only not extended.
pub async fn read(
    db: &Database,
    key: String,
    now: i64,
    too_old: impl FnOnce(&str) -> bool + Send + 'static,
    extend: Extend,
) -> anyhow::Result<Found> {
    db.run(move |conn| read_on(conn, &key, now, too_old, extend))
        .await
}

fn read_on(
    conn: &Connection,
    key: &str,
    now: i64,
    too_old: impl FnOnce(&str) -> bool,
    extend: Extend,
) -> anyhow::Result<Found> {
    let row: Option<(String, i64)> = conn
        .prepare_cached("SELECT state, expires_at FROM sessions WHERE key = ?1")?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((state, expires_at)) = row else {
        return Ok(Found::Missing);
    };
    if expires_at < now || too_old(&state) {
        conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
            .execute([key])?;
        return Ok(Found::Ended);
    }
    if extend.to - expires_at >= extend.step {
        let touched = conn
            .prepare_cached(
                "UPDATE sessions SET expires_at = ?2 WHERE key = ?1 AND expires_at >= ?3",
            )
            .and_then(|mut update| update.execute(params![key, extend.to, now]));
        if let Err(error) = touched {
            tracing::warn!(%error, "could not extend a session's idle deadline");
        }
    }
    Ok(Found::Alive(state))
}

/// Keeps a new session under `key`.
pub async fn insert(
    db: &Database,
    key: String,
    state: String,
    expires_at: i64,
) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.prepare_cached("INSERT INTO sessions (key, state, expires_at) VALUES (?1, ?2, ?3)")?
            .execute(params![key, state, expires_at])?;
        Ok(())
    })
    .await
}

/// Writes `state` and a new idle deadline over the session under `key` if it is still alive at
/// `now`; `false` when it had ended (nothing is written).
pub async fn update_alive(
    db: &Database,
    key: String,
    state: String,
    expires_at: i64,
    now: i64,
) -> anyhow::Result<bool> {
    db.run(move |conn| {
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

pub async fn delete(db: &Database, key: String) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
            .execute([key])?;
        Ok(())
    })
    .await
}

/// Deletes every ended session (idle, or signed in more than `max_age` seconds ago) and the old
/// rate-limit counters; returns how many rows went.
pub async fn sweep_with_counters(db: &Database, max_age: i64) -> anyhow::Result<usize> {
    db.run(move |conn| Ok(sweep(conn, max_age)? + super::rate_limits::sweep(conn)?))
        .await
}

/// Deletes every ended session; returns how many. Reads treat them as gone already, this only
/// keeps the table small.
fn sweep(conn: &Connection, max_age: i64) -> anyhow::Result<usize> {
    let now = now();
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
        assert_eq!(sweep(&conn, 100).unwrap(), 2);
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
