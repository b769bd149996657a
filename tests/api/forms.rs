//! Reading a page's forms as a browser would, and submitting them.

use crate::helpers::TestApp;

/// A form as a browser would submit it: its action and the fields it sends (checked radios and
/// checkboxes only, no disabled fields, no buttons).
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
}

impl Form {
    pub fn field(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
            .unwrap_or_else(|| panic!("no field {name}"))
    }
}

/// The first form in `html` whose opening tag contains `marker`.
pub fn form_in(html: &str, marker: &str) -> Form {
    let start = html
        .match_indices("<form")
        .map(|(at, _)| at)
        .find(|&at| html[at..].split('>').next().unwrap().contains(marker))
        .unwrap_or_else(|| panic!("no form {marker} in {html}"));
    let body = &html[start..start + html[start..].find("</form>").expect("the form's end")];
    let open_tag = body.split('>').next().unwrap();
    let mut fields = Vec::new();
    for input in body.split("<input").skip(1) {
        let tag = input.split('>').next().unwrap();
        let kind = attribute(tag, "type").unwrap_or_default();
        let chosen = !matches!(kind.as_str(), "radio" | "checkbox") || tag.contains(" checked");
        if let (Some(name), true, false) =
            (attribute(tag, "name"), chosen, tag.contains(" disabled"))
        {
            fields.push((name, attribute(tag, "value").unwrap_or_default()));
        }
    }
    Form {
        action: attribute(open_tag, "action").expect("an action"),
        fields,
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let marker = format!(r#" {name}=""#);
    let start = tag.find(&marker)? + marker.len();
    let end = start + tag[start..].find('"')?;
    Some(tag[start..end].replace("&amp;", "&"))
}

/// `url` made absolute on the app, unless it already is.
pub fn absolute(app: &TestApp, url: &str) -> String {
    if url.starts_with("http") {
        url.to_owned()
    } else {
        app.url(url)
    }
}

/// Submits `form` with the browser's client, plus the `extra` fields (a pressed button).
pub async fn submit(app: &TestApp, form: &Form, extra: &[(&str, &str)]) -> reqwest::Response {
    let mut fields: Vec<(&str, &str)> = form
        .fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    fields.extend_from_slice(extra);
    app.client
        .post(absolute(app, &form.action))
        .form(&fields)
        .send()
        .await
        .expect("POST")
}
