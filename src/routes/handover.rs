//! `GET /handover/{token}`: a one-time link made by the store's server (`POST /api/v1/handovers`).
//! A valid link signs its shopper in under a fresh session and shows their account; a used,
//! expired or unknown one first ends whatever session the browser had, then says so.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::app::shoppers::Shoppers;
use crate::domain::Redeemed;
use crate::i18n::Lang;
use crate::session::ShopperSession;
use crate::web::limits::{self, Limiter};
use crate::web::{PageContext, PageError, Site, check_return_url};

#[derive(Template)]
#[template(path = "handover.html")]
struct HandoverFailedPage {
    page: PageContext,
    title: &'static str,
    text: &'static str,
    store_url: Option<String>,
}

#[tracing::instrument(name = "hand-over", skip_all)]
pub async fn open(
    req: HttpRequest,
    session: ShopperSession,
    limiter: web::Data<Limiter>,
    site: web::Data<Site>,
    shoppers: web::Data<Shoppers>,
    payments: web::Data<crate::app::payments::Payments>,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let bucket = limiter.per_client(&req, "handover");
    limiter.enforce(bucket, limits::HANDOVERS).await?;
    match shoppers.redeem(&token).await? {
        Redeemed::SignedIn {
            shopper_id,
            return_url,
            order_id,
            language,
        } => {
            session.sign_in(shopper_id)?;
            session.set_return_url(&return_url)?;
            session.set_lang(Lang::from_code(&language).unwrap_or_default())?;
            tracing::info!(shopper_id, "a hand-over signed the shopper in");
            // A change of name or email Voucherly could not take at the hand-over's creation.
            payments.send_profile_change(shopper_id).await;
            let location = match order_id {
                Some(id) => format!("/account#order-{id}"),
                None => "/account".to_owned(),
            };
            Ok(private(HttpResponse::SeeOther())
                .insert_header((header::LOCATION, location))
                .finish())
        }
        Redeemed::Gone {
            return_url,
            language,
        } => {
            tracing::info!("a used or expired hand-over was opened");
            session.sign_out();
            let lang = Lang::from_code(&language).unwrap_or_default();
            let t = lang.texts();
            // Shown only if still on a store origin: the configuration may have changed.
            let store_url = check_return_url(&return_url, &site.store_origins)
                .ok()
                .map(String::from);
            failed(
                &req,
                StatusCode::GONE,
                lang,
                t.handover_gone_title,
                t.handover_gone_text,
                store_url,
            )
        }
        Redeemed::Unknown => {
            tracing::info!("an unknown hand-over was opened");
            session.sign_out();
            let lang = Lang::of(&req);
            let t = lang.texts();
            failed(
                &req,
                StatusCode::NOT_FOUND,
                lang,
                t.handover_unknown_title,
                t.handover_unknown_text,
                None,
            )
        }
    }
}

fn failed(
    req: &HttpRequest,
    status: StatusCode,
    lang: Lang,
    title: &'static str,
    text: &'static str,
    store_url: Option<String>,
) -> Result<HttpResponse, PageError> {
    let mut page = PageContext::minimal(req, lang);
    // The language form would carry this path, token included, into the next request.
    page.next = "/".to_owned();
    let html = HandoverFailedPage {
        page,
        title,
        text,
        store_url,
    }
    .render()
    .map_err(|e| PageError::Unexpected(anyhow::anyhow!("could not render a page: {e}")))?;
    Ok(private(HttpResponse::build(status))
        .content_type("text/html; charset=utf-8")
        .body(html))
}

/// No cache keeps the answer, and no request from it names the link: the token is a key.
fn private(mut response: actix_web::HttpResponseBuilder) -> actix_web::HttpResponseBuilder {
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"));
    response
}
