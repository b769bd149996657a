//! What this instance's listener does with what it hears for the page cache
//! (`storage::PageCache`), and the fence that makes the instance that wrote exact at once.
//!
//! The database's triggers `NOTIFY` the shoppers whose rows changed, at commit, to every
//! instance; each listener forgets those pages as it hears them. For the instance that wrote,
//! "a moment later" is not enough: a request that may have written does not answer until its
//! listener has heard a token this instance sends after the request's work. PostgreSQL delivers
//! notifications in the order of commit, so by then every change committed before was heard.
//! A fence not heard in time empties the cache instead: exact, only slower.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

use super::Postgres;
use crate::storage::{Change, ChangeFeed, PageCache};

/// How long a request waits for its fence before emptying the cache instead.
const PATIENCE: Duration = Duration::from_secs(2);

/// Shared by the listener and the requests waiting for their fence.
pub(super) struct Hearing {
    pub(super) pages: Arc<PageCache>,
    waiting: Mutex<HashMap<u64, oneshot::Sender<()>>>,
}

impl Hearing {
    pub(super) fn new() -> Self {
        Self {
            // Nothing is kept until the listener hears.
            pages: Arc::new(PageCache::new(false)),
            waiting: Mutex::new(HashMap::new()),
        }
    }

    /// The listener is connected and `LISTEN`s (`true`), or was cut (`false`): either way
    /// what was kept may have missed a change.
    pub(super) fn connected(&self, connected: bool) {
        self.pages.set_live(connected);
    }

    /// Applies what the listener heard, before anyone else hears of it.
    pub(super) fn heard(&self, change: Change) {
        match change {
            Change::Pages { shopper_id } => self.pages.forget([shopper_id]),
            Change::Everything => self.pages.forget_all(),
            Change::Fence { token } => {
                if let Some(waiting) = self.waiting().remove(&token) {
                    let _ = waiting.send(());
                }
            }
            Change::Methods { .. }
            | Change::EventsQueued
            | Change::Session { .. }
            | Change::Applied { .. } => {}
        }
    }

    fn waiting(&self) -> MutexGuard<'_, HashMap<u64, oneshot::Sender<()>>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Postgres {
    /// Returns once this instance's listener heard everything committed before the call, or
    /// the page cache was emptied.
    pub(super) async fn fence(&self) {
        let hearing = &self.inner.hearing;
        if !hearing.pages.is_live() {
            // Nothing is kept while the listener is not listening.
            return;
        }
        let token = uuid::Uuid::new_v4().as_u64_pair().0;
        let (heard, hear) = oneshot::channel();
        hearing.waiting().insert(token, heard);
        let caught_up = match self.announce(Change::Fence { token }).await {
            Ok(()) => matches!(tokio::time::timeout(PATIENCE, hear).await, Ok(Ok(()))),
            Err(_) => false,
        };
        if !caught_up {
            hearing.waiting().remove(&token);
            tracing::warn!(
                "this instance did not hear its own fence in time: forgetting the cached pages"
            );
            hearing.pages.forget_all();
        }
    }
}
