//! The patches on one small document, each checked where it applies.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::nodes::is_error_status;
use super::*;

/// `yaml` prepared, as JSON.
fn prepared(yaml: &str) -> (Value, Prepared) {
    let spec = crate::gen::load::parse(yaml, "t.yaml").expect("parses");
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
