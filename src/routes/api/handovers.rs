//! `POST /api/v1/handovers`: the store's server asks for a one-time link that signs one of its
//! shoppers in here. The shopper is created or updated from the body; the answer's URL works
//! once, for `handover_ttl` seconds, and only its hash is stored.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::{ApiError, StoreAuth};
use crate::app::shoppers::{Shoppers, StoreShopper};
use crate::domain::store_event::rfc3339;
use crate::domain::{Email, PersonName, StoreUserId};
use crate::i18n::Lang;
use crate::web::{Site, check_return_url};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    store_user_id: String,
    email: String,
    first_name: String,
    last_name: String,
    language: Option<String>,
    return_url: String,
    store_order_id: Option<String>,
}

#[derive(Serialize)]
struct HandoverCreated {
    url: String,
    expires_at: String,
}

/// The 400 for a field the domain type refused.
fn field(name: &'static str) -> impl Fn(String) -> ApiError {
    move |error| ApiError::invalid(format!("{name}: {error}"))
}

#[tracing::instrument(name = "create hand-over", skip_all, fields(store_user_id = %body.store_user_id))]
pub async fn create(
    _auth: StoreAuth,
    site: web::Data<Site>,
    shoppers: web::Data<Shoppers>,
    payments: web::Data<crate::app::payments::Payments>,
    body: web::Json<HandoverRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let store_user_id = StoreUserId::parse(&body.store_user_id).map_err(field("store_user_id"))?;
    let email = Email::parse(&body.email).map_err(field("email"))?;
    let first_name = PersonName::parse(&body.first_name).map_err(field("first_name"))?;
    let last_name = PersonName::parse(&body.last_name).map_err(field("last_name"))?;
    let language = match body.language.as_deref() {
        Some("it") => Some(Lang::It),
        Some("en") => Some(Lang::En),
        Some(_) => return Err(ApiError::invalid("language: must be \"it\" or \"en\"")),
        None => None,
    };
    let return_url = check_return_url(&body.return_url, &site.store_origins)
        .map_err(|error| ApiError::invalid(format!("return_url {error}")))?;
    let order_id = match &body.store_order_id {
        Some(store_order_id) => Some(
            shoppers
                .order_to_open(&store_user_id, store_order_id)
                .await?
                .ok_or_else(|| {
                    ApiError::not_found(format!(
                        "store_order_id: this shopper has no order {store_order_id:?}"
                    ))
                })?,
        ),
        None => None,
    };
    let shopper_id = shoppers
        .save(StoreShopper {
            store_user_id,
            email,
            first_name,
            last_name,
            language,
        })
        .await?;
    // A changed name or email reaches Voucherly now (bounded by the client's timeouts).
    payments.send_profile_change(shopper_id).await;

    let handover = shoppers
        .hand_over(shopper_id, return_url.into(), order_id)
        .await?;
    let expires_at = rfc3339(handover.expires_at)?;
    Ok(HttpResponse::Created()
        // The answer is a key to the shopper's account.
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(HandoverCreated {
            url: format!("{}/handover/{}", site.public_url, handover.token.as_str()),
            expires_at,
        }))
}
