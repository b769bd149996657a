//! The integration tests: each starts the real application on a loopback port with its own
//! SQLite file, and talks to it over HTTP.

mod forms;
mod helpers;

mod accessibility;
mod adding_methods;
mod browser;
mod caching;
mod callbacks;
mod contract;
mod demo_store;
mod demo_words;
mod embedding;
mod embedding_in_browser;
mod fiscal_receipts;
mod going_live;
mod handover;
mod hardening;
mod logs;
mod metrics;
mod notifications;
mod paying;
mod profile;
mod receipts;
mod refused_key;
mod removing_methods;
mod returning;
mod sandbox;
mod security;
mod shopper_methods;
mod sign_in;
mod store_api;
mod voucherly_client;
mod wallet;
