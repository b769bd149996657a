//! Rows written with plain SQL, the same statements on both engines, for contract tests that
//! need rows the interface only writes as a side effect: outbox events (queued inside a
//! payment's change), payments in a given state at a given time, orders without lines. Both
//! engines get exactly the same rows.

use voucherly_account::storage::Database;

/// Like `on_both!`, with `$raw` bound to a [`Raw`] on the same database as `$store`.
macro_rules! on_both_with_raw {
    (|$store:ident, $raw:ident| $body:block) => {{
        let engines = $crate::storage::engines::Engines::new().await;
        {
            let $store = &engines.sqlite;
            let $raw = &$crate::storage::raw_setup::Raw::Sqlite(engines.sqlite.clone());
            $body
        }
        {
            let $store = &engines.postgres;
            let $raw = &$crate::storage::raw_setup::Raw::postgres(&engines.postgres_url).await;
            $body
        }
    }};
}

/// A value bound to a statement.
#[derive(Clone)]
pub enum Value {
    Int(i64),
    Text(String),
    Bool(bool),
}

impl From<i64> for Value {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<&str> for Value {
    fn from(value: &str) -> Self {
        Self::Text(value.to_owned())
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

/// A connection for plain SQL on one engine's test database. Statements use `$1, $2, …` in
/// order (SQLite reads them as named parameters, numbered in order of appearance).
pub enum Raw {
    Sqlite(Database),
    Postgres(tokio_postgres::Client),
}

impl Raw {
    pub async fn postgres(url: &str) -> Self {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
            .await
            .expect("the test database");
        tokio::spawn(connection);
        Self::Postgres(client)
    }

    /// Runs `sql`, which ends in `RETURNING` one integer, and returns it.
    pub async fn returning(&self, sql: &str, values: &[Value]) -> i64 {
        match self {
            Self::Sqlite(db) => {
                let (sql, values) = (sql.to_owned(), sqlite_values(values));
                db.run(move |conn| {
                    Ok(conn.query_row(&sql, rusqlite::params_from_iter(values), |row| row.get(0))?)
                })
                .await
                .expect("a row written")
            }
            Self::Postgres(client) => {
                let params = postgres_values(values);
                client
                    .query_one(sql, &params)
                    .await
                    .expect("a row written")
                    .get(0)
            }
        }
    }

    /// Runs `sql`, which writes without returning.
    pub async fn execute(&self, sql: &str, values: &[Value]) {
        match self {
            Self::Sqlite(db) => {
                let (sql, values) = (sql.to_owned(), sqlite_values(values));
                db.run(move |conn| Ok(conn.execute(&sql, rusqlite::params_from_iter(values))?))
                    .await
                    .expect("rows written");
            }
            Self::Postgres(client) => {
                client
                    .execute(sql, &postgres_values(values))
                    .await
                    .expect("rows written");
            }
        }
    }

    /// A shopper; returns their id.
    pub async fn shopper(&self, store_user_id: &str) -> i64 {
        self.returning(
            "INSERT INTO shoppers (store_user_id, email, first_name, last_name, language,
                 created_at, updated_at)
             VALUES ($1, $2, 'Ada', 'Lovelace', 'en', 1, 1) RETURNING id",
            &[
                store_user_id.into(),
                format!("{store_user_id}@example.com").as_str().into(),
            ],
        )
        .await
    }

    /// An order of `final_amount` cents awaiting payment, created at `created_at`, with no lines;
    /// returns its id.
    pub async fn order(&self, shopper_id: i64, store_order_id: &str, created_at: i64) -> i64 {
        self.returning(
            "INSERT INTO orders (shopper_id, store_order_id, total_amount, discount_amount,
                 final_amount, request_digest, created_at, updated_at)
             VALUES ($1, $2, 1200, 200, 1000, 'digest', $3, $3) RETURNING id",
            &[shopper_id.into(), store_order_id.into(), created_at.into()],
        )
        .await
    }

    /// A payment of 1000 cents; returns its id.
    pub async fn payment(&self, payment: Payment<'_>) -> i64 {
        self.returning(
            "INSERT INTO payments (reference, shopper_id, order_id, idempotency_key, environment,
                 amount, method_id, method_label, checkout_url, status, next_check_at,
                 is_duplicate, created_at, updated_at)
             VALUES ($1, $2, $3, $1, $4, 1000, NULLIF($5, ''), NULLIF($5, ''), NULLIF($6, ''),
                 $7, $8, $9, $10, $10)
             RETURNING id",
            &[
                payment.reference.into(),
                payment.shopper_id.into(),
                payment.order_id.into(),
                payment.environment.into(),
                payment.method_id.unwrap_or("").into(),
                payment.checkout_url.unwrap_or("").into(),
                payment.status.into(),
                payment.next_check_at.into(),
                payment.is_duplicate.into(),
                payment.created_at.into(),
            ],
        )
        .await
    }

    /// An undelivered event of `order_id`, due at `next_attempt_at`.
    pub async fn event(&self, order_id: i64, event_id: &str, next_attempt_at: i64) {
        self.execute(
            "INSERT INTO outbox_events (event_id, order_id, type, payload, created_at,
                 next_attempt_at)
             VALUES ($1, $2, 'order.paid', $3, 1, $4)",
            &[
                event_id.into(),
                order_id.into(),
                format!(r#"{{"id":"{event_id}"}}"#).as_str().into(),
                next_attempt_at.into(),
            ],
        )
        .await;
    }
}

/// What [`Raw::payment`] writes; its `method_id` is its label too.
pub struct Payment<'a> {
    pub shopper_id: i64,
    pub order_id: i64,
    pub reference: &'a str,
    pub environment: &'a str,
    pub status: &'a str,
    pub method_id: Option<&'a str>,
    pub checkout_url: Option<&'a str>,
    pub next_check_at: i64,
    pub is_duplicate: bool,
    pub created_at: i64,
}

fn sqlite_values(values: &[Value]) -> Vec<rusqlite::types::Value> {
    values
        .iter()
        .map(|value| match value {
            Value::Int(value) => rusqlite::types::Value::Integer(*value),
            Value::Text(value) => rusqlite::types::Value::Text(value.clone()),
            Value::Bool(value) => rusqlite::types::Value::Integer(i64::from(*value)),
        })
        .collect()
}

fn postgres_values(values: &[Value]) -> Vec<&(dyn tokio_postgres::types::ToSql + Sync)> {
    values
        .iter()
        .map(|value| match value {
            Value::Int(value) => value as &(dyn tokio_postgres::types::ToSql + Sync),
            Value::Text(value) => value,
            Value::Bool(value) => value,
        })
        .collect()
}
