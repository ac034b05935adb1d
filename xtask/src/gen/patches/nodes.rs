//! What both the facts and the edits of the patches read of a schema node: leaf
//! helpers, so that `facts` and `edits` depend on this and not on each other.

use serde_json::{Map, Value};

/// Whether a key of `responses` is an error status (`404`, `4XX`, `5XX`).
pub(super) fn is_error_status(key: &str) -> bool {
    match key.strip_suffix("XX") {
        Some(range) => range.parse::<u16>().is_ok_and(|range| range >= 4),
        None => key.parse::<u16>().is_ok_and(|code| code >= 400),
    }
}

/// The `plain_strings` edit of one object: a `string` loses `format: date-time` and
/// `minLength: 1` (see `edits::plain_strings` for why).
pub(super) fn plain_string(object: &mut Map<String, Value>) {
    if object.get("type").and_then(Value::as_str) == Some("string") {
        if object.get("format").and_then(Value::as_str) == Some("date-time") {
            object.remove("format");
        }
        if object.get("minLength").and_then(Value::as_u64) == Some(1) {
            object.remove("minLength");
        }
    }
}

/// The `$ref` of the component schema `name`.
pub(super) fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{name}")
}
