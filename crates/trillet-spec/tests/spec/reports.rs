//! What callers are told: pointers, messages, masking, status lookup, errors other than
//! violations.

use crate::common;

use serde_json::{json, Value};
use trillet_spec::{Direction, ValidationError, Violation};

use common::{lines, petstore};

fn check_request(operation: &str, body: Value, expected: &[&str]) {
    assert_eq!(
        lines(petstore().validate_request(operation, &body)),
        expected,
        "{body}"
    );
}

fn check_response(operation: &str, status: u16, body: Value, expected: &[&str]) {
    assert_eq!(
        lines(petstore().validate_response(operation, status, &body)),
        expected,
        "{status} {body}"
    );
}

#[test]
fn pointers_are_rfc6901_and_the_root_shows_as_root() {
    check_request(
        "createPet",
        json!({"name": "Rex", "kind": "dog", "labels": {"a/b~c": 1}}),
        &["/labels/a~1b~0c: expected string, found integer 1"],
    );
    check_request(
        "createPet",
        json!([]),
        &["(root): expected object, found array []"],
    );
    let Err(ValidationError::Invalid(violations)) =
        petstore().validate_request("createPet", &json!({}))
    else {
        panic!("an empty pet is invalid");
    };
    assert_eq!(violations[0].pointer, "", "the root pointer is empty");
}

#[test]
fn every_violation_is_reported_with_what_to_send_instead() {
    check_request(
        "createPet",
        json!({"kind": "bird", "weight": -1, "name": ""}),
        &[
            r#"/kind: expected one of ["dog","cat"], found string "bird""#,
            r#"/name: expected a string of at least 1 character, found string """#,
            "/weight: expected a number > 0, found integer -1",
        ],
    );
}

#[test]
fn phone_numbers_never_appear_in_full() {
    check_request(
        "callOwner",
        json!({"toNumber": "415-555-1234"}),
        &[
            r#"/toNumber: expected a string matching the pattern ^\+[1-9][0-9]{7,14}$, found string "4**-***-*234""#,
        ],
    );
    check_request(
        "callOwner",
        json!({"toNumber": 14155551234_u64}),
        &["/toNumber: expected string, found integer 1*******234"],
    );
    check_request(
        "callOwner",
        json!({"note": "call +14155551234"}),
        &[
            r#"(root): expected required property "toNumber", found object {"note":"call +1*******234"}"#,
        ],
    );
    check_request(
        "callOwner",
        json!({"toNumber": "+14155551234", "+14155559876": true}),
        &[
            r#"/+1*******876: expected no property "+1*******876" here (not in the schema; allowed: "note", "toNumber"), found boolean true"#,
        ],
    );
}

#[test]
fn long_values_are_truncated() {
    let long = "x".repeat(200);
    let Err(ValidationError::Invalid(violations)) =
        petstore().validate_request("createPet", &json!({"name": "Rex", "kind": long}))
    else {
        panic!("a long kind is invalid");
    };
    assert!(
        violations[0].found.ends_with("..."),
        "{}",
        violations[0].found
    );
    assert!(
        violations[0].found.chars().count() < 80,
        "{}",
        violations[0].found
    );
}

#[test]
fn violation_displays_as_one_line() {
    let violation = Violation {
        pointer: "/direction".to_owned(),
        expected: r#"one of ["outbound","bidirectional"]"#.to_owned(),
        found: r#"string "sideways""#.to_owned(),
    };
    assert_eq!(
        violation.to_string(),
        r#"/direction: expected one of ["outbound","bidirectional"], found string "sideways""#
    );
}

#[test]
fn responses_are_found_by_exact_code_then_range_then_default() {
    // 201 exactly: a Pet.
    check_response(
        "createPet",
        201,
        json!({"id": "p1", "name": "Rex", "kind": "dog"}),
        &[],
    );
    // 404 through 4XX: an Error.
    check_response("createPet", 404, json!({"error": "Pet not found"}), &[]);
    check_response(
        "createPet",
        404,
        json!({"message": "Pet not found"}),
        &[
            r#"(root): expected required property "error", found object {"message":"Pet not found"}"#,
        ],
    );
    // 500 through default.
    check_response("createPet", 500, json!({"message": "boom"}), &[]);
    check_response(
        "createPet",
        302,
        json!({"error": "moved"}),
        &[r#"(root): expected required property "message", found object {"error":"moved"}"#],
    );
}

#[test]
fn bodies_that_cannot_be_validated_say_why() {
    let spec = petstore();
    let check = |result: Result<(), ValidationError>, expected: ValidationError, message: &str| {
        assert_eq!(result, Err(expected.clone()));
        assert_eq!(expected.to_string(), message);
    };
    check(
        spec.validate_response("updatePet", 500, &json!({})),
        ValidationError::NoResponse {
            operation_id: "updatePet".to_owned(),
            status: 500,
        },
        r#"operation "updatePet" documents no response for status 500 (no exact code, no 5XX range, no default)"#,
    );
    check(
        spec.validate_response("listPets", 204, &json!(null)),
        ValidationError::NoResponseBody {
            operation_id: "listPets".to_owned(),
            status: 204,
        },
        r#"response 204 of operation "listPets" has no body"#,
    );
    check(
        spec.validate_response("exportPets", 200, &json!("id,name")),
        ValidationError::NotJson {
            operation_id: "exportPets".to_owned(),
            direction: Direction::Response,
            media_type: "text/csv".to_owned(),
        },
        r#"the response body of operation "exportPets" is "text/csv", not JSON; only JSON bodies are validated"#,
    );
    check(
        spec.validate_request("deletePet", &json!({})),
        ValidationError::NoRequestBody {
            operation_id: "deletePet".to_owned(),
        },
        r#"operation "deletePet" takes no request body; check its responses instead"#,
    );
}

#[test]
fn unknown_operations_suggest_close_names() {
    let check = |asked: &str, message: &str| {
        let error = petstore()
            .validate_request(asked, &json!({}))
            .expect_err("unknown operation");
        assert!(
            matches!(error, ValidationError::UnknownOperation { .. }),
            "{error:?}"
        );
        assert_eq!(error.to_string(), message);
    };
    check(
        "creatPet",
        r#"unknown operationId "creatPet"; did you mean "createPet"?"#,
    );
    check(
        "CreatePet",
        r#"unknown operationId "CreatePet"; did you mean "createPet"?"#,
    );
    check(
        "launchRocket",
        r#"unknown operationId "launchRocket" (operationIds are case-sensitive)"#,
    );
}

#[test]
fn multipart_bodies_are_validated_as_their_form_fields() {
    check_request("importPets", json!({"file": "id,name\np1,Rex\n"}), &[]);
    check_request(
        "importPets",
        json!({"file": "id\n", "owner": "Ann", "options": {"dryRun": true}}),
        &[],
    );
    check_request(
        "importPets",
        json!({"owner": "Ann"}),
        &[r#"(root): expected required property "file", found object {"owner":"Ann"}"#],
    );
    check_request(
        "importPets",
        json!({"file": "id\n", "options": {"dryRun": "yes"}}),
        &[r#"/options/dryRun: expected boolean, found string "yes""#],
    );
}

#[test]
fn several_violations_display_together_on_one_line() {
    let error = petstore()
        .validate_request("createPet", &json!({"name": 1, "kind": 2}))
        .expect_err("invalid");
    assert_eq!(
        error.to_string(),
        r#"2 problems: /kind: expected one of ["dog","cat"], found integer 2; /name: expected string, found integer 1"#
    );
}
