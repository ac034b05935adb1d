//! Tests of `report`.
use super::*;
use serde_json::json;

#[test]
fn reports_mask_phone_numbers_as_the_client_does() {
    // The rules and every spelling are trillet-redact's; this is the same function.
    assert_eq!(mask_phone_numbers("+1 (415) 555-1234"), "+1 (***) ***-*234");
    assert_eq!(mask_phone_numbers("2025-01-15"), "2025-01-15");
}

fn check_describe(value: Value, expected: &str) {
    assert_eq!(describe(&value), expected);
}

#[test]
fn found_shows_type_and_short_masked_value() {
    check_describe(json!(null), "null");
    check_describe(json!(true), "boolean true");
    check_describe(json!(5), "integer 5");
    check_describe(json!(1.5), "number 1.5");
    check_describe(json!("sideways"), "string \"sideways\"");
    check_describe(json!("+1234567890"), "string \"+1******890\"");
    check_describe(
        json!({"to": "+14155551234"}),
        "object {\"to\":\"+1*******234\"}",
    );
    check_describe(json!(14155551234_u64), "integer 1*******234");
    check_describe(
        json!({"to": 14155551234_u64}),
        "object {\"to\":1*******234}",
    );
    check_describe(json!("to\n+14155551234"), "string \"to\\n+1*******234\"");
    check_describe(
        json!("x".repeat(100)),
        &format!("string \"{}...", "x".repeat(59)),
    );
}

#[test]
fn pointers_mask_phone_number_keys() {
    assert_eq!(mask_pointer("/vars/+14155551234"), "/vars/+1*******234");
    assert_eq!(mask_pointer("/a~1b/0"), "/a~1b/0");
    assert_eq!(mask_pointer(""), "");
}

#[test]
fn misspellings_find_the_meant_property() {
    let allowed = vec!["hipaaCompliance".to_owned(), "publicAccess".to_owned()];
    assert_eq!(closest("hipaa_compliance", &allowed), Some(&allowed[0]));
    assert_eq!(closest("publicacess", &allowed), Some(&allowed[1]));
    assert_eq!(closest("zzz", &allowed), None);
}
