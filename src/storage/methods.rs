//! Preferred methods and method set-ups.

use anyhow::Result;
use async_trait::async_trait;

/// A shopper's preferred method and the method set-ups they started.
#[async_trait]
pub trait MethodStore: Send + Sync {
    /// The id of the shopper's preferred method in `environment`, if they chose one.
    async fn preferred_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
    ) -> anyhow::Result<Option<String>>;

    /// Makes `method_id` the shopper's preferred method in `environment`, replacing any other.
    async fn prefer_method(
        &self,
        shopper_id: i64,
        environment: &'static str,
        method_id: String,
    ) -> anyhow::Result<()>;

    /// The method `removed` is gone: it is preferred no more, and `instead`, when given, is
    /// preferred in its place.
    async fn method_removed(
        &self,
        shopper_id: i64,
        environment: &'static str,
        removed: String,
        instead: Option<String>,
    ) -> anyhow::Result<()>;

    /// Writes a set-up before Voucherly is called, one per form: the same `idempotency_key`
    /// again finds the first one. `known_methods` are the methods saved before it.
    async fn begin_method_setup(
        &self,
        shopper_id: i64,
        environment: &'static str,
        idempotency_key: String,
        known_methods: Vec<String>,
    ) -> anyhow::Result<SetupBegun>;

    /// The set-up `reference`, if there is one.
    async fn method_setup(&self, reference: &str) -> anyhow::Result<Option<MethodSetup>>;

    /// Voucherly answered the set-up: its payment and checkout, or why it could not start.
    async fn record_setup_answer(
        &self,
        reference: &str,
        answer: Result<SetupCheckout, String>,
    ) -> anyhow::Result<()>;
}

/// An "add a card or meal voucher" checkout.
#[derive(Debug, Clone)]
pub struct MethodSetup {
    pub reference: String,
    pub shopper_id: i64,
    /// The ids of the methods saved before it, to tell the new one.
    pub known_methods: Vec<String>,
    pub checkout_url: Option<String>,
    pub failure: Option<String>,
}

/// What [`MethodStore::begin_method_setup`] found.
pub enum SetupBegun {
    New(MethodSetup),
    /// The same form was sent before.
    Existing(MethodSetup),
}

/// Voucherly's payment for a set-up and where its checkout is.
#[derive(Debug, Clone)]
pub struct SetupCheckout {
    pub voucherly_payment_id: String,
    pub checkout_url: String,
}
