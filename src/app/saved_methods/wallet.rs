//! The wallet's movements, a page at a time following Voucherly's cursor.

use super::SavedMethods;
use crate::voucherly::wallet::MovementsPage;

pub enum Movements {
    /// The shopper is no Voucherly customer yet.
    NoCustomer,
    Listed(MovementsPage),
    /// Voucherly could not list them.
    Unavailable,
}

impl SavedMethods {
    /// The page of the shopper's wallet movements from Voucherly's cursor `start` (the newest
    /// without one), `per_page` of them.
    pub async fn wallet_movements(
        &self,
        shopper_id: i64,
        start: Option<&str>,
        per_page: u32,
    ) -> anyhow::Result<Movements> {
        let Some(customer_id) = self.customer(shopper_id).await? else {
            return Ok(Movements::NoCustomer);
        };
        let listed = self
            .voucherly
            .wallet_movements(&customer_id, start, per_page)
            .await;
        Ok(match listed {
            Ok(page) => Movements::Listed(page),
            Err(error) => {
                tracing::warn!(%error, "could not list the wallet's movements");
                Movements::Unavailable
            }
        })
    }
}
