//! Whether a piece of work (a request) went to the shared database: a request that did may have
//! written, even a `GET` (the return page applies a payment, a hand-over updates the shopper),
//! so it waits for its own changes to reach this instance's caches before it answers (see
//! `ChangeFeed::caught_up`). A request served from memory went nowhere and waits for nothing.

use std::cell::Cell;
use std::future::Future;

tokio::task_local! {
    static TOUCHED: Cell<bool>;
}

/// Runs `work`, and says whether it went to the shared database.
pub async fn noting_touches<F: Future>(work: F) -> (F::Output, bool) {
    TOUCHED
        .scope(Cell::new(false), async {
            let output = work.await;
            (output, TOUCHED.with(Cell::get))
        })
        .await
}

/// Notes that the work under way goes to the shared database (nothing outside `noting_touches`).
pub(super) fn touched() {
    let _ = TOUCHED.try_with(|touched| touched.set(true));
}
