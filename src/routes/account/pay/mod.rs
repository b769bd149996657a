//! `POST /account/orders/{order_id}/pay`: pays one of the shopper's orders through Voucherly.
//!
//! The payment record is committed before Voucherly is called; the form's idempotency key makes
//! any resubmission, even a concurrent one, find that record and get the same redirect, so one
//! form makes at most one Voucherly payment. Amounts come from the stored order only.

pub mod choice;
mod earlier;
pub(super) mod problem;
mod replay;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use self::choice::{Refusal, chosen_method};
use self::earlier::Earlier;
use crate::i18n::Lang;
use crate::payments::customer;
use crate::payments::start::{self, Payer};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::orders::{self, Order, OrderStatus};
use crate::storage::payments::{self, Begun, NewPayment, PaymentRecord};
use crate::storage::shoppers::{self, Shopper};
use crate::web::{PageError, limits, see_other};

/// Where a shopper is sent when the order needs nothing more.
pub const ALREADY_PAID: &str = "/account?notice=already_paid";

/// The form. Any other field (an amount, say) is ignored.
#[derive(Deserialize)]
pub struct PayForm {
    csrf_token: String,
    idempotency_key: String,
    /// A saved method's id; empty or `checkout` to choose at Voucherly's checkout.
    #[serde(default)]
    method_id: String,
}

#[tracing::instrument(
    name = "pay",
    skip_all,
    fields(shopper_id = signed_in.shopper_id, order_id = *order_id, reference)
)]
pub async fn pay(
    req: HttpRequest,
    signed_in: SignedIn,
    state: web::Data<AppState>,
    order_id: web::Path<i64>,
    form: web::Form<PayForm>,
) -> Result<HttpResponse, PageError> {
    signed_in.session.check_csrf(&form.csrf_token)?;
    let bucket = format!("pay:{}", signed_in.shopper_id);
    limits::enforce(state.storage.as_ref(), bucket, limits::PAYMENTS).await?;
    let key = idempotency_key(&form.idempotency_key)?;
    let shopper_id = signed_in.shopper_id;
    let Some(order) = orders::find_for_shopper(&state.db, shopper_id, *order_id).await? else {
        return Err(PageError::NotFound);
    };
    if order.status != OrderStatus::AwaitingPayment {
        return Ok(see_other(ALREADY_PAID));
    }
    // A resubmitted form needs no second look at Voucherly's method list.
    if let Some(existing) = payments::find_by_idempotency_key(&state.db, shopper_id, &key).await? {
        return replay::answer(&req, &state, existing, order.id).await;
    }
    match earlier::close_earlier(&state, order.id, state.payments.earlier_checks_within).await? {
        Earlier::Closed => {}
        Earlier::Paid => return Ok(see_other(ALREADY_PAID)),
        // Starting another while one may still be open could take the money twice.
        Earlier::Unsure => return problem::start_failed(&req, None),
    }
    let Some(shopper) = shoppers::find(&state.db, shopper_id).await? else {
        signed_in.session.sign_out();
        return Err(PageError::NotSignedIn);
    };
    // Concurrent first payments of a shopper share one Voucherly customer.
    let within = state.payments.earlier_checks_within;
    let Some(payer) = customer::payer(&state, shopper_id, within).await? else {
        return problem::start_failed(&req, None);
    };
    let first = payer == customer::Payer::First;
    let customer_id = match payer {
        customer::Payer::Customer(id) => Some(id),
        customer::Payer::First => None,
    };
    let outcome = start(
        &req,
        &state,
        &order,
        &shopper,
        &form.method_id,
        key,
        customer_id,
    )
    .await;
    if first {
        customer::first_payment_done(&state, shopper_id).await;
    }
    outcome
}

/// Checks the chosen method, writes the payment record and creates the Voucherly payment.
async fn start(
    req: &HttpRequest,
    state: &AppState,
    order: &Order,
    shopper: &Shopper,
    method_id: &str,
    key: String,
    customer_id: Option<String>,
) -> Result<HttpResponse, PageError> {
    let shopper_id = shopper.id;
    let method = match chosen_method(state, customer_id.as_deref(), method_id).await {
        Ok(method) => method,
        Err(Refusal::NotTheirs) => return problem::method_refused(req),
        Err(Refusal::Voucherly(error)) => {
            tracing::warn!(%error, "could not list saved methods to check the choice");
            return problem::start_failed(req, Some(&error));
        }
    };
    // Meal vouchers pay food only: never offered, and never accepted, for an order without.
    if method.as_ref().is_some_and(|m| m.meal_voucher) && !order.has_food() {
        return problem::method_refused(req);
    }
    let begun = payments::begin(
        &state.db,
        NewPayment {
            shopper_id,
            order_id: order.id,
            idempotency_key: key,
            environment: state.environment,
            amount: order.final_amount,
            method_id: method.as_ref().map(|m| m.id.clone()),
            method_label: method.as_ref().map(|m| m.label.clone()),
        },
        state.payments.creating_timeout,
    )
    .await?;
    let record = match begun {
        Begun::New(record) => record,
        // A concurrent submission of the same form got there first.
        Begun::Existing(record) => return replay::answer(req, state, record, order.id).await,
        // Another form of the order started a payment meanwhile: that one is resumed.
        Begun::Busy(record) => return replay::answer(req, state, record, order.id).await,
    };
    tracing::Span::current().record("reference", record.reference.as_str());
    let payer = Payer {
        shopper,
        customer_id,
        method_id: method.map(|m| m.id),
    };
    create(req, state, order, payer, record).await
}

/// Asks Voucherly for the payment (`payments::start`) and sends the shopper to its checkout,
/// or tells them nothing was charged.
async fn create(
    req: &HttpRequest,
    state: &AppState,
    order: &Order,
    payer: Payer<'_>,
    record: PaymentRecord,
) -> Result<HttpResponse, PageError> {
    let language = Lang::of(req).code();
    match start::create(state, order, payer, &record, language).await? {
        Ok(checkout_url) => {
            state.saved_methods.forget(record.shopper_id);
            Ok(see_other(&checkout_url))
        }
        Err(error) => problem::start_failed(req, Some(&error)),
    }
}

/// 32 to 64 hex digits, as the profile page writes it.
fn idempotency_key(text: &str) -> Result<String, PageError> {
    let text = text.trim();
    if (32..=64).contains(&text.len()) && text.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(PageError::BadRequest("malformed idempotency key".into()))
    }
}
