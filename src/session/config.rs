//! How session and CSRF cookies are made (names, flags, lifetimes, as start-up decides from the
//! settings), and the session middleware built on the storage interface's sessions.

use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite, time::Duration};

use super::{CsrfConfig, Lifetimes, StoredSessions};
use crate::domain::Clock;
use crate::storage::{ChangeFeed, SessionStore};

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
    /// The sessions of this process, kept in memory and exact through `feed`. Made once: the
    /// middleware of every worker shares them.
    pub fn store(
        &self,
        sessions: Arc<dyn SessionStore>,
        feed: Arc<dyn ChangeFeed>,
        clock: Arc<dyn Clock>,
    ) -> StoredSessions {
        StoredSessions::new(sessions, feed, clock, self.lifetimes)
    }

    pub fn middleware(&self, store: StoredSessions) -> SessionMiddleware<StoredSessions> {
        SessionMiddleware::builder(store, self.key.clone())
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

    pub fn csrf(&self) -> anyhow::Result<CsrfConfig> {
        CsrfConfig::new(self.key.signing(), self.https, self.secure, self.same_site)
    }
}
