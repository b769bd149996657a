//! `/account`: the signed-in shopper's own pages.

pub mod add_method;
pub mod export;
pub mod fiscal_receipt;
mod history;
mod method_notes;
mod methods;
mod orders;
pub mod pay;
pub mod preferred;
pub mod profile;
pub mod receipt;
pub mod remove_method;
pub mod wallet;

/// The path of `action` on the method `id`, its segment percent-encoded where it needs it.
fn method_path(id: &str, action: &str) -> String {
    if let Some(path) = plain_method_path(id, action) {
        return path;
    }
    // The base is a constant, valid URL: the account page is the unreachable fallback.
    reqwest::Url::parse("http://localhost/account/payment-methods").map_or_else(
        |_| "/account".to_owned(),
        |mut url| {
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.push(id).push(action);
            }
            url.path().to_owned()
        },
    )
}

/// The path of `action` on the method `id`, when `id` needs no percent-encoding (Voucherly's
/// ids never do): written as it is, with no URL parsed and no formatting, since the profile lists
/// every method with two such links. `None` for an id that needs encoding.
fn plain_method_path(id: &str, action: &str) -> Option<String> {
    const BASE: &str = "/account/payment-methods/";
    let plain = !matches!(id, "" | "." | "..")
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
    plain.then(|| {
        let mut path = String::with_capacity(BASE.len() + id.len() + 1 + action.len());
        path.push_str(BASE);
        path.push_str(id);
        path.push('/');
        path.push_str(action);
        path
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn method_paths_are_the_same_written_directly_or_through_a_url() {
        for id in ["pm_4242", "card-1.v2~x", "a b", "x/y", "..", "é", "%41"] {
            let through_url = |action: &str| {
                let mut url =
                    reqwest::Url::parse("http://localhost/account/payment-methods").unwrap();
                url.path_segments_mut().unwrap().push(id).push(action);
                url.path().to_owned()
            };
            assert_eq!(super::preferred::prefer_path(id), through_url("prefer"));
            assert_eq!(
                super::remove_method::confirm_path(id),
                through_url("remove")
            );
        }
        assert!(super::plain_method_path("pm_4242", "prefer").is_some());
        assert!(super::plain_method_path("a b", "prefer").is_none());
    }
}
