//! How session and CSRF cookies are made, from the settings: names, flags, lifetimes, and the
//! session middleware built on the SQLite store.

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite, time::Duration};

use super::{CsrfConfig, Lifetimes, SqliteSessionStore, cookie_name};
use crate::settings::Settings;
use crate::storage::Database;

/// How session and CSRF cookies are made.
#[derive(Clone)]
pub struct SessionConfig {
    pub key: Key,
    pub cookie_name: String,
    pub secure: bool,
    pub same_site: SameSite,
    pub https: bool,
    pub lifetimes: Lifetimes,
}

impl SessionConfig {
    pub fn new(settings: &Settings, public_url: &str, key: Key) -> anyhow::Result<Self> {
        let https = public_url.starts_with("https://");
        Ok(Self {
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

    pub fn middleware(&self, db: Database) -> SessionMiddleware<SqliteSessionStore> {
        SessionMiddleware::builder(
            SqliteSessionStore::new(db, self.lifetimes),
            self.key.clone(),
        )
        .cookie_name(self.cookie_name.clone())
        .cookie_secure(self.secure)
        .cookie_http_only(true)
        .cookie_same_site(self.same_site)
        .session_lifecycle(
            BrowserSession::default()
                .state_ttl(Duration::seconds(self.lifetimes.idle))
                // The store moves the idle deadline itself, at most once a minute.
                .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
        )
        .build()
    }

    pub fn csrf(&self) -> CsrfConfig {
        CsrfConfig::new(self.key.signing(), self.https, self.secure, self.same_site)
    }
}
