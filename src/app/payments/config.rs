//! How payments are run: when money is captured, and how long the app waits on Voucherly
//! before it treats an answer as lost.

use std::time::Duration;

/// When a card's authorised money is captured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Capture {
    /// At payment: `isAutoConfirm`, and a confirm (retried until done) for any payment still
    /// only authorised.
    #[default]
    AtPayment,
    /// When the store says so, through the store API (capture or release).
    Later,
}

#[derive(Debug, Clone, Copy)]
pub struct PaymentsConfig {
    pub capture: Capture,
    /// How long the pay button waits for the order's earlier checkouts to be closed.
    pub earlier_checks_within: Duration,
    /// Seconds after which a record still `creating` never heard Voucherly's answer.
    pub creating_timeout: i64,
    /// Seconds after its creation when the reconciler first re-reads a payment.
    pub first_check_after: i64,
    /// How many callbacks the inbox holds waiting at most; past that a callback is answered
    /// `ok` and left to the reconciler.
    pub callback_inbox_cap: i64,
}

impl Default for PaymentsConfig {
    fn default() -> Self {
        Self {
            capture: Capture::AtPayment,
            earlier_checks_within: Duration::from_secs(5),
            creating_timeout: 60,
            first_check_after: 30,
            callback_inbox_cap: 10_000,
        }
    }
}
