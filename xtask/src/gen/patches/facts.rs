//! What the patches need to know of the whole document, learnt before any patch runs.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::nodes::{is_error_status, plain_string, schema_ref};

/// What the patches need to know of the whole document.
#[derive(Debug, Default)]
pub struct Facts {
    /// The bare-string component schemas by `$ref`, each as it replaces its references.
    pub(super) bare_strings: Map<String, Value>,
}

/// Names of the component schemas reachable from `value`, following every local `$ref`;
/// the error responses of operations are not followed (they are removed, see
/// `edits::remove_error_responses`).
fn reachable_schemas(
    doc: &Value,
    value: &Value,
    seen: &mut BTreeSet<String>,
    schemas: &mut BTreeSet<String>,
) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                if seen.insert(reference.to_string()) {
                    if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                        schemas.insert(name.to_string());
                    }
                    if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                        reachable_schemas(doc, target, seen, schemas);
                    }
                }
            }
            for child in map.values() {
                reachable_schemas(doc, child, seen, schemas);
            }
        }
        Value::Array(items) => {
            for child in items {
                reachable_schemas(doc, child, seen, schemas);
            }
        }
        _ => {}
    }
}

/// Component schemas reached from request bodies or parameters and never from a response
/// that progenitor sees (a success or `default` response).
pub(super) fn request_only_schemas(doc: &Value) -> BTreeSet<String> {
    let (mut in_requests, mut in_responses) = (BTreeSet::new(), BTreeSet::new());
    let (mut seen_requests, mut seen_responses) = (BTreeSet::new(), BTreeSet::new());
    let items = doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values());
    for item in items {
        if let Some(parameters) = item.get("parameters") {
            reachable_schemas(doc, parameters, &mut seen_requests, &mut in_requests);
        }
        for method in [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ] {
            let Some(operation) = item.get(method) else {
                continue;
            };
            for key in ["parameters", "requestBody"] {
                if let Some(part) = operation.get(key) {
                    reachable_schemas(doc, part, &mut seen_requests, &mut in_requests);
                }
            }
            let responses = operation.get("responses").and_then(Value::as_object);
            for (status, response) in responses.into_iter().flatten() {
                if !is_error_status(status) {
                    reachable_schemas(doc, response, &mut seen_responses, &mut in_responses);
                }
            }
        }
    }
    in_requests.difference(&in_responses).cloned().collect()
}

/// The component schemas that are a bare string (no enum, pattern or format once
/// `plain_strings` has run: `LlmModel`, `TtsProvider`, `VoiceId`, `AgentType`), each as
/// it replaces its references: without its `example`, and without its `default`, the
/// server's and not the client's (see `no_defaults_in_requests`).
pub(super) fn bare_strings(doc: &Value) -> Map<String, Value> {
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let mut bare = Map::new();
    for (name, schema) in schemas.into_iter().flatten() {
        let Value::Object(schema) = schema else {
            continue;
        };
        let mut schema = schema.clone();
        plain_string(&mut schema);
        let is_bare = schema.get("type").and_then(Value::as_str) == Some("string")
            && schema
                .keys()
                .all(|k| ["type", "description", "default", "example"].contains(&k.as_str()));
        if is_bare {
            schema.remove("example");
            schema.remove("default");
            bare.insert(schema_ref(name), Value::Object(schema));
        }
    }
    bare
}
