//! The storage interface's contract, checked on both engines: every test runs the same calls
//! against a fresh SQLite file and a fresh PostgreSQL database (`on_both!`), and expects the
//! same answers.

#[macro_use]
mod engines;
#[macro_use]
mod raw_setup;

#[cfg(feature = "demo")]
mod demo_store;
mod handovers;
mod health;
mod inbox;
mod ledger;
mod methods;
mod opening;
mod orders;
mod outbox;
mod pages;
mod payments;
mod rate_limits;
mod refunds;
mod sessions;
mod settings;
mod shoppers;
