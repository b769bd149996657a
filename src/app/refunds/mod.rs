//! The store's refunds of paid orders, as one service, [`Refunds`]: a refund is checked and
//! recorded before Voucherly is called, idempotently on the store's refund id; then tried at
//! once, and else by the worker until Voucherly made it or a person must. Each try reads the
//! payment back first, so a refund Voucherly made before a crash is recognised, never sent
//! twice.

mod attempt;
pub mod worker;

use std::sync::Arc;

use crate::domain::Clock;
use crate::domain::order::Order;
use crate::domain::refund::{
    NewRefund, NotRefundable, RecordRefund, Refund, RefundDestination, RefundLine, RefundStatus,
    amount_of_lines,
};
use crate::storage::{OrderStore, RefundStore, signal};
use crate::voucherly::VoucherlyClient;

/// How long a claimed refund is left alone by other workers, in seconds: longer than a
/// read and a refund at Voucherly take, timeouts included.
const LEASE: i64 = 120;

/// The store's refunds. Cheap to clone.
#[derive(Clone)]
pub struct Refunds {
    refunds: Arc<dyn RefundStore>,
    orders: Arc<dyn OrderStore>,
    voucherly: VoucherlyClient,
    clock: Arc<dyn Clock>,
}

/// A refund as the store asks for it, its fields well formed.
#[derive(Debug, Clone, PartialEq)]
pub struct RefundAsk {
    pub store_refund_id: String,
    /// At most one of `amount` and `lines`; neither: everything still refundable.
    pub amount: Option<i64>,
    pub lines: Option<Vec<RefundLine>>,
    pub destination: RefundDestination,
    pub reason: Option<String>,
}

/// What asking for a refund did.
#[derive(Debug, Clone, PartialEq)]
pub enum Asked {
    /// Recorded now (and tried at once).
    New(Refund),
    /// The same refund was asked before: this is where it stands.
    Again(Refund),
}

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error("no such order")]
    NoOrder,
    /// The lines asked do not fit the order.
    #[error("{0}")]
    Invalid(String),
    /// The refund id names a different refund of the order.
    #[error("the refund id is used by a different refund")]
    Conflict,
    #[error("at most {maximum} can be refunded")]
    TooMuch { maximum: i64 },
    #[error("the order cannot be refunded")]
    NotRefundable(NotRefundable),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl Refunds {
    pub fn new(
        refunds: Arc<dyn RefundStore>,
        orders: Arc<dyn OrderStore>,
        voucherly: VoucherlyClient,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            refunds,
            orders,
            voucherly,
            clock,
        }
    }

    /// Records the refund the store asks for on order `store_order_id` and tries it at once.
    pub async fn refund(&self, store_order_id: &str, ask: RefundAsk) -> Result<Asked, RefundError> {
        let order = self
            .orders
            .store_order(store_order_id)
            .await?
            .ok_or(RefundError::NoOrder)?
            .order;
        let fingerprint = fingerprint(&ask);
        if let Some(known) = self
            .refunds
            .refund_of_order(order.id, &ask.store_refund_id)
            .await?
        {
            return match known.fingerprint == fingerprint {
                true => Ok(Asked::Again(self.try_now(known).await?)),
                false => Err(RefundError::Conflict),
            };
        }
        let (amount, food_amount) = self.amounts(&order, &ask).await?;
        let new = NewRefund {
            order_id: order.id,
            store_refund_id: ask.store_refund_id,
            fingerprint,
            amount,
            food_amount,
            destination: ask.destination,
            reason: ask.reason,
            lines: ask.lines.unwrap_or_default(),
        };
        let now = self.clock.now();
        // The workers leave a new refund to this request for a while: it tries it at once.
        let due_at = now + LEASE;
        match self.refunds.record_refund(new, now, due_at).await? {
            RecordRefund::Created(refund) => Ok(Asked::New(self.try_now(refund).await?)),
            RecordRefund::Existing(refund) => Ok(Asked::Again(self.try_now(refund).await?)),
            RecordRefund::Conflict(_) => Err(RefundError::Conflict),
            RecordRefund::TooMuch { maximum } => Err(RefundError::TooMuch { maximum }),
            RecordRefund::NotRefundable(why) => Err(RefundError::NotRefundable(why)),
        }
    }

    /// The order's refunds, oldest first; `None` when there is no such order.
    pub async fn of_order(&self, store_order_id: &str) -> anyhow::Result<Option<Vec<Refund>>> {
        let Some(found) = self.orders.store_order(store_order_id).await? else {
            return Ok(None);
        };
        Ok(Some(self.refunds.refunds_of_order(found.order.id).await?))
    }

    /// The amount asked (`None`: all that is left) and its food share.
    async fn amounts(
        &self,
        order: &Order,
        ask: &RefundAsk,
    ) -> Result<(Option<i64>, i64), RefundError> {
        match (&ask.lines, ask.amount) {
            (Some(lines), _) => {
                let already: Vec<RefundLine> = self
                    .refunds
                    .refunds_of_order(order.id)
                    .await?
                    .into_iter()
                    .filter(|r| r.status != RefundStatus::ManualRefundNeeded)
                    .flat_map(|r| r.lines)
                    .collect();
                let (amount, food) =
                    amount_of_lines(order, lines, &already).map_err(RefundError::Invalid)?;
                Ok((Some(amount), food))
            }
            (None, Some(amount)) => Ok((Some(amount), 0)),
            (None, None) => Ok((None, order.food_amount())),
        }
    }

    /// Tries a pending refund now, unless another worker holds it or an older refund of its
    /// order comes first; where it stands afterwards.
    async fn try_now(&self, refund: Refund) -> anyhow::Result<Refund> {
        if refund.status != RefundStatus::Pending {
            return Ok(refund);
        }
        let now = self.clock.now();
        let Some(claimed) = self.refunds.claim_refund(refund.id, now, LEASE).await? else {
            return Ok(refund);
        };
        self.attempt(&claimed, now).await?;
        Ok(self
            .refunds
            .refund_of_order(refund.order_id, &refund.store_refund_id)
            .await?
            .unwrap_or(refund))
    }

    /// Refund `refund` is made: the order and the store follow.
    async fn done(&self, refund: &Refund, now: i64) -> anyhow::Result<()> {
        tracing::info!(
            refund = refund.id,
            amount = refund.amount,
            "store refund made"
        );
        if self.refunds.complete_refund(refund.id, now).await? {
            signal::events_queued();
        }
        Ok(())
    }

    /// A person must make `refund`: the store is told.
    async fn needs_person(&self, refund: &Refund, error: String, now: i64) -> anyhow::Result<()> {
        tracing::error!(refund = refund.id, %error, "Voucherly cannot make a store refund: manual refund needed");
        if self
            .refunds
            .refund_needs_person(refund.id, error, now)
            .await?
        {
            signal::events_queued();
        }
        Ok(())
    }
}

/// What identifies a request: the same refund id asked with another body is a conflict.
fn fingerprint(ask: &RefundAsk) -> String {
    serde_json::json!({
        "amount": ask.amount,
        "lines": ask.lines,
        "destination": ask.destination.as_str(),
        "reason": ask.reason,
    })
    .to_string()
}
