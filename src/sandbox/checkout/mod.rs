//! The hosted checkout, `/sandbox/checkout/{paymentId}`: the page Voucherly's `checkoutUrl`
//! points the shopper's browser at. A plain HTML form (no JavaScript) that pays with a saved
//! method, a new card or a gateway (meal vouchers for the food, the rest with another method,
//! as `completionMode` says), or declines or cancels the payment; see [`submit`] for what
//! happens then.

mod decide;
mod format;
mod ledger;
mod pages;
mod submit;
mod texts;
mod views;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use anyhow::anyhow;

use super::Sandbox;
use super::store::{self, payments::StoredPayment};
use super::wire::{Gateway, PaymentMethod, Status};
use texts::Texts;

pub fn resource() -> actix_web::Resource {
    web::resource("/checkout/{payment_id}")
        .route(web::get().to(show))
        .route(web::post().to(submit::submit))
}

/// A new random secret for a payment's checkout form.
pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|error| anyhow!("no randomness for a token: {error}"))?;
    Ok(hex::encode(bytes))
}

/// Everything a checkout page shows, read in one go.
struct Loaded {
    stored: StoredPayment,
    customer_name: String,
    methods: Vec<PaymentMethod>,
    gateways: Vec<Gateway>,
}

impl Loaded {
    fn texts(&self) -> &'static Texts {
        texts::for_language(self.stored.request.language.as_deref())
    }
}

async fn load(sandbox: &Sandbox, id: String) -> anyhow::Result<Option<Loaded>> {
    sandbox
        .db
        .run(move |conn| {
            let Some(stored) = store::payments::current(conn, &id)? else {
                return Ok(None);
            };
            let customer_id = stored.payment.customer_id.clone().unwrap_or_default();
            let customer = store::customer(conn, &customer_id)?;
            Ok(Some(Loaded {
                customer_name: customer.map(|c| c.full_name()).unwrap_or_default(),
                methods: store::methods(conn, &customer_id)?,
                gateways: store::gateways(conn)?,
                stored,
            }))
        })
        .await
}

#[tracing::instrument(name = "sandbox: checkout page", skip(sandbox, req))]
async fn show(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    payment_id: web::Path<String>,
) -> HttpResponse {
    match load(&sandbox, payment_id.into_inner()).await {
        Err(cause) => pages::unexpected(&texts::IT, &cause),
        Ok(None) => pages::error(&texts::IT, StatusCode::NOT_FOUND, texts::IT.not_found),
        Ok(Some(loaded)) if loaded.stored.status() != Status::Requested => {
            views::result_page(loaded.texts(), &loaded.stored, StatusCode::OK, true)
        }
        Ok(Some(loaded)) => {
            let page = views::checkout_page(&loaded, form_action(&req), None, &Default::default());
            pages::render(StatusCode::OK, &page)
        }
    }
}

/// The form posts back to the page's own path.
fn form_action(req: &HttpRequest) -> String {
    req.path().to_owned()
}
