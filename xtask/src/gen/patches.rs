//! Stage 3: adapt a copy of the document to what progenitor can express.
//!
//! First the operations progenitor cannot generate are taken out (they are hand-written,
//! see [`super::operations::hand_written_media_type`]). Then one visitor walks the nodes
//! of the document (each operation, each path's parameters, each component) and applies
//! to each node, as JSON, the patches of [`PATCHES`] whose [`Scope`] covers it, in the
//! table's order: each node goes to JSON and back once. What a patch needs to know of the
//! whole document ([`Facts`]) is learnt before any patch runs.
//!
//! The visitor works node by node on the typed document (`IndexMap`s) rather than on the
//! whole document as JSON, so the output keeps the order of paths and components whatever
//! features of serde_json happen to be enabled in the build.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr, SchemaKind, Type};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::operations::hand_written_media_type;
use super::{GenError, Removed};

/// The document as fed to progenitor, and what was learnt on the way.
#[derive(Debug)]
pub struct Prepared {
    /// The patched copy.
    pub spec: OpenAPI,
    /// The operations taken out (hand-written), in document order.
    pub removed: Vec<Removed>,
    /// The schemas used only in requests, each with its required properties in document
    /// order (for the generated `new` constructors).
    pub request_only: BTreeMap<String, Vec<String>>,
}

/// One named change of the document, applied to every node its scope covers.
pub struct Patch {
    /// How messages and tests call it.
    pub name: &'static str,
    /// The nodes it applies to.
    pub scope: Scope,
    /// The change, on the node as JSON.
    pub edit: fn(&mut Value, &Facts),
}

/// Which nodes of the document a [`Patch`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each operation.
    Operations,
    /// Each component schema used only in requests.
    RequestOnlySchemas,
    /// Each component schema.
    ComponentSchemas,
    /// Every node: operations, path parameters and every component.
    Everywhere,
}

/// A node of the document the visitor hands to the patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Operation,
    PathParameters,
    Schema { request_only: bool },
    Parameter,
    Response,
    RequestBody,
}

impl Scope {
    fn covers(self, node: Node) -> bool {
        match self {
            Scope::Operations => node == Node::Operation,
            Scope::RequestOnlySchemas => node == Node::Schema { request_only: true },
            Scope::ComponentSchemas => matches!(node, Node::Schema { .. }),
            Scope::Everywhere => true,
        }
    }
}

/// What the patches need to know of the whole document.
#[derive(Debug, Default)]
pub struct Facts {
    /// The bare-string component schemas by `$ref`, each as it replaces its references.
    bare_strings: Map<String, Value>,
}

/// The patches, in the order they apply to a node.
pub const PATCHES: &[Patch] = &[
    Patch {
        name: "error responses removed",
        scope: Scope::Operations,
        edit: remove_error_responses,
    },
    Patch {
        name: "a lone success is any 2xx",
        scope: Scope::Operations,
        edit: lone_success_is_any_2xx,
    },
    Patch {
        name: "nullable request fields are double options",
        scope: Scope::RequestOnlySchemas,
        edit: nullable_as_double_option,
    },
    Patch {
        name: "no defaults in requests",
        scope: Scope::RequestOnlySchemas,
        edit: no_defaults_in_requests,
    },
    Patch {
        name: "plain strings",
        scope: Scope::Everywhere,
        edit: plain_strings,
    },
    Patch {
        name: "oneOf branches not nullable",
        scope: Scope::ComponentSchemas,
        edit: branches_not_nullable,
    },
    Patch {
        name: "bare strings inlined",
        scope: Scope::Everywhere,
        edit: inline_bare_strings,
    },
];

/// Takes out the hand-written operations, then applies [`PATCHES`] to a copy of `spec`.
pub fn prepare(spec: &OpenAPI) -> Result<Prepared, GenError> {
    let mut spec = spec.clone();
    let removed = remove_hand_written_operations(&mut spec);
    let doc = to_json(&spec, "#")?;
    let request_only = request_only_schemas(&doc);
    let facts = Facts {
        bare_strings: bare_strings(&doc),
    };
    let mut request_only_required = BTreeMap::new();
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            if let (true, ReferenceOr::Item(schema)) = (request_only.contains(name), schema) {
                if let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind {
                    request_only_required.insert(name.clone(), object.required.clone());
                }
            }
        }
    }
    visit(&mut spec, &request_only, &facts)?;
    if let Some(components) = spec.components.as_mut() {
        components
            .schemas
            .retain(|name, _| !facts.bare_strings.contains_key(&schema_ref(name)));
    }
    Ok(Prepared {
        spec,
        removed,
        request_only: request_only_required,
    })
}

/// The visitor: every node of the document, with the patches that cover it.
fn visit(
    spec: &mut OpenAPI,
    request_only: &BTreeSet<String>,
    facts: &Facts,
) -> Result<(), GenError> {
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = format!("#/paths/{}", trillet_spec::escape_pointer_segment(path));
        for (method, operation) in operations_mut(item) {
            if let Some(operation) = operation {
                apply(operation, Node::Operation, &format!("{at}/{method}"), facts)?;
            }
        }
        apply(
            &mut item.parameters,
            Node::PathParameters,
            &format!("{at}/parameters"),
            facts,
        )?;
    }
    let Some(components) = spec.components.as_mut() else {
        return Ok(());
    };
    for (name, schema) in components.schemas.iter_mut() {
        let node = Node::Schema {
            request_only: request_only.contains(name),
        };
        apply(schema, node, &schema_ref(name), facts)?;
    }
    for (name, parameter) in components.parameters.iter_mut() {
        apply(
            parameter,
            Node::Parameter,
            &format!("#/components/parameters/{name}"),
            facts,
        )?;
    }
    for (name, response) in components.responses.iter_mut() {
        apply(
            response,
            Node::Response,
            &format!("#/components/responses/{name}"),
            facts,
        )?;
    }
    for (name, body) in components.request_bodies.iter_mut() {
        apply(
            body,
            Node::RequestBody,
            &format!("#/components/requestBodies/{name}"),
            facts,
        )?;
    }
    Ok(())
}

/// The one edit helper: `node` to JSON, every patch covering it, and back.
fn apply<T: Serialize + DeserializeOwned>(
    node: &mut T,
    kind: Node,
    at: &str,
    facts: &Facts,
) -> Result<(), GenError> {
    let patches: Vec<&Patch> = PATCHES
        .iter()
        .filter(|patch| patch.scope.covers(kind))
        .collect();
    if patches.is_empty() {
        return Ok(());
    }
    let mut value = to_json(&*node, at)?;
    for patch in &patches {
        (patch.edit)(&mut value, facts);
    }
    *node = serde_json::from_value(value).map_err(|e| {
        let names: Vec<&str> = patches.iter().map(|patch| patch.name).collect();
        GenError::Patch {
            node: format!("{at} (patches: {})", names.join(", ")),
            message: e.to_string(),
        }
    })?;
    Ok(())
}

fn to_json<T: Serialize>(node: &T, at: &str) -> Result<Value, GenError> {
    serde_json::to_value(node).map_err(|e| GenError::Patch {
        node: at.to_string(),
        message: e.to_string(),
    })
}

fn schema_ref(name: &str) -> String {
    format!("#/components/schemas/{name}")
}

/// The operations of a path item with their (lower-case) method.
pub fn operations_mut(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 8] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
}

/// Removes the operations whose request body progenitor cannot generate (they are written
/// by hand) and a path left without operations.
fn remove_hand_written_operations(spec: &mut OpenAPI) -> Vec<Removed> {
    let components = spec.components.clone();
    let mut removed = Vec::new();
    spec.paths.paths.retain(|_, item| {
        let ReferenceOr::Item(item) = item else {
            return true;
        };
        for (_, slot) in operations_mut(item) {
            let Some(operation) = slot else { continue };
            if let Some(media_type) = hand_written_media_type(operation, components.as_ref()) {
                removed.push(Removed {
                    operation_id: operation
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| "(no operationId)".into()),
                    media_type: media_type.to_string(),
                });
                *slot = None;
            }
        }
        operations_mut(item).iter().any(|(_, slot)| slot.is_some())
    });
    removed
}

/// Whether a key of `responses` is an error status (`404`, `4XX`, `5XX`).
fn is_error_status(key: &str) -> bool {
    match key.strip_suffix("XX") {
        Some(range) => range.parse::<u16>().is_ok_and(|range| range >= 4),
        None => key.parse::<u16>().is_ok_and(|code| code >= 400),
    }
}

/// The status keys of a `responses` object (not `default`, not `x-` extensions).
fn is_status(key: &str) -> bool {
    key != "default" && !key.starts_with("x-")
}

/// Names of the component schemas reachable from `value`, following every local `$ref`;
/// the error responses of operations are not followed (they are removed, see
/// [`remove_error_responses`]).
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
fn request_only_schemas(doc: &Value) -> BTreeSet<String> {
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
/// [`plain_strings`] has run: `LlmModel`, `TtsProvider`, `VoiceId`, `AgentType`), each as
/// it replaces its references: without its `example`, and without its `default`, the
/// server's and not the client's (see [`no_defaults_in_requests`]).
fn bare_strings(doc: &Value) -> Map<String, Value> {
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
fn remove_error_responses(operation: &mut Value, _: &Facts) {
    if let Some(Value::Object(responses)) = operation.get_mut("responses") {
        responses.retain(|status, _| !is_error_status(status));
    }
}

/// A lone success response (`200`, or `201` as on `createFlowFolder`) becomes `2XX`, so a
/// server that answers another 2xx code than documented still decodes.
fn lone_success_is_any_2xx(operation: &mut Value, _: &Facts) {
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
fn nullable_as_double_option(schema: &mut Value, _: &Facts) {
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
fn no_defaults_in_requests(schema: &mut Value, _: &Facts) {
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
fn plain_strings(node: &mut Value, _: &Facts) {
    each_object(node, &plain_string);
}

fn plain_string(object: &mut Map<String, Value>) {
    if object.get("type").and_then(Value::as_str) == Some("string") {
        if object.get("format").and_then(Value::as_str) == Some("date-time") {
            object.remove("format");
        }
        if object.get("minLength").and_then(Value::as_u64) == Some(1) {
            object.remove("minLength");
        }
    }
}

/// A `oneOf` branch loses its `nullable` (OpenAPI 3.0 has no null type, so the document
/// lets a `oneOf` take `null` through a `nullable` branch, e.g. `AgentReference`): typify
/// would name the variants `Variant0(Option<String>)`, `Variant1(..)`; the field holding
/// the `oneOf` is an `Option` already, and `null` decodes to `None`.
fn branches_not_nullable(schema: &mut Value, _: &Facts) {
    each_object(schema, &|object| {
        if let Some(Value::Array(branches)) = object.get_mut("oneOf") {
            for branch in branches.iter_mut().filter_map(Value::as_object_mut) {
                branch.remove("nullable");
            }
        }
    });
}

/// A reference to a bare-string component schema ([`bare_strings`]) is replaced by the
/// schema itself, so the field is a plain `String` (its description goes along) instead
/// of a newtype, which would add nothing but a conversion at every use, e.g. of the
/// `trillet::models` constants. The schemas themselves are then removed.
fn inline_bare_strings(node: &mut Value, facts: &Facts) {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// `yaml` prepared, as JSON.
    fn prepared(yaml: &str) -> (Value, Prepared) {
        let spec = super::super::load::parse(yaml, "t.yaml").expect("parses");
        let prepared = prepare(&spec).expect("prepares");
        (
            serde_json::to_value(&prepared.spec).expect("JSON"),
            prepared,
        )
    }

    const DOC: &str = "\
openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string, minLength: 1}}
    put:
      operationId: putThing
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Patch'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '4XX': {description: no, content: {application/json: {schema: {$ref: '#/components/schemas/Patch'}}}}
        '500': {description: no}
  /upload:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object}
      responses:
        '200': {description: ok}
components:
  schemas:
    Patch:
      type: object
      required: [name]
      properties:
        name: {type: string, default: n}
        key: {type: string, nullable: true, description: The key.}
        token: {type: string, format: password, nullable: true}
        model: {$ref: '#/components/schemas/Model'}
        size: {type: integer, default: 3}
    Thing:
      type: object
      properties:
        key: {type: string, nullable: true}
        at: {type: string, format: date-time}
        model: {$ref: '#/components/schemas/Model'}
        size: {type: integer, default: 3}
        reference:
          oneOf: [{type: string, nullable: true}, {type: object}]
    Model: {type: string, description: A model., default: m, example: m}
";

    #[test]
    fn the_patches_have_distinct_names() {
        let names: BTreeSet<&str> = PATCHES.iter().map(|p| p.name).collect();
        assert_eq!(names.len(), PATCHES.len());
    }

    #[test]
    fn hand_written_operations_are_taken_out_and_reported() {
        let (doc, prepared) = prepared(DOC);
        assert_eq!(
            prepared.removed,
            vec![Removed {
                operation_id: "upload".into(),
                media_type: "multipart/form-data".into()
            }]
        );
        assert!(doc.pointer("/paths/~1upload").is_none(), "{doc:#}");
    }

    #[test]
    fn error_responses_go_and_a_lone_success_is_any_2xx() {
        let (doc, _) = prepared(DOC);
        let responses = &doc["paths"]["/things/{id}"]["put"]["responses"];
        let keys: Vec<&String> = responses.as_object().expect("responses").keys().collect();
        assert_eq!(keys, ["2XX"], "{responses:#}");
    }

    #[test]
    fn request_only_schemas_get_double_options_and_no_defaults() {
        let (doc, prepared) = prepared(DOC);
        // `Patch` is used by a request and an error response only.
        assert_eq!(
            prepared.request_only.get("Patch"),
            Some(&vec!["name".to_string()])
        );
        assert!(!prepared.request_only.contains_key("Thing"));
        let patch = &doc["components"]["schemas"]["Patch"]["properties"];
        assert_eq!(
            patch["key"]["x-rust-type"]["parameters"],
            json!([{ "type": "string" }]),
            "{patch:#}"
        );
        assert_eq!(
            patch["token"]["x-rust-type"]["parameters"],
            json!([{ "$ref": "#/components/schemas/Secret" }]),
            "a nullable password is a Secret: {patch:#}"
        );
        assert!(patch["size"].get("default").is_none(), "{patch:#}");
        assert_eq!(patch["name"]["default"], "n", "required fields keep theirs");
        let thing = &doc["components"]["schemas"]["Thing"]["properties"];
        assert!(thing["key"].get("x-rust-type").is_none(), "{thing:#}");
        assert_eq!(thing["size"]["default"], 3, "responses keep defaults");
    }

    #[test]
    fn strings_are_plain_and_oneof_branches_not_nullable() {
        let (doc, _) = prepared(DOC);
        let thing = &doc["components"]["schemas"]["Thing"]["properties"];
        assert_eq!(thing["at"], json!({ "type": "string" }));
        assert_eq!(thing["reference"]["oneOf"][0], json!({ "type": "string" }));
        let id = &doc["paths"]["/things/{id}"]["parameters"][0]["schema"];
        assert_eq!(id, &json!({ "type": "string" }));
    }

    #[test]
    fn bare_strings_are_inlined_without_example_or_default_and_removed() {
        let (doc, _) = prepared(DOC);
        let inlined = json!({ "type": "string", "description": "A model." });
        assert_eq!(
            doc["components"]["schemas"]["Thing"]["properties"]["model"],
            inlined
        );
        assert_eq!(
            doc["components"]["schemas"]["Patch"]["properties"]["model"],
            inlined
        );
        assert!(
            doc.pointer("/components/schemas/Model").is_none(),
            "{doc:#}"
        );
    }

    #[test]
    fn status_keys_are_told_apart() {
        for (key, error) in [
            ("404", true),
            ("4XX", true),
            ("5XX", true),
            ("200", false),
            ("2XX", false),
            ("default", false),
        ] {
            assert_eq!(is_error_status(key), error, "{key}");
        }
    }
}
