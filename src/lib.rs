//! voucherly-account: a shopper's "My account → payment methods" page for stores that take
//! payments through Voucherly, with an embedded Voucherly sandbox for running without a key.
//!
//! The sandbox, the demo shoppers and the demo store exist only with the `demo` feature (on by
//! default); the rest of the crate never uses them: only the start-up wiring does.

pub mod app;
#[cfg(feature = "demo")]
pub mod demo;
#[cfg(feature = "demo")]
pub mod demo_store;
pub mod domain;
pub mod i18n;
pub mod metrics;
pub mod routes;
#[cfg(feature = "demo")]
pub mod sandbox;
pub mod session;
pub mod settings;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod voucherly;
pub mod web;
