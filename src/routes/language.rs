//! `POST /language` (`lang`, `next`, `csrf_token`): remembers the shopper's language and goes
//! back to the page the form was on. A form, not a link: a GET never changes anything.

use actix_web::{HttpResponse, web};
use reqwest::Url;
use serde::Deserialize;

use crate::i18n::Lang;
use crate::session::ShopperSession;
use crate::web::{PageError, see_other};

/// Where a refused or missing `next` leads.
const DEFAULT_NEXT: &str = "/account";
/// Longer than any page of ours.
const MAX_NEXT_LEN: usize = 1024;

#[derive(Deserialize)]
pub struct LanguageForm {
    csrf_token: String,
    lang: String,
    next: Option<String>,
}

pub async fn choose(
    session: ShopperSession,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    session.check_csrf(&form.csrf_token)?;
    let lang = Lang::from_code(&form.lang)
        .ok_or_else(|| PageError::BadRequest("unknown language".into()))?;
    session.set_lang(lang)?;
    let next = form.next.as_deref().and_then(local_path);
    Ok(see_other(next.as_deref().unwrap_or(DEFAULT_NEXT)))
}

/// `next` as a path on this site, as a browser would resolve it, or `None` for anything that
/// could lead elsewhere or is not a plain path. Control characters are refused outright rather
/// than stripped as browsers do (`/<TAB>/evil.example` would become `//evil.example`), and
/// the answer is the parser's own serialisation, so it is always a valid `Location`.
pub fn local_path(next: &str) -> Option<String> {
    if next.len() > MAX_NEXT_LEN
        || !next.starts_with('/')
        || next.chars().any(|c| c.is_control() || c == '\\')
    {
        return None;
    }
    let base = Url::parse("https://this-app.invalid/").ok()?;
    let url = base.join(next).ok()?;
    if url.origin() != base.origin() || url.path().starts_with("//") {
        return None;
    }
    let mut path = url.path().to_owned();
    if let Some(query) = url.query() {
        path.push('?');
        path.push_str(query);
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn local_paths_are_followed() {
        assert_eq!(local_path("/account").as_deref(), Some("/account"));
        assert_eq!(
            local_path("/account?page=2").as_deref(),
            Some("/account?page=2")
        );
        assert_eq!(local_path("/a b").as_deref(), Some("/a%20b"));
    }

    #[test]
    fn anything_that_could_lead_elsewhere_is_refused() {
        for foreign in [
            "//evil.example",
            "https://evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "/\u{0}",
            "/\u{1}",
            "/\u{7f}",
            "/\u{85}",
            "account",
            "",
            "/./\t/evil.example",
            "/.//evil.example",
            "/%2e%2e//evil.example",
        ] {
            assert_eq!(local_path(foreign), None, "{foreign:?}");
        }
    }

    #[test]
    fn over_long_paths_are_refused() {
        assert_eq!(local_path(&format!("/{}", "a".repeat(2000))), None);
    }
}
