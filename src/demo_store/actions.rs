//! The demo store's forms. `POST /demo-store/handover` asks the store API for a one-time link
//! and sends the browser there; `POST /demo-store/orders` creates an order through the store API
//! and shows the exchange back on the storefront.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use serde_json::Value;

use super::catalogue::{self, StoreUser};
use super::records::{self, ApiCall, DemoStoreRecords};
use super::texts::{self, DemoTexts};
use super::{DEMO_STORE_PATH, api};
use crate::i18n::Lang;
use crate::session::ShopperSession;
use crate::state::AppState;
use crate::web::{PageContext, PageError, see_other};

#[derive(Deserialize)]
pub struct StoreForm {
    csrf_token: String,
    store_user_id: String,
    store_order_id: Option<String>,
}

impl StoreForm {
    /// Checks the token and that the form names one of the store's users and, if any, an order
    /// id of the store's shape.
    fn check(&self, session: &ShopperSession) -> Result<&'static StoreUser, PageError> {
        session.check_csrf(&self.csrf_token)?;
        if let Some(id) = &self.store_order_id
            && !catalogue::is_order_id(id)
        {
            return Err(PageError::BadRequest("not a demo store order id".into()));
        }
        catalogue::user(&self.store_user_id)
            .ok_or_else(|| PageError::BadRequest("not a customer of the demo store".into()))
    }
}

#[derive(Template)]
#[template(path = "demo_store/api_error.html")]
struct ApiErrorPage {
    page: PageContext,
    t: &'static DemoTexts,
    call: ApiCall,
}

#[tracing::instrument(name = "demo store hand-over", skip_all, fields(store_user_id = %form.store_user_id))]
pub async fn handover(
    req: HttpRequest,
    session: ShopperSession,
    state: web::Data<AppState>,
    form: web::Form<StoreForm>,
) -> Result<HttpResponse, PageError> {
    let user = form.check(&session)?;
    let lang = Lang::of(&req);
    let mut body = user.shopper_json(lang.code());
    if let Value::Object(fields) = &mut body {
        fields.insert(
            "return_url".into(),
            format!("{}{DEMO_STORE_PATH}", state.public_url).into(),
        );
        if let Some(order_id) = &form.store_order_id {
            fields.insert("store_order_id".into(), order_id.clone().into());
        }
    }
    let call = api::post(&state, "/api/v1/handovers", body, user.store_user_id).await?;
    match call.answer_field("url").filter(|_| call.succeeded()) {
        Some(url) => Ok(see_other(&url)),
        None => api_error(&req, lang, call),
    }
}

#[tracing::instrument(name = "demo store order", skip_all, fields(store_user_id = %form.store_user_id))]
pub async fn create_order(
    req: HttpRequest,
    session: ShopperSession,
    state: web::Data<AppState>,
    records: web::Data<dyn DemoStoreRecords>,
    form: web::Form<StoreForm>,
) -> Result<HttpResponse, PageError> {
    let user = form.check(&session)?;
    let store_order_id = match &form.store_order_id {
        Some(id) => id.clone(),
        None => catalogue::new_order_id()?,
    };
    let lang = Lang::of(&req);
    let body = catalogue::order_request(user, &store_order_id, lang.code());
    let call = api::post(&state, "/api/v1/orders", body, user.store_user_id).await?;
    let id = records::save_call(records.as_ref(), call).await?;
    Ok(see_other(&format!("{DEMO_STORE_PATH}?call={id}#call")))
}

/// The API refused or could not be reached: a page with the request and the answer, so the
/// developer sees why.
fn api_error(req: &HttpRequest, lang: Lang, call: ApiCall) -> Result<HttpResponse, PageError> {
    let html = ApiErrorPage {
        page: PageContext::new(req)?,
        t: texts::of(lang),
        call,
    }
    .render()
    .map_err(|e| PageError::Unexpected(anyhow::anyhow!("could not render a page: {e}")))?;
    Ok(HttpResponse::build(StatusCode::BAD_GATEWAY)
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(html))
}
