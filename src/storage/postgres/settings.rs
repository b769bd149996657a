//! Values the app keeps for itself in `app_settings` (see the SQLite engine's).

use async_trait::async_trait;

use super::Postgres;
use crate::storage::SettingsStore;

#[async_trait]
impl SettingsStore for Postgres {
    async fn kept_or_keep(&self, name: &'static str, fresh: String) -> anyhow::Result<String> {
        let client = self.client().await?;
        let keep = client
            .prepare_cached(
                "INSERT INTO app_settings (name, value) VALUES ($1, $2)
                 ON CONFLICT (name) DO NOTHING",
            )
            .await?;
        client.execute(&keep, &[&name, &fresh]).await?;
        let read = client
            .prepare_cached("SELECT value FROM app_settings WHERE name = $1")
            .await?;
        Ok(client.query_one(&read, &[&name]).await?.get(0))
    }
}
