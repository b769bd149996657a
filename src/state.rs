//! What the pages and workers outside the application's services still reach: the storage, the
//! Voucherly client and the settings they need. The use cases are the services of `app`.

use crate::app::heartbeat::Heartbeats;
use crate::app::store::StoreConfig;
use crate::voucherly::VoucherlyClient;

pub struct AppState {
    /// The database behind the storage interface; services take the families they use.
    pub storage: std::sync::Arc<dyn crate::storage::Storage>,
    pub voucherly: VoucherlyClient,
    /// The name customer ids are stored under: `embedded`, `sandbox` or `live`.
    pub environment: &'static str,
    pub embedded_sandbox: bool,
    /// Where browsers and Voucherly reach this app, without a trailing slash.
    pub public_url: String,
    /// Whether the demo sign-in is offered.
    pub demo: bool,
    /// The store this app serves: API key, origins, webhook.
    pub store: StoreConfig,
    /// money: capture and patience with Voucherly.
    pub payments: crate::app::payments::PaymentsConfig,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// This instance's background workers' heartbeats.
    pub heartbeats: Heartbeats,
    /// Whether Voucherly refused our API key (then payments are not available).
    pub voucherly_key: std::sync::Arc<crate::app::voucherly_key::KeyStatus>,
}
