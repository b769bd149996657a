//! One Voucherly customer per shopper and environment. A shopper's first payment finds the
//! customer Voucherly already has with the shopper's email (say after the database was lost and
//! restored empty) or creates it (with `requireUniqueEmail`), before asking for the payment;
//! first payments made at the same moment (two tabs, several instances) are serialised in the
//! database, so the others wait for that id instead of creating more customers whose saved
//! methods would vanish.

use std::time::Duration;

use super::Payments;
use crate::domain::{FirstPayment, Shopper};
use crate::voucherly::VoucherlyError;
use crate::voucherly::customers::{Customer, CustomerDetails};

const POLL_EVERY: Duration = Duration::from_millis(50);

/// Whose payment this is, at Voucherly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payer {
    /// The shopper's customer id.
    Customer(String),
    /// The shopper's first payment: this caller holds the claim and must call
    /// [`first_payment_done`] when Voucherly answered.
    First,
}

/// The shopper's customer id for saving a method, found or made now.
#[derive(Debug)]
pub enum CustomerOf {
    Id(String),
    /// The shopper is gone (their session outlived them).
    NoSuchShopper,
    /// Voucherly could not be asked, or another first payment took too long (`None`).
    Failed(Option<VoucherlyError>),
}

impl Payments {
    /// The shopper's customer id, made now (as a first payment would) if they have none yet:
    /// saving a method needs a customer to save it to.
    pub async fn customer_of(&self, shopper_id: i64) -> anyhow::Result<CustomerOf> {
        let Some(shopper) = self.shoppers.shopper(shopper_id).await? else {
            return Ok(CustomerOf::NoSuchShopper);
        };
        let within = self.config.earlier_checks_within;
        Ok(match self.payer(shopper_id, within).await? {
            Some(Payer::Customer(id)) => CustomerOf::Id(id),
            Some(Payer::First) => {
                let found = self.find_or_create(&shopper).await;
                self.first_payment_done(shopper_id).await;
                match found {
                    Ok(id) => CustomerOf::Id(id),
                    Err(error) => CustomerOf::Failed(Some(error)),
                }
            }
            None => CustomerOf::Failed(None),
        })
    }

    /// The shopper's customer id, or the right to make their first payment, waiting at most
    /// `within` for another first payment under way. `None` when that one took too long.
    pub async fn payer(&self, shopper_id: i64, within: Duration) -> anyhow::Result<Option<Payer>> {
        let deadline = tokio::time::Instant::now() + within;
        let lease = self.config.creating_timeout;
        loop {
            let now = self.clock.now();
            match self
                .shoppers
                .claim_first_payment(shopper_id, self.environment, now, lease)
                .await?
            {
                FirstPayment::Customer(id) => return Ok(Some(Payer::Customer(id))),
                FirstPayment::Claimed => return Ok(Some(Payer::First)),
                FirstPayment::Busy if tokio::time::Instant::now() >= deadline => {
                    tracing::warn!("another first payment of the shopper is still under way");
                    return Ok(None);
                }
                FirstPayment::Busy => tokio::time::sleep(POLL_EVERY).await,
            }
        }
    }

    /// The first payment's create call is over (its customer id saved, or it failed).
    pub async fn first_payment_done(&self, shopper_id: i64) {
        if let Err(error) = self
            .shoppers
            .release_first_payment(shopper_id, self.environment)
            .await
        {
            // The claim lapses by itself after the creating timeout.
            tracing::error!(error = ?error, "could not release the first-payment claim");
        }
    }

    /// The shopper's customer at Voucherly in this environment, for their first payment here: the
    /// one with their email if Voucherly has it, else a new one. Its id is saved before it is
    /// returned. The caller holds the first-payment claim.
    pub async fn find_or_create(&self, shopper: &Shopper) -> Result<String, VoucherlyError> {
        let voucherly = &self.voucherly;
        let customer = match voucherly.find_customer_by_email(&shopper.email).await? {
            Some(customer) => {
                tracing::info!("the shopper is already a Voucherly customer: reusing it");
                customer
            }
            None => match voucherly.create_customer(&details_of(shopper)).await {
                Ok(customer) => customer,
                // `requireUniqueEmail`: somebody created it meanwhile, so that one is the shopper's.
                Err(refused @ VoucherlyError::Refused { .. }) => voucherly
                    .find_customer_by_email(&shopper.email)
                    .await?
                    .ok_or(refused)?,
                Err(error) => return Err(error),
            },
        };
        let Customer { id, .. } = customer;
        if id.trim().is_empty() {
            return Err(VoucherlyError::UnexpectedAnswer(
                "a customer came back without an id".into(),
            ));
        }
        self.shoppers
            .save_customer_id(shopper.id, self.environment, id.clone())
            .await
            .map_err(|error| VoucherlyError::Unavailable(format!("{error:#}")))?;
        Ok(id)
    }

    /// Tells Voucherly the shopper's new name or email when the store changed them since it was
    /// last told (`POST v1/customers/{id}`), once per change. Failures are logged and the change is
    /// tried again at the next hand-over; a customer Voucherly no longer knows needs nothing.
    pub async fn send_profile_change(&self, shopper_id: i64) {
        let (db, env) = (&self.shoppers, self.environment);
        let customer_id = match db.take_outdated_profile(shopper_id, env).await {
            Ok(Some(customer_id)) => customer_id,
            Ok(None) => return,
            Err(error) => {
                tracing::error!(error = ?error, "could not read whether Voucherly needs the new name");
                return;
            }
        };
        let shopper = match db.shopper(shopper_id).await {
            Ok(Some(shopper)) => shopper,
            Ok(None) => return,
            Err(error) => {
                tracing::error!(error = ?error, "could not read the shopper to update at Voucherly");
                return;
            }
        };
        let details = details_of(&shopper);
        match self.voucherly.update_customer(&customer_id, &details).await {
            Ok(_) => tracing::info!("the Voucherly customer has the shopper's new name and email"),
            Err(VoucherlyError::NotFound) => {
                tracing::info!("the Voucherly customer is gone: nothing to update");
            }
            Err(error) => {
                tracing::warn!(%error, "could not update the Voucherly customer; will try again");
                if let Err(error) = db.mark_profile_outdated(shopper_id, env, customer_id).await {
                    tracing::error!(error = ?error, "could not keep the customer update for later");
                }
            }
        }
    }
}

/// The name and email Voucherly should have for the shopper.
pub fn details_of(shopper: &Shopper) -> CustomerDetails {
    CustomerDetails {
        email: shopper.email.clone(),
        first_name: shopper.first_name.clone(),
        last_name: shopper.last_name.clone(),
    }
}
