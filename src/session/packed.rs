//! actix-session's map of a session, as the cache keeps it: keys and values one after the other,
//! each followed by a NUL. As small as its JSON text, and read back with no parsing: the values
//! are JSON themselves (`"\"…\""`), whose every quote JSON would escape and unescape again.

use std::collections::HashMap;

const END: char = '\0';

/// `state` packed, or `None` when a key or a value holds a NUL (never in what actix-session
/// writes: its values are JSON, which escapes it).
pub fn pack(state: &HashMap<String, String>) -> Option<String> {
    let mut packed = String::new();
    for (key, value) in state {
        if key.contains(END) || value.contains(END) {
            return None;
        }
        packed.push_str(key);
        packed.push(END);
        packed.push_str(value);
        packed.push(END);
    }
    Some(packed)
}

/// The map `pack` was given.
pub fn unpack(packed: &str) -> HashMap<String, String> {
    let mut state = HashMap::with_capacity(8);
    let mut rest = packed;
    while let Some((key, after_key)) = next_part(rest)
        && let Some((value, after_value)) = next_part(after_key)
    {
        state.insert(key.to_owned(), value.to_owned());
        rest = after_value;
    }
    state
}

/// The text up to the next NUL, and what follows that NUL. A plain loop over the bytes:
/// `str::split` with a `char` costs several times as much on such short parts.
fn next_part(text: &str) -> Option<(&str, &str)> {
    let end = text.bytes().position(|byte| byte == 0)?;
    Some((text.get(..end)?, text.get(end + 1..)?))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn unpacks_what_was_packed(
            state in proptest::collection::hash_map(any::<String>(), any::<String>(), 0..6),
        ) {
            match pack(&state) {
                Some(packed) => prop_assert_eq!(unpack(&packed), state),
                None => prop_assert!(state.iter().any(|(k, v)| k.contains(END) || v.contains(END))),
            }
        }
    }

    #[test]
    fn a_nul_in_a_key_or_a_value_is_not_packed() {
        let key = HashMap::from([("a\0b".to_owned(), "c".to_owned())]);
        let value = HashMap::from([("a".to_owned(), "b\0c".to_owned())]);
        assert_eq!(pack(&key), None);
        assert_eq!(pack(&value), None);
    }

    #[test]
    fn empty_keys_and_values_come_back() {
        let state = HashMap::from([(String::new(), String::new()), ("a".into(), "".into())]);
        assert_eq!(unpack(&pack(&state).unwrap()), state);
    }
}
