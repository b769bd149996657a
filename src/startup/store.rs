//! What the app knows of the store it serves, from the settings: in demo mode, a missing API key
//! or webhook secret is generated once and kept in the database, and events go to the demo
//! store.

use secrecy::SecretString;

use crate::app::store::{DEMO_WEBHOOK_PATH, StoreConfig, Webhook, origin_of};
use crate::settings::Settings;
use crate::storage::SettingsStore;

/// Reads the settings; in demo mode, a missing API key or webhook secret is generated once
/// and kept in the database, and events go to the demo store.
pub async fn store_config(
    settings: &Settings,
    kept: &dyn SettingsStore,
    public_url: &str,
    demo: bool,
) -> anyhow::Result<StoreConfig> {
    let api_key = match (&settings.store_api_key, demo) {
        (Some(key), _) => Some(key.clone()),
        (None, true) => Some(SecretString::from(
            stored_secret(kept, "store_api_key", "sk_store_").await?,
        )),
        (None, false) => None,
    };
    let webhook_url = match (&settings.store_webhook_url, demo) {
        (Some(url), _) => Some(url.clone()),
        (None, true) => Some(format!("{public_url}{DEMO_WEBHOOK_PATH}")),
        (None, false) => None,
    };
    let webhook = match (webhook_url, &settings.store_webhook_secret) {
        (None, _) => None,
        (Some(url), Some(secret)) => Some(Webhook {
            url,
            secret: secret.clone(),
        }),
        (Some(url), None) if demo => Some(Webhook {
            url,
            secret: SecretString::from(stored_secret(kept, "webhook_secret", "whsec_").await?),
        }),
        (Some(_), None) => anyhow::bail!(
            "a store webhook URL needs a secret to sign events with: set \
             VOUCHERLY_ACCOUNT_STORE_WEBHOOK_SECRET"
        ),
    };
    let mut origins = settings.store_origins.clone();
    if demo && origins.is_empty() {
        // The demo store is served by this app, so its return URLs are on our own origin.
        origins.push(origin_of(public_url)?);
    }
    Ok(StoreConfig {
        api_key_generated: demo && settings.store_api_key.is_none(),
        api_key,
        origins,
        frame_ancestors: settings.frame_ancestors.clone(),
        handover_ttl: i64::try_from(settings.handover_ttl)?,
        webhook,
    })
}

/// A random secret kept under `name` in the database, made on first use.
async fn stored_secret(
    kept: &dyn SettingsStore,
    name: &'static str,
    prefix: &str,
) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let fresh = format!("{prefix}{}", hex::encode(bytes));
    kept.kept_or_keep(name, fresh).await
}
