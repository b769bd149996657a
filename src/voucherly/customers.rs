//! Voucherly customers: find one by email, create one (with `options.requireUniqueEmail`), read
//! one with its wallet (`include=Wallet`) and update its name or email (`POST`, not `PATCH`).
//! openapi.yaml `create-customer`, `list-customer`, `retrieve-customer`, `update-customer`.

use serde::{Deserialize, Serialize};

use super::client::{VoucherlyClient, parse};
use super::error::VoucherlyError;
use super::types::Page;

/// A customer as Voucherly answers it; only what this app reads.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Customer {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Only with `include=Wallet`.
    pub wallet: Option<Wallet>,
}

/// `Customers.CustomerWallet`: the balance in cents, and how much of it came from meal vouchers
/// (which pay `Food` lines only) or cash.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Wallet {
    pub total_amount: i64,
    pub total_voucher_amount: i64,
    pub total_cash_amount: i64,
    pub last_updated_on_utc: Option<String>,
}

/// The name and email Voucherly keeps for a customer.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDetails {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCustomer<'a> {
    #[serde(flatten)]
    details: &'a CustomerDetails,
    options: Options,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Options {
    require_unique_email: bool,
}

impl VoucherlyClient {
    /// The customer with exactly this email in this key's environment, if there is one (the
    /// first Voucherly lists, should there be several).
    #[tracing::instrument(name = "voucherly.find_customer", skip_all, fields(status))]
    pub async fn find_customer_by_email(
        &self,
        email: &str,
    ) -> Result<Option<Customer>, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "customers"])?;
        url.query_pairs_mut()
            .append_pair("email", email)
            .append_pair("length", "10");
        let body = self.send(self.http.get(url)).await?;
        let page: Page<Customer> = parse(&body)?;
        // `email` is an exact-match filter; checked again, as a filter ignored would be costly.
        Ok(page.items.into_iter().find(|customer| {
            customer
                .email
                .as_deref()
                .is_some_and(|found| found.eq_ignore_ascii_case(email))
        }))
    }

    /// Creates a customer, refused by Voucherly when one with this email exists.
    #[tracing::instrument(name = "voucherly.create_customer", skip_all, fields(status))]
    pub async fn create_customer(
        &self,
        details: &CustomerDetails,
    ) -> Result<Customer, VoucherlyError> {
        let url = self.endpoint(&["v1", "customers"])?;
        let body = NewCustomer {
            details,
            options: Options {
                require_unique_email: true,
            },
        };
        parse(&self.send(self.http.post(url).json(&body)).await?)
    }

    /// The customer with its wallet balance.
    #[tracing::instrument(name = "voucherly.get_customer", skip(self), fields(status))]
    pub async fn get_customer_with_wallet(
        &self,
        customer_id: &str,
    ) -> Result<Customer, VoucherlyError> {
        let mut url = self.endpoint(&["v1", "customers", customer_id])?;
        url.query_pairs_mut().append_pair("include", "Wallet");
        parse(&self.send(self.http.get(url)).await?)
    }

    /// Sets the customer's name and email.
    #[tracing::instrument(
        name = "voucherly.update_customer",
        skip(self, details),
        fields(status)
    )]
    pub async fn update_customer(
        &self,
        customer_id: &str,
        details: &CustomerDetails,
    ) -> Result<Customer, VoucherlyError> {
        let url = self.endpoint(&["v1", "customers", customer_id])?;
        parse(&self.send(self.http.post(url).json(details)).await?)
    }
}
