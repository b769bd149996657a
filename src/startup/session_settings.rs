//! The session's settings: its signing key (set, or generated once and kept in the database)
//! and how its cookies are made.

use actix_web::cookie::{Key, SameSite};
use anyhow::Context;
use secrecy::ExposeSecret;

use crate::session::{Lifetimes, SessionConfig, cookie_name};
use crate::settings::Settings;
use crate::storage::SettingsStore;

/// How session and CSRF cookies are made, for an app reached at `public_url`.
pub fn session_config(
    settings: &Settings,
    public_url: &str,
    key: Key,
) -> anyhow::Result<SessionConfig> {
    let https = public_url.starts_with("https://");
    Ok(SessionConfig {
        key,
        cookie_name: cookie_name(https, settings.secure_cookies),
        secure: settings.secure_cookies,
        // Inside a store's iframe the app is a third party: browsers send its cookie there
        // only when it is `SameSite=None` (and `Secure`, checked at start).
        same_site: if settings.frame_ancestors.is_empty() {
            SameSite::Lax
        } else {
            SameSite::None
        },
        https,
        lifetimes: Lifetimes {
            idle: i64::try_from(settings.session_idle_minutes)? * 60,
            max_age: i64::try_from(settings.session_max_hours)? * 3600,
        },
    })
}

/// The key signing session cookies: from the settings, else the one generated on first start
/// and kept in the database.
pub async fn session_key(settings: &Settings, kept: &dyn SettingsStore) -> anyhow::Result<Key> {
    let hex_key = match &settings.session_key {
        Some(key) => key.expose_secret().trim().to_owned(),
        None => stored_session_key(kept).await?,
    };
    let bytes = hex::decode(&hex_key).context("the session key must be written in hex digits")?;
    Key::try_from(bytes.as_slice())
        .map_err(|_| anyhow::anyhow!("the session key must be at least 64 bytes (128 hex digits)"))
}

async fn stored_session_key(kept: &dyn SettingsStore) -> anyhow::Result<String> {
    let mut fresh = [0u8; 64];
    getrandom::fill(&mut fresh).map_err(|e| anyhow::anyhow!("no randomness: {e}"))?;
    let fresh = hex::encode(fresh);
    kept.kept_or_keep("session_key", fresh).await
}
