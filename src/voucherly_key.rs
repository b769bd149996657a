//! Whether Voucherly has refused the app's API key: then shoppers read that payments are not
//! available, rather than a page that looks normal and fails when they pay. Written only by the
//! start-up wiring's watcher (which asks Voucherly now and then), read by pages: a page view
//! never changes it.

use std::sync::atomic::{AtomicBool, Ordering};

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
