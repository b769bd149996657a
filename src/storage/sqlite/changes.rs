//! The change feed of one SQLite database: one instance, so changes stay in this process, and
//! it always hears them.

use async_trait::async_trait;
use tokio::sync::broadcast;

use super::Database;
use crate::storage::{Change, ChangeFeed};

#[async_trait]
impl ChangeFeed for Database {
    async fn announce(&self, change: Change) -> anyhow::Result<()> {
        // No listener yet is not an error: there is nobody to tell.
        let _ = self.inner.changes.send(change);
        Ok(())
    }

    /// There is no other instance to wait for.
    async fn announce_and_wait(&self, change: Change) -> anyhow::Result<()> {
        self.announce(change).await
    }

    fn changes(&self) -> broadcast::Receiver<Change> {
        self.inner.changes.subscribe()
    }

    /// Nothing to wait for: `Database::run` forgets what a unit of work changed before it
    /// returns.
    async fn caught_up(&self) {}

    fn instance(&self) -> u64 {
        0
    }

    fn listening(&self) -> u64 {
        1
    }
}
