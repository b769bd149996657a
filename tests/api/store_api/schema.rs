//! A small checker of the JSON-schema keywords the OpenAPI document uses: `$ref` into the
//! document, `type` (one or several), `required`, `properties`, `additionalProperties: false`,
//! `items` and `enum`. Enough to hold every answer to its documented shape.

use serde_json::Value;

/// Every way `value` departs from `schema`, each with the JSON path where it does.
pub fn violations(document: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    check(document, schema, value, "$", &mut found);
    found
}

/// `schema`, or what its `$ref` points to inside `document`.
pub fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("a local $ref");
            let target = document
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{reference} points nowhere"));
            resolve(document, target)
        }
        None => schema,
    }
}

fn check(document: &Value, schema: &Value, value: &Value, at: &str, found: &mut Vec<String>) {
    let schema = resolve(document, schema);
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            other => panic!("a type of {other} at {at}"),
        };
        if !allowed.iter().any(|kind| is_a(value, kind)) {
            found.push(format!("{at}: {value} is not {allowed:?}"));
            return;
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array)
        && !choices.contains(value)
    {
        found.push(format!("{at}: {value} is not one of {choices:?}"));
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().expect("a property name");
            if !object.contains_key(name) {
                found.push(format!("{at}: {name} is missing"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, property) in object {
            match properties.and_then(|known| known.get(name)) {
                Some(property_schema) => check(
                    document,
                    property_schema,
                    property,
                    &format!("{at}.{name}"),
                    found,
                ),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    found.push(format!("{at}: {name} is not a documented property"));
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (index, item) in array.iter().enumerate() {
            check(document, items, item, &format!("{at}[{index}]"), found);
        }
    }
}

fn is_a(value: &Value, kind: &str) -> bool {
    match kind {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        other => panic!("an unknown type {other}"),
    }
}

#[test]
fn the_checker_finds_missing_extra_and_mistyped_properties() {
    let document = serde_json::json!({"components": {"schemas": {"Thing": {
        "type": "object", "required": ["a", "b"], "additionalProperties": false,
        "properties": {"a": {"type": "integer"}, "b": {"type": ["string", "null"]},
                       "c": {"type": "array", "items": {"enum": ["x"]}}}
    }}}});
    let schema = serde_json::json!({"$ref": "#/components/schemas/Thing"});
    let check = |value| violations(&document, &schema, &value);
    assert!(check(serde_json::json!({"a": 1, "b": null, "c": ["x"]})).is_empty());
    assert_eq!(
        check(serde_json::json!({"a": 1.5, "c": ["y"], "d": 0})).len(),
        4
    );
    assert_eq!(check(serde_json::json!([])).len(), 1);
}
