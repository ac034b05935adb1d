//! The unknown-property lint of request bodies (`SpecValidator::lint_request`), against
//! `tests/fixtures/lint.yaml`: what is linted, where, and why.

use crate::common;

use serde_json::{json, Value};
use trillet_spec::{LintReason, SpecValidator, ValidationError};

fn spec() -> &'static SpecValidator {
    common::kennels()
}

/// Lints `body` as a request of `operation` and compares the one-line lints.
fn check(operation: &str, body: Value, expected: &[&str]) {
    let lints = spec()
        .lint_request(operation, &body)
        .unwrap_or_else(|error| panic!("{operation}: {error}"));
    let lines: Vec<String> = lints.iter().map(ToString::to_string).collect();
    assert_eq!(lines, expected, "{operation} {body}");
}

#[test]
fn a_misspelled_property_gets_a_did_you_mean() {
    check(
        "createKennel",
        json!({"name": "Barks", "nam": "Barks"}),
        &[r#"/nam: unknown property "nam"; did you mean "name"?"#],
    );
    // Case, `_` and `-` do not count, as in the validator's reports.
    check(
        "createKennel",
        json!({"name": "Barks", "Dogs": []}),
        &[r#"/Dogs: unknown property "Dogs"; did you mean "dogs"?"#],
    );
    // The body need not be valid: here `name` is missing, and the lint says why.
    check(
        "createKennel",
        json!({"nam": "Barks"}),
        &[r#"/nam: unknown property "nam"; did you mean "name"?"#],
    );
}

#[test]
fn a_name_close_to_nothing_lists_the_names_known_there() {
    // `code` is readOnly in the request schema: known, but never offered.
    let known =
        r#"known here: "caretakers", "dogs", "extras", "labels", "name", "notes", "settings""#;
    check(
        "createKennel",
        json!({"name": "Barks", "zzz": 1}),
        &[&format!(r#"/zzz: unknown property "zzz"; {known}"#)],
    );
    check(
        "createKennel",
        json!({"name": "Barks", "cod": "x"}),
        &[&format!(r#"/cod: unknown property "cod"; {known}"#)],
    );
}

#[test]
fn read_only_fields_of_the_response_say_so() {
    let read_only = "read-only (readOnly in the response): the server sets it, do not send it";
    check(
        "createKennel",
        json!({"name": "Barks", "_id": "k1", "createdAt": "2025-01-15T15:00:00Z", "ownerId": "o1"}),
        &[
            &format!(r#"/_id: unknown property "_id"; {read_only}"#),
            &format!(r#"/createdAt: unknown property "createdAt"; {read_only}"#),
            // readOnly through a `$ref` to a readOnly schema.
            &format!(r#"/ownerId: unknown property "ownerId"; {read_only}"#),
        ],
    );
}

#[test]
fn a_get_sent_back_as_an_update_names_the_500_of_live_traffic() {
    let l2 = "read-only: the server answers 500 when a GET is sent back as a PUT \
              (live traffic, see CURATION L2)";
    check(
        "updateKennel",
        json!({
            "_id": "k1", "workspaceId": "w1", "status": "open", "createdAt": "2025-01-15T15:00:00Z",
            "updatedAt": "2025-01-15T15:00:00Z", "__v": 0, "ownerId": "o1", "name": "Barks"
        }),
        &[
            &format!(r#"/__v: unknown property "__v"; {l2}"#),
            &format!(r#"/_id: unknown property "_id"; {l2}"#),
            &format!(r#"/createdAt: unknown property "createdAt"; {l2}"#),
            // Not one of the fields live traffic names, but readOnly in the response.
            r#"/ownerId: unknown property "ownerId"; read-only (readOnly in the response): the server sets it, do not send it"#,
            &format!(r#"/status: unknown property "status"; {l2}"#),
            &format!(r#"/updatedAt: unknown property "updatedAt"; {l2}"#),
            &format!(r#"/workspaceId: unknown property "workspaceId"; {l2}"#),
        ],
    );
    // Only at the root of an update: a create, or a nested object, is linted as usual.
    check(
        "createKennel",
        json!({"name": "Barks", "status": "open"}),
        &[
            r#"/status: unknown property "status"; known here: "caretakers", "dogs", "extras", "labels", "name", "notes", "settings""#,
        ],
    );
    check(
        "updateKennel",
        json!({"dogs": [{"name": "Rex", "status": "sleeping"}]}),
        &[r#"/dogs/0/status: unknown property "status"; known here: "collar", "name", "tags""#],
    );
}

#[test]
fn the_other_pages_spelling_says_which_page_uses_which() {
    check(
        "updateKennel",
        json!({"settings": {"callSettings": {"maxCallDuration": 600}}}),
        &[
            r#"/settings/callSettings: unknown property "callSettings"; it is createKennel's key (the create page): updateKennel (the update page) uses "callSetting" here"#,
        ],
    );
    check(
        "createKennel",
        json!({"name": "Barks", "settings": {"callSetting": {}}}),
        &[
            r#"/settings/callSetting: unknown property "callSetting"; it is updateKennel's key (the update page): createKennel (the create page) uses "callSettings" here"#,
        ],
    );
    // Not close at all, but the one name each page has that the other lacks.
    check(
        "createKennel",
        json!({"name": "Barks", "settings": {"security": {"hipaaCompliance": true}}}),
        &[
            r#"/settings/security/hipaaCompliance: unknown property "hipaaCompliance"; it is updateKennel's key (the update page): createKennel (the create page) uses "securityOptOut" here"#,
        ],
    );
    // A key only the other page has, with no counterpart here.
    check(
        "createKennel",
        json!({"name": "Barks", "settings": {"retention": 30}}),
        &[
            r#"/settings/retention: unknown property "retention"; it is updateKennel's key (the update page), not createKennel's (the create page)"#,
        ],
    );
}

#[test]
fn nested_objects_and_arrays_are_linted() {
    check(
        "createKennel",
        json!({"name": "Barks", "dogs": [
            {"name": "Rex"},
            {"name": "Fido", "collar": {"colour": "red"}},
            {"name": "Ace", "collar": null, "tags": ["old"]}
        ]}),
        &[r#"/dogs/1/collar/colour: unknown property "colour"; did you mean "color"?"#],
    );
    check(
        "updateKennel",
        json!({"settings": {"callSetting": {"maxCallDurration": 600}}}),
        &[
            r#"/settings/callSetting/maxCallDurration: unknown property "maxCallDurration"; did you mean "maxCallDuration"?"#,
        ],
    );
    check(
        "bookWalk",
        json!({"dog": "Rex", "stops": [[{"place": "park"}, {"plac": "river"}]]}),
        &[r#"/stops/0/1/plac: unknown property "plac"; did you mean "place"?"#],
    );
}

#[test]
fn all_of_knows_the_properties_of_every_part() {
    check(
        "bookWalk",
        json!({"dog": "Rex", "minutes": 30, "route": "park", "rout": "river"}),
        &[r#"/rout: unknown property "rout"; did you mean "route"?"#],
    );
    check(
        "bookWalk",
        json!({"dog": "Rex", "zzz": 1}),
        &[
            r#"/zzz: unknown property "zzz"; known here: "dog", "leash", "minutes", "route", "sitter", "stops", "walker""#,
        ],
    );
    // A nullable `allOf` around a `$ref`.
    check(
        "bookWalk",
        json!({"dog": "Rex", "sitter": {"nam": "Ann"}}),
        &[r#"/sitter/nam: unknown property "nam"; did you mean "name"?"#],
    );
    check("bookWalk", json!({"dog": "Rex", "sitter": null}), &[]);
}

#[test]
fn one_of_and_any_of_know_the_properties_of_the_branches_the_value_matches() {
    // A rope (Chain needs `links` and `gauge`).
    check(
        "bookWalk",
        json!({"dog": "Rex", "leash": {"length": 2, "materail": "hemp"}}),
        &[r#"/leash/materail: unknown property "materail"; did you mean "material"?"#],
    );
    // `links` is a Chain's, but this value is a rope.
    check(
        "bookWalk",
        json!({"dog": "Rex", "leash": {"length": 2, "links": 3}}),
        &[r#"/leash/links: unknown property "links"; known here: "length", "material""#],
    );
    // Both branches match (the body is invalid: a `oneOf`), so both branches' names count.
    check(
        "bookWalk",
        json!({"dog": "Rex", "leash": {"length": 2, "links": 3, "gauge": 1}}),
        &[],
    );
    // `anyOf` of a string and an object: an object is linted against the object.
    check(
        "bookWalk",
        json!({"dog": "Rex", "walker": {"name": "Ann", "phon": "+14155551234"}}),
        &[r#"/walker/phon: unknown property "phon"; did you mean "phone"?"#],
    );
    check("bookWalk", json!({"dog": "Rex", "walker": "Ann"}), &[]);
}

#[test]
fn free_form_maps_are_never_linted() {
    check(
        "createKennel",
        json!({
            "name": "Barks",
            "labels": {"anything": "goes"},
            "extras": {"a": {"b": [1, {"c": 2}]}},
            "notes": {"x": 1}
        }),
        &[],
    );
    // The values of a map are linted when their schema is closed.
    check(
        "createKennel",
        json!({"name": "Barks", "caretakers": {"ann": {"name": "Ann", "phon": "x"}}}),
        &[r#"/caretakers/ann/phon: unknown property "phon"; did you mean "phone"?"#],
    );
}

#[test]
fn phone_numbers_are_masked_in_pointers_names_and_suggestions() {
    let known =
        r#"known here: "caretakers", "dogs", "extras", "labels", "name", "notes", "settings""#;
    check(
        "createKennel",
        json!({"name": "Barks", "+14155551234": "x"}),
        &[&format!(
            r#"/+1*******234: unknown property "+1*******234"; {known}"#
        )],
    );
    check(
        "createKennel",
        json!({"name": "Barks", "caretakers": {"+1 415 555 1234": {"phon": "x"}}}),
        &[r#"/caretakers/+1 *** *** *234/phon: unknown property "phon"; did you mean "phone"?"#],
    );
    let lints = spec()
        .lint_request("createKennel", &json!({"name": "B", "14155551234": 1}))
        .expect("a JSON body");
    assert_eq!(lints[0].pointer, "/1*******234");
    assert_eq!(lints[0].property, "1*******234");
    assert!(matches!(lints[0].reason, LintReason::Unknown { .. }));
}

#[test]
fn a_clean_body_and_what_cannot_be_linted() {
    check(
        "createKennel",
        json!({"name": "Barks", "settings": {"callSettings": {"maxCallDuration": 600}}}),
        &[],
    );
    check("createKennel", json!([{"nam": 1}]), &[]);
    assert!(matches!(
        spec().lint_request("createKenel", &json!({})),
        Err(ValidationError::UnknownOperation { .. })
    ));
    assert!(matches!(
        spec().lint_request("getKennel", &json!({})),
        Err(ValidationError::NoRequestBody { .. })
    ));
}

#[test]
fn inline_request_examples_are_linted_and_responses_are_not() {
    let spec = spec();
    let lints: Vec<String> = spec
        .examples()
        .iter()
        .flat_map(|example| {
            spec.lint_example(example)
                .into_iter()
                .map(move |lint| format!("{} {lint}", example.location))
        })
        .collect();
    assert_eq!(
        lints,
        [
            r#"/paths/~1kennels/post/requestBody/content/application~1json/examples/typo /dog: unknown property "dog"; did you mean "dogs"?"#,
            r#"/components/schemas/Collar/example /sise: unknown property "sise"; did you mean "size"?"#,
        ]
    );
}
