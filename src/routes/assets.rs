//! `/static/...`: the stylesheets and the payment brands' icons (small hand-made SVGs), built into
//! the binary so it runs from any directory.

use actix_web::dev::ServiceRequest;
use actix_web::http::{Method, Uri, header};
use actix_web::{HttpRequest, HttpResponse, Scope, guard, web};

use crate::web::PageError;

const FILES: &[(&str, &str)] = &[("style.css", include_str!("../../static/style.css"))];

/// The embedded sandbox's and the demo store's, only in a build that has them.
#[cfg(feature = "demo")]
const DEMO_FILES: &[(&str, &str)] = &[
    ("sandbox.css", include_str!("../../static/sandbox.css")),
    (
        "demo_store.css",
        include_str!("../../static/demo_store.css"),
    ),
    (
        "brand-visa.svg",
        include_str!("../../static/brand-visa.svg"),
    ),
    (
        "brand-mastercard.svg",
        include_str!("../../static/brand-mastercard.svg"),
    ),
    (
        "brand-amex.svg",
        include_str!("../../static/brand-amex.svg"),
    ),
    (
        "brand-card.svg",
        include_str!("../../static/brand-card.svg"),
    ),
    (
        "brand-sepa.svg",
        include_str!("../../static/brand-sepa.svg"),
    ),
    (
        "brand-voucher.svg",
        include_str!("../../static/brand-voucher.svg"),
    ),
    (
        "brand-account.svg",
        include_str!("../../static/brand-account.svg"),
    ),
];
#[cfg(not(feature = "demo"))]
const DEMO_FILES: &[(&str, &str)] = &[];

/// The known files by `GET`, for the app's top level, ahead of the session's layers: a file
/// needs no session, no form check and no error page. Any other `/static/` request goes on to the
/// resource in [`super::configure`], whose 404 and 405 are pages. A scope, since its path is a
/// prefix that every other request passes with one comparison, whose guard lets only a known
/// file in; inside, a resource per file, each matched by comparing its path (a `/{name}` took a
/// regular expression, a twentieth of a file's cost) and answering with its file, not looking it
/// up again. Metrics show each known file's route as
/// its path (`/static/style.css`), any other `/static/` path as `/static/{name}`.
pub fn known_files() -> Scope {
    let scope = web::scope("/static").guard(guard::fn_guard(|ctx| {
        let head = ctx.head();
        is_known_file(&head.method, &head.uri)
    }));
    FILES
        .iter()
        .chain(DEMO_FILES)
        .fold(scope, |scope, &(name, body)| {
            let answer = move || async move { file_answer(name, body) };
            scope.service(web::resource(format!("/{name}")).to(answer))
        })
        // Last, so no known file is matched by it: actix-web names a request's route from the
        // first scope whose prefix matches, this one, so without it any other `/static/` path
        // (answered by `super::configure`'s resource) would be named by none.
        .service(web::resource("/{name}").to(serve))
}

/// Whether `req` is answered by [`known_files`]: its answer logs nothing, so it needs no
/// request span.
pub fn asks_for_known_file(req: &ServiceRequest) -> bool {
    is_known_file(req.method(), req.uri())
}

fn is_known_file(method: &Method, uri: &Uri) -> bool {
    method == Method::GET
        && uri
            .path()
            .strip_prefix("/static/")
            .is_some_and(|name| file(name).is_some())
}

/// `GET /static/<name>`: the file, or a 404 page.
pub async fn serve(req: HttpRequest) -> Result<HttpResponse, PageError> {
    let name = req.path().strip_prefix("/static/").unwrap_or_default();
    let body = file(name).ok_or(PageError::NotFound)?;
    Ok(file_answer(name, body))
}

/// The answer carrying the file `name`, whose content is `body`.
fn file_answer(name: &str, body: &'static str) -> HttpResponse {
    let content_type = match name.rsplit('.').next() {
        Some("svg") => "image/svg+xml",
        _ => "text/css; charset=utf-8",
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(body)
}

fn file(name: &str) -> Option<&'static str> {
    FILES
        .iter()
        .chain(DEMO_FILES)
        .find(|(file, _)| *file == name)
        .map(|(_, body)| *body)
}
