//! `/static/...`: the stylesheets, built into the binary so it runs from any directory.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

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
];
#[cfg(not(feature = "demo"))]
const DEMO_FILES: &[(&str, &str)] = &[];

pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (_, body) = FILES
        .iter()
        .chain(DEMO_FILES)
        .find(|(file, _)| *file == name.as_str())
        .ok_or(PageError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
