//! A customer's wallet ledger and prepaid quota: `GET v1/customers/{id}/wallet/movements`
//! (cursor pages) and `GET v1/customers/{customerId}/prepaid?date=` (openapi.yaml
//! `list-customer-wallet-movement`, `retrieve-customer-prepaid-balance`). The balance itself
//! comes with the customer ([`super::customers`], `include=Wallet`).

use serde::Deserialize;

use super::client::{VoucherlyClient, parse};
use super::error::VoucherlyError;
use super::types::{Page, Pagination};

/// `Customers.CustomerWalletMovement`; amounts in cents, signed (a debit is negative).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WalletMovement {
    /// `PAYMENT`, `PAYMENT_R`, `WALLET` (a credit), `WALLET_R`, `ADJUSTMENT`, `EXCESS`,
    /// `EXCESS_R`; kept as text, so an action added later still shows.
    pub action: String,
    pub amount: i64,
    pub voucher_amount: i64,
    pub cash_amount: i64,
    pub running_total_amount: i64,
    pub occurred_at_utc: Option<String>,
}

/// One page of movements, and the cursor of the next.
#[derive(Debug, Clone, Default)]
pub struct MovementsPage {
    pub movements: Vec<WalletMovement>,
    pub next_start: Option<String>,
}

/// `Customers.CustomerPrepaidBalance`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PrepaidBalance {
    pub payment_gateway_is_active: bool,
    pub policy: Option<PrepaidPolicy>,
    pub available_amount: Option<i64>,
    pub used_amount: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PrepaidPolicy {
    pub is_active: bool,
    /// The daily cap.
    pub amount: i64,
}

impl PrepaidBalance {
    /// What is left today when the customer has an active quota: (left, daily cap).
    pub fn quota(&self) -> Option<(i64, i64)> {
        let policy = self.policy.as_ref().filter(|p| p.is_active)?;
        if !self.payment_gateway_is_active {
            return None;
        }
        let left = self
            .available_amount
            .unwrap_or(policy.amount - self.used_amount);
        Some((left.max(0), policy.amount))
    }
}

impl VoucherlyClient {
    /// A page of the customer's wallet movements, newest first.
    #[tracing::instrument(name = "voucherly.wallet_movements", skip(self), fields(status))]
    pub async fn wallet_movements(
        &self,
        customer_id: &str,
        start: Option<&str>,
        length: u32,
    ) -> Result<MovementsPage, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "customers", customer_id, "wallet", "movements"])?;
        url.query_pairs_mut()
            .append_pair("length", &length.to_string());
        if let Some(start) = start {
            url.query_pairs_mut().append_pair("start", start);
        }
        let page: Page<WalletMovement> = parse(&self.send(self.http.get(url)).await?)?;
        Ok(MovementsPage {
            next_start: page.pagination.as_ref().and_then(Pagination::next),
            movements: page.items,
        })
    }

    /// The customer's prepaid quota on `date` (`YYYY-MM-DD`).
    #[tracing::instrument(name = "voucherly.prepaid_balance", skip(self), fields(status))]
    pub async fn prepaid_balance(
        &self,
        customer_id: &str,
        date: &str,
    ) -> Result<PrepaidBalance, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "customers", customer_id, "prepaid"])?;
        url.query_pairs_mut().append_pair("date", date);
        parse(&self.send(self.http.get(url)).await?)
    }
}
