//! What the app keeps about a shopper's saved methods beyond Voucherly's list: the preferred
//! one; with the method set-ups of [`super::method_setups`], the PostgreSQL side of
//! [`MethodStore`].

use async_trait::async_trait;
use deadpool_postgres::GenericClient;

use super::{Postgres, method_setups, now};
use crate::storage::{MethodSetup, MethodStore, SetupBegun, SetupCheckout};

#[async_trait]
impl MethodStore for Postgres {
    async fn preferred_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>> {
        preferred_on(&self.client().await?, shopper_id, environment).await
    }

    async fn prefer_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
        method_id: String,
    ) -> anyhow::Result<()> {
        prefer_on(&self.client().await?, shopper_id, environment, &method_id).await
    }

    async fn method_removed(
        &self,
        shopper_id: i64,
        environment: &'static str,
        removed: String,
        instead: Option<String>,
    ) -> anyhow::Result<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await?;
        let forget = tx
            .prepare_cached(
                "DELETE FROM preferred_methods
                 WHERE shopper_id = $1 AND environment = $2 AND method_id = $3",
            )
            .await?;
        tx.execute(&forget, &[&shopper_id, &environment, &removed])
            .await?;
        if let Some(instead) = instead {
            prefer_on(&tx, shopper_id, environment, &instead).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn begin_method_setup(
        &self,
        shopper_id: i64,
        environment: &'static str,
        idempotency_key: String,
        known_methods: Vec<String>,
    ) -> anyhow::Result<SetupBegun> {
        method_setups::begin(
            self,
            shopper_id,
            environment,
            idempotency_key,
            known_methods,
        )
        .await
    }

    async fn method_setup(&self, reference: &str) -> anyhow::Result<Option<MethodSetup>> {
        method_setups::find_on(&self.client().await?, reference).await
    }

    async fn record_setup_answer(
        &self,
        reference: &str,
        answer: Result<SetupCheckout, String>,
    ) -> anyhow::Result<()> {
        method_setups::record_answer(self, reference, answer).await
    }
}

/// The preferred method on a connection or transaction already held, to read it with the rest
/// of a page.
pub(crate) async fn preferred_on(
    client: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
) -> anyhow::Result<Option<String>> {
    let read = client
        .prepare_cached(
            "SELECT method_id FROM preferred_methods
             WHERE shopper_id = $1 AND environment = $2",
        )
        .await?;
    Ok(
        match client
            .query_opt(&read, &[&shopper_id, &environment])
            .await?
        {
            Some(row) => Some(row.try_get(0)?),
            None => None,
        },
    )
}

async fn prefer_on(
    client: &impl GenericClient,
    shopper_id: i64,
    environment: &str,
    method_id: &str,
) -> anyhow::Result<()> {
    let prefer = client
        .prepare_cached(
            "INSERT INTO preferred_methods (shopper_id, environment, method_id, updated_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (shopper_id, environment)
             DO UPDATE SET method_id = EXCLUDED.method_id, updated_at = EXCLUDED.updated_at",
        )
        .await?;
    client
        .execute(&prefer, &[&shopper_id, &environment, &method_id, &now()])
        .await?;
    Ok(())
}
