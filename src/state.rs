//! What every handler can reach: the database, the Voucherly client and the settings they need.

use crate::gateways::GatewayNames;
use crate::saved_methods::SavedMethods;
use crate::storage::Database;
use crate::store::StoreConfig;
use crate::voucherly::VoucherlyClient;

pub struct AppState {
    pub db: Database,
    pub voucherly: VoucherlyClient,
    /// Names of the merchant's payment gateways, cached.
    pub gateway_names: GatewayNames,
    /// Each shopper's saved methods at Voucherly, cached; forget a shopper's when it may change.
    pub saved_methods: SavedMethods,
    /// The name customer ids are stored under: `embedded`, `sandbox` or `live`.
    pub environment: &'static str,
    pub embedded_sandbox: bool,
    /// Where browsers and Voucherly reach this app, without a trailing slash.
    pub public_url: String,
    /// Whether the demo sign-in is offered.
    pub demo: bool,
    /// The store this app serves: API key, origins, webhook.
    pub store: StoreConfig,
    /// Seconds after signing in when a session ends, however busy.
    pub session_max_age: i64,
    /// money: capture and patience with Voucherly.
    pub payments: crate::payments::PaymentsConfig,
}
