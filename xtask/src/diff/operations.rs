//! Two documents compared above the schemas: operations (matched by path and method,
//! then by operationId), their parameters, bodies and responses, the webhooks, the
//! components' names and the top-level keys.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};
use trillet_spec::escape_pointer_segment as escape;

use super::change::Direction;
use super::rules;
use super::schema::{entries, mapping, resolve, Schemas};

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a document: where it is and what it is.
struct Operation<'v> {
    pointer: String,
    path_item: &'v Map<String, Value>,
    operation: &'v Map<String, Value>,
}

/// Compares the whole documents.
pub fn documents(diff: &mut Schemas<'_>) {
    let (old, new) = (diff.old, diff.new);
    let (Some(a), Some(b)) = (old.as_object(), new.as_object()) else {
        return diff.push(rules::UNCLASSIFIED, "", "a document is not an object");
    };
    for (key, x, y) in entries(a, b) {
        let here = format!("/{}", escape(key));
        match key.as_str() {
            "paths" => operations(diff, x, y, "/paths", Direction::Request),
            // Trillet sends webhooks: receivers decode their bodies as callers decode responses.
            "x-webhooks" => operations(diff, x, y, "/x-webhooks", Direction::Response),
            "components" => components(diff, x, y),
            _ if x == y => {}
            "info" => {
                let without_version = |v: Option<&Value>| {
                    let mut v = v.cloned().unwrap_or(Value::Null);
                    if let Some(info) = v.as_object_mut() {
                        info.remove("version");
                    }
                    v
                };
                if without_version(x) != without_version(y) {
                    diff.push(rules::DOCS_CHANGED, &here, "info changed");
                }
            }
            "servers" => diff.push(rules::SERVERS_CHANGED, &here, "servers changed"),
            "security" => diff.push(
                rules::SECURITY_CHANGED,
                &here,
                "the default security changed",
            ),
            "tags" => {
                let names = |v: Option<&Value>| -> BTreeSet<String> {
                    v.and_then(Value::as_array)
                        .map(|t| {
                            t.iter()
                                .filter_map(|t| t.get("name"))
                                .map(Value::to_string)
                                .collect()
                        })
                        .unwrap_or_default()
                };
                if names(x) == names(y) {
                    diff.push(
                        rules::DOCS_CHANGED,
                        &here,
                        "tag descriptions or order changed",
                    );
                } else {
                    diff.push(rules::TAG_LIST_CHANGED, &here, "tags added or removed");
                }
            }
            "externalDocs" => diff.push(rules::DOCS_CHANGED, &here, "changed"),
            _ if key.starts_with("x-") => diff.push(rules::DOCS_CHANGED, &here, "changed"),
            _ => diff.push(rules::UNCLASSIFIED, &here, "changed"),
        }
    }
}

fn components(diff: &mut Schemas<'_>, old: Option<&Value>, new: Option<&Value>) {
    let section =
        |v: Option<&Value>, name: &str| v.and_then(|c| c.get(name)).cloned().unwrap_or(Value::Null);
    let names = |v: &Value| -> BTreeSet<String> {
        v.as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    let (a, b) = (
        names(&section(old, "schemas")),
        names(&section(new, "schemas")),
    );
    for name in a.difference(&b) {
        diff.push(
            rules::COMPONENT_REMOVED,
            &format!("/components/schemas/{}", escape(name)),
            format!("`{name}` removed"),
        );
    }
    for name in b.difference(&a) {
        diff.push(
            rules::COMPONENT_ADDED,
            &format!("/components/schemas/{}", escape(name)),
            format!("`{name}` added"),
        );
    }
    if section(old, "securitySchemes") != section(new, "securitySchemes") {
        diff.push(
            rules::SECURITY_CHANGED,
            "/components/securitySchemes",
            "security schemes changed",
        );
    }
    // The other components (and the schemas' contents) are compared where they are used.
}

/// Every operation under `paths` (or `x-webhooks`), by `METHOD path`.
fn collect<'v>(paths: Option<&'v Value>, prefix: &str) -> BTreeMap<String, Operation<'v>> {
    let mut out = BTreeMap::new();
    for (path, item) in paths.and_then(Value::as_object).into_iter().flatten() {
        let Some(item) = item.as_object() else {
            continue;
        };
        for method in METHODS {
            if let Some(operation) = item.get(*method).and_then(Value::as_object) {
                let pointer = format!("{prefix}/{}/{method}", escape(path));
                out.insert(
                    format!("{} {path}", method.to_uppercase()),
                    Operation {
                        pointer,
                        path_item: item,
                        operation,
                    },
                );
            }
        }
    }
    out
}

fn operation_id<'v>(operation: &Operation<'v>) -> Option<&'v str> {
    operation
        .operation
        .get("operationId")
        .and_then(Value::as_str)
}

fn operations(
    diff: &mut Schemas<'_>,
    old: Option<&Value>,
    new: Option<&Value>,
    prefix: &str,
    direction: Direction,
) {
    let (a, b) = (collect(old, prefix), collect(new, prefix));
    let by_id: BTreeMap<&str, &String> = b
        .iter()
        .filter_map(|(key, op)| operation_id(op).map(|id| (id, key)))
        .collect();
    let mut matched = BTreeSet::new();
    for (key, was) in &a {
        if let Some(is) = b.get(key) {
            matched.insert(key.clone());
            operation(diff, was, is, direction);
            continue;
        }
        let moved = operation_id(was).and_then(|id| by_id.get(id).map(|k| (id, *k)));
        match moved {
            Some((id, other)) if !a.contains_key(other) => {
                matched.insert(other.clone());
                let is = &b[other];
                diff.push(
                    rules::PATH_CHANGED,
                    &is.pointer,
                    format!("`{id}` moved from {key} to {other}"),
                );
                operation(diff, was, is, direction);
            }
            _ => diff.push(
                rules::OPERATION_REMOVED,
                &was.pointer,
                format!("{key} removed"),
            ),
        }
    }
    for (key, is) in &b {
        if !matched.contains(key) {
            diff.push(rules::OPERATION_ADDED, &is.pointer, format!("{key} added"));
        }
    }
}

fn operation(
    diff: &mut Schemas<'_>,
    was: &Operation<'_>,
    is: &Operation<'_>,
    direction: Direction,
) {
    let (a, b) = (was.operation, is.operation);
    let at = &is.pointer;
    parameters(diff, was, is, direction);
    for (key, x, y) in entries(a, b) {
        let here = format!("{at}/{}", escape(key));
        let shown = |v: Option<&Value>| v.map_or("(none)".to_string(), Value::to_string);
        match key.as_str() {
            "parameters" => {}
            "requestBody" => request_body(diff, x, y, &here, direction),
            "responses" => responses(diff, x, y, &here, direction.reversed()),
            _ if x == y => {}
            "operationId" => diff.push(
                rules::OPERATION_ID_CHANGED,
                &here,
                format!("{} -> {}", shown(x), shown(y)),
            ),
            "tags" => diff.push(
                rules::TAGS_CHANGED,
                &here,
                format!("{} -> {}", shown(x), shown(y)),
            ),
            "x-trillet-retry" => diff.push(
                rules::RETRY_SAFETY_CHANGED,
                &here,
                format!("{} -> {}", shown(x), shown(y)),
            ),
            "security" => diff.push(rules::SECURITY_CHANGED, &here, "changed"),
            "servers" => diff.push(rules::SERVERS_CHANGED, &here, "changed"),
            "deprecated" => diff.push(
                rules::DEPRECATED,
                &here,
                format!("{} -> {}", shown(x), shown(y)),
            ),
            "summary" | "description" | "externalDocs" => {
                diff.push(rules::DOCS_CHANGED, &here, "changed")
            }
            _ if key.starts_with("x-") => diff.push(rules::DOCS_CHANGED, &here, "changed"),
            _ => diff.push(rules::UNCLASSIFIED, &here, "changed"),
        }
    }
}

/// The parameters of an operation, its path item's included (the operation's win), by
/// `in name` (header names in lower case), resolved.
fn parameters_of<'v>(
    document: &'v Value,
    operation: &Operation<'v>,
) -> BTreeMap<String, (usize, &'v Map<String, Value>)> {
    let mut out = BTreeMap::new();
    let lists = [
        operation.path_item.get("parameters"),
        operation.operation.get("parameters"),
    ];
    for (list_index, list) in lists.into_iter().enumerate() {
        for (index, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(parameter) = resolve(document, parameter).0.as_object() else {
                continue;
            };
            let place = parameter
                .get("in")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let name = if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_string()
            };
            // Only the operation's own list has an index under the operation's pointer.
            out.insert(
                format!("{place} {name}"),
                (if list_index == 1 { index } else { usize::MAX }, parameter),
            );
        }
    }
    out
}

fn parameters(
    diff: &mut Schemas<'_>,
    was: &Operation<'_>,
    is: &Operation<'_>,
    direction: Direction,
) {
    let (a, b) = (parameters_of(diff.old, was), parameters_of(diff.new, is));
    let place = |operation: &Operation<'_>, index: usize| {
        if index == usize::MAX {
            format!(
                "{}/parameters",
                operation.pointer.rsplit_once('/').map_or("", |(p, _)| p)
            )
        } else {
            format!("{}/parameters/{index}", operation.pointer)
        }
    };
    let required = |p: &Map<String, Value>| p.get("required") == Some(&Value::Bool(true));
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for key in keys {
        match (a.get(key.as_str()), b.get(key.as_str())) {
            (Some((index, _)), None) => diff.push(
                rules::PARAMETER_REMOVED,
                &place(was, *index),
                format!("{key} removed"),
            ),
            (None, Some((index, p))) => {
                let rule = if required(p) && direction == Direction::Request {
                    rules::PARAMETER_ADDED_REQUIRED
                } else {
                    rules::PARAMETER_ADDED_OPTIONAL
                };
                diff.push(rule, &place(is, *index), format!("{key} added"));
            }
            (Some((_, x)), Some((index, y))) => {
                let here = place(is, *index);
                match (required(x), required(y)) {
                    (false, true) => diff.push(
                        rules::PARAMETER_BECAME_REQUIRED,
                        &here,
                        format!("{key} now required"),
                    ),
                    (true, false) => diff.push(
                        rules::PARAMETER_BECAME_OPTIONAL,
                        &here,
                        format!("{key} now optional"),
                    ),
                    _ => {}
                }
                for field in [
                    "style",
                    "explode",
                    "allowReserved",
                    "content",
                    "allowEmptyValue",
                ] {
                    if x.get(field) != y.get(field) {
                        diff.push(
                            rules::PARAMETER_STYLE_CHANGED,
                            &here,
                            format!("{key}: `{field}` changed"),
                        );
                    }
                }
                for field in ["description", "example", "examples"] {
                    if x.get(field) != y.get(field) {
                        diff.push(rules::DOCS_CHANGED, &format!("{here}/{field}"), "changed");
                    }
                }
                if x.get("deprecated") != y.get("deprecated") {
                    diff.push(
                        rules::DEPRECATED,
                        &here,
                        format!("{key}: deprecation changed"),
                    );
                }
                if let (Some(s), Some(t)) = (x.get("schema"), y.get("schema")) {
                    diff.schema(s, t, &format!("{here}/schema"), direction);
                }
            }
            (None, None) => {}
        }
    }
}

fn request_body(
    diff: &mut Schemas<'_>,
    old: Option<&Value>,
    new: Option<&Value>,
    here: &str,
    direction: Direction,
) {
    let resolved = |doc, v: Option<&Value>| {
        v.map(|v| resolve(doc, v).0)
            .and_then(Value::as_object)
            .cloned()
    };
    let (a, b) = (resolved(diff.old, old), resolved(diff.new, new));
    let required = |m: &Map<String, Value>| m.get("required") == Some(&Value::Bool(true));
    match (a, b) {
        (None, None) => {}
        (Some(_), None) => diff.push(
            rules::REQUEST_BODY_REMOVED,
            here,
            "the request body is gone",
        ),
        (None, Some(b)) if required(&b) => diff.push(
            rules::REQUEST_BODY_REQUIRED,
            here,
            "a required request body",
        ),
        (None, Some(_)) => diff.push(
            rules::REQUEST_BODY_OPTIONAL,
            here,
            "an optional request body",
        ),
        (Some(a), Some(b)) => {
            match (required(&a), required(&b)) {
                (false, true) => diff.push(
                    rules::REQUEST_BODY_REQUIRED,
                    here,
                    "the request body is now required",
                ),
                (true, false) => diff.push(
                    rules::REQUEST_BODY_OPTIONAL,
                    here,
                    "the request body is now optional",
                ),
                _ => {}
            }
            if a.get("description") != b.get("description") {
                diff.push(
                    rules::DOCS_CHANGED,
                    &format!("{here}/description"),
                    "changed",
                );
            }
            content(
                diff,
                a.get("content"),
                b.get("content"),
                &format!("{here}/content"),
                direction,
            );
        }
    }
}

fn responses(
    diff: &mut Schemas<'_>,
    old: Option<&Value>,
    new: Option<&Value>,
    here: &str,
    direction: Direction,
) {
    for (status, x, y) in entries(mapping(old), mapping(new)) {
        let at = format!("{here}/{}", escape(status));
        let (x, y) = match (x, y) {
            (Some(_), None) => {
                diff.push(rules::RESPONSE_REMOVED, &at, format!("{status} removed"));
                continue;
            }
            (None, Some(_)) => {
                diff.push(rules::RESPONSE_ADDED, &at, format!("{status} added"));
                continue;
            }
            (Some(x), Some(y)) => (
                resolve(diff.old, x).0.clone(),
                resolve(diff.new, y).0.clone(),
            ),
            (None, None) => continue,
        };
        if x.get("description") != y.get("description") {
            diff.push(rules::DOCS_CHANGED, &format!("{at}/description"), "changed");
        }
        headers(
            diff,
            x.get("headers"),
            y.get("headers"),
            &format!("{at}/headers"),
            direction,
        );
        content(
            diff,
            x.get("content"),
            y.get("content"),
            &format!("{at}/content"),
            direction,
        );
    }
}

fn headers(
    diff: &mut Schemas<'_>,
    old: Option<&Value>,
    new: Option<&Value>,
    here: &str,
    direction: Direction,
) {
    for (name, x, y) in entries(mapping(old), mapping(new)) {
        let at = format!("{here}/{}", escape(name));
        match (x, y) {
            (Some(_), None) => diff.push(
                rules::RESPONSE_HEADER_REMOVED,
                &at,
                format!("{name} removed"),
            ),
            (None, Some(_)) => {
                diff.push(rules::RESPONSE_HEADER_ADDED, &at, format!("{name} added"))
            }
            (Some(x), Some(y)) => {
                let (x, y) = (resolve(diff.old, x).0, resolve(diff.new, y).0);
                if let (Some(s), Some(t)) = (x.get("schema"), y.get("schema")) {
                    diff.schema(s, t, &format!("{at}/schema"), direction);
                }
                if x.get("description") != y.get("description") {
                    diff.push(rules::DOCS_CHANGED, &format!("{at}/description"), "changed");
                }
            }
            (None, None) => {}
        }
    }
}

fn content(
    diff: &mut Schemas<'_>,
    old: Option<&Value>,
    new: Option<&Value>,
    here: &str,
    direction: Direction,
) {
    for (media, x, y) in entries(mapping(old), mapping(new)) {
        let at = format!("{here}/{}", escape(media));
        match (x, y) {
            (Some(_), None) => {
                diff.push(rules::MEDIA_TYPE_REMOVED, &at, format!("{media} removed"))
            }
            (None, Some(_)) => diff.push(rules::MEDIA_TYPE_ADDED, &at, format!("{media} added")),
            (Some(x), Some(y)) => {
                if let (Some(s), Some(t)) = (x.get("schema"), y.get("schema")) {
                    diff.schema(s, t, &format!("{at}/schema"), direction);
                } else if x.get("schema") != y.get("schema") {
                    diff.push(
                        rules::TYPE_CHANGED,
                        &format!("{at}/schema"),
                        "a schema added or removed",
                    );
                }
                for field in ["example", "examples"] {
                    if x.get(field) != y.get(field) {
                        diff.push(rules::DOCS_CHANGED, &format!("{at}/{field}"), "changed");
                    }
                }
                if x.get("encoding") != y.get("encoding") {
                    diff.push(
                        rules::UNCLASSIFIED,
                        &format!("{at}/encoding"),
                        "the multipart encoding changed",
                    );
                }
            }
            (None, None) => {}
        }
    }
}
