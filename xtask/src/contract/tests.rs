//! The rules of `cargo xtask contract`, each on a small document where it is broken.
use super::*;

/// A minimal document with `schemas` as its components and one operation answering
/// `Thing` and taking `ThingInput`.
fn document(schemas: &str, extra_paths: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: '1', description: built by the Rust crate}}
paths:
  /things:
    post:
      operationId: createThing
      x-trillet-retry: side-effecting
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/ThingInput'}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
{extra_paths}
components:
  schemas:
    Thing:
      type: object
      properties:
        size: {{type: number, format: double}}
    ThingInput:
      type: object
      properties:
        size: {{type: number, format: double, minimum: 0}}
        kind: {{type: string, enum: [a, b]}}
{schemas}"#
    )
}

fn check_rules(schemas: &str, extra_paths: &str, expected: &[(&str, &str)]) {
    let text = document(schemas, extra_paths);
    let value = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let found: Vec<(&str, String)> = check(&value)
        .into_iter()
        .map(|p| (p.rule, p.pointer))
        .collect();
    let expected: Vec<(&str, String)> = expected.iter().map(|(r, p)| (*r, p.to_string())).collect();
    assert_eq!(found, expected, "\n{schemas}{extra_paths}");
}

#[test]
fn a_clean_document_passes_and_request_only_schemas_may_be_closed_sets() {
    check_rules("", "", &[]);
}

#[test]
fn each_rule_fails_where_it_is_broken() {
    check_rules(
        "    Closed: {type: object, additionalProperties: false, description: x}\n",
        "",
        &[("R1", "/components/schemas/Closed/additionalProperties")],
    );
    check_rules(
        "    Model: {type: string, default: gpt}\n",
        "",
        &[("R2", "/components/schemas/Model/default")],
    );
    check_rules(
            "    Thing:\n      type: object\n      properties:\n        status: {type: string, enum: [on]}\n        speed: {type: number, format: double, maximum: 1}\n        agent:\n          oneOf: [{type: string}, {type: object}]\n",
            "",
            &[
                ("R3", "/components/schemas/Thing/properties/agent/oneOf"),
                ("R3", "/components/schemas/Thing/properties/speed/maximum"),
                ("R3", "/components/schemas/Thing/properties/status/enum"),
            ],
        );
    check_rules(
        "    Things:\n      oneOf: [{type: array, items: {type: string}}, {type: string}]\n",
        "",
        &[("R4", "/components/schemas/Things/oneOf")],
    );
    check_rules(
        "    Money: {type: number}\n",
        "",
        &[("R5", "/components/schemas/Money")],
    );
    check_rules(
            "    A: {type: string, enum: [x, y]}\n    B: {type: string, enum: [y]}\n    C: {type: string, enum: [p, q], x-enum-varnames: [C_P]}\n",
            "",
            &[
                ("R6", "/components/schemas/A"),
                ("R6", "/components/schemas/B"),
                ("R6", "/components/schemas/C/x-enum-varnames"),
            ],
        );
    check_rules(
        "    Thing: {type: object, required: [id], properties: {id: {type: string}}}\n",
        "",
        &[("R7", "/components/schemas/Thing")],
    );
    check_rules(
        "    Ref:\n      nullable: true\n      allOf: [{$ref: '#/components/schemas/Thing'}]\n",
        "",
        &[("R9", "/components/schemas/Ref/nullable")],
    );
    check_rules(
        "    Said: {type: string, description: the Rust client masks it}\n",
        "",
        &[("R10", "/components/schemas/Said/description")],
    );
}

#[test]
fn multipart_parts_and_binary_responses_are_checked() {
    let paths = r#"  /files:
    post:
      operationId: upload
      x-trillet-retry: side-effecting
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses:
        '200':
          description: audio
          content:
            audio/*:
              schema: {type: string, format: binary}
"#;
    check_rules(
        "",
        paths,
        &[
            ("R11", "/paths/~1files/post/responses/200/content/audio~1*"),
            (
                "R8",
                "/paths/~1files/post/requestBody/content/multipart~1form-data",
            ),
        ],
    );
}

#[test]
fn every_operation_says_whether_it_may_be_retried() {
    let paths = r#"  /unmarked:
    post:
      operationId: unmarked
      responses: {'200': {description: ok}}
  /misspelt:
    put:
      operationId: misspelt
      x-trillet-retry: safe
      responses: {'200': {description: ok}}
  /reads:
    get:
      operationId: reads
      x-trillet-retry: side-effecting
      responses: {'200': {description: ok}}
    delete:
      operationId: removes
      x-trillet-retry: idempotent
      responses: {'204': {description: gone}}
"#;
    check_rules(
        "",
        paths,
        &[
            ("R12", "/paths/~1misspelt/put/x-trillet-retry"),
            ("R12", "/paths/~1reads/get/x-trillet-retry"),
            ("R12", "/paths/~1unmarked/post/x-trillet-retry"),
        ],
    );
}

#[test]
fn the_repositorys_document_follows_every_rule() {
    let path = crate::workspace_root().join("openapi/trillet.yaml");
    let text = std::fs::read_to_string(&path).expect("the contract");
    let problems = check(&parse(&text).expect("parses"));
    assert!(problems.is_empty(), "{problems:#?}");
}
