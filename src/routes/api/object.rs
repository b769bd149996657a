//! Bodies read from JSON objects only. serde's derive also builds a struct from an array of its
//! fields in order (`[null]` as a cancel, `["R-1", 500]` as a refund); no body in our document
//! is an array, so read through [`JsonObject`] (a whole body) or [`object`] and [`objects`] (a
//! field holding a struct or a list of them), an array is refused as the wrong type it is.

use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// A `T` that was written as a JSON object.
#[derive(Debug)]
pub struct JsonObject<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for JsonObject<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OnlyAMap<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for OnlyAMap<T> {
            type Value = T;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }

        deserializer
            .deserialize_map(OnlyAMap(PhantomData))
            .map(JsonObject)
    }
}

/// For `#[serde(deserialize_with = "object")]` on a field holding a struct.
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    JsonObject::deserialize(deserializer).map(|object| object.0)
}

/// For a field holding a list of structs.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    let list = Vec::<JsonObject<T>>::deserialize(deserializer)?;
    Ok(list.into_iter().map(|object| object.0).collect())
}

/// For a field holding a list of structs, or null.
pub fn optional_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Vec<T>>, D::Error> {
    let list = Option::<Vec<JsonObject<T>>>::deserialize(deserializer)?;
    Ok(list.map(|list| list.into_iter().map(|object| object.0).collect()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::{Value, from_str, json};

    use super::{JsonObject, object, objects, optional_objects};

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Line {
        quantity: i64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Body {
        #[serde(deserialize_with = "object")]
        first: Line,
        #[serde(deserialize_with = "objects")]
        lines: Vec<Line>,
        #[serde(default, deserialize_with = "optional_objects")]
        more: Option<Vec<Line>>,
    }

    fn read(value: Value) -> Result<Body, String> {
        from_str::<JsonObject<Body>>(&value.to_string())
            .map(|body| body.0)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn objects_are_read_as_derive_reads_them() {
        let body = read(json!({"first": {"quantity": 1}, "lines": [{"quantity": 2}]}));
        assert_eq!(
            body,
            Ok(Body {
                first: Line { quantity: 1 },
                lines: vec![Line { quantity: 2 }],
                more: None,
            })
        );
        let body = read(json!({"first": {"quantity": 1}, "lines": [], "more": [{"quantity": 3}]}));
        assert_eq!(
            body.map(|body| body.more),
            Ok(Some(vec![Line { quantity: 3 }]))
        );
        let unknown = read(json!({"first": {"quantity": 1, "colour": "red"}, "lines": []}));
        assert!(unknown.is_err_and(|error| error.contains("colour")));
    }

    #[test]
    fn an_array_in_place_of_any_object_is_refused() {
        for array in [
            json!([{"quantity": 1}, []]),
            json!({"first": [1], "lines": []}),
            json!({"first": {"quantity": 1}, "lines": [[2]]}),
            json!({"first": {"quantity": 1}, "lines": [], "more": [[3]]}),
        ] {
            let error = read(array.clone()).expect_err("an array is not an object");
            assert!(error.contains("expected an object"), "{array}: {error}");
        }
        let null = from_str::<Option<JsonObject<Line>>>("null").map(|line| line.is_none());
        assert!(null.is_ok_and(|none| none));
        assert!(from_str::<Option<JsonObject<Line>>>("[null]").is_err());
    }
}
