//! What the demo store keeps in its own tables (see the SQLite engine's): the notifications its
//! webhook received and its latest calls to the store API, only the latest few of each.

use async_trait::async_trait;

use super::{Postgres, now};
use crate::storage::demo_store::{ApiCall, DemoStoreRecords, ReceivedEvent, StoredCall};

/// How many refused (badly signed) notifications are kept: anyone can post to a webhook, so
/// they must not fill the database.
const KEEP_INVALID: i64 = 20;
/// How many API calls are kept for showing back.
const KEEP_CALLS: i64 = 20;
/// How many notifications the page lists.
const LIST_LIMIT: i64 = 50;

#[async_trait]
impl DemoStoreRecords for Postgres {
    async fn record_event(&self, event: ReceivedEvent) -> anyhow::Result<bool> {
        let client = self.client().await?;
        let record = client
            .prepare_cached(
                "INSERT INTO demo_store_events
                     (event_id, event_type, store_order_id, signature_valid, received_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (event_id) WHERE signature_valid DO NOTHING",
            )
            .await?;
        let inserted = client
            .execute(
                &record,
                &[
                    &event.event_id,
                    &event.event_type,
                    &event.store_order_id,
                    &event.signature_valid,
                    &event.received_at,
                ],
            )
            .await?;
        if !event.signature_valid {
            let trim = client
                .prepare_cached(
                    "DELETE FROM demo_store_events WHERE NOT signature_valid AND id NOT IN
                     (SELECT id FROM demo_store_events WHERE NOT signature_valid
                      ORDER BY id DESC LIMIT $1)",
                )
                .await?;
            client.execute(&trim, &[&KEEP_INVALID]).await?;
        }
        Ok(inserted == 1)
    }

    async fn events(&self) -> anyhow::Result<Vec<ReceivedEvent>> {
        let client = self.client().await?;
        let list = client
            .prepare_cached(
                "SELECT event_id, event_type, store_order_id, signature_valid, received_at
                 FROM demo_store_events ORDER BY id DESC LIMIT $1",
            )
            .await?;
        Ok(client
            .query(&list, &[&LIST_LIMIT])
            .await?
            .iter()
            .map(|row| ReceivedEvent {
                event_id: row.get(0),
                event_type: row.get(1),
                store_order_id: row.get(2),
                signature_valid: row.get(3),
                received_at: row.get(4),
            })
            .collect())
    }

    async fn save_call(&self, key: String, call: ApiCall) -> anyhow::Result<()> {
        let client = self.client().await?;
        let save = client
            .prepare_cached(
                "INSERT INTO demo_store_calls (id, method, path, request, status, response,
                     store_user_id, store_order_id, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .await?;
        let status = call.status.map(i64::from);
        client
            .execute(
                &save,
                &[
                    &key,
                    &call.method,
                    &call.path,
                    &call.request,
                    &status,
                    &call.response,
                    &call.store_user_id,
                    &call.store_order_id,
                    &now(),
                ],
            )
            .await?;
        let trim = client
            .prepare_cached(
                "DELETE FROM demo_store_calls WHERE seq NOT IN
                 (SELECT seq FROM demo_store_calls ORDER BY created_at DESC, seq DESC LIMIT $1)",
            )
            .await?;
        client.execute(&trim, &[&KEEP_CALLS]).await?;
        Ok(())
    }

    async fn find_call(&self, key: String) -> anyhow::Result<Option<StoredCall>> {
        let client = self.client().await?;
        let find = client
            .prepare_cached(
                "SELECT method, path, request, status, response, store_user_id, store_order_id
                 FROM demo_store_calls WHERE id = $1",
            )
            .await?;
        let Some(row) = client.query_opt(&find, &[&key]).await? else {
            return Ok(None);
        };
        let status: Option<i64> = row.get(3);
        Ok(Some(StoredCall {
            method: row.get(0),
            path: row.get(1),
            request: row.get(2),
            status: status.map(u16::try_from).transpose()?,
            response: row.get(4),
            store_user_id: row.get(5),
            store_order_id: row.get(6),
        }))
    }
}
