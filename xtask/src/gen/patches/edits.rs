//! The edits of the patches table, each on one node as JSON; the doc comment of each says
//! why progenitor (or typify) needs it.

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::facts::Facts;
use super::nodes::{is_error_status, plain_string};

/// The status keys of a `responses` object (not `default`, not `x-` extensions).
fn is_status(key: &str) -> bool {
    key != "default" && !key.starts_with("x-")
}

/// Applies `edit` to every object of `value`, parents before their children.
fn each_object(value: &mut Value, edit: &dyn Fn(&mut Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            edit(map);
            map.values_mut().for_each(|child| each_object(child, edit));
        }
        Value::Array(items) => items.iter_mut().for_each(|item| each_object(item, edit)),
        _ => {}
    }
}

/// 4XX/5XX responses are removed, so every error status reaches the client as
/// `UnexpectedResponse` with its status, headers and unread body: `trillet::Error` decodes
/// the body itself with all the documented error shapes and keeps the status even when
/// the body is not JSON (progenitor would report an undecodable error body without its
/// status).
pub(super) fn remove_error_responses(operation: &mut Value, _: &Facts) {
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        responses.retain(|status, _| !is_error_status(status));
    }
}

/// A lone success response (`200`, or `201` as on `createFlowFolder`) becomes `2XX`, so a
/// server that answers another 2xx code than documented still decodes.
pub(super) fn lone_success_is_any_2xx(operation: &mut Value, _: &Facts) {
    let Some(Value::Object(responses)) = operation.get_mut("responses") else {
        return;
    };
    let statuses: Vec<String> = responses.keys().filter(|k| is_status(k)).cloned().collect();
    let [status] = statuses.as_slice() else {
        return;
    };
    if status
        .parse::<u16>()
        .is_ok_and(|code| (200..=299).contains(&code))
    {
        if let Some(response) = responses.remove(status) {
            responses.insert("2XX".to_string(), response);
        }
    }
}

/// The optional, non-`$ref` properties of an object schema, by name.
fn optional_properties(schema: &mut Value) -> Vec<&mut Map<String, Value>> {
    let Value::Object(schema) = schema else {
        return Vec::new();
    };
    if schema.get("type").and_then(Value::as_str) != Some("object") {
        return Vec::new();
    }
    let required: BTreeSet<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|name| name.as_str().map(str::to_string))
        .collect();
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return Vec::new();
    };
    properties
        .iter_mut()
        .filter(|(name, _)| !required.contains(*name))
        .filter_map(|(_, property)| property.as_object_mut())
        .filter(|property| !property.contains_key("$ref"))
        .collect()
}

/// An optional `nullable` property of a schema used only in requests becomes
/// `Option<Option<T>>` (through typify's `x-rust-type` extension), so `Some(None)` sends
/// `null` (today: `TtsModelUpdate.elevenLabsApiKey`, where `null` deletes the key); typify
/// alone would skip the field when `None` and `null` could not be sent. Response schemas
/// keep `Option<T>`: `null` and absent both decode to `None`.
pub(super) fn nullable_as_double_option(schema: &mut Value, _: &Facts) {
    for property in optional_properties(schema) {
        if property.get("nullable") != Some(&Value::Bool(true)) {
            continue;
        }
        let mut inner = property.clone();
        inner.remove("nullable");
        inner.remove("description");
        // A nullable secret can't be a `$ref` in OpenAPI 3.0 (`nullable` needs a `type`), so
        // the spec writes it inline with `format: password`; it becomes `Secret` all the same.
        let inner = if inner.get("format").and_then(Value::as_str) == Some("password") {
            json!({ "$ref": "#/components/schemas/Secret" })
        } else {
            Value::Object(inner)
        };
        property.insert(
            "x-rust-type".to_string(),
            json!({
                "crate": "std",
                "version": "*",
                "path": "std::option::Option",
                "parameters": [inner],
            }),
        );
    }
}

/// Optional properties of request-only schemas lose their `default`: typify turns a
/// default into a non-`Option` field that is always sent, so an update that only renames
/// an agent would also send `llmModel: gpt-4o-mini`; documented defaults are what the
/// server applies to a missing field, so the client sends only what the caller set.
pub(super) fn no_defaults_in_requests(schema: &mut Value, _: &Facts) {
    for property in optional_properties(schema) {
        property.remove("default");
    }
}

/// `format: date-time` is dropped, so timestamps are `String`s: every ISO-8601 variant the
/// server sends decodes (a typed timestamp would fail the whole response on one it can't
/// parse) and no date crate is compiled into the client. `minLength: 1` is dropped from
/// strings: typify would make each such field or path parameter its own validated newtype
/// (`GetAgentAgentId`), so every call would need a `try_into()`; the server rejects empty
/// strings anyway. Other constraints stay, e.g. the E.164 `pattern` of `E164PhoneNumber`
/// (replaced by the hand-written `trillet::E164PhoneNumber`, which checks the same pattern).
pub(super) fn plain_strings(node: &mut Value, _: &Facts) {
    each_object(node, &plain_string);
}

/// A `oneOf` branch loses its `nullable` (OpenAPI 3.0 has no null type, so the document
/// lets a `oneOf` take `null` through a `nullable` branch, e.g. `AgentReference`): typify
/// would name the variants `Variant0(Option<String>)`, `Variant1(..)`; the field holding
/// the `oneOf` is an `Option` already, and `null` decodes to `None`.
pub(super) fn branches_not_nullable(schema: &mut Value, _: &Facts) {
    each_object(schema, &|object| {
        if let Some(Value::Array(branches)) = object.get_mut("oneOf") {
            for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
                branch.remove("nullable");
            }
        }
    });
}

/// A reference to a bare-string component schema (`facts::bare_strings`) is replaced by the
/// schema itself, so the field is a plain `String` (its description goes along) instead
/// of a newtype, which would add nothing but a conversion at every use, e.g. of the
/// `trillet::models` constants. The schemas themselves are then removed.
pub(super) fn inline_bare_strings(node: &mut Value, facts: &Facts) {
    if let Some(target) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| facts.bare_strings.get(r))
    {
        *node = target.clone();
        return;
    }
    match node {
        Value::Object(map) => map.values_mut().for_each(|v| inline_bare_strings(v, facts)),
        Value::Array(items) => items.iter_mut().for_each(|v| inline_bare_strings(v, facts)),
        _ => {}
    }
}
