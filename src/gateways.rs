//! The names of the merchant's payment gateways, to show a saved account that has neither card
//! nor IBAN ("Edenred"). They rarely change, so they are fetched at most every five minutes.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use tokio::sync::RwLock;

use crate::voucherly::VoucherlyClient;

const FRESH_FOR: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct GatewayNames {
    cached: RwLock<Option<(Instant, HashMap<String, String>)>>,
}

impl GatewayNames {
    /// Gateway id → name. When Voucherly cannot say, the last known names, or none: a missing
    /// name is shown as the gateway's id, never as an error.
    pub async fn get(&self, voucherly: &VoucherlyClient) -> HashMap<String, String> {
        if let Some((at, names)) = self.cached.read().await.as_ref() {
            if at.elapsed() < FRESH_FOR {
                crate::metrics::record_cache_lookup("gateway_names", true);
                return names.clone();
            }
        }
        crate::metrics::record_cache_lookup("gateway_names", false);
        match voucherly.list_payment_gateways().await {
            Ok(gateways) => {
                let names: HashMap<String, String> = gateways
                    .into_iter()
                    .filter_map(|g| Some((g.id, g.name?)))
                    .collect();
                *self.cached.write().await = Some((Instant::now(), names.clone()));
                names
            }
            Err(error) => {
                tracing::warn!(%error, "could not list payment gateways");
                self.cached
                    .read()
                    .await
                    .as_ref()
                    .map(|(_, names)| names.clone())
                    .unwrap_or_default()
            }
        }
    }
}
