//! The test's own look into the app's database, on either engine: a few statements that set up
//! a case or read an outcome the pages do not show. The SQL is written once, in the common
//! subset of SQLite and PostgreSQL, with `?1`-style parameters (turned into `$1` for
//! PostgreSQL, each converted to the type the server asks for).
//!
//! The calls are synchronous, as rusqlite's are: PostgreSQL's run on a thread of their own
//! with a small runtime, so a test's async code can call them anywhere.

use std::path::PathBuf;

use tokio_postgres::types::{ToSql, Type};

/// A value passed to a statement.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(String),
    Null,
}

impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(value)
    }
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(value.to_owned())
    }
}

impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(value)
    }
}

impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(value.clone())
    }
}

impl<T: Into<Arg>> From<Option<T>> for Arg {
    fn from(value: Option<T>) -> Self {
        value.map_or(Arg::Null, Into::into)
    }
}

/// `args![a, b, …]`: the statement's parameters, of any types that make an [`Arg`].
macro_rules! args {
    ($($arg:expr),* $(,)?) => {
        &[$($crate::helpers::test_db::Arg::from($arg)),*]
    };
}

/// A value read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Int(i64),
    Real(f64),
    Text(String),
    Null,
}

impl Val {
    /// The value as text, as a test compares whole rows (`NULL` for none).
    pub fn text(&self) -> String {
        match self {
            Val::Int(n) => n.to_string(),
            Val::Real(x) => x.to_string(),
            Val::Text(text) => text.clone(),
            Val::Null => "NULL".into(),
        }
    }
}

/// A Rust value a column converts into.
pub trait FromVal: Sized {
    fn from_val(val: Val) -> Self;
}

impl FromVal for i64 {
    fn from_val(val: Val) -> Self {
        match val {
            Val::Int(n) => n,
            other => panic!("expected an integer, got {other:?}"),
        }
    }
}

impl FromVal for f64 {
    fn from_val(val: Val) -> Self {
        match val {
            Val::Real(x) => x,
            Val::Int(n) => n as f64,
            other => panic!("expected a number, got {other:?}"),
        }
    }
}

impl FromVal for bool {
    fn from_val(val: Val) -> Self {
        i64::from_val(val) != 0
    }
}

impl FromVal for String {
    fn from_val(val: Val) -> Self {
        match val {
            Val::Text(text) => text,
            other => panic!("expected text, got {other:?}"),
        }
    }
}

impl<T: FromVal> FromVal for Option<T> {
    fn from_val(val: Val) -> Self {
        match val {
            Val::Null => None,
            other => Some(T::from_val(other)),
        }
    }
}

impl FromVal for Val {
    fn from_val(val: Val) -> Self {
        val
    }
}

/// The app's database, as the test reaches it.
#[derive(Debug, Clone)]
pub enum TestDb {
    Sqlite(PathBuf),
    Postgres(String),
}

impl TestDb {
    pub fn is_postgres(&self) -> bool {
        matches!(self, TestDb::Postgres(_))
    }

    /// The SQL that reads `field` of the JSON text in `column`.
    pub fn json_field(&self, column: &str, field: &str) -> String {
        match self {
            TestDb::Sqlite(_) => format!("json_extract({column}, '$.{field}')"),
            TestDb::Postgres(_) => format!("({column}::jsonb ->> '{field}')"),
        }
    }

    /// Every row `sql` gives.
    pub fn rows(&self, sql: &str, args: &[Arg]) -> Vec<Vec<Val>> {
        match self {
            TestDb::Sqlite(path) => sqlite_rows(path, sql, args),
            TestDb::Postgres(url) => on_own_thread(|| postgres_rows(url, sql, args)),
        }
    }

    /// Runs `sql`; how many rows it changed.
    pub fn execute(&self, sql: &str, args: &[Arg]) -> u64 {
        match self {
            TestDb::Sqlite(path) => {
                let conn = rusqlite::Connection::open(path).expect("the database");
                let changed = conn
                    .execute(sql, rusqlite::params_from_iter(args.iter().map(sqlite_arg)))
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
                changed as u64
            }
            TestDb::Postgres(url) => on_own_thread(|| postgres_execute(url, sql, args)),
        }
    }

    /// The first column of the first row; panics when there is none.
    pub fn value<T: FromVal>(&self, sql: &str, args: &[Arg]) -> T {
        self.optional(sql, args)
            .unwrap_or_else(|| panic!("no row for {sql}"))
    }

    /// The first column of the first row, if there is a row.
    pub fn optional<T: FromVal>(&self, sql: &str, args: &[Arg]) -> Option<T> {
        let row = self.rows(sql, args).into_iter().next()?;
        Some(T::from_val(row.into_iter().next().expect("a column")))
    }

    /// Every row of `sql`, each value as text.
    pub fn text_rows(&self, sql: &str, args: &[Arg]) -> Vec<Vec<String>> {
        self.rows(sql, args)
            .into_iter()
            .map(|row| row.iter().map(Val::text).collect())
            .collect()
    }
}

fn sqlite_arg(arg: &Arg) -> rusqlite::types::Value {
    match arg {
        Arg::Int(n) => rusqlite::types::Value::Integer(*n),
        Arg::Text(text) => rusqlite::types::Value::Text(text.clone()),
        Arg::Null => rusqlite::types::Value::Null,
    }
}

fn sqlite_rows(path: &PathBuf, sql: &str, args: &[Arg]) -> Vec<Vec<Val>> {
    let conn = rusqlite::Connection::open(path).expect("the database");
    let mut statement = conn.prepare(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    let columns = statement.column_count();
    statement
        .query_map(
            rusqlite::params_from_iter(args.iter().map(sqlite_arg)),
            |row| {
                (0..columns)
                    .map(|i| {
                        row.get::<_, rusqlite::types::Value>(i)
                            .map(|value| match value {
                                rusqlite::types::Value::Integer(n) => Val::Int(n),
                                rusqlite::types::Value::Real(x) => Val::Real(x),
                                rusqlite::types::Value::Text(text) => Val::Text(text),
                                rusqlite::types::Value::Null => Val::Null,
                                rusqlite::types::Value::Blob(bytes) => {
                                    Val::Text(String::from_utf8_lossy(&bytes).into_owned())
                                }
                            })
                    })
                    .collect()
            },
        )
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .collect::<rusqlite::Result<_>>()
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Runs `work` on a new thread with a runtime of its own, so that it may block on PostgreSQL
/// whatever runtime the caller is in.
fn on_own_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        scope
            .spawn(work)
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// `?1` → `$1`, outside string literals.
fn dollar_parameters(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            _ => out.push(c),
        }
    }
    out
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .expect("the test database");
    tokio::spawn(connection);
    client
}

/// The parameters as the types the prepared statement asks for.
fn postgres_args(types: &[Type], args: &[Arg]) -> Vec<Box<dyn ToSql + Sync + Send>> {
    types
        .iter()
        .zip(args)
        .map(|(ty, arg)| -> Box<dyn ToSql + Sync + Send> {
            match (arg, ty) {
                (Arg::Null, _) => Box::new(Option::<String>::None),
                (Arg::Int(n), &Type::INT4) => Box::new(i32::try_from(*n).expect("an int4")),
                (Arg::Int(n), &Type::INT2) => Box::new(i16::try_from(*n).expect("an int2")),
                (Arg::Int(n), &Type::BOOL) => Box::new(*n != 0),
                (Arg::Int(n), &Type::FLOAT8) => Box::new(*n as f64),
                (Arg::Int(n), &Type::TEXT | &Type::VARCHAR) => Box::new(n.to_string()),
                (Arg::Int(n), _) => Box::new(*n),
                (Arg::Text(text), &Type::INT8) => Box::new(text.parse::<i64>().expect("a number")),
                (Arg::Text(text), _) => Box::new(text.clone()),
            }
        })
        .collect()
}

fn postgres_rows(url: &str, sql: &str, args: &[Arg]) -> Vec<Vec<Val>> {
    runtime().block_on(async {
        let client = connect(url).await;
        let sql = dollar_parameters(sql);
        let statement = client
            .prepare(&sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        let args = postgres_args(statement.params(), args);
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref() as _).collect();
        let rows = client
            .query(&statement, &refs)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        rows.iter()
            .map(|row| {
                row.columns()
                    .iter()
                    .enumerate()
                    .map(|(i, column)| postgres_value(row, i, column.type_()))
                    .collect()
            })
            .collect()
    })
}

fn postgres_value(row: &tokio_postgres::Row, i: usize, ty: &Type) -> Val {
    let or_null = |value: Option<Val>| value.unwrap_or(Val::Null);
    match *ty {
        Type::INT8 => or_null(row.get::<_, Option<i64>>(i).map(Val::Int)),
        Type::INT4 => or_null(row.get::<_, Option<i32>>(i).map(|n| Val::Int(n.into()))),
        Type::INT2 => or_null(row.get::<_, Option<i16>>(i).map(|n| Val::Int(n.into()))),
        Type::BOOL => or_null(row.get::<_, Option<bool>>(i).map(|b| Val::Int(b.into()))),
        Type::FLOAT8 => or_null(row.get::<_, Option<f64>>(i).map(Val::Real)),
        Type::NUMERIC => panic!("column {i} is NUMERIC: cast it to BIGINT in the test's SQL"),
        _ => or_null(row.get::<_, Option<String>>(i).map(Val::Text)),
    }
}

fn postgres_execute(url: &str, sql: &str, args: &[Arg]) -> u64 {
    runtime().block_on(async {
        let client = connect(url).await;
        let sql = dollar_parameters(sql);
        let statement = client
            .prepare(&sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"));
        let args = postgres_args(statement.params(), args);
        let refs: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref() as _).collect();
        client
            .execute(&statement, &refs)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
    })
}
