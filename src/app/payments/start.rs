//! Starting a payment from the pay form: the form's earlier answer replayed when it comes
//! again, the order's earlier checkouts closed, the shopper's one Voucherly customer leased,
//! the chosen method checked (meal vouchers pay food only), the record written before Voucherly
//! is called, then the payment created. One form makes at most one Voucherly payment; every
//! amount comes from the stored order.

use async_trait::async_trait;

use super::Payments;
use super::create::Paying;
use super::customer::Payer;
use super::earlier::Earlier;
use crate::app::saved_methods::Refusal;
use crate::domain::Choice;
use crate::domain::Shopper;
use crate::domain::order::{Order, OrderStatus};
use crate::domain::payment::{Begun, NewPayment};
use crate::voucherly::VoucherlyError;

/// The pay form, validated.
pub struct StartForm<'a> {
    pub shopper_id: i64,
    pub order_id: i64,
    /// 32 to 64 hex digits, lower case.
    pub idempotency_key: String,
    /// A saved method's id; empty or `checkout` to choose at Voucherly's checkout.
    pub method_id: &'a str,
    /// The shopper's language, for Voucherly's checkout.
    pub language: &'static str,
}

/// Checks that a saved method is one of the shopper's usable methods.
#[async_trait]
pub trait MethodCheck: Send + Sync {
    /// The method `method_id` names for the customer `customer_id` (`None` for a shopper's
    /// first payment); `Ok(None)` when the shopper chooses at the checkout.
    async fn chosen(
        &self,
        customer_id: Option<&str>,
        method_id: &str,
    ) -> Result<Option<Choice>, Refusal>;
}

/// Where a pay form leads.
#[derive(Debug)]
pub enum Started {
    /// To Voucherly's checkout at `url`; `new` when this form created the payment just now.
    Checkout { url: String, new: bool },
    /// The order needs nothing more.
    AlreadyPaid,
    /// The store cancelled the order: it can no longer be paid.
    Cancelled,
    /// This form's payment is over (failed, abandoned): a fresh form lets the shopper try again.
    Over,
    /// The shopper has no such order.
    NoSuchOrder,
    /// The signed-in shopper is no longer known.
    NoSuchShopper,
    /// The form's key belongs to another order.
    KeyOfAnotherOrder,
    /// The chosen method is not one the shopper may pay this order with.
    MethodRefused,
    /// Nothing was charged: Voucherly could not start the payment (its error), or it was not
    /// asked because it might have paid twice.
    StartFailed(Option<VoucherlyError>),
}

impl Payments {
    /// Starts the payment the pay form asks for; `methods` checks a chosen saved method.
    pub async fn start(
        &self,
        form: StartForm<'_>,
        methods: &dyn MethodCheck,
    ) -> anyhow::Result<Started> {
        let shopper_id = form.shopper_id;
        let found = self
            .orders
            .order_for_shopper(shopper_id, form.order_id)
            .await?;
        let Some(order) = found else {
            return Ok(Started::NoSuchOrder);
        };
        match order.status {
            OrderStatus::AwaitingPayment => {}
            OrderStatus::Cancelled => return Ok(Started::Cancelled),
            OrderStatus::Paid | OrderStatus::PartiallyRefunded | OrderStatus::Refunded => {
                return Ok(Started::AlreadyPaid);
            }
        }
        // A resubmitted form needs no second look at Voucherly's method list.
        let key = &form.idempotency_key;
        if let Some(existing) = self
            .store
            .payment_by_idempotency_key(shopper_id, key)
            .await?
        {
            return self.replay(existing, order.id).await;
        }
        let within = self.config.earlier_checks_within;
        match self.close_earlier(order.id, within).await? {
            Earlier::Closed => {}
            Earlier::Paid => return Ok(Started::AlreadyPaid),
            // Starting another while one may still be open could take the money twice.
            Earlier::Unsure => return Ok(Started::StartFailed(None)),
        }
        let Some(shopper) = self.shoppers.shopper(shopper_id).await? else {
            return Ok(Started::NoSuchShopper);
        };
        // Concurrent first payments of a shopper share one Voucherly customer.
        let Some(payer) = self.payer(shopper_id, within).await? else {
            return Ok(Started::StartFailed(None));
        };
        let first = payer == Payer::First;
        let customer_id = match payer {
            Payer::Customer(id) => Some(id),
            Payer::First => None,
        };
        let started = self
            .begin(&order, &shopper, form, customer_id, methods)
            .await;
        if first {
            self.first_payment_done(shopper_id).await;
        }
        started
    }

    /// Checks the chosen method, writes the payment record and creates the Voucherly payment.
    async fn begin(
        &self,
        order: &Order,
        shopper: &Shopper,
        form: StartForm<'_>,
        customer_id: Option<String>,
        methods: &dyn MethodCheck,
    ) -> anyhow::Result<Started> {
        let method = match methods.chosen(customer_id.as_deref(), form.method_id).await {
            Ok(method) => method,
            Err(Refusal::NotTheirs) => return Ok(Started::MethodRefused),
            Err(Refusal::Voucherly(error)) => {
                tracing::warn!(%error, "could not list saved methods to check the choice");
                return Ok(Started::StartFailed(Some(error)));
            }
        };
        // Meal vouchers pay food only: never offered, and never accepted, for an order without.
        if method.as_ref().is_some_and(|m| m.meal_voucher) && !order.has_food() {
            return Ok(Started::MethodRefused);
        }
        let new = NewPayment {
            shopper_id: shopper.id,
            order_id: order.id,
            idempotency_key: form.idempotency_key,
            environment: self.environment,
            amount: order.final_amount,
            method_id: method.as_ref().map(|m| m.id.clone()),
            method_label: method.as_ref().map(|m| m.label.clone()),
        };
        let timeout = self.config.creating_timeout;
        let record = match self.store.begin_payment(new, timeout).await? {
            Begun::New(record) => record,
            // A concurrent submission of the same form got there first.
            Begun::Existing(record) => return self.replay(record, order.id).await,
            // Another form of the order started a payment meanwhile: that one is resumed.
            Begun::Busy(record) => return self.replay(record, order.id).await,
            // Cancelled by the store since the order was read.
            Begun::NotPayable => return Ok(Started::Cancelled),
        };
        tracing::Span::current().record("reference", record.reference.as_str());
        let payer = Paying {
            shopper,
            customer_id,
            method_id: method.map(|m| m.id),
        };
        Ok(
            match self.create(order, payer, &record, form.language).await? {
                Ok(_) if self.cancelled_meanwhile(order, &record.reference).await? => {
                    Started::Cancelled
                }
                Ok(url) => Started::Checkout { url, new: true },
                Err(error) => Started::StartFailed(Some(error)),
            },
        )
    }

    /// Whether the store cancelled the order while Voucherly created its payment: then the
    /// checkout is voided now rather than shown (the reconciler retries what cannot be done now).
    async fn cancelled_meanwhile(&self, order: &Order, reference: &str) -> anyhow::Result<bool> {
        let now = self
            .orders
            .order_for_shopper(order.shopper_id, order.id)
            .await?;
        if now.is_none_or(|order| order.status != OrderStatus::Cancelled) {
            return Ok(false);
        }
        let record = self.store.payment_by_reference(reference).await?;
        if let Some(id) = record.and_then(|record| record.voucherly_payment_id)
            && let Err(error) = self.refresh(&id).await
        {
            tracing::warn!(%error, "could not void the checkout of a cancelled order yet");
        }
        Ok(true)
    }
}
