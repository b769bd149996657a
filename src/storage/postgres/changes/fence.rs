//! Announcing a change and waiting until every other live instance has applied it: what makes a
//! sign-out hold on every instance for any request sent after its answer. The others are those
//! listening now (see `presence`); each answers with [`Change::Applied`] once it has applied
//! the change. One that does not answer in time (a connection cut the server has not noticed
//! yet) is waited for no longer than [`PATIENCE`]; it stops trusting its caches when its
//! listener notices the cut.

use std::collections::HashSet;
use std::time::Duration;

use tokio::sync::broadcast::error::RecvError;

use super::super::Postgres;
use super::CHANNEL;
use crate::storage::Change;

/// How long an announcement waits for the other instances at most.
const PATIENCE: Duration = Duration::from_secs(2);

pub async fn announce_and_wait(db: &Postgres, change: Change) -> anyhow::Result<()> {
    let Some(fence) = change.fence() else {
        return crate::storage::ChangeFeed::announce(db, change).await;
    };
    // Subscribed before announcing, so that no answer is missed.
    let mut heard = db.inner.changes.subscribe();
    let client = db.client().await?;
    let mut waiting: HashSet<u64> = db
        .inner
        .presence
        .others(&client)
        .await?
        .into_iter()
        .collect();
    let notify = client.prepare_cached("SELECT pg_notify($1, $2)").await?;
    client
        .execute(&notify, &[&CHANNEL, &change.encode()])
        .await?;
    drop(client);
    let answered = tokio::time::timeout(PATIENCE, async {
        while !waiting.is_empty() {
            match heard.recv().await {
                Ok(Change::Applied { fence: id, by }) if id == fence.id => {
                    waiting.remove(&by);
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            }
        }
    })
    .await;
    if answered.is_err() {
        tracing::warn!(
            instances = waiting.len(),
            "instances did not confirm a session change within {PATIENCE:?}"
        );
    }
    Ok(())
}
