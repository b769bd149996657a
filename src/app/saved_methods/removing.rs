//! Removing a saved method: only one Voucherly lists as the shopper's (Voucherly is never asked
//! to delete anybody else's), and removed only when Voucherly's list, read again, no longer has
//! it, whatever its answer to the removal said.

use super::{Refusal, SavedMethods};
use crate::domain::{OwnedMethods, SavedMethod};
use crate::voucherly::VoucherlyError;

/// What the confirmation page shows.
pub enum ToRemove {
    Found {
        /// The method, expired or not.
        method: SavedMethod,
        /// Their other saved methods.
        others: OwnedMethods,
        /// Whether it is their preferred method.
        preferred: bool,
    },
    NotTheirs,
    /// Voucherly could not list the shopper's methods.
    Unavailable(VoucherlyError),
}

/// What came of a removal.
pub enum Removed {
    Removed,
    /// Removed, and the method asked for preferred in its place.
    RemovedAndPreferred,
    NotTheirs,
    /// Voucherly could not list the methods to check: nothing was asked of it.
    NotChecked(VoucherlyError),
    /// Voucherly still lists the method: it was not removed.
    StillSaved(VoucherlyError),
    /// The list could not be read again: whether it was removed is unknown.
    Unsure(VoucherlyError),
}

/// What a removal starts from.
enum Lookup {
    Found {
        customer_id: String,
        method: SavedMethod,
        others: OwnedMethods,
    },
    NotTheirs,
    Unavailable(VoucherlyError),
}

impl SavedMethods {
    /// The shopper's method `method_id` and what the confirmation page needs with it.
    pub async fn to_remove(&self, shopper_id: i64, method_id: &str) -> anyhow::Result<ToRemove> {
        let (method, others) = match self.theirs_to_remove(shopper_id, method_id).await? {
            Lookup::Found { method, others, .. } => (method, others),
            Lookup::NotTheirs => return Ok(ToRemove::NotTheirs),
            Lookup::Unavailable(error) => {
                log(&error, "could not list saved methods to confirm a removal");
                return Ok(ToRemove::Unavailable(error));
            }
        };
        let preferred = self
            .methods
            .preferred_method(shopper_id, self.environment)
            .await?;
        Ok(ToRemove::Found {
            preferred: preferred.as_deref() == Some(method.id.as_str()),
            method,
            others,
        })
    }

    /// Removes the shopper's method `method_id` at Voucherly; `instead`, when it names another
    /// of their usable methods, is preferred in its place.
    pub async fn remove(
        &self,
        shopper_id: i64,
        method_id: &str,
        instead: Option<&str>,
    ) -> anyhow::Result<Removed> {
        let (customer_id, method, others) =
            match self.theirs_to_remove(shopper_id, method_id).await? {
                Lookup::Found {
                    customer_id,
                    method,
                    others,
                } => (customer_id, method, others),
                Lookup::NotTheirs => return Ok(Removed::NotTheirs),
                Lookup::Unavailable(error) => {
                    log(&error, "could not list saved methods to check a removal");
                    return Ok(Removed::NotChecked(error));
                }
            };
        // Whatever Voucherly answers (a 2xx with a junk body, a 404, a timeout), only the list
        // tells the truth: the method is removed when it is no longer listed.
        let deleted = self
            .voucherly
            .delete_payment_method(&customer_id, &method.id)
            .await;
        let error = match deleted {
            Ok(()) => {
                VoucherlyError::UnexpectedAnswer("removal answered 2xx, method still listed".into())
            }
            Err(error) => {
                log(
                    &error,
                    "Voucherly's answer to a removal is unclear: reading the list again",
                );
                error
            }
        };
        let still_saved = self.still_saved(&customer_id, &method.id).await;
        self.forget(shopper_id).await;
        match still_saved {
            Ok(false) => tracing::info!("saved payment method removed"),
            Ok(true) => {
                log(&error, "the method is still saved after its removal");
                return Ok(Removed::StillSaved(error));
            }
            Err(reread) => {
                log(&reread, "could not read the list again after a removal");
                return Ok(Removed::Unsure(reread));
            }
        }
        // Only another of the shopper's usable methods, as Voucherly listed them, takes its place.
        let instead = instead
            .filter(|id| !id.is_empty())
            .and_then(|id| others.usable(id).ok())
            .map(|other| other.id.clone());
        let preferred_instead = instead.is_some();
        self.methods
            .method_removed(shopper_id, self.environment, method.id, instead)
            .await?;
        if preferred_instead {
            tracing::info!("another method preferred in place of the one removed");
            return Ok(Removed::RemovedAndPreferred);
        }
        Ok(Removed::Removed)
    }

    /// The shopper's method `method_id` as Voucherly lists it now, expired or not.
    async fn theirs_to_remove(&self, shopper_id: i64, method_id: &str) -> anyhow::Result<Lookup> {
        let Some(customer_id) = self.customer(shopper_id).await? else {
            return Ok(Lookup::NotTheirs);
        };
        Ok(match self.theirs(&customer_id).await {
            Ok(theirs) => match theirs.take(method_id) {
                Ok((method, others)) => Lookup::Found {
                    customer_id,
                    method,
                    others,
                },
                Err(_) => Lookup::NotTheirs,
            },
            Err(Refusal::NotTheirs) => Lookup::NotTheirs,
            Err(Refusal::Voucherly(error)) => Lookup::Unavailable(error),
        })
    }

    /// Whether Voucherly still lists the method among the customer's saved ones.
    async fn still_saved(
        &self,
        customer_id: &str,
        method_id: &str,
    ) -> Result<bool, VoucherlyError> {
        match self.voucherly.list_payment_methods(customer_id).await {
            Ok(listed) => Ok(listed.iter().any(|method| method.id == method_id)),
            Err(VoucherlyError::NotFound) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

/// A refused API key needs an operator; anything else may pass.
fn log(error: &VoucherlyError, what: &str) {
    if error.is_configuration_problem() {
        tracing::error!(%error, "Voucherly refused the API key");
    } else {
        tracing::warn!(%error, "{what}");
    }
}
