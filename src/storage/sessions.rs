//! Sessions.

use async_trait::async_trait;

/// What reading a session found.
#[derive(Debug)]
pub enum SessionFound {
    /// The session's state, as JSON text, and its idle deadline as now stored.
    Alive {
        state: String,
        expires_at: i64,
    },
    /// It had ended: it is deleted now.
    Ended,
    Missing,
}

/// How a session is read as of `now`: it has ended when its idle deadline is past or when
/// `too_old(state)` says so; an alive one has its idle deadline moved to `extend_to`, but only
/// when the stored one is at least `extend_step` seconds behind (a busy session is not written
/// at every request).
pub struct SessionRead {
    pub now: i64,
    pub too_old: Box<dyn FnOnce(&str) -> bool + Send>,
    pub extend_to: i64,
    pub extend_step: i64,
}

/// Sessions (signed in or not), kept by key with their state (JSON text) and idle deadline.
/// When a session has ended is decided by the caller; a write never brings back a session that
/// ended meanwhile.
#[async_trait]
pub trait SessionStore: Send + Sync {
    /// The session under `key`: an ended one is deleted at once; an alive one is extended, best
    /// effort (with the database busy it is still alive, only not extended).
    async fn read_session(&self, key: String, read: SessionRead) -> anyhow::Result<SessionFound>;
    /// Keeps a new session under `key`.
    async fn insert_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
    ) -> anyhow::Result<()>;
    /// Writes `state` and a new idle deadline over the session under `key` if it is still alive
    /// at `now`; `false` when it had ended (nothing is written).
    async fn update_live_session(
        &self,
        key: String,
        state: String,
        expires_at: i64,
        now: i64,
    ) -> anyhow::Result<bool>;
    /// Moves the idle deadline of the session under `key` to `expires_at` (never back) if it is
    /// still alive at `now`; `false` when it had ended (nothing is written).
    async fn extend_session(&self, key: String, expires_at: i64, now: i64) -> anyhow::Result<bool>;
    async fn delete_session(&self, key: String) -> anyhow::Result<()>;
    /// Deletes every ended session as of `now` (idle, or signed in more than `max_age` seconds
    /// ago); returns how many.
    async fn sweep_sessions(&self, now: i64, max_age: i64) -> anyhow::Result<usize>;
}
