//! The shopper's saved methods: listed through the cache, offered and checked for paying (who
//! owns what, in [`crate::domain::OwnedMethods`]), preferred, removed, added, and the wallet
//! beside them. [`SavedMethods`] is built once at start-up with what it uses.

mod adding;
mod from_voucherly;
mod lists;
mod profile;
mod removing;
mod wallet;

use std::sync::Arc;

pub use adding::{Added, Adding};
pub use from_voucherly::owned_methods;
pub use lists::{Listing, MethodLists};
pub use profile::{MethodsRead, Profile, WalletRead};
pub use removing::{Removed, ToRemove};
pub use wallet::Movements;

use crate::app::gateways::GatewayNames;
use crate::app::payments::MethodCheck;
use crate::app::voucherly_key::KeyStatus;
use crate::app::wallets::Wallets;
use crate::domain::{Choice, Clock, OwnedMethods, YearMonth};
use crate::storage::{Change, ChangeFeed, MethodStore, PageStore, ShopperStore};
use crate::voucherly::{VoucherlyClient, VoucherlyError};

/// What this instance keeps in memory of Voucherly's answers, shared with whoever must forget a
/// shopper's lists (paying, coming back from a checkout).
#[derive(Clone)]
pub struct Caches {
    pub lists: MethodLists,
    pub gateways: GatewayNames,
    pub wallets: Wallets,
    /// Whether Voucherly refused the API key, kept by [`crate::app::voucherly_key::watch`].
    pub key: Arc<KeyStatus>,
}

impl Caches {
    /// Forgets what this instance keeps of the shopper's methods and wallet.
    pub fn forget(&self, shopper_id: i64) {
        self.lists.forget(shopper_id);
        self.wallets.forget(shopper_id);
    }

    /// Forgets everything this instance keeps of Voucherly's answers.
    pub fn forget_all(&self) {
        self.lists.forget_all();
        self.wallets.forget_all();
        self.gateways.forget_all();
    }
}

/// The saved-methods use cases.
pub struct SavedMethods {
    voucherly: VoucherlyClient,
    caches: Caches,
    methods: Arc<dyn MethodStore>,
    pages: Arc<dyn PageStore>,
    shoppers: Arc<dyn ShopperStore>,
    feed: Arc<dyn ChangeFeed>,
    clock: Arc<dyn Clock>,
    /// The name customer ids are stored under.
    environment: &'static str,
    /// Where Voucherly sends a shopper back, without a trailing slash.
    public_url: String,
}

/// Why the chosen method cannot pay.
pub enum Refusal {
    /// Not one of the shopper's usable methods.
    NotTheirs,
    /// Voucherly could not list the shopper's methods to check.
    Voucherly(VoucherlyError),
}

/// The storage families the saved methods' use cases read and write.
pub struct Stores {
    pub methods: Arc<dyn MethodStore>,
    pub pages: Arc<dyn PageStore>,
    pub shoppers: Arc<dyn ShopperStore>,
    /// Where changes to a shopper's methods are announced to every instance.
    pub feed: Arc<dyn ChangeFeed>,
}

/// What came of preferring a method.
pub enum Preferred {
    Saved,
    /// Not one of the shopper's usable methods.
    NotTheirs,
    /// Voucherly could not list the shopper's methods to check: nothing changed.
    NotChecked,
}

/// The pay form's check of the chosen method: one of the shopper's usable methods.
#[async_trait::async_trait]
impl MethodCheck for SavedMethods {
    async fn chosen(
        &self,
        customer_id: Option<&str>,
        method_id: &str,
    ) -> Result<Option<Choice>, Refusal> {
        self.chosen_method(customer_id, method_id).await
    }
}

impl SavedMethods {
    /// Forgets what is cached of the shopper's methods and wallet, here at once and on every
    /// other instance as soon as it hears: a checkout may have saved a method, and topped up or
    /// spent the wallet. Returns once the other instances are told.
    pub async fn forget(&self, shopper_id: i64) {
        self.caches.forget(shopper_id);
        if let Err(error) = self.feed.announce(Change::Methods { shopper_id }).await {
            // The other instances' caches expire on their own; this one is exact already.
            tracing::warn!(error = %error, "could not tell other instances of a method change");
        }
    }

    pub fn new(
        voucherly: VoucherlyClient,
        caches: Caches,
        Stores {
            methods,
            pages,
            shoppers,
            feed,
        }: Stores,
        clock: Arc<dyn Clock>,
        environment: &'static str,
        public_url: String,
    ) -> Self {
        Self {
            voucherly,
            caches,
            methods,
            pages,
            shoppers,
            feed,
            clock,
            environment,
            public_url,
        }
    }

    /// The saved method the form names, if it is one of the shopper's usable methods; `None`
    /// when the shopper chooses at the checkout.
    pub async fn chosen_method(
        &self,
        customer_id: Option<&str>,
        method_id: &str,
    ) -> Result<Option<Choice>, Refusal> {
        let gateways = &self.caches.gateways;
        chosen_method(
            &self.voucherly,
            gateways,
            &*self.clock,
            customer_id,
            method_id,
        )
        .await
    }

    /// Makes `method_id` the shopper's preferred method, if Voucherly lists it as theirs and it
    /// can pay today.
    pub async fn prefer(&self, shopper_id: i64, method_id: &str) -> anyhow::Result<Preferred> {
        let customer_id = self.customer(shopper_id).await?;
        let method = match self.chosen_method(customer_id.as_deref(), method_id).await {
            Ok(Some(method)) => method,
            Ok(None) | Err(Refusal::NotTheirs) => return Ok(Preferred::NotTheirs),
            Err(Refusal::Voucherly(error)) => {
                tracing::warn!(%error, "could not list saved methods to check a preference");
                return Ok(Preferred::NotChecked);
            }
        };
        let environment = self.environment;
        self.methods
            .prefer_method(shopper_id, environment, method.id)
            .await?;
        tracing::info!("preferred payment method set");
        Ok(Preferred::Saved)
    }

    async fn customer(&self, shopper_id: i64) -> anyhow::Result<Option<String>> {
        self.shoppers
            .customer_id(shopper_id, self.environment)
            .await
    }

    fn today(&self) -> YearMonth {
        YearMonth::at(self.clock.now())
    }

    /// The customer's methods as Voucherly lists them now (never from the cache: what they
    /// decide must be true).
    async fn theirs(&self, customer_id: &str) -> Result<OwnedMethods, Refusal> {
        their_methods(
            &self.voucherly,
            &self.caches.gateways,
            self.today(),
            customer_id,
        )
        .await
    }
}

/// [`SavedMethods::chosen_method`] for a caller holding the client and the gateway names.
pub async fn chosen_method(
    voucherly: &VoucherlyClient,
    gateways: &GatewayNames,
    clock: &dyn Clock,
    customer_id: Option<&str>,
    method_id: &str,
) -> Result<Option<Choice>, Refusal> {
    let method_id = method_id.trim();
    if method_id.is_empty() || method_id == "checkout" {
        return Ok(None);
    }
    let Some(customer_id) = customer_id else {
        return Err(Refusal::NotTheirs);
    };
    let today = YearMonth::at(clock.now());
    let theirs = their_methods(voucherly, gateways, today, customer_id).await?;
    match theirs.usable(method_id) {
        Ok(method) => Ok(Some(Choice::from(method))),
        Err(_) => Err(Refusal::NotTheirs),
    }
}

async fn their_methods(
    voucherly: &VoucherlyClient,
    gateways: &GatewayNames,
    today: YearMonth,
    customer_id: &str,
) -> Result<OwnedMethods, Refusal> {
    let (listed, names) = tokio::join!(
        voucherly.list_payment_methods(customer_id),
        gateways.get(voucherly)
    );
    match listed {
        Ok(listed) => Ok(owned_methods(&listed, &names, today)),
        // Voucherly does not know the customer: nothing of theirs is saved there.
        Err(VoucherlyError::NotFound) => Err(Refusal::NotTheirs),
        Err(error) => Err(Refusal::Voucherly(error)),
    }
}
