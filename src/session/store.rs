//! Session state kept in SQLite, so the server decides when a session ends: signing out deletes
//! it, an idle or too old one is gone at the next read, and a stolen cookie of an ended session
//! opens nothing. Nothing here is kept in memory: every instance sharing the database agrees on
//! which sessions are alive.
//!
//! Cheap on the common path: a read is one lookup by primary key on a cached statement, and a
//! request that changes nothing writes only when the idle deadline needs moving (at most once a
//! minute per session, more often for an idle timeout under ten minutes). A write never brings back a session that ended meanwhile: an update
//! touches only a live row, so a request still in flight when the shopper signs out, or when a
//! sign-in renews the key, cannot write the old key back.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, params};

use crate::storage::fault::{self, Fault};
use crate::storage::{Database, now};

/// The idle deadline is moved forward only when it is this much behind a fresh one: at most a
/// minute, and a tenth of a short idle timeout, so that any activity well within the timeout
/// extends it (a 1-minute timeout with a 60 s step would sign out a shopper active every 35 s).
fn touch_every(idle: i64) -> i64 {
    (idle / 10).clamp(1, 60)
}

/// The session key under which the sign-in time is kept (see `ShopperSession::sign_in`).
const SIGNED_IN_AT: &str = "signed_in_at";
const SHOPPER_ID: &str = "shopper_id";
/// Keys of the state standing for a session that could not be read.
pub const UNREADABLE: &str = "__unreadable";
pub const UNREADABLE_FAULT: &str = "__unreadable_fault";

/// How long sessions live.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Seconds a session may go unused.
    pub idle: i64,
    /// Seconds after signing in when a session ends, however busy.
    pub max_age: i64,
}

#[derive(Clone)]
pub struct SqliteSessionStore {
    db: Database,
    lifetimes: Lifetimes,
}

impl SqliteSessionStore {
    pub fn new(db: Database, lifetimes: Lifetimes) -> Self {
        Self { db, lifetimes }
    }
}

/// Deletes every ended session; returns how many. Reads treat them as gone already, this only
/// keeps the table small.
pub fn sweep(conn: &Connection, max_age: i64) -> anyhow::Result<usize> {
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

fn new_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(hex::encode(bytes))
}

/// The state standing for a session that could not be read: it carries the cause, so the
/// request can be answered with an error page that logs it (see `ShopperSession::unreadable`).
fn unreadable(error: &anyhow::Error) -> HashMap<String, String> {
    let fault = match fault::of(error) {
        Some(Fault::Busy) => "busy",
        Some(Fault::NotWritable) => "not_writable",
        None => "unexpected",
    };
    HashMap::from([
        (
            UNREADABLE.to_owned(),
            serde_json::json!(format!("{error:#}")).to_string(),
        ),
        (
            UNREADABLE_FAULT.to_owned(),
            serde_json::json!(fault).to_string(),
        ),
    ])
}

fn decode(text: &str) -> Result<HashMap<String, String>, LoadError> {
    serde_json::from_str(text).map_err(|e| LoadError::Deserialization(e.into()))
}

/// Whether a session that was signed in has passed its maximum age. Values are stored as JSON
/// text (actix-session serialises each one). A signed-in session without a sign-in time
/// predates it being recorded: too old to trust.
fn past_max_age(state: &HashMap<String, String>, max_age: i64, now: i64) -> bool {
    if !state.contains_key(SHOPPER_ID) {
        return false;
    }
    let signed_in_at = state
        .get(SIGNED_IN_AT)
        .and_then(|value| value.parse::<i64>().ok());
    signed_in_at.is_none_or(|at| at.saturating_add(max_age) < now)
}

/// What a read found.
enum Found {
    Alive(String),
    Ended,
    Missing,
}

fn read(conn: &Connection, key: &str, lifetimes: Lifetimes) -> anyhow::Result<Found> {
    let now = now();
    let row: Option<(String, i64)> = conn
        .prepare_cached("SELECT state, expires_at FROM sessions WHERE key = ?1")?
        .query_row([key], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?;
    let Some((state, expires_at)) = row else {
        return Ok(Found::Missing);
    };
    let too_old = serde_json::from_str(&state)
        .map(|parsed: HashMap<String, String>| past_max_age(&parsed, lifetimes.max_age, now))
        .unwrap_or(false);
    if expires_at < now || too_old {
        conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
            .execute([key])?;
        return Ok(Found::Ended);
    }
    let fresh_deadline = now + lifetimes.idle;
    if fresh_deadline - expires_at >= touch_every(lifetimes.idle) {
        // Best effort: with the database busy the session is still alive, only not extended.
        let touched = conn
            .prepare_cached(
                "UPDATE sessions SET expires_at = ?2 WHERE key = ?1 AND expires_at >= ?3",
            )
            .and_then(|mut update| update.execute(params![key, fresh_deadline, now]));
        if let Err(error) = touched {
            tracing::warn!(%error, "could not extend a session's idle deadline");
        }
    }
    Ok(Found::Alive(state))
}

impl SessionStore for SqliteSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let key = key.as_ref().to_owned();
        let lifetimes = self.lifetimes;
        let found = match self.db.run(move |conn| read(conn, &key, lifetimes)).await {
            Ok(found) => found,
            // Answered by `web::faults` with an error page, before any handler runs.
            Err(error) => return Ok(Some(unreadable(&error))),
        };
        match found {
            Found::Alive(state) => decode(&state).map(Some),
            Found::Ended => {
                tracing::info!("a session ended (idle or past its maximum age)");
                Ok(None)
            }
            Found::Missing => Ok(None),
        }
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let key = new_key().map_err(SaveError::Other)?;
        let text = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let expires_at = now() + self.lifetimes.idle;
        let stored = key.clone();
        self.db
            .run(move |conn| {
                conn.prepare_cached(
                    "INSERT INTO sessions (key, state, expires_at) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![stored, text, expires_at])?;
                Ok(())
            })
            .await
            .map_err(SaveError::Other)?;
        SessionKey::try_from(key).map_err(|e| SaveError::Other(anyhow::anyhow!("{e}")))
    }

    /// Writes only over a live session. When the session ended while the request ran (signed
    /// out, renewed, expired), nothing is written and the dead key is handed back: the browser
    /// keeps a cookie that opens nothing.
    async fn update(
        &self,
        key: SessionKey,
        state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        if state.contains_key(UNREADABLE) {
            return Ok(key);
        }
        let text =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let stored = key.as_ref().to_owned();
        let now = now();
        let expires_at = now + self.lifetimes.idle;
        let written = self
            .db
            .run(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "UPDATE sessions SET state = ?2, expires_at = ?3
                          WHERE key = ?1 AND expires_at >= ?4",
                    )?
                    .execute(params![stored, text, expires_at, now])?)
            })
            .await
            .context("could not write a session")
            .map_err(UpdateError::Other)?;
        if written == 0 {
            tracing::info!("a session ended while a request was using it: its changes are dropped");
        }
        Ok(key)
    }

    /// Unused: the idle deadline is moved by `load`, at most once a minute.
    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let key = key.as_ref().to_owned();
        self.db
            .run(move |conn| {
                conn.prepare_cached("DELETE FROM sessions WHERE key = ?1")?
                    .execute([key])?;
                Ok(())
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_idle_deadline_moves_every_tenth_of_a_short_timeout_and_at_least_every_minute() {
        assert_eq!(touch_every(60), 6);
        assert_eq!(touch_every(599), 59);
        assert_eq!(touch_every(600), 60);
        assert_eq!(touch_every(8 * 3600), 60);
        assert_eq!(touch_every(5), 1);
    }

    #[test]
    fn an_anonymous_session_has_no_maximum_age() {
        assert!(!past_max_age(&state(&[("lang", "\"en\"")]), 10, 1_000));
    }

    #[test]
    fn a_signed_in_session_ends_after_its_maximum_age() {
        let signed_in = state(&[("shopper_id", "1"), ("signed_in_at", "100")]);
        assert!(!past_max_age(&signed_in, 10, 110));
        assert!(past_max_age(&signed_in, 10, 111));
    }

    #[test]
    fn a_signed_in_session_without_a_sign_in_time_is_too_old() {
        assert!(past_max_age(&state(&[("shopper_id", "1")]), 10, 0));
    }

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
