//! The application's use cases, one service per family. A service is built once at start-up
//! with exactly what it uses (its storage families, the Voucherly client, a clock, the
//! notifier), passed in; routes parse and validate, call one service, and render its answer;
//! background workers call the same services.

pub mod changes;
pub mod gateways;
pub mod heartbeat;
pub mod housekeeping;
pub mod ledger;
pub mod notifications;
pub mod orders;
pub mod payments;
pub mod receipts;
pub mod refunds;
pub mod saved_methods;
pub mod shoppers;
pub mod store;
pub mod upstream_cache;
pub mod voucherly_key;
pub mod wallets;
