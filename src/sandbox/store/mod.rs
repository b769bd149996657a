//! The sandbox's tables (`sandbox_*`, created by migration 0002). Plain functions on a
//! connection, called inside `Database::run`; callers that read then write open an IMMEDIATE
//! transaction and pass it here (a transaction derefs to the connection).

pub mod customers;
pub mod payments;
pub mod receipts;
pub mod wallet;

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, params};

use super::wire::{Gateway, PaymentMethod};
use crate::storage;

/// A customer of the sandbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

impl Customer {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

/// Adds a customer unless one with that id exists. Returns whether it was added.
pub fn insert_customer(conn: &Connection, customer: &Customer) -> anyhow::Result<bool> {
    let added = conn
        .execute(
            "INSERT OR IGNORE INTO sandbox_customers (id, first_name, last_name, email, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                customer.id,
                customer.first_name,
                customer.last_name,
                customer.email,
                storage::now()
            ],
        )
        .context("could not store a sandbox customer")?;
    Ok(added == 1)
}

pub fn customer(conn: &Connection, id: &str) -> anyhow::Result<Option<Customer>> {
    conn.query_row(
        "SELECT id, first_name, last_name, email FROM sandbox_customers WHERE id = ?1",
        [id],
        |row| {
            Ok(Customer {
                id: row.get(0)?,
                first_name: row.get(1)?,
                last_name: row.get(2)?,
                email: row.get(3)?,
            })
        },
    )
    .optional()
    .context("could not read a sandbox customer")
}

/// Saves a method for a customer unless one with that id exists (deleted ones included).
pub fn insert_method(
    conn: &Connection,
    customer_id: &str,
    method: &PaymentMethod,
) -> anyhow::Result<()> {
    let body = serde_json::to_string(method)?;
    conn.execute(
        "INSERT OR IGNORE INTO sandbox_payment_methods (id, customer_id, body, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![method.id, customer_id, body, storage::now()],
    )
    .context("could not store a sandbox payment method")?;
    Ok(())
}

/// A customer's saved methods, the most recent first (list-customer-payment-method.api.mdx).
pub fn methods(conn: &Connection, customer_id: &str) -> anyhow::Result<Vec<PaymentMethod>> {
    let mut statement = conn.prepare_cached(
        "SELECT body FROM sandbox_payment_methods
         WHERE customer_id = ?1 AND deleted_at IS NULL
         ORDER BY created_at DESC, rowid DESC",
    )?;
    let bodies = statement
        .query_map([customer_id], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()
        .context("could not read sandbox payment methods")?;
    bodies
        .iter()
        .map(|body| serde_json::from_str(body).context("a stored payment method is not valid"))
        .collect()
}

/// Removes one of a customer's methods. Returns false when the customer has no such method.
pub fn delete_method(conn: &Connection, customer_id: &str, id: &str) -> anyhow::Result<bool> {
    let changed = conn
        .execute(
            "UPDATE sandbox_payment_methods SET deleted_at = ?3
             WHERE id = ?1 AND customer_id = ?2 AND deleted_at IS NULL",
            params![id, customer_id, storage::now()],
        )
        .context("could not delete a sandbox payment method")?;
    Ok(changed == 1)
}

pub fn insert_gateway(conn: &Connection, position: i64, gateway: &Gateway) -> anyhow::Result<()> {
    let body = serde_json::to_string(gateway)?;
    // The gateways are the sandbox's fixed configuration, not user data: rewritten at each start.
    conn.execute(
        "INSERT OR REPLACE INTO sandbox_gateways (id, position, body) VALUES (?1, ?2, ?3)",
        params![gateway.id, position, body],
    )
    .context("could not store a sandbox gateway")?;
    Ok(())
}

pub fn gateways(conn: &Connection) -> anyhow::Result<Vec<Gateway>> {
    let mut statement =
        conn.prepare_cached("SELECT body FROM sandbox_gateways ORDER BY position, id")?;
    let bodies = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()
        .context("could not read sandbox gateways")?;
    bodies
        .iter()
        .map(|body| serde_json::from_str(body).context("a stored gateway is not valid"))
        .collect()
}
