//! The store's accounting of its payments: the list of what we recorded, a page at a time, and
//! the reconciliation of a day's records with what Voucherly reports now.

mod reconciliation;

use std::sync::Arc;
use std::time::Duration;

use crate::domain::ledger::{LedgerEntry, MAX_LIMIT, PaymentFilter, Position};
use crate::storage::LedgerStore;
use crate::voucherly::VoucherlyClient;

pub use reconciliation::{CONCURRENCY, Finding, Outcome, Report, Summary, Totals};

/// How long a reconciliation waits for Voucherly's answers in all; what has not come by then is
/// listed as unchecked, so the store's request ends in good time however slow Voucherly is.
pub const TIME_BUDGET: Duration = Duration::from_secs(25);

/// The accounting use cases.
pub struct Ledger {
    store: Arc<dyn LedgerStore>,
    voucherly: VoucherlyClient,
    /// The Voucherly environment this instance pays in: only its payments can be read back.
    environment: &'static str,
    time_budget: Duration,
}

/// One page of the list.
#[derive(Debug)]
pub struct Page {
    pub entries: Vec<LedgerEntry>,
    /// Where the next page starts; `None` on the last.
    pub next: Option<Position>,
}

impl Ledger {
    pub fn new(
        store: Arc<dyn LedgerStore>,
        voucherly: VoucherlyClient,
        environment: &'static str,
    ) -> Self {
        Self {
            store,
            voucherly,
            environment,
            time_budget: TIME_BUDGET,
        }
    }

    /// The same, waiting for Voucherly's answers `time_budget` in all instead of
    /// [`TIME_BUDGET`].
    pub fn with_time_budget(self, time_budget: Duration) -> Self {
        Self {
            time_budget,
            ..self
        }
    }

    /// A page of the payments `filter` asks for (its limit held to 1 to [`MAX_LIMIT`]).
    pub async fn list(&self, filter: PaymentFilter) -> anyhow::Result<Page> {
        let limit = filter.limit.clamp(1, MAX_LIMIT);
        let mut entries = self
            .store
            .list_payments(PaymentFilter {
                limit: limit + 1,
                ..filter
            })
            .await?;
        let more = entries.len() > usize::try_from(limit).unwrap_or(usize::MAX);
        entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        let next = more
            .then(|| entries.last().map(LedgerEntry::position))
            .flatten();
        Ok(Page { entries, next })
    }
}
