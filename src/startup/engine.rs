//! Opening the database the settings name: an SQLite file (the default) or PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use secrecy::ExposeSecret;

use crate::settings::{DatabaseLocation, Settings};
use crate::storage::postgres::Postgres;
use crate::storage::{Database, Storage};

/// The opened database, as the storage interface, and what the demo needs of it.
pub struct Engine {
    pub storage: Arc<dyn Storage>,
    /// The SQLite file the app runs on, when it does (the embedded sandbox shares it).
    #[cfg(feature = "demo")]
    pub sqlite: Option<Database>,
    /// The demo store's records, kept in the same database.
    #[cfg(feature = "demo")]
    pub demo_records: Arc<dyn crate::storage::demo_store::DemoStoreRecords>,
}

impl Engine {
    pub async fn open(settings: &Settings) -> anyhow::Result<Self> {
        match &settings.database {
            DatabaseLocation::Sqlite(path) => {
                let busy = Duration::from_millis(settings.database_busy_timeout_ms);
                let db = Database::open_with(path, busy)?;
                Ok(Self {
                    storage: Arc::new(db.clone()),
                    #[cfg(feature = "demo")]
                    demo_records: Arc::new(db.clone()),
                    #[cfg(feature = "demo")]
                    sqlite: Some(db),
                })
            }
            DatabaseLocation::Postgres(url) => {
                let pool_size = usize::try_from(settings.database_pool_size).unwrap_or(16);
                let db = Postgres::open(url.expose_secret(), pool_size).await?;
                Ok(Self {
                    storage: Arc::new(db.clone()),
                    #[cfg(feature = "demo")]
                    demo_records: Arc::new(db),
                    #[cfg(feature = "demo")]
                    sqlite: None,
                })
            }
        }
    }
}
