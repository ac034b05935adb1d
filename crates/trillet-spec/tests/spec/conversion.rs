//! OpenAPI 3.0 schema rules, checked through tests/fixtures/petstore.yaml.

use crate::common;

use serde_json::{json, Value};

use common::{lines, petstore};

/// A `createPet` request: the required fields plus `extra`; `expected` lists the violations.
fn check_request(extra: Value, expected: &[&str]) {
    let mut body = json!({"name": "Rex", "kind": "dog"});
    merge(&mut body, extra);
    assert_eq!(
        lines(petstore().validate_request("createPet", &body)),
        expected,
        "{body}"
    );
}

/// A `createPet` 201 response: the required fields plus `extra`.
fn check_response(extra: Value, expected: &[&str]) {
    let mut body = json!({"id": "p1", "name": "Rex", "kind": "dog"});
    merge(&mut body, extra);
    assert_eq!(
        lines(petstore().validate_response("createPet", 201, &body)),
        expected,
        "{body}"
    );
}

fn merge(body: &mut Value, extra: Value) {
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
}

#[test]
fn nullable_scalar_accepts_null_and_its_type_only() {
    check_request(json!({"nickname": null}), &[]);
    check_request(json!({"nickname": "Rexy"}), &[]);
    check_request(
        json!({"nickname": 5}),
        &["/nickname: expected string or null, found integer 5"],
    );
}

#[test]
fn nullable_enum_accepts_null_besides_its_values() {
    check_request(json!({"mood": null}), &[]);
    check_request(json!({"mood": "calm"}), &[]);
    check_request(
        json!({"mood": "angry"}),
        &[r#"/mood: expected one of ["calm","playful",null], found string "angry""#],
    );
}

#[test]
fn nullable_ref_and_nullable_all_of_accept_null_and_explain_the_referenced_schema() {
    check_request(json!({"owner": null, "tag": null}), &[]);
    check_request(
        json!({"owner": {"name": "Ann"}, "tag": {"label": "good"}}),
        &[],
    );
    check_request(
        json!({"owner": {}}),
        &[r#"/owner: expected required property "name", found object {}"#],
    );
    check_request(
        json!({"owner": 5}),
        &["/owner: expected object or null, found integer 5"],
    );
    check_request(
        json!({"tag": {"label": 5}}),
        &["/tag/label: expected string, found integer 5"],
    );
}

#[test]
fn refs_to_components_are_followed() {
    check_request(json!({"kind": "cat"}), &[]);
    check_request(
        json!({"kind": "bird"}),
        &[r#"/kind: expected one of ["dog","cat"], found string "bird""#],
    );
    check_request(
        json!({"owner": {"name": "Ann", "phone": "0800"}}),
        &[
            r#"/owner/phone: expected a string matching the pattern ^\+[1-9][0-9]{7,14}$, found string "0800""#,
        ],
    );
}

#[test]
fn one_of_and_any_of_report_the_branch_that_was_meant() {
    check_request(json!({"toy": {"diameter": 7}}), &[]);
    check_request(json!({"toy": {"length": 2, "shape": "rope"}}), &[]);
    check_request(
        json!({"toy": "ball"}),
        &[r#"/toy: expected object, found string "ball""#],
    );
    check_request(json!({"contact": "ann@example.com"}), &[]);
    check_request(json!({"contact": "+14155551234"}), &[]);
    check_request(
        json!({"contact": "nope"}),
        &[
            r#"/contact: expected a string in format "email" (e.g. "name@example.com"), found string "nope""#,
        ],
    );
}

#[test]
fn read_only_properties_are_not_required_in_requests_and_rejected_if_sent() {
    check_request(json!({}), &[]);
    check_request(
        json!({"id": "p1"}),
        &[
            r#"/id: expected no "id": readOnly property must not be sent in a request (remove it), found string "p1""#,
        ],
    );
    check_request(
        json!({"registry": "r1"}),
        &[
            r#"/registry: expected no "registry": readOnly property must not be sent in a request (remove it), found string "r1""#,
        ],
    );
}

#[test]
fn read_only_properties_are_allowed_and_required_in_responses() {
    check_response(json!({"registry": "r1"}), &[]);
    let body = json!({"name": "Rex", "kind": "dog"});
    assert_eq!(
        lines(petstore().validate_response("createPet", 201, &body)),
        [r#"(root): expected required property "id", found object {"kind":"dog","name":"Rex"}"#]
    );
}

#[test]
fn write_only_properties_are_allowed_in_requests_and_rejected_in_responses() {
    check_request(json!({"secret": "s3cret"}), &[]);
    check_response(
        json!({"secret": "s3cret"}),
        &[
            r#"/secret: expected no "secret": writeOnly property must not appear in a response, found string "s3cret""#,
        ],
    );
}

#[test]
fn additional_properties_schema_applies_to_every_extra_property() {
    check_request(json!({"labels": {"color": "brown"}}), &[]);
    check_request(
        json!({"labels": {"age": 3}}),
        &["/labels/age: expected string, found integer 3"],
    );
}

#[test]
fn additional_properties_false_rejects_unknown_fields_and_suggests_the_right_name() {
    let check = |body: Value, expected: &[&str]| {
        assert_eq!(
            lines(petstore().validate_request("updatePet", &body)),
            expected
        );
    };
    check(json!({"nickname": null, "secret": "x"}), &[]);
    check(
        json!({"nickmane": "Rexy"}),
        &[
            r#"/nickmane: expected no property "nickmane" here (not in the schema; did you mean "nickname"?), found string "Rexy""#,
        ],
    );
    check(
        json!({"colour": "brown"}),
        &[
            r#"/colour: expected no property "colour" here (not in the schema; allowed: "name", "nickname", "secret"), found string "brown""#,
        ],
    );
}

#[test]
fn unknown_fields_are_accepted_when_additional_properties_is_absent() {
    check_request(json!({"color": "brown", "vaccinated": true}), &[]);
    check_response(json!({"color": "brown"}), &[]);
}

#[test]
fn draft4_exclusive_minimum_and_formats_are_enforced() {
    check_request(json!({"weight": 0.1}), &[]);
    check_request(
        json!({"weight": 0}),
        &["/weight: expected a number > 0, found integer 0"],
    );
    check_request(json!({"born": "2020-02-03"}), &[]);
    check_request(
        json!({"born": "yesterday"}),
        &[
            r#"/born: expected a string in format "date" (e.g. "2025-01-15"), found string "yesterday""#,
        ],
    );
}
