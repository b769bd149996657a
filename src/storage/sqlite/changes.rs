//! The change feed of one SQLite database: one instance, so changes stay in this process.

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

    fn changes(&self) -> broadcast::Receiver<Change> {
        self.inner.changes.subscribe()
    }

    /// Nothing to wait for: `Database::run` forgets what a unit of work changed before it
    /// returns.
    async fn caught_up(&self) {}
}
