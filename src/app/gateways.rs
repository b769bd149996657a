//! The names of the merchant's payment gateways, to show a saved account that has neither card
//! nor IBAN ("Edenred"). Cached like the saved methods (see [`crate::app::upstream_cache`]): one
//! call per cache period however many pages load, and the last known names when Voucherly fails.

use std::collections::HashMap;
use std::sync::Arc;

use crate::app::upstream_cache::{Cache, Lookup, Policy};
use crate::voucherly::{VoucherlyClient, VoucherlyError};

#[derive(Clone)]
pub struct GatewayNames {
    cache: Cache<(), HashMap<String, String>, VoucherlyError>,
}

impl Default for GatewayNames {
    fn default() -> Self {
        Self::new(Policy::default())
    }
}

impl GatewayNames {
    pub fn new(policy: Policy) -> Self {
        Self {
            cache: Cache::new("gateways", policy),
        }
    }

    pub fn forget_all(&self) {
        self.cache.forget_all();
    }

    /// Gateway id → name. When Voucherly cannot say, the last known names, or none: a missing
    /// name is shown as the gateway's id, never as an error.
    pub async fn get(&self, voucherly: &VoucherlyClient) -> Arc<HashMap<String, String>> {
        let voucherly = voucherly.clone();
        let lookup = self
            .cache
            .get(&(), move || async move {
                let gateways = voucherly.list_payment_gateways().await?;
                Ok(gateways
                    .into_iter()
                    .filter_map(|g| Some((g.id, g.name?)))
                    .collect())
            })
            .await;
        if let Lookup::Missed { why, .. } = &lookup {
            tracing::warn!(?why, "could not list payment gateways");
        }
        lookup
            .known()
            .map(|known| Arc::clone(&known.value))
            .unwrap_or_default()
    }
}
