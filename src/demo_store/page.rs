//! `GET /demo-store`: the storefront. Its customers with a hand-over and an order form each, the
//! store's settings, the answer to the last order it created, and the notifications it received.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use secrecy::ExposeSecret;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use super::catalogue::{self, ORDER, Product, StoreUser, USERS};
use super::records::{DemoStoreRecords, ReceivedEvent, StoredCall};
use super::texts::{self, DemoTexts};
use crate::app::store::DEMO_WEBHOOK_PATH;
use crate::domain::format_eur;
use crate::i18n::Lang;
use crate::state::AppState;
use crate::web::{PageContext, PageError, render};

#[derive(Deserialize)]
pub struct PageQuery {
    call: Option<String>,
}

/// A customer of the store, with the order id its order form will use.
struct UserView {
    user: &'static StoreUser,
    next_order_id: String,
}

struct EventView {
    received_at: String,
    datetime: String,
    event: ReceivedEvent,
}

#[derive(Template)]
#[template(path = "demo_store/page.html")]
struct DemoStorePage {
    page: PageContext,
    lang: Lang,
    t: &'static DemoTexts,
    users: Vec<UserView>,
    products: &'static [Product],
    /// The store API key: in full when demo mode generated it, else its first 8 characters.
    api_key: Option<String>,
    api_key_in_full: bool,
    webhook_url: Option<String>,
    webhook_is_ours: bool,
    call: Option<StoredCall>,
    call_user: Option<&'static StoreUser>,
    events: Vec<EventView>,
}

#[tracing::instrument(name = "demo store page", skip_all)]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    records: web::Data<dyn DemoStoreRecords>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::of(&req);
    let users = USERS
        .iter()
        .map(|user| {
            Ok(UserView {
                user,
                next_order_id: catalogue::new_order_id()?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    let call = match query.into_inner().call {
        // Ids are tokens we made: one with a control character is none of them.
        Some(id) if !id.chars().any(char::is_control) => records.find_call(id).await?,
        Some(_) => None,
        None => None,
    };
    let call_user = call
        .as_ref()
        .and_then(|call| catalogue::user(&call.store_user_id));
    let events = records
        .events()
        .await?
        .into_iter()
        .map(event_view)
        .collect();
    let webhook_url = state.store.webhook.as_ref().map(|w| w.url.clone());
    render(&DemoStorePage {
        page: PageContext::new(&req)?,
        lang,
        t: texts::of(lang),
        users,
        products: ORDER,
        api_key: state.store.api_key.as_ref().map(|key| {
            let key = key.expose_secret();
            match state.store.api_key_generated {
                true => key.to_owned(),
                false => key.chars().take(8).collect(),
            }
        }),
        api_key_in_full: state.store.api_key_generated,
        webhook_is_ours: webhook_url
            .as_deref()
            .is_some_and(|url| url == format!("{}{DEMO_WEBHOOK_PATH}", state.public_url)),
        webhook_url,
        call,
        call_user,
        events,
    })
}

fn event_view(event: ReceivedEvent) -> EventView {
    let at = OffsetDateTime::from_unix_timestamp(event.received_at)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    EventView {
        received_at: at
            .format(format_description!(
                "[day]/[month]/[year] [hour]:[minute]:[second] UTC"
            ))
            .unwrap_or_default(),
        datetime: at.format(&Rfc3339).unwrap_or_default(),
        event,
    }
}

impl DemoStorePage {
    /// A product's unit price in the page's language.
    fn price(&self, product: &Product) -> String {
        format_eur(product.unit_amount, self.lang)
    }
}
