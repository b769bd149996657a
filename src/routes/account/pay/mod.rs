//! `POST /account/orders/{order_id}/pay`: pays one of the shopper's orders through Voucherly.
//!
//! The payment record is committed before Voucherly is called; the form's idempotency key makes
//! any resubmission, even a concurrent one, find that record and get the same redirect, so one
//! form makes at most one Voucherly payment. Amounts come from the stored order only.

pub mod choice;
mod earlier;
mod problem;
mod replay;
mod request;

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use self::choice::{Choice, Refusal, chosen_method};
use self::earlier::Earlier;
use self::request::{PaymentContext, create_payment_request};
use crate::i18n::Lang;
use crate::payments::{Capture, customer};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::storage::orders::{self, Order, OrderStatus};
use crate::storage::payments::{self, Begun, NewPayment, PaymentRecord};
use crate::storage::shoppers::{self, FirstPayment, Shopper};
use crate::voucherly::VoucherlyError;
use crate::voucherly::types::{CreatePaymentRequest, Payment};
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
    limits::enforce(&state, bucket, limits::PAYMENTS).await?;
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
        method,
    };
    create(req, state, order, payer, record).await
}

struct Payer<'a> {
    shopper: &'a Shopper,
    customer_id: Option<String>,
    method: Option<Choice>,
}

/// Asks Voucherly for the payment and records its answer, whatever it is.
async fn create(
    req: &HttpRequest,
    state: &AppState,
    order: &Order,
    payer: Payer<'_>,
    record: PaymentRecord,
) -> Result<HttpResponse, PageError> {
    let request = create_payment_request(
        order,
        PaymentContext {
            reference: &record.reference,
            shopper: payer.shopper,
            customer_id: payer.customer_id.clone(),
            method_id: payer.method.map(|m| m.id),
            public_url: &state.public_url,
            language: Lang::of(req).code(),
            auto_confirm: state.payments.capture == Capture::AtPayment,
        },
    );
    let mut created = state.voucherly.create_payment(&request).await;
    if let (Err(error), Some(stale)) = (&created, &payer.customer_id) {
        if error.is_resource_missing() {
            created = with_new_customer(state, payer.shopper, stale, request).await;
        }
    }
    let payment = match created {
        Ok(payment) => payment,
        Err(error) => {
            tracing::warn!(%error, "Voucherly could not create the payment");
            payments::record_create_failed(&state.db, &record.reference, &error.to_string())
                .await?;
            return problem::start_failed(req, Some(&error));
        }
    };
    let Some(checkout_url) = payment
        .checkout_url
        .as_deref()
        .filter(|url| is_web_url(url))
    else {
        let error = format!(
            "payment {} came back without a usable checkoutUrl",
            payment.id
        );
        tracing::error!(payment_id = %payment.id, "{error}");
        payments::record_create_failed(&state.db, &record.reference, &error).await?;
        let error = VoucherlyError::UnexpectedAnswer(error);
        return problem::start_failed(req, Some(&error));
    };
    let status = payment.status.as_ref().map(|s| s.as_str());
    // The shopper goes on to the checkout even if this write fails: the callback and the
    // reconciler find the record by its reference and repair it.
    if let Err(error) = payments::record_created(
        &state.db,
        state.payments.first_check_after,
        &record.reference,
        &payment.id,
        status,
        checkout_url,
    )
    .await
    {
        tracing::error!(error = ?error, "could not record the created payment");
    }
    if let Some(customer_id) = payment.customer_id.filter(|id| !id.trim().is_empty()) {
        if payer.customer_id.as_deref() != Some(customer_id.as_str()) {
            let saved = shoppers::save_customer_id(
                &state.db,
                record.shopper_id,
                state.environment,
                customer_id,
            )
            .await;
            if let Err(error) = saved {
                tracing::error!(error = ?error, "could not save the Voucherly customer id");
            }
        }
    }
    tracing::info!(payment_id = %payment.id, "payment created; shopper sent to the checkout");
    state.saved_methods.forget(record.shopper_id);
    Ok(see_other(checkout_url))
}

/// Voucherly no longer knows the shopper's customer id (`RESOURCE_MISSING`): it is dropped and
/// the payment asked again as a first payment (name and email, the method chosen at the
/// checkout, as the old customer's methods are gone), under the first-payment claim.
async fn with_new_customer(
    state: &AppState,
    shopper: &Shopper,
    stale: &str,
    mut request: CreatePaymentRequest,
) -> Result<Payment, VoucherlyError> {
    tracing::warn!("Voucherly no longer knows the shopper's customer id: creating it again");
    let unavailable = |error: anyhow::Error| VoucherlyError::Unavailable(format!("{error:#}"));
    let (db, env) = (&state.db, state.environment);
    shoppers::forget_customer_id(db, shopper.id, env, stale.to_owned())
        .await
        .map_err(unavailable)?;
    let lease = state.payments.creating_timeout;
    let claim = shoppers::claim_first_payment(db, shopper.id, env, crate::storage::now(), lease)
        .await
        .map_err(unavailable)?;
    request.customer_payment_method_id = None;
    let claimed = claim == FirstPayment::Claimed;
    match claim {
        FirstPayment::Customer(id) => request.customer_id = Some(id),
        FirstPayment::Claimed => {
            request.customer_id = None;
            request.customer_first_name = Some(shopper.first_name.clone());
            request.customer_last_name = Some(shopper.last_name.clone());
            request.customer_email = Some(shopper.email.clone());
        }
        FirstPayment::Busy => {
            return Err(VoucherlyError::Unavailable(
                "another first payment of the shopper is under way".into(),
            ));
        }
    }
    let created = state.voucherly.create_payment(&request).await;
    if claimed {
        if let Ok(payment) = &created {
            if let Some(id) = payment
                .customer_id
                .clone()
                .filter(|id| !id.trim().is_empty())
            {
                if let Err(error) = shoppers::save_customer_id(db, shopper.id, env, id).await {
                    tracing::error!(error = ?error, "could not save the new customer id");
                }
            }
        }
        customer::first_payment_done(state, shopper.id).await;
    }
    created
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

fn is_web_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}
