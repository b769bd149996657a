//! A shopper's Voucherly wallet balance (`include=Wallet`) and today's prepaid quota, fetched
//! together and kept per shopper through [`crate::app::upstream_cache`], so a profile load
//! costs Voucherly at most one pair of calls per shopper per cache period. Whatever may have
//! moved the balance (coming back from a checkout) calls [`Wallets::forget`].

use std::sync::Arc;

use crate::app::upstream_cache::{Cache, Lookup, Policy};
use crate::voucherly::customers::Wallet;
use crate::voucherly::{VoucherlyClient, VoucherlyError};

/// The cache of every shopper's wallet, keyed by shopper id.
#[derive(Clone)]
pub struct Wallets {
    cache: Cache<i64, Balances, VoucherlyError>,
}

/// What the profile shows of the customer's money at Voucherly.
#[derive(Debug, Clone, Default)]
pub struct Balances {
    pub customer_id: String,
    pub wallet: Option<Wallet>,
    /// Today's prepaid quota: (left, daily cap), when the customer has one.
    pub prepaid: Option<(i64, i64)>,
}

impl Default for Wallets {
    fn default() -> Self {
        Self::new(Policy::default())
    }
}

impl Wallets {
    pub fn new(policy: Policy) -> Self {
        Self {
            cache: Cache::new("wallets", policy),
        }
    }

    /// The balances of `customer_id` on `today` (`YYYY-MM-DD`, Italian date), fresh or last
    /// known; `None` when Voucherly could not say and nothing is known.
    pub async fn get(
        &self,
        voucherly: &VoucherlyClient,
        shopper_id: i64,
        customer_id: &str,
        today: String,
    ) -> Option<Arc<Balances>> {
        let (voucherly, customer) = (voucherly.clone(), customer_id.to_owned());
        let lookup = self
            .cache
            .get(&shopper_id, move || async move {
                let (read, prepaid) = tokio::join!(
                    voucherly.get_customer_with_wallet(&customer),
                    voucherly.prepaid_balance(&customer, &today),
                );
                let prepaid = match prepaid {
                    Ok(balance) => balance.quota(),
                    // No quota to show is not worth hiding the wallet for.
                    Err(error) => {
                        tracing::info!(%error, "no prepaid balance from Voucherly");
                        None
                    }
                };
                Ok(Balances {
                    wallet: read?.wallet,
                    customer_id: customer,
                    prepaid,
                })
            })
            .await;
        let known = match lookup {
            Lookup::Fresh(known) => Some(known),
            Lookup::Missed { last_known, .. } => last_known,
        }?;
        (known.value.customer_id == customer_id).then(|| Arc::clone(&known.value))
    }

    /// Drops the shopper's balances, so the next page asks Voucherly.
    pub fn forget(&self, shopper_id: i64) {
        self.cache.forget(&shopper_id);
    }

    pub fn forget_all(&self) {
        self.cache.forget_all();
    }
}
