//! The checkout form's POST: checks the payment's form token (constant time), then pays with
//! the chosen method (a Transaction; a new card saved if asked), or voids the payment (declined
//! or cancelled by the shopper). When the payment closes paid, the callback is posted before
//! the browser is sent back to the store with a 303 (s2s.md: "before redirecting the customer"),
//! unless the shopper ticked "simulate a lost callback". With `Standard` completion and money
//! still due (meal vouchers paid the food) the page asks for the rest.

use actix_web::http::StatusCode;
use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::decide::{Choice, Decision, Next, Refusal, decide};
use super::views::{self, GATEWAY_PREFIX, Typed};
use super::{Sandbox, form_action, load, pages, texts};
use crate::sandbox::wire::{LastCallback, Status};
use crate::sandbox::{callback, card, store};
use crate::storage;

/// The `method` value of the "pay with a new card" radio button.
pub const NEW_CARD: &str = "new";

/// The `method` value of "top up the wallet and pay with it".
pub const WALLET_CHOICE: &str = "wallet";

/// The posted form. No `Debug`: it holds a full card number, which must never reach a log.
#[derive(Deserialize, Default)]
#[serde(default)]
struct CheckoutForm {
    token: String,
    action: String,
    method: Option<String>,
    holder_name: String,
    card_number: String,
    expiry_month: String,
    expiry_year: String,
    save_card: Option<String>,
    lost_callback: Option<String>,
    voucher_refund_fails: Option<String>,
}

#[tracing::instrument(name = "sandbox: checkout submit", skip(sandbox, req, body))]
pub async fn submit(
    sandbox: web::Data<Sandbox>,
    req: HttpRequest,
    payment_id: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    let Ok(form) = serde_urlencoded::from_bytes::<CheckoutForm>(&body) else {
        return pages::error(&texts::IT, StatusCode::BAD_REQUEST, texts::IT.bad_form);
    };
    let loaded = match load(&sandbox, payment_id.into_inner()).await {
        Err(cause) => return pages::unexpected(&texts::IT, &cause),
        Ok(None) => return pages::error(&texts::IT, StatusCode::NOT_FOUND, texts::IT.not_found),
        Ok(Some(loaded)) => loaded,
    };
    let t = loaded.texts();
    let expected = loaded.stored.token.as_bytes();
    if !bool::from(expected.ct_eq(form.token.as_bytes())) {
        tracing::warn!("sandbox checkout posted with a wrong token");
        return pages::error(t, StatusCode::FORBIDDEN, t.forbidden);
    }
    if loaded.stored.status() != Status::Requested {
        return views::result_page(t, &loaded.stored, StatusCode::CONFLICT, true);
    }
    let typed = Typed {
        method: form.method.clone(),
        holder_name: form.holder_name.clone(),
        expiry_month: form.expiry_month.clone(),
        expiry_year: form.expiry_year.clone(),
        save_card: form.save_card.is_some(),
    };
    let show_again = |message: &'static str| {
        let page = views::checkout_page(&loaded, form_action(&req), Some(message), &typed);
        pages::render(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    let decision = match form.action.as_str() {
        "approve" => match choose(&form, t) {
            Ok(choice) => Decision::Pay(choice),
            Err(message) => return show_again(message),
        },
        "decline" | "cancel" => Decision::Void,
        _ => return pages::error(t, StatusCode::BAD_REQUEST, t.bad_form),
    };
    let id = loaded.stored.payment.id.clone();
    let timings = sandbox.timings;
    let (lose_callback, refunds_fail) = (
        form.lost_callback.is_some(),
        form.voucher_refund_fails.is_some(),
    );
    let updated = sandbox
        .db
        .run(move |conn| {
            store::payments::update(conn, &id, |conn, stored| {
                stored.state.lose_callback |= lose_callback;
                stored.state.voucher_refund_fails |= refunds_fail;
                let now = storage::now();
                let next = decide(conn, stored, decision, timings, now)?;
                if let Ok(Next::Closed { .. }) = &next {
                    // payment.Schema.json `closeCheckout`: "whether the checkout was closed
                    // successfully (true) or cancelled (false)", and when.
                    stored.payment.close_checkout = Some(LastCallback {
                        success: stored.status().is_paid(),
                        date: callback::rfc3339(now),
                    });
                }
                Ok(next)
            })
        })
        .await;
    let (stored, next) = match updated {
        Err(cause) => return pages::unexpected(t, &cause),
        Ok(None) => return pages::error(t, StatusCode::NOT_FOUND, t.not_found),
        Ok(Some(Err(Refusal::AlreadyCompleted(now)))) => {
            return views::result_page(t, &now, StatusCode::CONFLICT, true);
        }
        Ok(Some(Err(Refusal::Unusable))) => return show_again(t.method_expired),
        Ok(Some(Err(Refusal::NoFood))) => return show_again(t.no_food),
        Ok(Some(Err(Refusal::NotOffered))) => return show_again(t.not_offered),
        Ok(Some(Ok((stored, next)))) => (stored, next),
    };
    let top_up = match next {
        Next::PayTheRest => {
            let loaded = super::Loaded { stored, ..loaded };
            let message = Some(t.pay_the_rest);
            let page = views::checkout_page(&loaded, form_action(&req), message, &Typed::default());
            return pages::render(StatusCode::OK, &page);
        }
        Next::Closed { top_up } => top_up,
    };
    let status = stored.status();
    tracing::info!(payment_id = %stored.payment.id, %status, "sandbox checkout finished");
    let stored = match (&stored.request.callback_url, stored.state.lose_callback) {
        (Some(url), false) if status.is_paid() => {
            // A wallet top-up made during the checkout calls back too, first (s2s.md).
            if let Some(top_up) = top_up {
                callback::deliver(&sandbox, url.clone(), &top_up).await;
            }
            callback::deliver(&sandbox, url.clone(), &stored).await;
            // A merchant that refused the payment (`stop: true`) had it cancelled: the browser
            // goes back with the status the payment has now, as the plugins would read it.
            let id = stored.payment.id.clone();
            match sandbox
                .db
                .run(move |conn| store::payments::current(conn, &id))
                .await
            {
                Ok(Some(now)) => now,
                _ => stored,
            }
        }
        (Some(_), true) => {
            tracing::info!("sandbox callback skipped: simulating a lost callback");
            stored
        }
        _ => stored,
    };
    match views::back_url(&stored) {
        Some(url) => HttpResponse::SeeOther()
            .insert_header((LOCATION, url))
            .finish(),
        None => views::result_page(t, &stored, StatusCode::OK, false),
    }
}

/// The shopper's choice of method, or the message that explains what is missing or wrong.
fn choose(form: &CheckoutForm, t: &texts::Texts) -> Result<Choice, &'static str> {
    match form.method.as_deref() {
        None | Some("") => Err(t.choose_method),
        Some(NEW_CARD) => {
            let (name, number) = (&form.holder_name, &form.card_number);
            let (month, year) = (&form.expiry_month, &form.expiry_year);
            let card = card::check(name, number, month, year, card::this_month())
                .map_err(|problem| t.card_problem(problem))?;
            Ok(Choice::New {
                card,
                save: form.save_card.is_some(),
            })
        }
        Some(WALLET_CHOICE) => Ok(Choice::Wallet),
        Some(id) => match id.strip_prefix(GATEWAY_PREFIX) {
            Some(gateway) => Ok(Choice::Gateway(gateway.to_owned())),
            None => Ok(Choice::Saved(id.to_owned())),
        },
    }
}
