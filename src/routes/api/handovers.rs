//! `POST /api/v1/handovers`: the store's server asks for a one-time link that signs one of its
//! shoppers in here. The shopper is created or updated from the body; the answer's URL works
//! once, for `handover_ttl` seconds, and only its hash is stored.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa::openapi::schema::Object;

use super::object::JsonObject;
use super::openapi::{
    InvalidRequest, PayloadTooLarge, TooManyRequests, Unauthorized, UnsupportedMediaType,
    strings_or_null,
};
use super::{ApiError, ErrorJson, StoreAuth};
use crate::app::shoppers::{Shoppers, StoreShopper};
use crate::domain::store_event::rfc3339;
use crate::domain::{Email, PersonName, StoreUserId};
use crate::i18n::Lang;
use crate::web::{Site, check_return_url};

/// The shopper to sign in, and where "back to the store" leads.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = HandoverInput)]
pub struct HandoverRequest {
    /// Your own id of the user: 1 to 128 printable ASCII characters, no spaces.
    #[schema(min_length = 1, max_length = 128, pattern = r"^[!-~]+$")]
    store_user_id: String,
    #[schema(format = "email", max_length = 254)]
    email: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    first_name: String,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = r"^[^\x00-\x1f\x7f-\x9f]*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
    )]
    last_name: String,
    #[schema(schema_with = language_schema)]
    language: Option<String>,
    /// Where "back to the store" leads: an absolute http(s) URL without credentials whose
    /// origin is one of the store's origins (`VOUCHERLY_ACCOUNT_STORE_ORIGINS`); any other is
    /// refused with a 400 whose message starts `return_url`.
    #[schema(
        max_length = 2048,
        pattern = r"^[hH][tT][tT][pP][sS]?://([A-Za-z0-9]+\.)*[A-Za-z][A-Za-z0-9]*(:[0-9]{1,4})?([/?#][!-~]*)?$"
    )]
    return_url: String,
    /// An order of this shopper to show first; null or absent shows their profile.
    store_order_id: Option<String>,
}

fn language_schema() -> Object {
    strings_or_null(
        &["it", "en"],
        "Language of the pages; null or absent keeps the one we know (Italian for a new \
         shopper).",
    )
    .build()
}

#[derive(Serialize, ToSchema)]
#[schema(as = Handover, example = json!({
    "url": "https://account.shop.example/handover/3q2-AbC…",
    "expires_at": "2025-03-01T10:05:00Z"
}))]
struct HandoverCreated {
    /// Absolute; works once. Send the shopper there (link, redirect or iframe).
    #[schema(format = "uri")]
    url: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

/// The 400 for a field the domain type refused.
fn field(name: &'static str) -> impl Fn(String) -> ApiError {
    move |error| ApiError::invalid(format!("{name}: {error}"))
}

/// Hand a signed-in shopper over
///
/// Creates or updates the shopper and answers a one-time URL that signs them in and shows their
/// profile, or the order named. The URL expires after a few minutes and is stored only as a
/// hash. The `return_url` must be on one of the store's origins: any other is a 400.
#[utoipa::path(
    post,
    path = "/api/v1/handovers",
    tag = "handovers",
    operation_id = "createHandover",
    request_body(content = HandoverRequest, example = json!({
        "store_user_id": "user-42",
        "email": "anna.neri@example.com",
        "first_name": "Anna",
        "last_name": "Neri",
        "language": "it",
        "return_url": "https://shop.example/account",
        "store_order_id": "A-1001"
    })),
    responses(
        (status = 201, description = "The one-time URL.", body = HandoverCreated),
        (status = 400, response = InvalidRequest),
        (status = 401, response = Unauthorized),
        (status = 429, response = TooManyRequests),
        (status = 404, description = "No order with that `store_order_id` for this shopper.",
            body = ErrorJson, example = json!({
                "error": {"code": "not_found", "message": "store_order_id: this shopper has no order \"A-1001\""}
            })),
        (status = 413, response = PayloadTooLarge),
        (status = 415, response = UnsupportedMediaType),
    )
)]
#[tracing::instrument(name = "create hand-over", skip_all, fields(store_user_id = %body.0.0.store_user_id))]
pub async fn create(
    _auth: StoreAuth,
    site: web::Data<Site>,
    shoppers: web::Data<Shoppers>,
    payments: web::Data<crate::app::payments::Payments>,
    body: web::Json<JsonObject<HandoverRequest>>,
) -> Result<HttpResponse, ApiError> {
    let web::Json(JsonObject(body)) = body;
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
