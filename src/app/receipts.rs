//! A shopper's paid payments as documents: the printable receipt, the fiscal receipts Voucherly
//! issues, and the whole history for export. Only the shopper's own payments are found, and a
//! receipt only for a payment that was paid (a refund receipt only for one refunded).

use std::sync::Arc;

use crate::domain::LocalStatus;
use crate::domain::order::Order;
use crate::domain::payment::{HistoryEntry, PaymentRecord};
use crate::storage::{OrderStore, PageStore, PaymentStore};
use crate::voucherly::{ReceiptKind, VoucherlyClient, VoucherlyError};

/// The receipts' use cases.
pub struct Receipts {
    payments: Arc<dyn PaymentStore>,
    orders: Arc<dyn OrderStore>,
    pages: Arc<dyn PageStore>,
    voucherly: VoucherlyClient,
}

/// A paid payment with its order, for the printable receipt.
pub struct Receipt {
    pub payment: PaymentRecord,
    pub voucherly_payment_id: String,
    pub order: Order,
    /// `None` when Voucherly cannot be read right now.
    pub shares: Option<Shares>,
}

/// What was paid with meal vouchers and what otherwise, in cents, as Voucherly reports it.
pub struct Shares {
    pub vouchers: i64,
    pub other: i64,
}

/// What came of asking for a fiscal receipt.
pub enum Fiscal {
    /// The PDF, as Voucherly issued it.
    Pdf(Vec<u8>),
    /// Voucherly has not issued it (yet).
    NotIssued,
    /// Voucherly could not be asked.
    Unavailable(VoucherlyError),
}

impl Receipts {
    pub fn new(
        payments: Arc<dyn PaymentStore>,
        orders: Arc<dyn OrderStore>,
        pages: Arc<dyn PageStore>,
        voucherly: VoucherlyClient,
    ) -> Self {
        Self {
            payments,
            orders,
            pages,
            voucherly,
        }
    }

    /// The receipt of the shopper's payment `reference`; `None` when it is not theirs, was never
    /// paid, or its order is gone.
    pub async fn receipt(
        &self,
        shopper_id: i64,
        reference: &str,
    ) -> anyhow::Result<Option<Receipt>> {
        let paid = |status| matches!(status, LocalStatus::Paid | LocalStatus::Refunded);
        let Some(payment) = self.owned(shopper_id, reference, paid).await? else {
            return Ok(None);
        };
        let Some(voucherly_payment_id) = payment.voucherly_payment_id.clone() else {
            return Ok(None);
        };
        let Some(order) = self
            .orders
            .order_for_shopper(shopper_id, payment.order_id)
            .await?
        else {
            return Ok(None);
        };
        let shares = match self.voucherly.get_payment(&voucherly_payment_id).await {
            Ok(read) => {
                let paid = read.paid_amount.unwrap_or(payment.amount);
                let vouchers = read.paid_voucher_amount.unwrap_or(0).clamp(0, paid.max(0));
                Some(Shares {
                    vouchers,
                    other: paid - vouchers,
                })
            }
            Err(error) => {
                tracing::warn!(%error, "could not read the payment's shares from Voucherly");
                None
            }
        };
        Ok(Some(Receipt {
            payment,
            voucherly_payment_id,
            order,
            shares,
        }))
    }

    /// Voucherly's fiscal receipt of `kind` for the shopper's payment `reference`; `None` when
    /// the payment is not theirs or has no such receipt to have (never paid, never refunded).
    pub async fn fiscal(
        &self,
        shopper_id: i64,
        reference: &str,
        kind: ReceiptKind,
    ) -> anyhow::Result<Option<Fiscal>> {
        let has_receipt = |status: LocalStatus| match kind {
            ReceiptKind::Sale => matches!(status, LocalStatus::Paid | LocalStatus::Refunded),
            ReceiptKind::Refund => status == LocalStatus::Refunded,
        };
        let Some(payment) = self.owned(shopper_id, reference, has_receipt).await? else {
            return Ok(None);
        };
        let Some(voucherly_payment_id) = payment.voucherly_payment_id else {
            return Ok(None);
        };
        Ok(Some(
            match self
                .voucherly
                .payment_receipt(&voucherly_payment_id, kind)
                .await
            {
                Ok(Some(pdf)) => Fiscal::Pdf(pdf),
                Ok(None) => Fiscal::NotIssued,
                Err(error) => Fiscal::Unavailable(error),
            },
        ))
    }

    /// Every payment of the shopper, newest first.
    pub async fn history(&self, shopper_id: i64) -> anyhow::Result<Vec<HistoryEntry>> {
        Ok(self
            .pages
            .payment_history(shopper_id, 1, u32::MAX)
            .await?
            .entries)
    }

    /// The payment `reference` if it is the shopper's and its status passes `wanted`.
    async fn owned(
        &self,
        shopper_id: i64,
        reference: &str,
        wanted: impl Fn(LocalStatus) -> bool,
    ) -> anyhow::Result<Option<PaymentRecord>> {
        Ok(self
            .payments
            .payment_by_reference(reference)
            .await?
            .filter(|payment| payment.shopper_id == shopper_id && wanted(payment.status)))
    }
}
