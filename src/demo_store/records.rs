//! What the demo store keeps in its own tables (see `storage::demo_store`): the notifications its
//! webhook received and its latest calls to the store API.

pub use crate::storage::demo_store::{ApiCall, DemoStoreRecords, ReceivedEvent, StoredCall};

/// Keeps `call` under a fresh unguessable id, which it returns.
pub async fn save_call(records: &dyn DemoStoreRecords, call: ApiCall) -> anyhow::Result<String> {
    let id = crate::session::new_token().map_err(|e| anyhow::anyhow!("no id for the call: {e}"))?;
    records.save_call(id.clone(), call).await?;
    Ok(id)
}
