//! Values the app keeps for itself in `app_settings`: the secrets it generates on first start
//! (the session key, the store API key, the webhook secret), so every restart and every instance
//! sharing the database uses the same ones.

use async_trait::async_trait;

use super::Database;
use crate::storage::SettingsStore;

#[async_trait]
impl SettingsStore for Database {
    async fn kept_or_keep(&self, name: &'static str, fresh: String) -> anyhow::Result<String> {
        self.run(move |conn| {
            conn.execute(
                "INSERT OR IGNORE INTO app_settings (name, value) VALUES (?1, ?2)",
                [name, fresh.as_str()],
            )?;
            Ok(conn.query_row(
                "SELECT value FROM app_settings WHERE name = ?1",
                [name],
                |row| row.get(0),
            )?)
        })
        .await
    }
}
