//! The sandbox's customers as `v1/customers` shows them: besides the name and email the
//! payments use ([`super::Customer`]), the phone number, metadata and creation time.

use std::collections::BTreeMap;

use anyhow::Context;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Customer;
use crate::storage;

#[derive(Debug, Clone)]
pub struct CustomerRecord {
    pub customer: Customer,
    pub phone_number: Option<String>,
    pub metadata: BTreeMap<String, String>,
    /// Unix seconds.
    pub created_at: i64,
}

/// What `POST v1/customers/{id}` may change; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct Changes {
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone_number: Option<String>,
    pub metadata: Option<BTreeMap<String, String>>,
}

const COLUMNS: &str = "id, first_name, last_name, email, phone_number, metadata, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<(CustomerRecord, String)> {
    Ok((
        CustomerRecord {
            customer: Customer {
                id: row.get(0)?,
                first_name: row.get(1)?,
                last_name: row.get(2)?,
                email: row.get(3)?,
            },
            phone_number: row.get(4)?,
            metadata: BTreeMap::new(),
            created_at: row.get(6)?,
        },
        row.get(5)?,
    ))
}

fn with_metadata(
    (mut record, metadata): (CustomerRecord, String),
) -> anyhow::Result<CustomerRecord> {
    record.metadata =
        serde_json::from_str(&metadata).context("a stored customer's metadata is not valid")?;
    Ok(record)
}

pub fn find(conn: &Connection, id: &str) -> anyhow::Result<Option<CustomerRecord>> {
    let sql = format!("SELECT {COLUMNS} FROM sandbox_customers WHERE id = ?1");
    conn.query_row(&sql, [id], from_row)
        .optional()
        .context("could not read a sandbox customer")?
        .map(with_metadata)
        .transpose()
}

/// Customers, oldest first, those with exactly `email` (ignoring case) when it is given.
pub fn list(conn: &Connection, email: Option<&str>) -> anyhow::Result<Vec<CustomerRecord>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sandbox_customers
         WHERE ?1 IS NULL OR email = ?1 COLLATE NOCASE
         ORDER BY created_at, rowid"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement
        .query_map([email], from_row)?
        .collect::<Result<Vec<_>, _>>()
        .context("could not list sandbox customers")?;
    rows.into_iter().map(with_metadata).collect()
}

pub fn insert(conn: &Connection, record: &CustomerRecord) -> anyhow::Result<()> {
    let customer = &record.customer;
    conn.execute(
        "INSERT INTO sandbox_customers
             (id, first_name, last_name, email, phone_number, metadata, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            customer.id,
            customer.first_name,
            customer.last_name,
            customer.email,
            record.phone_number,
            serde_json::to_string(&record.metadata)?,
            record.created_at
        ],
    )
    .context("could not store a sandbox customer")?;
    Ok(())
}

/// Applies `changes`; false when there is no such customer.
pub fn update(conn: &Connection, id: &str, changes: Changes) -> anyhow::Result<bool> {
    let metadata = changes
        .metadata
        .as_ref()
        .map(serde_json::to_string)
        .transpose()?;
    let changed = conn
        .execute(
            "UPDATE sandbox_customers SET
                 email = IFNULL(?2, email), first_name = IFNULL(?3, first_name),
                 last_name = IFNULL(?4, last_name), phone_number = IFNULL(?5, phone_number),
                 metadata = IFNULL(?6, metadata)
             WHERE id = ?1",
            params![
                id,
                changes.email,
                changes.first_name,
                changes.last_name,
                changes.phone_number,
                metadata
            ],
        )
        .context("could not update a sandbox customer")?;
    Ok(changed == 1)
}

/// A new customer's record, created now.
pub fn new_record(customer: Customer) -> CustomerRecord {
    CustomerRecord {
        customer,
        phone_number: None,
        metadata: BTreeMap::new(),
        created_at: storage::now(),
    }
}
