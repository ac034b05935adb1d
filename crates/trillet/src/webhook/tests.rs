//! Signatures, secrets and events of webhooks, one behaviour per test.

use serde_json::Value;

use super::*;

const SECRET: &str = "whsec_test_secret_for_unit_tests";
const BODY: &[u8] = br#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
// Computed independently: `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`.
const HEX: &str = "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb";
const BASE64: &str = "FxKO421/+DVzycmungYRSbdhv7ckkVk0Y3tX8IzRSLs=";

fn secret(secret: &str) -> WebhookSecret {
    WebhookSecret::new(secret).expect("not blank")
}

fn check(body: &[u8], secret_text: &str, header: Option<&str>) -> Result<(), WebhookError> {
    verify(&secret(secret_text), body, header)
}

#[test]
fn known_good_signature_verifies_in_every_accepted_encoding() {
    let upper = HEX.to_uppercase();
    let prefixed = format!("sha256={HEX}");
    for header in [
        HEX,
        upper.as_str(),
        prefixed.as_str(),
        BASE64,
        " 17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb ",
    ] {
        assert_eq!(check(BODY, SECRET, Some(header)), Ok(()), "{header}");
    }
}

#[test]
fn tampered_body_is_refused() {
    let tampered = String::from_utf8_lossy(BODY).replace("125", "126");
    assert_eq!(
        check(tampered.as_bytes(), SECRET, Some(HEX)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn wrong_secret_is_refused() {
    assert_eq!(
        check(BODY, "whsec_another_secret", Some(HEX)),
        Err(WebhookError::SignatureMismatch)
    );
}

#[test]
fn malformed_or_missing_headers_are_refused_without_panicking() {
    assert_eq!(
        check(BODY, SECRET, None),
        Err(WebhookError::MissingSignature)
    );
    let short = &HEX[..62];
    let long = format!("{HEX}00");
    for header in [
        "",
        "sha256=",
        "not-a-signature",
        short,
        long.as_str(),
        "zz128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb",
        "c2hvcnQ=",
    ] {
        assert_eq!(
            check(BODY, SECRET, Some(header)),
            Err(WebhookError::MalformedSignature),
            "{header:?}"
        );
    }
}

#[test]
fn verified_call_event_is_typed() {
    let event = verify_and_parse(&secret(SECRET), BODY, Some(HEX)).expect("valid");
    let WebhookEvent::CallCompleted(call) = &event else {
        panic!("not call.completed: {event:?}")
    };
    assert_eq!(call.call_id.as_deref(), Some("call_xyz789"));
    assert_eq!(call.agent_id.as_deref(), Some("agent_123abc"));
    assert_eq!(call.duration, Some(125.0));
    assert_eq!(event.event_type(), "call.completed");
}

#[test]
fn unknown_event_types_and_odd_payloads_still_parse() {
    let cases: [(&str, &str); 4] = [
        (
            r#"{"event":"call.transferred","data":{"callId":"c1"}}"#,
            "call.transferred",
        ),
        (
            r#"{"event":"call.completed","data":"not an object"}"#,
            "call.completed",
        ),
        (r#"{"event":"sms.sent"}"#, "sms.sent"),
        (
            r#"{"event":"agent.created","data":{"agentId":"a1","brandNew":true}}"#,
            "agent.created",
        ),
    ];
    for (body, event_type) in cases {
        let event = WebhookEvent::from_json(body.as_bytes()).expect(body);
        assert_eq!(event.event_type(), event_type, "{body}");
    }
    let extra = WebhookEvent::from_json(
        br#"{"event":"call.started","data":{"callId":"c2","region":"eu"}}"#,
    )
    .expect("parses");
    let WebhookEvent::CallStarted(call) = extra else {
        panic!("typed")
    };
    assert_eq!(call.extra.get("region"), Some(&Value::from("eu")));
}

#[test]
fn bodies_that_are_not_events_are_invalid_payloads() {
    for body in [&b"not json"[..], b"{}", b"[]", b"{\"event\": 5}"] {
        assert!(matches!(
            WebhookEvent::from_json(body),
            Err(WebhookError::InvalidPayload(_))
        ));
    }
}

#[test]
fn debug_of_the_secret_hides_it() {
    let shown = format!("{:?}", secret(SECRET));
    assert!(!shown.contains("whsec_test"), "{shown}");
}

fn check_secret(input: &str, expected: Result<(), WebhookSecretError>) {
    assert_eq!(WebhookSecret::new(input).map(|_| ()), expected, "{input:?}");
}

#[test]
fn empty_or_blank_secrets_are_refused_at_construction() {
    check_secret("", Err(WebhookSecretError::Blank));
    check_secret(" ", Err(WebhookSecretError::Blank));
    check_secret("\t\r\n", Err(WebhookSecretError::Blank));
    check_secret(SECRET, Ok(()));
    check_secret("x", Ok(()));
    let message = WebhookSecretError::Blank.to_string();
    assert!(
        message.contains("whsec_") && message.contains("TRILLET_WEBHOOK_SECRET"),
        "{message}"
    );
}

fn check_env(value: Result<&str, std::env::VarError>, expected: Result<(), WebhookSecretError>) {
    let secret = WebhookSecret::from_env_value(value.clone().map(str::to_string));
    assert_eq!(secret.map(|_| ()), expected, "{value:?}");
}

#[test]
fn from_env_refuses_an_unset_empty_or_garbled_variable_and_trims_a_good_one() {
    check_env(
        Err(std::env::VarError::NotPresent),
        Err(WebhookSecretError::EnvNotSet),
    );
    check_env(Ok(""), Err(WebhookSecretError::EnvEmpty));
    check_env(Ok("  \n"), Err(WebhookSecretError::EnvEmpty));
    check_env(
        Err(std::env::VarError::NotUnicode(std::ffi::OsString::new())),
        Err(WebhookSecretError::EnvNotUnicode),
    );
    check_env(Ok(SECRET), Ok(()));
    // A line break from `echo >> .env` is not part of the key.
    let trimmed = WebhookSecret::from_env_value(Ok(format!("{SECRET}\n"))).expect("a secret");
    assert_eq!(verify(&trimmed, BODY, Some(HEX)), Ok(()));
    assert_eq!(
        WebhookSecretError::EnvNotSet.to_string(),
        "environment variable TRILLET_WEBHOOK_SECRET is not set: set it to the whsec_... secret from \
         the Trillet dashboard"
    );
}

#[test]
fn several_signatures_in_one_header_pass_when_any_matches() {
    const OTHER: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    let eight_with_the_good_one_last = format!("{}{HEX}", format!("{OTHER},").repeat(7));
    let nine_with_the_good_one_first = format!("{HEX}{}", format!(",{OTHER}").repeat(8));
    let too_long = format!("{HEX},{}", " ".repeat(MAX_SIGNATURE_HEADER_LEN));
    let cases: &[(&str, Result<(), WebhookError>)] = &[
        (&format!("{OTHER},{HEX}"), Ok(())),
        (&format!("{HEX}, {OTHER}"), Ok(())),
        (&format!("sha256={OTHER} , {BASE64}"), Ok(())),
        (&format!(",{HEX},,"), Ok(())),
        (&eight_with_the_good_one_last, Ok(())),
        (
            &format!("{OTHER},{OTHER}"),
            Err(WebhookError::SignatureMismatch),
        ),
        (
            &nine_with_the_good_one_first,
            Err(WebhookError::MalformedSignature),
        ),
        (&too_long, Err(WebhookError::MalformedSignature)),
        (
            &format!("{HEX},not-a-signature"),
            Err(WebhookError::MalformedSignature),
        ),
        (
            &format!("t=1700000000,{HEX}"),
            Err(WebhookError::MalformedSignature),
        ),
        (
            &format!("{HEX} {HEX}"),
            Err(WebhookError::MalformedSignature),
        ),
        (" , ,", Err(WebhookError::MalformedSignature)),
    ];
    for (header, expected) in cases {
        assert_eq!(&check(BODY, SECRET, Some(header)), expected, "{header:?}");
    }
}

#[test]
fn invalid_payload_messages_show_nothing_of_the_body() {
    for (body, expected) in [
        (
            &br#"{"event": 4155551234, "data": {}}"#[..],
            "the body is not an object with a string `event` and a `data` (line 1, column 20)",
        ),
        (
            b"call +14155551234",
            "the body is not JSON (line 1, column 1)",
        ),
        (
            br#"{"event": "+14155"#,
            "the body ends before its JSON does (line 1, column 17)",
        ),
    ] {
        let error = WebhookEvent::from_json(body).expect_err("not an event");
        assert_eq!(error, WebhookError::InvalidPayload(expected.to_string()));
    }
}

#[test]
fn debug_of_events_shows_free_form_keys_not_values() {
    let check_debug = |body: &str, expected: &str| {
        let event = WebhookEvent::from_json(body.as_bytes()).expect(body);
        assert_eq!(format!("{event:?}"), expected, "{body}");
    };
    check_debug(
        r#"{"event":"call.completed","data":{"callId":"c1","status":"completed","from":"+14155551234","tags":["a",2,true,null],"caller":{"name":"Ada"}}}"#,
        r#"CallCompleted(CallEventData { call_id: Some("c1"), agent_id: None, duration: None, status: Some("completed"), extra: {"caller": {"name": <string>}, "from": <string>, "tags": [<string>, <number>, true, null]} })"#,
    );
    check_debug(
        r#"{"event":"sms.sent","data":{"to":"415-555-1234","+1 (415) 555-1234":"Ada"}}"#,
        r#"SmsSent({"+1 (***) ***-*234": <string>, "to": <string>})"#,
    );
    check_debug(
        r#"{"event":"call.transferred","data":["+14155551234"]}"#,
        r#"Other { event: "call.transferred", data: [<string>] }"#,
    );
}
