//! Stored payments: the Payment as the API reports it (all includes), the request that created
//! it (for its redirect and callback URLs and language) and its checkout form token.

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::storage;
use crate::voucherly::types::{CreatePaymentRequest, Payment, PaymentStatus};

#[derive(Debug, Clone)]
pub struct StoredPayment {
    pub payment: Payment,
    pub request: CreatePaymentRequest,
    /// The secret the hosted checkout form must send back.
    pub token: String,
}

impl StoredPayment {
    pub fn status(&self) -> PaymentStatus {
        self.payment
            .status
            .clone()
            .unwrap_or(PaymentStatus::Requested)
    }
}

pub fn insert(conn: &Connection, stored: &StoredPayment) -> anyhow::Result<()> {
    let now = storage::now();
    conn.execute(
        "INSERT INTO sandbox_payments
             (id, customer_id, status, checkout_token, request, body, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
        params![
            stored.payment.id,
            stored.payment.customer_id,
            stored.status().as_str(),
            stored.token,
            serde_json::to_string(&stored.request)?,
            serde_json::to_string(&stored.payment)?,
            now
        ],
    )
    .context("could not store a sandbox payment")?;
    Ok(())
}

pub fn load(conn: &Connection, id: &str) -> anyhow::Result<Option<StoredPayment>> {
    let row = conn
        .query_row(
            "SELECT checkout_token, request, body FROM sandbox_payments WHERE id = ?1",
            [id],
            |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            },
        )
        .optional()
        .context("could not read a sandbox payment")?;
    let Some((token, request, body)) = row else {
        return Ok(None);
    };
    Ok(Some(StoredPayment {
        payment: serde_json::from_str(&body).context("a stored payment is not valid")?,
        request: serde_json::from_str(&request).context("a stored payment request is not valid")?,
        token,
    }))
}

fn save(conn: &Connection, payment: &Payment) -> anyhow::Result<()> {
    let status = payment.status.as_ref().map(PaymentStatus::as_str);
    conn.execute(
        "UPDATE sandbox_payments SET status = ?2, body = ?3, updated_at = ?4 WHERE id = ?1",
        params![
            payment.id,
            status.unwrap_or("Requested"),
            serde_json::to_string(payment)?,
            storage::now()
        ],
    )
    .context("could not update a sandbox payment")?;
    Ok(())
}

/// Loads a payment inside an IMMEDIATE transaction and lets `change` edit it (and write other
/// rows through the connection it is given). When `change` refuses, nothing is written and the
/// refusal is returned; otherwise the payment is saved and returned. `None`: no such payment.
pub fn update<E>(
    conn: &mut Connection,
    id: &str,
    change: impl FnOnce(&Connection, &mut StoredPayment) -> anyhow::Result<Result<(), E>>,
) -> anyhow::Result<Option<Result<StoredPayment, E>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(mut stored) = load(&tx, id)? else {
        return Ok(None);
    };
    if let Err(refusal) = change(&tx, &mut stored)? {
        return Ok(Some(Err(refusal)));
    }
    save(&tx, &stored.payment)?;
    tx.commit().context("could not commit a sandbox payment")?;
    Ok(Some(Ok(stored)))
}
