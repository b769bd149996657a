//! Shoppers and signing in: the shopper the store describes, saved; the one-time hand-over
//! link the store asks for, and its redemption. Keeping the session is the caller's part.

use std::sync::Arc;

use anyhow::Context;

use crate::domain::{
    Clock, Email, HandoverToken, NewHandover, PersonName, Redeemed, ShopperDetails, StoreUserId,
};
use crate::i18n::Lang;
use crate::storage::{HandoverStore, OrderStore, ShopperStore};

/// A shopper as the store describes them; no language means "keep the one we know".
pub struct StoreShopper {
    pub store_user_id: StoreUserId,
    pub email: Email,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub language: Option<Lang>,
}

/// A hand-over link made: the token for its URL, and when it stops working.
pub struct Handover {
    pub token: HandoverToken,
    pub expires_at: i64,
}

pub struct Shoppers {
    shoppers: Arc<dyn ShopperStore>,
    orders: Arc<dyn OrderStore>,
    handovers: Arc<dyn HandoverStore>,
    clock: Arc<dyn Clock>,
    /// How long a hand-over link stays valid, in seconds.
    handover_ttl: i64,
}

impl Shoppers {
    pub fn new(
        shoppers: Arc<dyn ShopperStore>,
        orders: Arc<dyn OrderStore>,
        handovers: Arc<dyn HandoverStore>,
        clock: Arc<dyn Clock>,
        handover_ttl: i64,
    ) -> Self {
        Self {
            shoppers,
            orders,
            handovers,
            clock,
            handover_ttl,
        }
    }

    /// Creates or updates the shopper; returns their id. Without a language, a known shopper
    /// keeps the one they had, a new one gets the default.
    pub async fn save(&self, shopper: StoreShopper) -> anyhow::Result<i64> {
        let language = match shopper.language {
            Some(language) => language,
            None => self
                .shoppers
                .shopper_by_store_user_id(shopper.store_user_id.as_str())
                .await?
                .and_then(|known| Lang::from_code(&known.language))
                .unwrap_or_default(),
        };
        let details = ShopperDetails {
            store_user_id: shopper.store_user_id,
            email: shopper.email,
            first_name: shopper.first_name,
            last_name: shopper.last_name,
            language: language.code(),
        };
        self.shoppers
            .upsert_shopper(details)
            .await
            .context("could not save the shopper")
    }

    /// The id of the shopper's order the store knows as `store_order_id`, for a hand-over to
    /// open on; `None` when the shopper has no such order.
    pub async fn order_to_open(
        &self,
        store_user_id: &StoreUserId,
        store_order_id: &str,
    ) -> anyhow::Result<Option<i64>> {
        self.orders
            .order_of_store_user(store_user_id.as_str(), store_order_id)
            .await
    }

    /// A one-time link that signs the shopper in, leading back to `return_url`, showing
    /// `order_id` first if given. Only the token's hash is kept.
    pub async fn hand_over(
        &self,
        shopper_id: i64,
        return_url: String,
        order_id: Option<i64>,
    ) -> anyhow::Result<Handover> {
        let token = HandoverToken::generate()?;
        let now = self.clock.now();
        let expires_at = now + self.handover_ttl;
        let handover = NewHandover {
            shopper_id,
            return_url,
            order_id,
            expires_at,
        };
        self.handovers
            .create_handover(&token, handover, now)
            .await?;
        tracing::info!(shopper_id, "hand-over created");
        Ok(Handover { token, expires_at })
    }

    /// Uses up the hand-over whose token is `token` as it came in a link.
    pub async fn redeem(&self, token: &str) -> anyhow::Result<Redeemed> {
        match HandoverToken::parse(token) {
            Some(token) => {
                self.handovers
                    .redeem_handover(&token, self.clock.now())
                    .await
            }
            None => Ok(Redeemed::Unknown),
        }
    }
}

#[cfg(test)]
mod tests;
