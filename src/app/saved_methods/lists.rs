//! A shopper's payment methods saved at Voucherly, listed through a per-shopper cache (see
//! [`crate::app::upstream_cache`]): one call to Voucherly per shopper per cache period however many
//! pages load, and the last known list, with its time, when Voucherly is down or slow.
//!
//! Routes that change what Voucherly lists (removing a method, paying, coming back from a
//! checkout) call [`SavedMethods::forget`], so the next page asks Voucherly again.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::app::upstream_cache::{Cache, Lookup, Miss, Policy};
use crate::voucherly::types::PaymentMethod;
use crate::voucherly::{VoucherlyClient, VoucherlyError};

/// The cache of every shopper's saved methods, keyed by shopper id. Cheap to clone: clones
/// share the memory.
#[derive(Clone)]
pub struct MethodLists {
    cache: Cache<i64, Listed, VoucherlyError>,
}

/// A list as Voucherly gave it, with the customer it was asked for.
struct Listed {
    customer_id: String,
    methods: Arc<[PaymentMethod]>,
}

/// What can be said of a shopper's saved methods.
pub enum Listing {
    /// As Voucherly lists them now (or within the cache period). Empty when Voucherly does not
    /// know the customer.
    Fresh(Arc<[PaymentMethod]>),
    /// Voucherly failed or did not answer in time: the methods it listed last, at `as_of`.
    Stale {
        methods: Arc<[PaymentMethod]>,
        as_of: OffsetDateTime,
        error: VoucherlyError,
    },
    /// Voucherly failed or did not answer in time, and there is no earlier list.
    Failed(VoucherlyError),
}

impl Default for MethodLists {
    fn default() -> Self {
        Self::new(Policy::default())
    }
}

impl MethodLists {
    pub fn new(policy: Policy) -> Self {
        Self {
            cache: Cache::new("saved_methods", policy),
        }
    }

    /// The methods `customer_id` (the shopper's Voucherly customer) saved.
    pub async fn list(
        &self,
        voucherly: &VoucherlyClient,
        shopper_id: i64,
        customer_id: &str,
    ) -> Listing {
        let mut lookup = self.lookup(voucherly, shopper_id, customer_id).await;
        // The customer changed since (another instance saved a new one): that list is not theirs.
        if lookup
            .known()
            .is_some_and(|known| known.value.customer_id != customer_id)
        {
            self.forget(shopper_id);
            lookup = self.lookup(voucherly, shopper_id, customer_id).await;
        }
        match lookup {
            Lookup::Fresh(known) if known.value.customer_id == customer_id => {
                Listing::Fresh(Arc::clone(&known.value.methods))
            }
            Lookup::Fresh(_) => Listing::Failed(VoucherlyError::Unavailable(
                "the customer changed while listing".into(),
            )),
            Lookup::Missed { last_known, why } => {
                let error = match why {
                    Miss::Failed(error) => error,
                    Miss::Slow => VoucherlyError::Unavailable("no answer in time".into()),
                };
                match last_known.filter(|known| known.value.customer_id == customer_id) {
                    Some(known) => Listing::Stale {
                        methods: Arc::clone(&known.value.methods),
                        as_of: known.as_of,
                        error,
                    },
                    None => Listing::Failed(error),
                }
            }
        }
    }

    /// Drops the shopper's list, so the next page asks Voucherly. Call it whenever the shopper
    /// may have saved or removed a method.
    pub fn forget(&self, shopper_id: i64) {
        self.cache.forget(&shopper_id);
    }

    pub fn forget_all(&self) {
        self.cache.forget_all();
    }

    async fn lookup(
        &self,
        voucherly: &VoucherlyClient,
        shopper_id: i64,
        customer_id: &str,
    ) -> Lookup<Listed, VoucherlyError> {
        let voucherly = voucherly.clone();
        let customer_id = customer_id.to_owned();
        self.cache
            .get(&shopper_id, move || async move {
                let methods = match voucherly.list_payment_methods(&customer_id).await {
                    Ok(methods) => methods.into(),
                    // Voucherly does not know the customer (yet): nothing is saved there.
                    Err(VoucherlyError::NotFound) => Arc::from([]),
                    Err(error) => return Err(error),
                };
                Ok(Listed {
                    customer_id,
                    methods,
                })
            })
            .await
    }
}

impl Listing {
    /// The methods, fresh or last known.
    pub fn methods(&self) -> Option<&[PaymentMethod]> {
        match self {
            Listing::Fresh(methods) | Listing::Stale { methods, .. } => Some(methods),
            Listing::Failed(_) => None,
        }
    }
}
