//! Finding the inline examples of a document and validating them.

use crate::common;

use trillet_spec::{Direction, ExampleTarget, SpecValidator};

use common::{lines, petstore, PETSTORE};

#[test]
fn every_kind_of_inline_example_is_found_once_with_its_operation_and_target() {
    let request = ExampleTarget::Request;
    let response = |status: &str| ExampleTarget::Response {
        status: status.to_owned(),
    };
    let parameter = |name: &str| ExampleTarget::Parameter {
        name: name.to_owned(),
    };
    let schema = |direction| ExampleTarget::Schema { direction };
    let media = "content/application~1json";
    let expected: Vec<(String, Option<&str>, ExampleTarget)> = vec![
        (
            "/paths/~1pets/get/parameters/0/example".into(),
            Some("listPets"),
            parameter("limit"),
        ),
        (
            format!("/paths/~1pets/post/requestBody/{media}/examples/minimal"),
            Some("createPet"),
            request.clone(),
        ),
        // A `$ref` to components/examples is located where it is used.
        (
            format!("/paths/~1pets/post/requestBody/{media}/examples/shared"),
            Some("createPet"),
            request.clone(),
        ),
        (
            format!("/paths/~1pets/post/responses/201/{media}/example"),
            Some("createPet"),
            response("201"),
        ),
        // A shared response is listed once, under the first operation that uses it.
        (
            format!("/components/responses/Error/{media}/examples/notFound"),
            Some("createPet"),
            response("4XX"),
        ),
        (
            format!(
                "/paths/~1pets/post/responses/default/{media}/schema/properties/message/example"
            ),
            Some("createPet"),
            schema(Direction::Response),
        ),
        (
            "/paths/~1pets~1import/post/requestBody/content/multipart~1form-data/examples/csv"
                .into(),
            Some("importPets"),
            request.clone(),
        ),
        (
            "/paths/~1pets~1{petId}/parameters/0/examples/first".into(),
            Some("updatePet"),
            parameter("petId"),
        ),
        (
            format!("/components/requestBodies/PetUpdate/{media}/example"),
            Some("updatePet"),
            request.clone(),
        ),
        // Component schemas used both ways are checked both ways.
        (
            "/components/schemas/Kind/example".into(),
            None,
            schema(Direction::Request),
        ),
        (
            "/components/schemas/Kind/example".into(),
            None,
            schema(Direction::Response),
        ),
        (
            "/components/schemas/Pet/properties/id/example".into(),
            None,
            schema(Direction::Request),
        ),
        (
            "/components/schemas/Pet/properties/id/example".into(),
            None,
            schema(Direction::Response),
        ),
        (
            "/components/schemas/Phone/example".into(),
            None,
            schema(Direction::Request),
        ),
        (
            "/components/schemas/Phone/example".into(),
            None,
            schema(Direction::Response),
        ),
    ];
    let mut found: Vec<(String, Option<&str>, ExampleTarget)> = petstore()
        .examples()
        .iter()
        .map(|e| {
            (
                e.location.clone(),
                e.operation_id.as_deref(),
                e.target.clone(),
            )
        })
        .collect();
    found.sort_by(|a, b| (&a.0, format!("{:?}", a.2)).cmp(&(&b.0, format!("{:?}", b.2))));
    let mut expected = expected;
    expected.sort_by(|a, b| (&a.0, format!("{:?}", a.2)).cmp(&(&b.0, format!("{:?}", b.2))));
    assert_eq!(found, expected);
}

#[test]
fn every_example_of_the_fixture_validates() {
    for outcome in petstore().validate_examples() {
        assert_eq!(
            lines(outcome.result),
            Vec::<String>::new(),
            "{}",
            outcome.example.location
        );
    }
}

#[test]
fn example_locations_lead_to_their_line() {
    let spec = petstore();
    let example = spec
        .examples()
        .iter()
        .find(|e| e.location.ends_with("/examples/minimal"))
        .expect("the minimal example");
    let line = spec.line_of(&example.location);
    assert_eq!(
        PETSTORE.lines().nth(line - 1).map(str::trim),
        Some("minimal:")
    );
}

/// Loads `yaml` and returns `(location, violation lines)` of each failing example.
fn failing_examples(yaml: &str) -> Vec<(String, Vec<String>)> {
    let spec = SpecValidator::from_yaml_str(yaml).expect("the document loads");
    spec.validate_examples()
        .into_iter()
        .filter(|o| o.result.is_err())
        .map(|o| (o.example.location.clone(), lines(o.result)))
        .collect()
}

#[test]
fn wrong_examples_are_reported_at_their_location() {
    let yaml = r"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                size: {type: integer, example: big}
            examples:
              noName: {value: {size: 3}}
      responses:
        '200': {description: ok}
";
    assert_eq!(
        failing_examples(yaml),
        [
            (
                "/paths/~1things/post/requestBody/content/application~1json/examples/noName".to_owned(),
                vec![r#"(root): expected required property "name", found object {"size":3}"#.to_owned()]
            ),
            (
                "/paths/~1things/post/requestBody/content/application~1json/schema/properties/size/example".to_owned(),
                vec![r#"(root): expected integer, found string "big""#.to_owned()]
            ),
        ]
    );
}

#[test]
fn schema_examples_follow_the_directions_their_schema_is_used_in() {
    // `Thing` is used in responses only, so its readOnly `id` is fine in its example;
    // `Unused` is used nowhere and is checked strictly, in both directions.
    let yaml = r"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: getThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      properties:
        id: {type: string, readOnly: true}
      example: {id: t1}
    Unused:
      type: object
      properties:
        id: {type: string, readOnly: true}
      example: {id: u1}
";
    assert_eq!(
        failing_examples(yaml),
        [(
            "/components/schemas/Unused/example".to_owned(),
            vec![r#"/id: expected no "id": readOnly property must not be sent in a request (remove it), found string "u1""#.to_owned()]
        )]
    );
}

#[test]
fn non_json_and_external_examples_are_skipped() {
    let yaml = r"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /export:
    get:
      operationId: exportThings
      responses:
        '200':
          description: ok
          content:
            text/csv:
              schema: {type: integer}
              example: 'a,b'
            application/json:
              schema: {type: integer}
              examples:
                remote: {externalValue: 'https://example.com/x.json'}
";
    let spec = SpecValidator::from_yaml_str(yaml).expect("loads");
    assert!(spec.examples().is_empty(), "{:?}", spec.examples());
}
