//! What the demo store keeps in its own tables (see `storage::demo_store`): the notifications its
//! webhook received and its latest calls to the store API.

pub use crate::storage::demo_store::{
    ApiCall, ReceivedEvent, StoredCall, events, find_call, record_event,
};
use crate::storage::{Database, demo_store};

/// Keeps `call` under a fresh unguessable id, which it returns.
pub async fn save_call(db: &Database, call: ApiCall) -> anyhow::Result<String> {
    let id = crate::session::new_token().map_err(|e| anyhow::anyhow!("no id for the call: {e}"))?;
    demo_store::save_call(db, id.clone(), call).await?;
    Ok(id)
}
