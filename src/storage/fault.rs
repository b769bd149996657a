//! Database faults an operator will meet (another writer holding the lock, a read-only file or
//! folder, a full disk), told apart from bugs so a shopper gets "try again shortly" (503 with
//! `Retry-After`) rather than a bare 500, and start-up names the file and the reason.
//!
//! A fault is recorded for the request it happened in (a task-local set by
//! [`watch`]), so a layer that only sees an opaque error, such as the session middleware's,
//! can still tell.

use std::cell::Cell;
use std::future::Future;

/// What kind of trouble the database is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Another connection held the lock longer than the busy timeout.
    Busy,
    /// The file, its folder or the disk cannot be written (read-only, full, I/O error).
    NotWritable,
}

impl Fault {
    /// Seconds a client should wait before trying again.
    pub fn retry_after(self) -> u32 {
        match self {
            Fault::Busy => 5,
            Fault::NotWritable => 30,
        }
    }
}

tokio::task_local! {
    static SEEN: Cell<Option<Fault>>;
}

/// The fault behind `error`, if any of its causes is one (as the engine tells).
pub fn of(error: &anyhow::Error) -> Option<Fault> {
    super::sqlite::fault::of(error).or_else(|| super::postgres::fault::of(error))
}

/// Runs `work`, returning the last database fault any query of it met.
pub async fn watch<F: Future>(work: F) -> (F::Output, Option<Fault>) {
    SEEN.scope(Cell::new(None), async {
        let output = work.await;
        (output, SEEN.with(Cell::get))
    })
    .await
}

/// Notes `error`'s fault for the request being answered, if any.
pub(crate) fn record(error: &anyhow::Error) {
    if let Some(fault) = of(error) {
        let _ = SEEN.try_with(|seen| seen.set(Some(fault)));
    }
}
