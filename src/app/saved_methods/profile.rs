//! What the profile page shows: what the database holds of the shopper, their saved methods
//! through the cache and their wallet, read together. Reads only: whether Voucherly takes the
//! key is kept by [`crate::app::voucherly_key::watch`], never changed by a page view.

use std::sync::Arc;

use time::OffsetDateTime;

use super::{Listing, SavedMethods, owned_methods};
use crate::app::wallets::Balances;
use crate::domain::{OwnedMethods, YearMonth, italian_day};
use crate::storage::AccountPage;

pub struct Profile {
    pub page: AccountPage,
    pub methods: MethodsRead,
    /// `None` when the shopper is no Voucherly customer yet.
    pub wallet: Option<WalletRead>,
    /// The month the methods' expiry was worked out against.
    pub today: YearMonth,
}

/// What can be said about the shopper's saved methods.
pub enum MethodsRead {
    /// As Voucherly lists them; `as_of` is set when they are the last known ones, Voucherly
    /// being down or slow.
    Listed {
        methods: OwnedMethods,
        as_of: Option<OffsetDateTime>,
    },
    /// The shopper has no Voucherly customer yet in this environment.
    NoCustomer,
    /// Voucherly is down, slow or answered nonsense (paying may still work: the checkout lists
    /// the saved methods itself).
    Unavailable,
    /// Voucherly refused our API key: payments are not available.
    Misconfigured,
}

pub enum WalletRead {
    Shown(Arc<Balances>),
    Unavailable,
}

impl SavedMethods {
    /// The profile of `shopper_id` with page `history_page` of their history; `None` when
    /// there is no such shopper (any more).
    pub async fn profile(
        &self,
        shopper_id: i64,
        history_page: u32,
        per_page: u32,
    ) -> anyhow::Result<Option<Profile>> {
        let found = self
            .pages
            .profile_page(shopper_id, self.environment, history_page, per_page)
            .await?;
        let Some(page) = found else {
            return Ok(None);
        };
        let customer_id = page.customer_id.as_deref();
        let today = self.today();
        let (methods, wallet) = tokio::join!(
            self.methods_of(shopper_id, customer_id, today),
            self.wallet_of(shopper_id, customer_id),
        );
        Ok(Some(Profile {
            page,
            methods,
            wallet,
            today,
        }))
    }

    /// The saved methods through the cache, or why there are none to show.
    async fn methods_of(
        &self,
        shopper_id: i64,
        customer_id: Option<&str>,
        today: YearMonth,
    ) -> MethodsRead {
        let Some(customer_id) = customer_id else {
            if self.caches.key.refused() {
                return MethodsRead::Misconfigured;
            }
            return MethodsRead::NoCustomer;
        };
        let (listing, names) = tokio::join!(
            self.caches
                .lists
                .list(&self.voucherly, shopper_id, customer_id),
            self.caches.gateways.get(&self.voucherly),
        );
        let (list, as_of) = match listing {
            Listing::Fresh(list) => (list, None),
            Listing::Failed(error) | Listing::Stale { error, .. }
                if error.is_configuration_problem() =>
            {
                tracing::error!(%error, "Voucherly refused the API key");
                return MethodsRead::Misconfigured;
            }
            Listing::Stale {
                methods,
                as_of,
                error,
            } => {
                tracing::warn!(%error, "showing the last known saved payment methods");
                (methods, Some(as_of))
            }
            Listing::Failed(error) => {
                tracing::warn!(%error, "could not list saved payment methods");
                return MethodsRead::Unavailable;
            }
        };
        MethodsRead::Listed {
            methods: owned_methods(&list, &names, today),
            as_of,
        }
    }

    /// The wallet's balances through the cache, `None` when the shopper is no customer yet.
    async fn wallet_of(&self, shopper_id: i64, customer_id: Option<&str>) -> Option<WalletRead> {
        let customer_id = customer_id?;
        let now = OffsetDateTime::from_unix_timestamp(self.clock.now())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let today = italian_day(now);
        let found = self
            .caches
            .wallets
            .get(&self.voucherly, shopper_id, customer_id, today)
            .await;
        Some(found.map_or(WalletRead::Unavailable, WalletRead::Shown))
    }
}
