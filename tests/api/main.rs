//! The integration tests: each starts the real application on a loopback port with its own
//! SQLite file, and talks to it over HTTP. The modules (and the few tests) that need the
//! embedded sandbox, the demo sign-in or the demo store run only with the `demo` feature; the
//! others run both ways, on wiremock (`cargo test --no-default-features`).

#[cfg(feature = "demo")]
mod forms;
#[macro_use]
mod helpers;

#[cfg(feature = "demo")]
mod accessibility;
#[cfg(feature = "demo")]
mod adding_methods;
mod architecture;
#[cfg(feature = "demo")]
mod browser;
mod caching;
mod callbacks;
#[cfg(feature = "demo")]
mod contract;
#[cfg(feature = "demo")]
mod demo_store;
#[cfg(feature = "demo")]
mod demo_words;
#[cfg(feature = "demo")]
mod deploy;
mod embedding;
#[cfg(feature = "demo")]
mod embedding_in_browser;
#[cfg(feature = "demo")]
mod fiscal_receipts;
mod going_live;
mod handover;
mod hardening;
#[cfg(feature = "demo")]
mod instances;
mod logs;
mod metrics;
#[cfg(feature = "demo")]
mod moving_to_postgres;
mod no_writes_on_get;
mod notifications;
#[cfg(feature = "demo")]
mod page_cache;
mod paying;
mod profile;
mod receipts;
mod refused_key;
mod removing_methods;
mod returning;
#[cfg(feature = "demo")]
mod sandbox;
mod security;
mod session_cache;
#[cfg(feature = "demo")]
mod shopper_methods;
mod sign_in;
mod storage;
mod store_api;
mod voucherly_client;
#[cfg(feature = "demo")]
mod wallet;
