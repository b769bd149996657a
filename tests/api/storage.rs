//! The storage interface's contract, checked on both engines: every test runs the same calls
//! against a fresh SQLite file and a fresh PostgreSQL database (`on_both!`), and expects the
//! same answers.

#[macro_use]
mod engines;

mod inbox;
mod payments;
mod settings;
