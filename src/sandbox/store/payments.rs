//! Stored payments: the Payment as the API reports it (all includes), the request that created
//! it (for its redirect and callback URLs, language and capture choice), its checkout form
//! token and the bookkeeping the API never shows ([`State`]). Every load through [`update`] or
//! [`current`] first catches up with the clock ([`super::super::lifecycle::catch_up`]), so an
//! expired checkout or authorisation is seen as such by whoever looks first.

use std::convert::Infallible;

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::sandbox::lifecycle;
use crate::sandbox::wire::{NewPayment, Payment, Status};
use crate::storage;

#[derive(Debug, Clone)]
pub struct StoredPayment {
    pub payment: Payment,
    pub request: NewPayment,
    /// The secret the hosted checkout form must send back.
    pub token: String,
    pub state: State,
}

/// What the sandbox remembers about a payment beyond its JSON. Times are Unix seconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    /// A `Requested` payment still open then becomes `Expired`.
    pub checkout_deadline: Option<i64>,
    /// A `Paid` payment not confirmed by then is cancelled: its authorisation expired.
    pub authorised_until: Option<i64>,
    /// Chosen at the checkout (a testing option): refunds of meal vouchers end
    /// `ImpossibleRefund`, as Voucherly warns they can.
    pub voucher_refund_fails: bool,
    /// Chosen at the checkout (a testing option): no callback is posted.
    pub lose_callback: bool,
}

impl StoredPayment {
    pub fn status(&self) -> Status {
        self.payment.status
    }
}

pub fn insert(conn: &Connection, stored: &StoredPayment) -> anyhow::Result<()> {
    let now = storage::now();
    conn.execute(
        "INSERT INTO sandbox_payments
             (id, customer_id, status, checkout_token, request, body, state, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        params![
            stored.payment.id,
            stored.payment.customer_id,
            stored.status().as_str(),
            stored.token,
            serde_json::to_string(&stored.request)?,
            serde_json::to_string(&stored.payment)?,
            serde_json::to_string(&stored.state)?,
            now
        ],
    )
    .context("could not store a sandbox payment")?;
    Ok(())
}

/// The payment as stored, without catching up with the clock.
fn load(conn: &Connection, id: &str) -> anyhow::Result<Option<StoredPayment>> {
    let row = conn
        .query_row(
            "SELECT checkout_token, request, body, state FROM sandbox_payments WHERE id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ))
            },
        )
        .optional()
        .context("could not read a sandbox payment")?;
    let Some((token, request, body, state)) = row else {
        return Ok(None);
    };
    // Requests stored by an older sandbox may not fit today's strict reading; their payment
    // still loads, with the request's options as if none had been sent.
    let request = serde_json::from_str(&request).unwrap_or_else(|error| {
        tracing::warn!(%error, payment_id = id, "an old sandbox payment request was not read");
        NewPayment::default()
    });
    Ok(Some(StoredPayment {
        payment: serde_json::from_str(&body).context("a stored payment is not valid")?,
        request,
        token,
        state: serde_json::from_str(&state).context("a stored payment state is not valid")?,
    }))
}

fn save(conn: &Connection, stored: &StoredPayment) -> anyhow::Result<()> {
    conn.execute(
        "UPDATE sandbox_payments SET status = ?2, body = ?3, state = ?4, updated_at = ?5
         WHERE id = ?1",
        params![
            stored.payment.id,
            stored.status().as_str(),
            serde_json::to_string(&stored.payment)?,
            serde_json::to_string(&stored.state)?,
            storage::now()
        ],
    )
    .context("could not update a sandbox payment")?;
    Ok(())
}

/// Loads a payment inside an IMMEDIATE transaction, catches it up with the clock and lets
/// `change` edit it (and write other rows through the connection it is given). When `change`
/// refuses, only the catching up is written and the refusal is returned; otherwise the payment
/// is saved and returned with what `change` said. `None`: no such payment.
pub fn update<T, E>(
    conn: &mut Connection,
    id: &str,
    change: impl FnOnce(&Connection, &mut StoredPayment) -> anyhow::Result<Result<T, E>>,
) -> anyhow::Result<Option<Result<(StoredPayment, T), E>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(mut stored) = load(&tx, id)? else {
        return Ok(None);
    };
    let caught_up = lifecycle::catch_up(&mut stored, storage::now());
    let outcome = change(&tx, &mut stored)?;
    if outcome.is_ok() || caught_up {
        save(&tx, &stored)?;
        tx.commit().context("could not commit a sandbox payment")?;
    }
    Ok(Some(outcome.map(|said| (stored, said))))
}

/// The payment as it stands now: caught up with the clock, written only when that changed it.
pub fn current(conn: &mut Connection, id: &str) -> anyhow::Result<Option<StoredPayment>> {
    let Some(mut stored) = load(conn, id)? else {
        return Ok(None);
    };
    if !lifecycle::catch_up(&mut stored, storage::now()) {
        return Ok(Some(stored));
    }
    let updated = update(conn, id, |_, _| Ok(Ok::<(), Infallible>(())))?;
    Ok(updated.map(|outcome| match outcome {
        Ok((stored, ())) => stored,
        Err(never) => match never {},
    }))
}
