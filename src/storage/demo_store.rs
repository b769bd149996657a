//! What the demo store (a feature of the `demo` build, not of the application) keeps: the
//! notifications its webhook received and its latest calls to the store API. Not part of
//! [`Storage`](super::Storage): only the demo wires it.

use async_trait::async_trait;

/// A notification as the demo store records it.
pub struct ReceivedEvent {
    pub event_id: String,
    pub event_type: String,
    pub store_order_id: Option<String>,
    pub signature_valid: bool,
    pub received_at: i64,
}

/// One call the demo store made to the store API, and what it got back.
pub struct ApiCall {
    pub method: &'static str,
    pub path: String,
    /// The request body, pretty-printed.
    pub request: String,
    /// `None` when the API could not be reached.
    pub status: Option<u16>,
    /// The answer's body, pretty-printed when it is JSON, else an explanation.
    pub response: String,
    pub store_user_id: String,
    pub store_order_id: Option<String>,
}

/// A stored call, read back.
pub struct StoredCall {
    pub method: String,
    pub path: String,
    pub request: String,
    pub status: Option<u16>,
    pub response: String,
    pub store_user_id: String,
    pub store_order_id: Option<String>,
}

/// The demo store's own records, only the latest few of each.
#[async_trait]
pub trait DemoStoreRecords: Send + Sync {
    /// Records `event`; `false` when it is a valid event already received (a duplicate
    /// delivery).
    async fn record_event(&self, event: ReceivedEvent) -> anyhow::Result<bool>;
    /// The notifications received, newest first.
    async fn events(&self) -> anyhow::Result<Vec<ReceivedEvent>>;
    /// Keeps `call` under `key` (unguessable: whoever knows it may read the call back).
    async fn save_call(&self, key: String, call: ApiCall) -> anyhow::Result<()>;
    async fn find_call(&self, key: String) -> anyhow::Result<Option<StoredCall>>;
}
