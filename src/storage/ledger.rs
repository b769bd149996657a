//! The store's accounting view of its payments.

use anyhow::Result;
use async_trait::async_trait;

use crate::domain::ledger::{LedgerEntry, PaymentFilter};

/// Payments listed for the store's accounting and reconciliation.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Up to `filter.limit` payments matching `filter`, oldest first (by creation time, then
    /// id), after `filter.after` when given.
    async fn list_payments(&self, filter: PaymentFilter) -> Result<Vec<LedgerEntry>>;
}
