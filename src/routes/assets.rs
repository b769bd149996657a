//! `/static/...`: the stylesheets, built into the binary so it runs from any directory.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::web::PageError;

const FILES: &[(&str, &str)] = &[
    ("style.css", include_str!("../../static/style.css")),
    ("sandbox.css", include_str!("../../static/sandbox.css")),
    (
        "demo_store.css",
        include_str!("../../static/demo_store.css"),
    ),
];

pub async fn serve(name: web::Path<String>) -> Result<HttpResponse, PageError> {
    let (_, body) = FILES
        .iter()
        .find(|(file, _)| *file == name.as_str())
        .ok_or(PageError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
