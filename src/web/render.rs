//! Rendering pages: the context every page's layout needs, and the response around the HTML.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{PageError, Site};
use crate::i18n::{Lang, Texts};
use crate::session::ShopperSession;

/// A button of the language form.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub current: bool,
}

/// What the base layout shows on every page.
pub struct PageContext {
    /// The page's language code, for `<html lang>`.
    pub lang: &'static str,
    language: Lang,
    pub t: &'static Texts,
    pub csrf_token: String,
    pub signed_in: bool,
    pub sandbox: bool,
    pub languages: Vec<LangLink>,
    /// Where the language form goes back to: this page.
    pub next: String,
    /// The store's page to go back to, when a hand-over signed the shopper in.
    pub back_to_store: Option<String>,
}

impl PageContext {
    pub fn new(req: &HttpRequest) -> Result<Self, PageError> {
        let session = ShopperSession::of(req);
        let csrf_token = session.csrf_token()?;
        let mut page = Self::with_token(req, Lang::of(req), csrf_token);
        page.signed_in = session.shopper_id().is_some();
        // Checked again on every page: the store's origins may have changed since sign-in.
        page.back_to_store = session.return_url().filter(|url| {
            req.app_data::<web::Data<Site>>()
                .is_some_and(|site| site.checked_return_urls.allowed(url, &site.store_origins))
        });
        Ok(page)
    }

    /// The page's language, worked out once for it.
    pub fn language(&self) -> Lang {
        self.language
    }

    /// The context of a page that shows nothing of the shopper's, such as an error page: it
    /// writes nothing to the session. Its only form is the language switch.
    pub fn minimal(req: &HttpRequest, lang: Lang) -> Self {
        let csrf_token = ShopperSession::of(req).csrf_token().unwrap_or_default();
        Self::with_token(req, lang, csrf_token)
    }

    /// The context around `csrf_token`, worked out once per page (an anonymous visitor's costs
    /// an HMAC).
    fn with_token(req: &HttpRequest, lang: Lang, csrf_token: String) -> Self {
        let next = match req.query_string() {
            "" => req.path().to_owned(),
            query => format!("{}?{query}", req.path()),
        };
        Self {
            lang: lang.code(),
            language: lang,
            t: lang.texts(),
            csrf_token,
            signed_in: false,
            sandbox: req
                .app_data::<web::Data<Site>>()
                .is_some_and(|site| site.sandbox),
            languages: Lang::ALL
                .iter()
                .map(|&other| LangLink {
                    code: other.code(),
                    name: other.texts().lang_name,
                    current: other == lang,
                })
                .collect(),
            next,
            back_to_store: None,
        }
    }
}

/// Room for a whole page's HTML at once: the profile page is about 6 KiB, and askama's own
/// estimate (`SIZE_HINT`) counts only a template's fixed text.
const PAGE_CAPACITY: usize = 8 * 1024;

/// A page's HTML in a 200 response that no cache keeps, since pages hold personal data.
pub fn render<T: Template>(page: &T) -> Result<HttpResponse, PageError> {
    let mut html = String::with_capacity(PAGE_CAPACITY.max(2 * T::SIZE_HINT));
    page.render_into(&mut html)
        .map_err(|e| PageError::Unexpected(anyhow::anyhow!("could not render a page: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html))
}

/// The answer to a successful form: go (GET) to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
