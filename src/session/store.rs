//! Session state kept in the database, so the server decides when a session ends: signing out deletes
//! it, an idle or too old one is gone at the next read, and a stolen cookie of an ended session
//! opens nothing. Every instance sharing the database agrees on which sessions are alive.
//!
//! Cheap on the common path: a session this instance holds in memory (see `cache`) is answered
//! without a trip to storage, and a request that changes nothing writes only when the idle
//! deadline needs moving (at most once a minute per session, more often for an idle timeout
//! under ten minutes), in the background. A write never brings back a session that ended
//! meanwhile: an update touches only a live row, so a request still in flight when the shopper
//! signs out, or when a sign-in renews the key, cannot write the old key back. A change or an
//! end is applied to this instance's memory at once and announced to the others, and answered
//! only once they have applied it too (see `storage::ChangeFeed::announce_and_wait`).

use std::collections::HashMap;
use std::sync::Arc;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use anyhow::Context;

use super::cache::{CAPACITY, Fill, SessionCache};
use super::lifetimes::{Lifetimes, ends_at, past_max_age, touch_every};
use super::packed;
use crate::domain::Clock;
use crate::storage::fault::{self, Fault};
use crate::storage::{
    Change, ChangeFeed, Fence, SessionFound, SessionRead, SessionStore as Sessions, SessionTag,
};

/// Keys of the state standing for a session that could not be read.
pub const UNREADABLE: &str = "__unreadable";
pub const UNREADABLE_FAULT: &str = "__unreadable_fault";

/// actix-session's store, on the storage interface's sessions, with this instance's cache.
/// One for the whole process (every worker shares it): cheap to clone.
#[derive(Clone)]
pub struct StoredSessions {
    sessions: Arc<dyn Sessions>,
    feed: Arc<dyn ChangeFeed>,
    cache: Arc<SessionCache>,
    clock: Arc<dyn Clock>,
    lifetimes: Lifetimes,
}

impl StoredSessions {
    /// The store, with its cache kept exact by `feed` from now on.
    pub fn new(
        sessions: Arc<dyn Sessions>,
        feed: Arc<dyn ChangeFeed>,
        clock: Arc<dyn Clock>,
        lifetimes: Lifetimes,
    ) -> Self {
        let cache = Arc::new(SessionCache::new(CAPACITY));
        super::feed::spawn(Arc::clone(&feed), Arc::clone(&cache));
        Self {
            sessions,
            feed,
            cache,
            clock,
            lifetimes,
        }
    }

    /// Session loads answered from memory, and those that went to storage, on this instance.
    pub fn lookups(&self) -> (u64, u64) {
        self.cache.counts()
    }

    /// Moves the idle deadline of the session under `key` to `extend_to` in the background:
    /// the request that noticed it does not wait.
    fn extend_later(&self, key: String, tag: SessionTag, extend_to: i64, now: i64) {
        let sessions = Arc::clone(&self.sessions);
        let cache = Arc::clone(&self.cache);
        tokio::spawn(async move {
            match sessions.extend_session(key, extend_to, now).await {
                Ok(true) => cache.extended(&tag, Some(extend_to)),
                // It ended meanwhile: the next load asks storage.
                Ok(false) => cache.forget(&tag),
                Err(error) => {
                    cache.extended(&tag, None);
                    tracing::warn!(%error, "could not extend a session's idle deadline");
                }
            }
        });
    }

    /// Tells the other instances that the session under `tag` changed or ended, and waits until
    /// they have forgotten it.
    async fn announce(&self, tag: SessionTag) -> anyhow::Result<()> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
        let fence = Fence {
            id: u64::from_le_bytes(bytes),
            from: self.feed.instance(),
        };
        self.feed
            .announce_and_wait(Change::Session { tag, fence })
            .await
            .context("could not tell the other instances of a session change")
    }

    /// Keeps `state` in memory if nothing was forgotten since `ticket`; says whether it did.
    fn fill(
        &self,
        ticket: super::cache::Ticket,
        tag: SessionTag,
        state: &HashMap<String, String>,
        expires_at: i64,
    ) -> bool {
        let Some(packed) = packed::pack(state) else {
            return false;
        };
        let fill = Fill {
            state: &packed,
            expires_at,
            ends_at: ends_at(state, self.lifetimes.max_age),
            now: self.clock.now(),
        };
        self.cache.fill(ticket, tag, fill)
    }
}

fn new_key() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    Ok(super::hex(&bytes))
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

impl SessionStore for StoredSessions {
    async fn load(&self, key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let key = key.as_ref().to_owned();
        let tag = SessionTag::of(&key);
        let lifetimes = self.lifetimes;
        let now = self.clock.now();
        let extend = (now + lifetimes.idle, touch_every(lifetimes.idle));
        let epoch = self.feed.listening();
        if let Some(hit) = self.cache.get(&tag, now, epoch, extend) {
            if hit.extend {
                self.extend_later(key, tag, extend.0, now);
            }
            return Ok(Some(packed::unpack(&hit.state)));
        }
        let ticket = self.cache.ticket(epoch);
        let too_old = move |state: &str| {
            serde_json::from_str(state)
                .map(|parsed: HashMap<String, String>| {
                    past_max_age(&parsed, lifetimes.max_age, now)
                })
                .unwrap_or(false)
        };
        let read = SessionRead {
            now,
            too_old: Box::new(too_old),
            extend_to: now + lifetimes.idle,
            extend_step: touch_every(lifetimes.idle),
        };
        let found = match self.sessions.read_session(key, read).await {
            Ok(found) => found,
            // Answered by `web::faults` with an error page, before any handler runs.
            Err(error) => return Ok(Some(unreadable(&error))),
        };
        match found {
            SessionFound::Alive { state, expires_at } => {
                let state = decode(&state)?;
                self.fill(ticket, tag, &state, expires_at);
                Ok(Some(state))
            }
            SessionFound::Ended => {
                self.cache.forget(&tag);
                tracing::info!("a session ended (idle or past its maximum age)");
                Ok(None)
            }
            SessionFound::Missing => {
                self.cache.forget(&tag);
                Ok(None)
            }
        }
    }

    async fn save(
        &self,
        state: HashMap<String, String>,
        _ttl: &Duration,
    ) -> Result<SessionKey, SaveError> {
        let key = new_key().map_err(SaveError::Other)?;
        let text = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let expires_at = self.clock.now() + self.lifetimes.idle;
        let ticket = self.cache.ticket(self.feed.listening());
        self.sessions
            .insert_session(key.clone(), text, expires_at)
            .await
            .map_err(SaveError::Other)?;
        self.fill(ticket, SessionTag::of(&key), &state, expires_at);
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
        let tag = SessionTag::of(&stored);
        let now = self.clock.now();
        let expires_at = now + self.lifetimes.idle;
        let ticket = self.cache.ticket(self.feed.listening());
        let written = self
            .sessions
            .update_live_session(stored, text, expires_at, now)
            .await
            .context("could not write a session")
            .map_err(UpdateError::Other)?;
        if !written {
            self.cache.forget(&tag);
            tracing::info!("a session ended while a request was using it: its changes are dropped");
            return Ok(key);
        }
        if !self.fill(ticket, tag, &state, expires_at) {
            // What this instance held of the session is older than what was just written.
            self.cache.forget(&tag);
        }
        self.announce(tag).await.map_err(UpdateError::Other)?;
        Ok(key)
    }

    /// Unused: the idle deadline is moved by `load`, at most once a minute.
    async fn update_ttl(&self, _key: &SessionKey, _ttl: &Duration) -> anyhow::Result<()> {
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> anyhow::Result<()> {
        let tag = SessionTag::of(key.as_ref());
        self.sessions
            .delete_session(key.as_ref().to_owned())
            .await?;
        self.cache.forget(&tag);
        self.announce(tag).await
    }
}
