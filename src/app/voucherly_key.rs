//! Whether Voucherly has refused the app's API key: then shoppers read that payments are not
//! available, rather than a page that looks normal and fails when they pay. Written only by
//! [`watch`], which the app starts with itself and which asks Voucherly now and then; read by
//! pages: a page view never changes it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::voucherly::{VoucherlyClient, VoucherlyError};

/// How often Voucherly is asked again whether it takes the API key: every ten minutes, every
/// minute while it refuses it (so payments come back soon after the key is fixed).
const CHECK_EVERY: Duration = Duration::from_secs(600);
const RECHECK_REFUSED: Duration = Duration::from_secs(60);

#[derive(Default)]
pub struct KeyStatus {
    refused: AtomicBool,
}

impl KeyStatus {
    /// Whether Voucherly's last word on the key was a refusal.
    pub fn refused(&self) -> bool {
        self.refused.load(Ordering::Relaxed)
    }

    pub fn set_refused(&self, refused: bool) {
        self.refused.store(refused, Ordering::Relaxed);
    }
}

/// Asks Voucherly for the gateways at start-up, so a wrong key is reported before the first
/// shopper arrives, then now and then, keeping `status` up to date; runs forever.
pub async fn watch(voucherly: &VoucherlyClient, status: &KeyStatus, embedded_sandbox: bool) {
    let mut last = None;
    loop {
        let refused = check(voucherly, embedded_sandbox, last).await;
        if let Some(refused) = refused {
            status.set_refused(refused);
            last = Some(refused);
        }
        let wait = match refused {
            Some(true) => RECHECK_REFUSED,
            _ => CHECK_EVERY,
        };
        tokio::time::sleep(wait).await;
    }
}

/// Whether Voucherly refuses the key (`None` when it could not say); logs the first answer and
/// any change from `last`.
async fn check(
    voucherly: &VoucherlyClient,
    embedded_sandbox: bool,
    last: Option<bool>,
) -> Option<bool> {
    let answer = voucherly.list_payment_gateways().await;
    let refused = match &answer {
        Ok(_) => Some(false),
        Err(VoucherlyError::Unauthorized) => Some(true),
        Err(_) => None,
    };
    if refused.is_some() && refused == last {
        return refused;
    }
    match answer {
        Ok(gateways) if embedded_sandbox => tracing::info!(
            gateways = gateways.len(),
            "no Voucherly API key given: the embedded sandbox answers"
        ),
        Ok(gateways) => tracing::info!(gateways = gateways.len(), "Voucherly accepted the API key"),
        Err(VoucherlyError::Unauthorized) => tracing::error!(
            "Voucherly refused the API key: check VOUCHERLY_API_KEY and VOUCHERLY_ENVIRONMENT; \
             shoppers will see that payments are not available"
        ),
        Err(error) => tracing::warn!(%error, "could not reach Voucherly to check the API key"),
    }
    refused
}
