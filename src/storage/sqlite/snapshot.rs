//! Every row of the app's tables, read in one transaction: a consistent snapshot even while the
//! app writes (WAL lets a reader see one moment), for the copy to PostgreSQL.

use rusqlite::types::Value;

use super::Database;
use crate::storage::copy::{Cell, TableRows};

impl Database {
    pub async fn snapshot(
        &self,
        tables: &'static [&'static str],
    ) -> anyhow::Result<Vec<TableRows>> {
        self.run(move |conn| {
            let tx = conn.transaction()?;
            let mut snapshot = Vec::new();
            for &table in tables {
                let mut statement = tx.prepare(&format!("SELECT * FROM \"{table}\""))?;
                let columns: Vec<String> = statement
                    .column_names()
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                let rows = statement
                    .query_map([], |row| {
                        (0..columns.len())
                            .map(|i| row.get::<_, Value>(i).map(cell))
                            .collect()
                    })?
                    .collect::<rusqlite::Result<_>>()?;
                snapshot.push(TableRows {
                    table,
                    columns,
                    rows,
                });
            }
            Ok(snapshot)
        })
        .await
    }
}

fn cell(value: Value) -> Cell {
    match value {
        Value::Null => Cell::Null,
        Value::Integer(n) => Cell::Int(n),
        Value::Real(x) => Cell::Real(x),
        Value::Text(text) => Cell::Text(text),
        Value::Blob(bytes) => Cell::Text(String::from_utf8_lossy(&bytes).into_owned()),
    }
}
