//! What every handler can reach: the database, the Voucherly client and the settings they need.

use std::sync::Arc;

use crate::app::gateways::GatewayNames;
use crate::app::heartbeat::Heartbeats;
use crate::app::payments::{Dependencies, Payments, Spool};
use crate::app::saved_methods::MethodLists;
use crate::app::store::StoreConfig;
use crate::domain::SystemClock;
use crate::storage::Database;
use crate::voucherly::VoucherlyClient;

pub struct AppState {
    pub db: Database,
    /// The same database behind the storage interface; services take the families they use.
    pub storage: std::sync::Arc<dyn crate::storage::Storage>,
    pub voucherly: VoucherlyClient,
    /// Names of the merchant's payment gateways, cached.
    pub gateway_names: GatewayNames,
    /// Each shopper's saved methods at Voucherly, cached; forget a shopper's when it may change.
    pub saved_methods: MethodLists,
    /// Each shopper's wallet balance and prepaid quota at Voucherly, cached.
    pub wallets: crate::app::wallets::Wallets,
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

impl AppState {
    /// The payment use cases, over this state's database and Voucherly client.
    pub fn payments_service(&self) -> Payments {
        Payments::new(Dependencies {
            store: self.storage.clone(),
            inbox: self.storage.clone(),
            shoppers: self.storage.clone(),
            orders: self.storage.clone(),
            voucherly: self.voucherly.clone(),
            clock: Arc::new(SystemClock),
            config: self.payments,
            environment: self.environment,
            public_url: self.public_url.clone(),
            spool: Spool::beside(self.db.path()),
        })
    }
}
