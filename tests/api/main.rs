//! The integration tests: each starts the real application on a loopback port with its own
//! SQLite file, and talks to it over HTTP.

mod helpers;

mod browser;
mod callbacks;
mod paying;
mod profile;
mod returning;
mod sandbox;
mod security;
mod sign_in;
mod voucherly_client;
