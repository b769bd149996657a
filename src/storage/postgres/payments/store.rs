//! The payment families of the storage interface on PostgreSQL: each method is one of this
//! folder's units of work.

use anyhow::Result;

use super::{apply, capture, created, inbox, open, refunds, schedule, summary};
use crate::domain::payment::{
    Applied, Begun, Created, NewPayment, PaymentRecord, PaymentSummary, Reading, Uncaptured,
};
use crate::domain::payment_work::{Callback, DueCallback, DueCheck, DueRefund, Kept, Spooled};
use crate::storage::postgres::Postgres;
use crate::storage::{CallbackInbox, PaymentStore};

#[async_trait::async_trait]
impl PaymentStore for Postgres {
    async fn begin_payment(&self, new: NewPayment, creating_timeout: i64) -> Result<Begun> {
        super::begin(self, new, creating_timeout).await
    }

    async fn payment_by_idempotency_key(
        &self,
        shopper_id: i64,
        idempotency_key: &str,
    ) -> Result<Option<PaymentRecord>> {
        super::find_by_idempotency_key(self, shopper_id, idempotency_key).await
    }

    async fn payment_by_reference(&self, reference: &str) -> Result<Option<PaymentRecord>> {
        super::find_by_reference(self, reference).await
    }

    async fn payment_summary(&self, reference: &str) -> Result<Option<PaymentSummary>> {
        summary::summary_by_reference(self, reference).await
    }

    async fn record_created(&self, reference: &str, created: Created) -> Result<()> {
        created::record_created(
            self,
            created.first_check_after,
            reference,
            &created.voucherly_payment_id,
            created.voucherly_status.as_deref(),
            &created.checkout_url,
        )
        .await
    }

    async fn record_create_failed(&self, reference: &str, error: &str) -> Result<()> {
        created::record_create_failed(self, reference, error).await
    }

    async fn apply_reading(&self, reading: Reading) -> Result<(Applied, bool)> {
        apply::apply(self, reading).await
    }

    async fn unsettled_for_order(&self, order_id: i64) -> Result<Vec<String>> {
        open::unsettled_for_order(self, order_id).await
    }

    async fn mark_outcome_unknown(&self, voucherly_payment_id: &str) -> Result<()> {
        open::unknown_outcome(self, voucherly_payment_id).await
    }

    async fn retry_capture_at(&self, voucherly_payment_id: &str, at: i64) -> Result<()> {
        open::retry_capture_at(self, voucherly_payment_id, at).await
    }

    async fn authorised_for_order(&self, order_id: i64) -> Result<Option<String>> {
        capture::authorised_for_order(self, order_id).await
    }

    async fn uncaptured(&self) -> Result<Vec<Uncaptured>> {
        capture::uncaptured(self).await
    }

    async fn fail_stuck_creations(&self, now: i64, timeout: i64) -> Result<Vec<(i64, String)>> {
        schedule::fail_stuck_creations(self, now, timeout).await
    }

    async fn lease_due_checks(&self, now: i64, limit: i64, lease: i64) -> Result<Vec<DueCheck>> {
        schedule::lease_due(self, now, limit, lease).await
    }

    async fn abandon(&self, id: i64, now: i64) -> Result<()> {
        schedule::abandon(self, id, now).await
    }

    async fn stop_checking(&self, id: i64, now: i64) -> Result<()> {
        schedule::stop_checking(self, id, now).await
    }

    async fn check_again_in(&self, id: i64, interval: i64, now: i64) -> Result<()> {
        schedule::back_off(self, id, interval, now).await
    }

    async fn lease_due_refunds(&self, now: i64, limit: i64) -> Result<Vec<DueRefund>> {
        refunds::claim_due(self, now, limit).await
    }

    async fn refund_done(&self, id: i64) -> Result<()> {
        refunds::done(self, id).await
    }

    async fn retry_refund_at(&self, id: i64, at: i64, error: String) -> Result<()> {
        refunds::retry_at(self, id, at, error).await
    }

    async fn refund_impossible(&self, id: i64, error: String, now: i64) -> Result<bool> {
        refunds::impossible(self, id, error, now).await
    }
}

#[async_trait::async_trait]
impl CallbackInbox for Postgres {
    async fn keep_callback(&self, callback: Callback, cap: i64) -> Result<Kept> {
        inbox::keep(self, callback, cap).await
    }

    async fn keep_spooled(&self, entries: Vec<Spooled>, cap: i64, now: i64) -> Result<Vec<Kept>> {
        inbox::replay(self, entries, cap, now).await
    }

    async fn lease_due_callbacks(&self, now: i64, limit: i64) -> Result<Vec<DueCallback>> {
        inbox::claim_due(self, now, limit).await
    }

    async fn callback_done(
        &self,
        voucherly_payment_id: &str,
        error: Option<String>,
        now: i64,
    ) -> Result<()> {
        inbox::done(self, voucherly_payment_id, error, now).await
    }

    async fn retry_callback_at(
        &self,
        voucherly_payment_id: &str,
        error: String,
        at: i64,
    ) -> Result<()> {
        inbox::retry_at(self, voucherly_payment_id, error, at).await
    }
}
