//! The store's refunds on SQLite: recorded and checked in one IMMEDIATE transaction, claimed
//! with a lease by a conditional update (one worker, and of an order only the oldest unfinished
//! refund), completed with the order's change and the store's event in one transaction.

mod finish;
mod record;

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Database;
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
    WHERE o.order_id = store_refunds.order_id AND o.status = 'pending' AND o.id < store_refunds.id)";

fn from_row(row: &Row<'_>) -> rusqlite::Result<RawRefund> {
    Ok(RawRefund {
        id: row.get(0)?,
        order_id: row.get(1)?,
        store_refund_id: row.get(2)?,
        fingerprint: row.get(3)?,
        voucherly_payment_id: row.get(4)?,
        amount: row.get(5)?,
        food_amount: row.get(6)?,
        destination: row.get(7)?,
        reason: row.get(8)?,
        lines: row.get(9)?,
        status: row.get(10)?,
        plan: row.get(11)?,
        attempts: row.get(12)?,
        last_error: row.get(13)?,
        created_at: row.get(14)?,
        updated_at: row.get(15)?,
        completed_at: row.get(16)?,
    })
}

/// A row as stored, its texts not yet parsed.
pub(super) struct RawRefund {
    id: i64,
    order_id: i64,
    store_refund_id: String,
    fingerprint: String,
    voucherly_payment_id: String,
    amount: i64,
    food_amount: i64,
    destination: String,
    reason: Option<String>,
    lines: String,
    status: String,
    plan: Option<String>,
    attempts: i64,
    last_error: Option<String>,
    created_at: i64,
    updated_at: i64,
    completed_at: Option<i64>,
}

impl TryFrom<RawRefund> for Refund {
    type Error = anyhow::Error;

    fn try_from(raw: RawRefund) -> anyhow::Result<Self> {
        let id = raw.id;
        Ok(Self {
            id,
            order_id: raw.order_id,
            store_refund_id: raw.store_refund_id,
            fingerprint: raw.fingerprint,
            voucherly_payment_id: raw.voucherly_payment_id,
            amount: raw.amount,
            food_amount: raw.food_amount,
            destination: RefundDestination::parse(&raw.destination)
                .ok_or_else(|| anyhow::anyhow!("refund {id} has an unknown destination"))?,
            reason: raw.reason,
            lines: serde_json::from_str(&raw.lines)?,
            status: RefundStatus::parse(&raw.status)
                .ok_or_else(|| anyhow::anyhow!("refund {id} has an unknown status"))?,
            plan: raw.plan.as_deref().map(serde_json::from_str).transpose()?,
            attempts: raw.attempts,
            last_error: raw.last_error,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
            completed_at: raw.completed_at,
        })
    }
}

/// Refund `id`, if it exists.
pub(super) fn by_id(conn: &Connection, id: i64) -> anyhow::Result<Option<Refund>> {
    conn.query_row(&format!("{SELECT} WHERE r.id = ?1"), [id], from_row)
        .optional()?
        .map(Refund::try_from)
        .transpose()
}

fn by_store_id(
    conn: &Connection,
    order_id: i64,
    store_refund_id: &str,
) -> anyhow::Result<Option<Refund>> {
    conn.query_row(
        &format!("{SELECT} WHERE r.order_id = ?1 AND r.store_refund_id = ?2"),
        params![order_id, store_refund_id],
        from_row,
    )
    .optional()?
    .map(Refund::try_from)
    .transpose()
}

#[async_trait]
impl RefundStore for Database {
    async fn record_refund(
        &self,
        refund: NewRefund,
        now: i64,
        due_at: i64,
    ) -> anyhow::Result<RecordRefund> {
        self.run(move |conn| record::record(conn, &refund, now, due_at))
            .await
    }

    async fn refund_of_order(
        &self,
        order_id: i64,
        store_refund_id: &str,
    ) -> anyhow::Result<Option<Refund>> {
        let store_refund_id = store_refund_id.to_owned();
        self.run(move |conn| by_store_id(conn, order_id, &store_refund_id))
            .await
    }

    async fn refunds_of_order(&self, order_id: i64) -> anyhow::Result<Vec<Refund>> {
        self.run(move |conn| {
            let mut statement =
                conn.prepare(&format!("{SELECT} WHERE r.order_id = ?1 ORDER BY r.id"))?;
            let rows = statement.query_map([order_id], from_row)?;
            rows.map(|raw| Refund::try_from(raw?)).collect()
        })
        .await
    }

    async fn claim_refund(&self, id: i64, now: i64, lease: i64) -> anyhow::Result<Option<Refund>> {
        self.run(move |conn| {
            let claimed = conn.execute(
                &format!(
                    "UPDATE store_refunds SET lease_until = ?2 + ?3, attempts = attempts + 1,
                         updated_at = ?2
                     WHERE id = ?1 AND status = 'pending'
                       AND (lease_until IS NULL OR lease_until <= ?2) AND {OLDEST_OF_ORDER}"
                ),
                params![id, now, lease],
            )?;
            match claimed {
                0 => Ok(None),
                _ => by_id(conn, id),
            }
        })
        .await
    }

    async fn lease_due_store_refunds(
        &self,
        now: i64,
        limit: i64,
        lease: i64,
    ) -> anyhow::Result<Vec<Refund>> {
        self.run(move |conn| {
            let ids: Vec<i64> = conn
                .prepare(&format!(
                    "UPDATE store_refunds SET lease_until = ?1 + ?3, attempts = attempts + 1,
                         updated_at = ?1
                     WHERE id IN (
                         SELECT id FROM store_refunds
                         WHERE status = 'pending' AND next_attempt_at <= ?1
                           AND (lease_until IS NULL OR lease_until <= ?1) AND {OLDEST_OF_ORDER}
                         ORDER BY next_attempt_at, id LIMIT ?2)
                     RETURNING id"
                ))?
                .query_map(params![now, limit, lease], |row| row.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let mut due = Vec::with_capacity(ids.len());
            for id in ids {
                due.extend(by_id(conn, id)?);
            }
            Ok(due)
        })
        .await
    }

    async fn keep_refund_plan(&self, id: i64, plan: RefundPlan) -> anyhow::Result<RefundPlan> {
        let text = serde_json::to_string(&plan)?;
        self.run(move |conn| {
            let kept: String = conn.query_row(
                "UPDATE store_refunds SET plan = COALESCE(plan, ?2) WHERE id = ?1 RETURNING plan",
                params![id, text],
                |row| row.get(0),
            )?;
            Ok(serde_json::from_str(&kept)?)
        })
        .await
    }

    async fn retry_refund_later(&self, id: i64, at: i64, error: String) -> anyhow::Result<()> {
        self.run(move |conn| {
            conn.execute(
                "UPDATE store_refunds SET lease_until = NULL, next_attempt_at = ?2,
                     last_error = ?3
                 WHERE id = ?1 AND status = 'pending'",
                params![id, at, error],
            )?;
            Ok(())
        })
        .await
    }

    async fn complete_refund(&self, id: i64, now: i64) -> anyhow::Result<bool> {
        self.run(move |conn| finish::complete(conn, id, now)).await
    }

    async fn refund_needs_person(&self, id: i64, error: String, now: i64) -> anyhow::Result<bool> {
        self.run(move |conn| finish::needs_person(conn, id, &error, now))
            .await
    }
}
