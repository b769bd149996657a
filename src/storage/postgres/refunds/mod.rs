//! The store's refunds on PostgreSQL, shared by every instance: recorded under a lock on the
//! order's row, so requests for one order are taken one after the other; claimed by a
//! conditional update that a second instance re-checks once the first commits, or leased in
//! batches with `FOR UPDATE SKIP LOCKED` and an expiry; completed with the order's change and
//! the store's event in one transaction.

mod finish;
mod record;

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;

use super::Postgres;
use crate::domain::refund::{
    NewRefund, RecordRefund, Refund, RefundDestination, RefundPlan, RefundStatus,
};
use crate::storage::RefundStore;

/// The columns [`from_row`] reads, `r` being `store_refunds` and `p` its payment.
const SELECT: &str = "SELECT r.id, r.order_id, r.store_refund_id, r.fingerprint,
        COALESCE(p.voucherly_payment_id, ''), r.amount, r.food_amount, r.destination, r.reason,
        r.lines, r.status, r.plan, r.attempts, r.last_error, r.created_at, r.updated_at,
        r.completed_at
    FROM store_refunds r JOIN payments p ON p.id = r.payment_id";

/// Only the oldest unfinished refund of an order may be claimed: its retries then read
/// Voucherly's totals with every earlier refund settled.
const OLDEST_OF_ORDER: &str = "NOT EXISTS (SELECT 1 FROM store_refunds o
    WHERE o.order_id = r.order_id AND o.status = 'pending' AND o.id < r.id)";

fn from_row(row: &Row) -> anyhow::Result<Refund> {
    let id: i64 = row.try_get(0)?;
    let destination: String = row.try_get(7)?;
    let lines: String = row.try_get(9)?;
    let status: String = row.try_get(10)?;
    let plan: Option<String> = row.try_get(11)?;
    Ok(Refund {
        id,
        order_id: row.try_get(1)?,
        store_refund_id: row.try_get(2)?,
        fingerprint: row.try_get(3)?,
        voucherly_payment_id: row.try_get(4)?,
        amount: row.try_get(5)?,
        food_amount: row.try_get(6)?,
        destination: RefundDestination::parse(&destination)
            .ok_or_else(|| anyhow::anyhow!("refund {id} has an unknown destination"))?,
        reason: row.try_get(8)?,
        lines: serde_json::from_str(&lines)?,
        status: RefundStatus::parse(&status)
            .ok_or_else(|| anyhow::anyhow!("refund {id} has an unknown status"))?,
        plan: plan.as_deref().map(serde_json::from_str).transpose()?,
        attempts: row.try_get(12)?,
        last_error: row.try_get(13)?,
        created_at: row.try_get(14)?,
        updated_at: row.try_get(15)?,
        completed_at: row.try_get(16)?,
    })
}

/// Refund `id`, if it exists.
pub(super) async fn by_id(client: &impl GenericClient, id: i64) -> anyhow::Result<Option<Refund>> {
    let read = client
        .prepare_cached(&format!("{SELECT} WHERE r.id = $1"))
        .await?;
    client
        .query_opt(&read, &[&id])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

async fn by_store_id(
    client: &impl GenericClient,
    order_id: i64,
    store_refund_id: &str,
) -> anyhow::Result<Option<Refund>> {
    let read = client
        .prepare_cached(&format!(
            "{SELECT} WHERE r.order_id = $1 AND r.store_refund_id = $2"
        ))
        .await?;
    client
        .query_opt(&read, &[&order_id, &store_refund_id])
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

#[async_trait]
impl RefundStore for Postgres {
    async fn record_refund(
        &self,
        refund: NewRefund,
        now: i64,
        due_at: i64,
    ) -> anyhow::Result<RecordRefund> {
        record::record(self, &refund, now, due_at).await
    }

    async fn refund_of_order(
        &self,
        order_id: i64,
        store_refund_id: &str,
    ) -> anyhow::Result<Option<Refund>> {
        let client = self.client().await?;
        by_store_id(&client, order_id, store_refund_id).await
    }

    async fn refunds_of_order(&self, order_id: i64) -> anyhow::Result<Vec<Refund>> {
        let client = self.client().await?;
        let read = client
            .prepare_cached(&format!("{SELECT} WHERE r.order_id = $1 ORDER BY r.id"))
            .await?;
        client
            .query(&read, &[&order_id])
            .await?
            .iter()
            .map(from_row)
            .collect()
    }

    async fn claim_refund(&self, id: i64, now: i64, lease: i64) -> anyhow::Result<Option<Refund>> {
        let client = self.client().await?;
        // A second instance claiming the same row waits for the first to commit, then finds
        // the lease taken when it re-checks the row.
        let claim = client
            .prepare_cached(&format!(
                "UPDATE store_refunds r SET lease_until = $2::BIGINT + $3::BIGINT,
                     attempts = attempts + 1, updated_at = $2
                 WHERE r.id = $1 AND r.status = 'pending'
                   AND (r.lease_until IS NULL OR r.lease_until <= $2) AND {OLDEST_OF_ORDER}
                 RETURNING r.id"
            ))
            .await?;
        match client.query_opt(&claim, &[&id, &now, &lease]).await? {
            Some(_) => by_id(&client, id).await,
            None => Ok(None),
        }
    }

    async fn lease_due_store_refunds(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> anyhow::Result<Vec<Refund>> {
        let client = self.client().await?;
        let lease_due = client
            .prepare_cached(&format!(
                "WITH due AS (
                     SELECT r.id FROM store_refunds r
                     WHERE r.status = 'pending' AND r.next_attempt_at <= $1
                       AND (r.lease_until IS NULL OR r.lease_until <= $1) AND {OLDEST_OF_ORDER}
                     ORDER BY r.next_attempt_at, r.id LIMIT $2
                     FOR UPDATE OF r SKIP LOCKED)
                 UPDATE store_refunds s SET lease_until = $1::BIGINT + $3::BIGINT,
                     attempts = s.attempts + 1, updated_at = $1
                 FROM due WHERE s.id = due.id
                 RETURNING s.id"
            ))
            .await?;
        let rows = client.query(&lease_due, &[&now, &limit, &lease]).await?;
        let mut due = Vec::with_capacity(rows.len());
        for row in rows {
            due.extend(by_id(&client, row.try_get(0)?).await?);
        }
        Ok(due)
    }

    async fn keep_refund_plan(&self, id: i64, plan: RefundPlan) -> anyhow::Result<RefundPlan> {
        let text = serde_json::to_string(&plan)?;
        let client = self.client().await?;
        let keep = client
            .prepare_cached(
                "UPDATE store_refunds SET plan = COALESCE(plan, $2) WHERE id = $1 RETURNING plan",
            )
            .await?;
        let kept: String = client.query_one(&keep, &[&id, &text]).await?.try_get(0)?;
        Ok(serde_json::from_str(&kept)?)
    }

    async fn retry_refund_later(&self, id: i64, at: i64, error: String) -> anyhow::Result<()> {
        let client = self.client().await?;
        let retry = client
            .prepare_cached(
                "UPDATE store_refunds SET lease_until = NULL, next_attempt_at = $2,
                     last_error = $3
                 WHERE id = $1 AND status = 'pending'",
            )
            .await?;
        client.execute(&retry, &[&id, &at, &error]).await?;
        Ok(())
    }

    async fn complete_refund(&self, id: i64, now: i64) -> anyhow::Result<bool> {
        finish::complete(self, id, now).await
    }

    async fn refund_needs_person(&self, id: i64, error: String, now: i64) -> anyhow::Result<bool> {
        finish::needs_person(self, id, &error, now).await
    }
}
