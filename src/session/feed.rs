//! Other instances' session changes, applied to this instance's cache: a session another
//! instance changed or ended is forgotten here, then this instance says so (the other waits
//! for that before it answers, see `storage::ChangeFeed::announce_and_wait`).

use std::sync::Arc;

use tokio::sync::broadcast::error::RecvError;

use super::cache::SessionCache;
use crate::storage::{Change, ChangeFeed};

/// Applies every session change heard to `cache`, for as long as the process runs.
pub fn spawn(feed: Arc<dyn ChangeFeed>, cache: Arc<SessionCache>) {
    let mut changes = feed.changes();
    tokio::spawn(async move {
        loop {
            match changes.recv().await {
                // This instance's own changes are applied before they are announced.
                Ok(Change::Session { fence, .. }) if fence.from == feed.instance() => {}
                Ok(Change::Session { tag, fence }) => {
                    cache.forget(&tag);
                    let applied = Change::Applied {
                        fence: fence.id,
                        by: feed.instance(),
                    };
                    if let Err(error) = feed.announce(applied).await {
                        tracing::warn!(error = %error, "could not confirm a session change");
                    }
                }
                // Changes may have been missed: nothing cached is trusted.
                Ok(Change::Everything) | Err(RecvError::Lagged(_)) => cache.forget_all(),
                Ok(_) => {}
                Err(RecvError::Closed) => return,
            }
        }
    });
}
