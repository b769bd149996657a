//! What the demo store keeps in its own tables: the notifications its webhook received and its
//! latest calls to the store API, only the latest few of each.

use async_trait::async_trait;
use rusqlite::{OptionalExtension, params};

use super::{Database, now};
use crate::storage::demo_store::{ApiCall, DemoStoreRecords, ReceivedEvent, StoredCall};

/// How many refused (badly signed) notifications are kept: anyone can post to a webhook, so
/// they must not fill the database.
const KEEP_INVALID: i64 = 20;
/// How many API calls are kept for showing back.
const KEEP_CALLS: i64 = 20;
/// How many notifications the page lists.
const LIST_LIMIT: i64 = 50;

#[async_trait]
impl DemoStoreRecords for Database {
    async fn record_event(&self, event: ReceivedEvent) -> anyhow::Result<bool> {
        self.run(move |conn| {
            let inserted = conn.execute(
                "INSERT OR IGNORE INTO demo_store_events
                 (event_id, event_type, store_order_id, signature_valid, received_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    event.event_id,
                    event.event_type,
                    event.store_order_id,
                    event.signature_valid,
                    event.received_at
                ],
            )?;
            if !event.signature_valid {
                conn.execute(
                    "DELETE FROM demo_store_events WHERE signature_valid = 0 AND id NOT IN
                     (SELECT id FROM demo_store_events WHERE signature_valid = 0
                      ORDER BY id DESC LIMIT ?1)",
                    [KEEP_INVALID],
                )?;
            }
            Ok(inserted == 1)
        })
        .await
    }

    async fn events(&self) -> anyhow::Result<Vec<ReceivedEvent>> {
        self.run(|conn| {
            let mut statement = conn.prepare(
                "SELECT event_id, event_type, store_order_id, signature_valid, received_at
             FROM demo_store_events ORDER BY id DESC LIMIT ?1",
            )?;
            let rows = statement.query_map([LIST_LIMIT], |row| {
                Ok(ReceivedEvent {
                    event_id: row.get(0)?,
                    event_type: row.get(1)?,
                    store_order_id: row.get(2)?,
                    signature_valid: row.get(3)?,
                    received_at: row.get(4)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    async fn save_call(&self, key: String, call: ApiCall) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.execute(
                "INSERT INTO demo_store_calls (id, method, path, request, status, response,
                 store_user_id, store_order_id, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    key,
                    call.method,
                    call.path,
                    call.request,
                    call.status,
                    call.response,
                    call.store_user_id,
                    call.store_order_id,
                    now()
                ],
            )?;
            conn.execute(
                "DELETE FROM demo_store_calls WHERE rowid NOT IN
                 (SELECT rowid FROM demo_store_calls ORDER BY created_at DESC, rowid DESC
                  LIMIT ?1)",
                [KEEP_CALLS],
            )?;
            Ok(())
        })
        .await
    }

    async fn find_call(&self, id: String) -> anyhow::Result<Option<StoredCall>> {
        self.run(move |conn| {
            Ok(conn
                .query_row(
                    "SELECT method, path, request, status, response, store_user_id, store_order_id
                 FROM demo_store_calls WHERE id = ?1",
                    [id],
                    |row| {
                        Ok(StoredCall {
                            method: row.get(0)?,
                            path: row.get(1)?,
                            request: row.get(2)?,
                            status: row.get(3)?,
                            response: row.get(4)?,
                            store_user_id: row.get(5)?,
                            store_order_id: row.get(6)?,
                        })
                    },
                )
                .optional()?)
        })
        .await
    }
}
