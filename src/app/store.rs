//! What the app knows of the store it serves: the key its server uses on the store API, the
//! origins its pages live on, and where order events go (resolved from the settings at start-up).

use secrecy::SecretString;

pub struct StoreConfig {
    /// The bearer token of the store API; `None`: the store API refuses every call.
    pub api_key: Option<SecretString>,
    /// Whether demo mode generated the key (then the demo store and the log show it in full, so
    /// the README's examples can use it); a key the operator set is never shown.
    pub api_key_generated: bool,
    /// Origins a hand-over's return URL may point to.
    pub origins: Vec<String>,
    /// Origins allowed to frame the pages.
    pub frame_ancestors: Vec<String>,
    /// How long a hand-over link stays valid, in seconds.
    pub handover_ttl: i64,
    /// Where order events are posted, and the secret they are signed with.
    pub webhook: Option<Webhook>,
}

#[derive(Clone)]
pub struct Webhook {
    pub url: String,
    pub secret: SecretString,
}

/// The path of the demo store's event receiver, the default webhook in demo mode.
pub const DEMO_WEBHOOK_PATH: &str = "/demo-store/webhook";

/// `https://host:port` of a URL.
pub fn origin_of(url: &str) -> anyhow::Result<String> {
    Ok(reqwest::Url::parse(url)?.origin().ascii_serialization())
}
