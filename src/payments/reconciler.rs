//! The reconciler: a background job that re-reads from Voucherly the payments still unsettled
//! (a tab closed at checkout, a lost callback), applies what it hears, backs off between reads,
//! and gives up after a while, so no payment stays "processing" forever.

use std::time::Duration;

use rusqlite::params;

use super::apply::{Applied, FIRST_CHECK_INTERVAL};
use super::config::Capture;
use super::refresh::{RefreshError, refresh};
use crate::domain::LocalStatus;
use crate::state::AppState;
use crate::storage::Database;
use crate::voucherly::VoucherlyError;

/// The longest wait between two readings of one payment, in seconds.
pub const MAX_CHECK_INTERVAL: i64 = 60 * 60;
/// At most this many payments are read back per run; the rest wait for the next run.
const BATCH: i64 = 100;

/// How often the reconciler runs and how patient it is.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub every: Duration,
    /// Seconds after its creation when an unsettled payment is given up as abandoned.
    pub give_up_after: i64,
    /// Seconds after which a payment still `creating` never heard back from Voucherly.
    pub creating_timeout: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            every: Duration::from_secs(30),
            give_up_after: 24 * 60 * 60,
            creating_timeout: 60,
        }
    }
}

/// Runs the reconciler every `policy.every` until the process ends. The first run waits one
/// period, so a starting app is not busy with it.
pub fn spawn(state: actix_web::web::Data<AppState>, policy: Policy) -> tokio::task::JoinHandle<()> {
    let heartbeat = state.heartbeats.register("reconciler", policy.every);
    tokio::spawn(async move {
        let start = tokio::time::Instant::now() + policy.every;
        let mut ticks = tokio::time::interval_at(start, policy.every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match reconcile_with(&state, crate::storage::now(), &policy).await {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "reconciler looked at unsettled payments"),
                Err(error) => tracing::error!(error = ?error, "reconciler run failed"),
            }
            heartbeat.beat();
        }
    })
}

/// One run with the default policy, as of `now` (Unix seconds); returns how many payments it
/// looked at.
pub async fn reconcile_once(state: &AppState, now: i64) -> anyhow::Result<usize> {
    reconcile_with(state, now, &Policy::default()).await
}

/// One run with `policy`, as of `now` (Unix seconds); returns how many payments it looked at.
#[tracing::instrument(name = "payments.reconcile", skip_all)]
pub async fn reconcile_with(state: &AppState, now: i64, policy: &Policy) -> anyhow::Result<usize> {
    let stuck = fail_stuck_creations(&state.db, now, policy.creating_timeout).await?;
    let refunded = super::refund::refund_due(state, now).await?;
    let due = due_payments(&state.db, now).await?;
    for payment in &due {
        if let Err(error) = check(state, payment, now, policy).await {
            tracing::error!(payment = payment.id, error = ?error, "could not reconcile a payment");
        }
    }
    Ok(stuck + refunded + due.len())
}

struct Due {
    id: i64,
    voucherly_payment_id: String,
    status: LocalStatus,
    created_at: i64,
    check_interval: Option<i64>,
}

async fn check(state: &AppState, due: &Due, now: i64, policy: &Policy) -> anyhow::Result<()> {
    let (current, gone) = match refresh(state, &due.voucherly_payment_id).await {
        Ok(Applied::Known { status, .. }) => (status, false),
        Ok(Applied::Unknown) => (due.status, false),
        Err(RefreshError::Voucherly(VoucherlyError::NotFound)) => (due.status, true),
        Err(RefreshError::Storage(error)) => return Err(error),
        Err(error) => {
            tracing::warn!(payment = due.id, %error, "could not read a payment back");
            (due.status, false)
        }
    };
    let db = &state.db;
    let id = due.id;
    // An authorisation is read (and captured) again until captured.
    let awaits_capture =
        current == LocalStatus::Authorised && state.payments.capture == Capture::AtPayment;
    if current.is_settled() && !awaits_capture && (gone || current != LocalStatus::CreateFailed) {
        return stop_checking(db, id, now).await;
    }
    if now - due.created_at >= policy.give_up_after {
        if current.can_move_to(LocalStatus::Abandoned) {
            tracing::warn!(payment = id, "payment never settled: abandoned");
            return abandon(db, id, now).await;
        }
        return stop_checking(db, id, now).await;
    }
    let doubled = due.check_interval.unwrap_or(FIRST_CHECK_INTERVAL / 2) * 2;
    let interval = doubled.clamp(FIRST_CHECK_INTERVAL, MAX_CHECK_INTERVAL);
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET check_interval = ?2, next_check_at = ?3 + ?2, updated_at = ?3
             WHERE id = ?1 AND status IN ('creating', 'requested', 'create_failed', 'authorised')",
            params![id, interval, now],
        )?;
        Ok(())
    })
    .await
}

async fn due_payments(db: &Database, now: i64) -> anyhow::Result<Vec<Due>> {
    db.run(move |conn| {
        let mut statement = conn.prepare(
            "SELECT id, voucherly_payment_id, status, created_at, check_interval FROM payments
             WHERE voucherly_payment_id IS NOT NULL
               AND status IN ('creating', 'requested', 'create_failed', 'authorised')
               AND (next_check_at <= ?1
                    OR (next_check_at IS NULL AND status IN ('creating', 'requested')))
             ORDER BY next_check_at LIMIT ?2",
        )?;
        let rows = statement.query_map(params![now, BATCH], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, Option<i64>>(4)?,
            ))
        })?;
        let mut due = Vec::new();
        for row in rows {
            let (id, voucherly_payment_id, status, created_at, check_interval) = row?;
            let Some(status) = LocalStatus::parse(&status) else {
                tracing::error!(payment = id, %status, "payment with an unknown status");
                continue;
            };
            due.push(Due {
                id,
                voucherly_payment_id,
                status,
                created_at,
                check_interval,
            });
        }
        Ok(due)
    })
    .await
}

/// Payments written but never told Voucherly's answer, long ago: the app stopped mid-way and
/// no callback came. They are marked failed, so the order can be paid again; a late callback
/// matched by reference would still record a success.
async fn fail_stuck_creations(db: &Database, now: i64, timeout: i64) -> anyhow::Result<usize> {
    let stuck: Vec<(i64, String)> = db
        .run(move |conn| {
            let mut statement = conn.prepare(
                "UPDATE payments SET status = 'create_failed', next_check_at = NULL,
                     error = COALESCE(error, 'unknown outcome: Voucherly''s answer never stored'),
                     updated_at = ?1
                 WHERE status = 'creating' AND voucherly_payment_id IS NULL AND created_at <= ?2
                 RETURNING id, reference",
            )?;
            let rows = statement.query_map(params![now, now - timeout], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await?;
    for (payment, reference) in &stuck {
        tracing::warn!(payment, %reference, "payment creation never finished: unknown outcome, marked failed");
    }
    Ok(stuck.len())
}

async fn abandon(db: &Database, id: i64, now: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET status = 'abandoned', next_check_at = NULL, updated_at = ?2
             WHERE id = ?1 AND status IN ('creating', 'requested')",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}

async fn stop_checking(db: &Database, id: i64, now: i64) -> anyhow::Result<()> {
    db.run(move |conn| {
        conn.execute(
            "UPDATE payments SET next_check_at = NULL, updated_at = ?2 WHERE id = ?1",
            params![id, now],
        )?;
        Ok(())
    })
    .await
}
