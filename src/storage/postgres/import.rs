//! Writing a snapshot of an SQLite database into an empty PostgreSQL one (see
//! `storage::copy`), in one transaction, each value converted to its column's type, and the
//! identity columns moved past the ids copied.

use tokio_postgres::types::{ToSql, Type};

use super::Postgres;
use crate::storage::copy::{Cell, TableRows};

impl Postgres {
    /// The tables among `tables` that hold any row.
    pub async fn non_empty_tables(&self, tables: &[&str]) -> anyhow::Result<Vec<String>> {
        let client = self.client().await?;
        let mut non_empty = Vec::new();
        for table in tables {
            let sql = format!("SELECT EXISTS (SELECT 1 FROM \"{table}\")");
            if client.query_one(&sql, &[]).await?.get::<_, bool>(0) {
                non_empty.push((*table).to_owned());
            }
        }
        Ok(non_empty)
    }

    /// How many rows each table holds.
    pub async fn counts(
        &self,
        tables: &[&'static str],
    ) -> anyhow::Result<Vec<(&'static str, u64)>> {
        let client = self.client().await?;
        let mut counts = Vec::new();
        for &table in tables {
            let sql = format!("SELECT count(*) FROM \"{table}\"");
            let count: i64 = client.query_one(&sql, &[]).await?.get(0);
            counts.push((table, u64::try_from(count)?));
        }
        Ok(counts)
    }

    /// Inserts every row of `snapshot`, all or nothing.
    pub async fn import(&self, snapshot: &[TableRows]) -> anyhow::Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        for table in snapshot {
            if table.rows.is_empty() {
                continue;
            }
            let columns = table
                .columns
                .iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let placeholders = (1..=table.columns.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let insert = tx
                .prepare(&format!(
                    "INSERT INTO \"{}\" ({columns}) OVERRIDING SYSTEM VALUE VALUES ({placeholders})",
                    table.table
                ))
                .await?;
            for row in &table.rows {
                let values = row
                    .iter()
                    .zip(insert.params())
                    .map(|(cell, ty)| value(cell, ty))
                    .collect::<anyhow::Result<Vec<_>>>()
                    .map_err(|e| e.context(format!("a row of {}", table.table)))?;
                let params: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v.as_ref() as _).collect();
                tx.execute(&insert, &params).await?;
            }
            if table.columns.iter().any(|c| c == "id") {
                // Identity columns go on after the ids copied (a no-op for text ids).
                tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence('\"{0}\"', 'id'), max(id))
                         FROM \"{0}\" WHERE pg_get_serial_sequence('\"{0}\"', 'id') IS NOT NULL",
                        table.table
                    ),
                    &[],
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// `cell` as the type PostgreSQL's column has.
fn value(cell: &Cell, ty: &Type) -> anyhow::Result<Box<dyn ToSql + Sync + Send>> {
    Ok(match (cell, ty) {
        (Cell::Null, &Type::INT8) => Box::new(Option::<i64>::None),
        (Cell::Null, &Type::BOOL) => Box::new(Option::<bool>::None),
        (Cell::Null, &Type::FLOAT8) => Box::new(Option::<f64>::None),
        (Cell::Null, _) => Box::new(Option::<String>::None),
        (Cell::Int(n), &Type::INT8) => Box::new(*n),
        (Cell::Int(n), &Type::BOOL) => Box::new(*n != 0),
        (Cell::Int(n), &Type::FLOAT8) => Box::new(*n as f64),
        (Cell::Real(x), &Type::FLOAT8) => Box::new(*x),
        (Cell::Text(text), &Type::TEXT) => Box::new(text.clone()),
        (Cell::Int(n), &Type::TEXT) => Box::new(n.to_string()),
        (cell, ty) => anyhow::bail!("cannot store {cell:?} in a {ty} column"),
    })
}
