//! The layers of `src/`, bottom up: a top-level module may only `use crate::` modules of a lower
//! layer, so there is no cycle between top-level modules and nothing reaches upwards. A new
//! top-level module must be given its layer here before the suite passes.

use std::collections::BTreeSet;

use super::source::{src_files, without_comments};

/// Each layer's top-level modules, from the bottom. The core (layers up to `routes`) never
/// names the sandbox or the demo; only start-up wires them in.
const LAYERS: [&[&str]; 11] = [
    &["domain", "telemetry", "memory"],
    &["i18n", "metrics"],
    &["voucherly", "storage"],
    &["app"],
    &["session"],
    &["web"],
    &["routes"],
    &["settings", "state"],
    &["sandbox"],
    &["demo", "demo_store"],
    &["startup"],
];

/// Files that only declare or start the crate.
const ROOTS: [&str; 2] = ["lib.rs", "main.rs"];

#[test]
fn top_level_modules_only_import_lower_layers() {
    let files: Vec<(String, String)> = src_files(50)
        .into_iter()
        .map(|(path, text)| (path.to_string_lossy().replace('\\', "/"), text))
        .collect();
    let (upward, unplaced) = offences(&files);
    assert!(
        unplaced.is_empty(),
        "top-level modules without a layer (add them to LAYERS): {unplaced:?}"
    );
    assert!(
        upward.is_empty(),
        "imports that reach sideways or upwards (pass values down instead):\n{}",
        upward.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_check_refuses_an_upward_import_a_cycle_and_an_unplaced_module() {
    let file = |path: &str, code: &str| (path.to_owned(), code.to_owned());
    let (upward, unplaced) = offences(&[
        file("domain/order.rs", "use crate::storage::Database;"),
        file("i18n/mod.rs", "use crate::metrics::Counter;"),
        file("metrics/mod.rs", "use crate::{i18n::Lang, domain::Email};"),
        file(
            "routes/home.rs",
            "use crate::{app, web::see_other, domain};",
        ),
        file("app/mod.rs", "use crate::sandbox::demo;"),
        file("cache.rs", "use crate::domain::Email;"),
        file("lib.rs", "pub mod startup;"),
    ]);
    assert_eq!(
        upward,
        BTreeSet::from(
            [
                "src/domain/order.rs: domain -> storage",
                "src/i18n/mod.rs: i18n -> metrics",
                "src/metrics/mod.rs: metrics -> i18n",
                "src/app/mod.rs: app -> sandbox",
            ]
            .map(str::to_owned)
        )
    );
    assert_eq!(unplaced, BTreeSet::from(["cache".to_owned()]));
}

/// The imports of `files` (paths relative to `src/`) that do not go down a layer, and the
/// top-level modules that have no layer.
fn offences(files: &[(String, String)]) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut upward = BTreeSet::new();
    let mut unplaced = BTreeSet::new();
    for (path, text) in files {
        if ROOTS.contains(&path.as_str()) {
            continue;
        }
        let module = top_level(path);
        let Some(from) = layer_of(&module) else {
            unplaced.insert(module);
            continue;
        };
        for imported in imports(text) {
            match layer_of(&imported) {
                _ if imported == module => {}
                Some(to) if to < from => {}
                Some(_) => {
                    upward.insert(format!("src/{path}: {module} -> {imported}"));
                }
                None => {
                    unplaced.insert(imported);
                }
            }
        }
    }
    (upward, unplaced)
}

#[test]
fn the_check_reads_every_form_of_crate_path() {
    let code = "use crate::domain::Email;\n\
                use crate::{app::payments, web::{limits, see_other}};\n\
                let x = crate::storage::now(); // crate::sandbox in a comment\n\
                /// [`crate::demo`] in docs\n\
                pub(crate) fn f() {}\n\
                #[cfg(feature = \"demo\")] use crate :: i18n;";
    assert_eq!(
        imports(code),
        BTreeSet::from(["domain", "app", "web", "storage", "i18n"].map(str::to_owned))
    );
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// `routes/account/pay/mod.rs` → `routes`; `settings.rs` → `settings`.
fn top_level(path: &str) -> String {
    let first = path.split('/').next().unwrap_or(path);
    first.trim_end_matches(".rs").to_owned()
}

/// The top-level modules `code` names through `crate::`, comments left out.
fn imports(code: &str) -> BTreeSet<String> {
    let code: String = without_comments(code)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ::", "::");
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            found.extend(group_heads(group));
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

/// The first path segment of each item of a `{a::b, c::{d, e}}` group (after its `{`).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut expecting = true;
    for (index, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expecting = true,
            c if expecting && (c.is_alphanumeric() || c == '_') => {
                heads.push(ident(&group[index..]));
                expecting = false;
            }
            _ => {}
        }
    }
    heads
}

fn ident(text: &str) -> String {
    text.chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}
