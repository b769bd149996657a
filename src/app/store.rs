//! What the app knows of the store it serves: the key its server uses on the store API, the
//! origins its pages live on, and where order events go.

use secrecy::SecretString;

use crate::storage::Database;

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

/// What the operator set about the store: the part of the settings [`StoreConfig::resolve`]
/// reads.
pub struct StoreSettings {
    pub api_key: Option<SecretString>,
    pub origins: Vec<String>,
    pub frame_ancestors: Vec<String>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<SecretString>,
    /// Seconds.
    pub handover_ttl: u64,
}

pub struct Webhook {
    pub url: String,
    pub secret: SecretString,
}

/// The path of the demo store's event receiver, the default webhook in demo mode.
pub const DEMO_WEBHOOK_PATH: &str = "/demo-store/webhook";

impl StoreConfig {
    /// Reads the settings; in demo mode, a missing API key or webhook secret is generated once
    /// and kept in the database, and events go to the demo store.
    pub async fn resolve(
        settings: StoreSettings,
        db: &Database,
        public_url: &str,
        demo: bool,
    ) -> anyhow::Result<Self> {
        let api_key = match (&settings.api_key, demo) {
            (Some(key), _) => Some(key.clone()),
            (None, true) => Some(SecretString::from(
                stored_secret(db, "store_api_key", "sk_store_").await?,
            )),
            (None, false) => None,
        };
        let webhook_url = match (&settings.webhook_url, demo) {
            (Some(url), _) => Some(url.clone()),
            (None, true) => Some(format!("{public_url}{DEMO_WEBHOOK_PATH}")),
            (None, false) => None,
        };
        let webhook = match (webhook_url, &settings.webhook_secret) {
            (None, _) => None,
            (Some(url), Some(secret)) => Some(Webhook {
                url,
                secret: secret.clone(),
            }),
            (Some(url), None) if demo => Some(Webhook {
                url,
                secret: SecretString::from(stored_secret(db, "webhook_secret", "whsec_").await?),
            }),
            (Some(_), None) => anyhow::bail!(
                "a store webhook URL needs a secret to sign events with: set \
                 VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET"
            ),
        };
        let mut origins = settings.origins;
        if demo && origins.is_empty() {
            // The demo store is served by this app, so its return URLs are on our own origin.
            origins.push(origin_of(public_url)?);
        }
        Ok(Self {
            api_key_generated: demo && settings.api_key.is_none(),
            api_key,
            origins,
            frame_ancestors: settings.frame_ancestors,
            handover_ttl: i64::try_from(settings.handover_ttl)?,
            webhook,
        })
    }
}

/// `https://host:port` of a URL.
fn origin_of(url: &str) -> anyhow::Result<String> {
    Ok(reqwest::Url::parse(url)?.origin().ascii_serialization())
}

/// A random secret kept under `name` in the database, made on first use.
async fn stored_secret(db: &Database, name: &'static str, prefix: &str) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let fresh = format!("{prefix}{}", hex::encode(bytes));
    crate::storage::settings::kept_or_keep(db, name, fresh).await
}
