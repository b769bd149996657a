//! The return page's read-back: where Voucherly sends the shopper's browser after the checkout.
//! What the browser's address says proves nothing: the payment is read back from Voucherly and
//! applied while it is unsettled.

use super::Payments;
use crate::domain::LocalStatus;
use crate::domain::payment::{Applied, PaymentSummary, could_be_an_id};

impl Payments {
    /// Our payment `reference` and where it stands now: read back from Voucherly and applied
    /// when it is unsettled, else (or when Voucherly cannot answer) as we stored it. `hint` is
    /// the payment id the returning browser named, used only when we never stored Voucherly's.
    pub async fn returned(
        &self,
        reference: &str,
        hint: Option<String>,
    ) -> anyhow::Result<Option<(PaymentSummary, LocalStatus)>> {
        if !could_be_an_id(reference) {
            return Ok(None);
        }
        let Some(summary) = self.store.payment_summary(reference).await? else {
            return Ok(None);
        };
        tracing::Span::current().record("payment", summary.id);
        let status = self.read_back(&summary, hint).await;
        Ok(Some((summary, status)))
    }

    async fn read_back(&self, summary: &PaymentSummary, hint: Option<String>) -> LocalStatus {
        let stored = summary.status;
        let id = match (&summary.voucherly_payment_id, hint) {
            (Some(id), _) if !stored.is_settled() => id.clone(),
            // The app stopped before storing Voucherly's answer: the browser knows the id.
            (None, Some(hint))
                if matches!(stored, LocalStatus::Creating | LocalStatus::CreateFailed) =>
            {
                hint
            }
            _ => return stored,
        };
        // A payment the hint names is applied only to the record Voucherly ties it to (by its
        // id or its `referenceId`); the page shows it only if that record is this one.
        match self.refresh(&id).await {
            Ok(Applied::Known { id, status }) if id == summary.id => status,
            Ok(_) => {
                tracing::warn!("the returning browser named a payment that is not this one");
                stored
            }
            Err(error) => {
                tracing::warn!(%error, "could not read the payment back: showing what we know");
                stored
            }
        }
    }
}
