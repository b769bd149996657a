//! `GET /language/{code}?next=/path`: remembers the shopper's language and goes back.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::i18n::Lang;
use crate::session::ShopperSession;
use crate::web::{PageError, see_other};

#[derive(Deserialize)]
pub struct LanguageQuery {
    next: Option<String>,
}

pub async fn choose(
    session: ShopperSession,
    code: web::Path<String>,
    query: web::Query<LanguageQuery>,
) -> Result<HttpResponse, PageError> {
    let lang = Lang::from_code(&code).ok_or(PageError::NotFound)?;
    session.set_lang(lang)?;
    let next = query
        .next
        .as_deref()
        .filter(|next| is_local_path(next))
        .unwrap_or("/");
    Ok(see_other(next))
}

/// Only paths on this site: `/account`, never `//evil.example` or `https://…`.
fn is_local_path(next: &str) -> bool {
    next.starts_with('/') && !next.starts_with("//") && !next.contains(['\\', '\r', '\n'])
}

#[cfg(test)]
mod tests {
    use super::is_local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert!(is_local_path("/account"));
        for foreign in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "account",
            "",
        ] {
            assert!(!is_local_path(foreign), "{foreign}");
        }
    }
}
