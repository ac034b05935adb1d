//! The JSON comparisons of the round-trip checks.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::spec::escape;

/// `value` with `null`, `[]` and `{}` members removed and integral floats turned into
/// integers, so that `null` equals absent (and so do empty lists and maps, which the
/// generated types skip when serialising) and `1.0` equals `1`.
pub fn normalise(value: &Value) -> Value {
    let empty = |v: &Value| {
        v.is_null()
            || v.as_array().is_some_and(Vec::is_empty)
            || v.as_object().is_some_and(Map::is_empty)
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalise(v)))
                .filter(|(_, v)| !empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        other => other.clone(),
    }
}

/// Decodes `value` as `T`, encodes it again and returns the JSON pointers it lost on the
/// way ([`lost_fields`]); an error says why it does not decode.
pub fn lost_in_round_trip<T: DeserializeOwned + Serialize>(
    value: &Value,
) -> Result<Vec<String>, String> {
    let decoded: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    let reencoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    Ok(lost_fields(value, &reencoded))
}

/// JSON pointers of the values of `original` that `reencoded` lacks or changed, after
/// [`normalise`]. Fields `reencoded` adds (defaults) are fine.
pub fn lost_fields(original: &Value, reencoded: &Value) -> Vec<String> {
    let mut lost = Vec::new();
    compare(
        &normalise(original),
        &normalise(reencoded),
        String::new(),
        &mut lost,
    );
    lost
}

fn compare(original: &Value, reencoded: &Value, pointer: String, lost: &mut Vec<String>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{pointer}/{}", escape(key));
                match b.get(key) {
                    Some(other) => compare(value, other, child, lost),
                    None => lost.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, format!("{pointer}/{i}"), lost);
            }
        }
        (a, b) if a == b => {}
        _ => lost.push(if pointer.is_empty() {
            "/".to_string()
        } else {
            pointer
        }),
    }
}
