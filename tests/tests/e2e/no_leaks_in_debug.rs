//! Principle 4: the `Debug` output of generated bodies never shows a secret or a phone
//! number, because the spec marks those fields (`Secret`, `PhoneNumberText`) and
//! `cargo xtask gen` gives them hand-written types, and because the `Debug` it writes for
//! every other field that can hold text (variables, metadata, transcripts, analysis)
//! masks the phone numbers in it.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use trillet::types;
use trillet_e2e::{request_example, response_examples};

/// The properties the spec types `Secret` (their values must not show at all).
const SECRET_PROPERTIES: &[&str] = &["elevenLabsApiKey", "authToken", "token"];

/// Every phone number (a `+` and seven or more digits) and every secret value in `value`.
fn sensitive_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(text) => {
            let digits = text.chars().filter(char::is_ascii_digit).count();
            if text.starts_with('+') && digits >= 7 {
                out.push(text.clone());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| sensitive_strings(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(secret) if SECRET_PROPERTIES.contains(&key.as_str()) => {
                        out.push(secret.clone())
                    }
                    _ => sensitive_strings(v, out),
                }
            }
        }
        _ => {}
    }
}

fn check<T: DeserializeOwned + std::fmt::Debug>(label: &str, example: &Value) {
    let decoded: T =
        serde_json::from_value(example.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
    let shown = format!("{decoded:?}\n{decoded:#?}");
    let mut sensitive = Vec::new();
    sensitive_strings(example, &mut sensitive);
    assert!(
        !sensitive.is_empty(),
        "{label}: the example has nothing to hide, pick another"
    );
    for text in sensitive {
        assert!(
            !shown.contains(&text),
            "{label}: Debug shows {text:?}:\n{shown}"
        );
    }
}

#[test]
fn responses_with_phone_numbers_mask_them_in_debug() {
    for (name, example) in response_examples("sendCall", "200") {
        check::<types::SendCallResponse>(&format!("sendCall {name}"), &example);
    }
    for (name, example) in response_examples("listBatchCalls", "200") {
        check::<types::BatchCallList>(&format!("listBatchCalls {name}"), &example);
    }
    for (name, example) in response_examples("getBatchProgress", "200") {
        check::<types::BatchProgress>(&format!("getBatchProgress {name}"), &example);
    }
    for (name, example) in response_examples("listActiveCalls", "200") {
        check::<types::ActiveCallList>(&format!("listActiveCalls {name}"), &example);
    }
}

#[test]
fn request_bodies_with_secrets_hide_them_in_debug() {
    check::<types::AgentUpdate>(
        "updateAgent premiumVoice",
        &request_example("updateAgent", "premiumVoice"),
    );
    check::<types::RegisterExternalNumberRequest>(
        "registerExternalNumber twilio",
        &request_example("registerExternalNumber", "twilio"),
    );
}

/// Numbers as callers, agents and CRMs write them, each with its own last seven digits.
const SPELLINGS: &[&str] = &[
    "+14155550101",
    "+1 (415) 555-0202",
    "(415) 555-0303",
    "415-555-0404",
    "415.555.0505",
    "+1.415.555.0606",
    "0044 20 7946 0707",
    "+44 20 7946 0808",
    "00447946090909",
    "4155551010",
];

/// The last seven digits of a number: what must never show, whatever is around it.
fn tail(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    digits[digits.len() - 7..].to_string()
}

/// Decodes `body` as `T` and checks that neither `{:?}` nor `{:#?}` shows any of the
/// numbers: not as written, and not their last seven digits once everything but digits
/// is taken out of the output.
fn check_masked<T: DeserializeOwned + std::fmt::Debug>(label: &str, body: Value, numbers: &[&str]) {
    let decoded: T = serde_json::from_value(body).unwrap_or_else(|e| panic!("{label}: {e}"));
    check_debug(label, &decoded, numbers);
}

fn check_debug(label: &str, value: &impl std::fmt::Debug, numbers: &[&str]) {
    for shown in [format!("{value:?}"), format!("{value:#?}")] {
        let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
        for number in numbers {
            assert!(
                !shown.contains(number),
                "{label}: Debug shows {number:?}:\n{shown}"
            );
            assert!(
                !digits.contains(&tail(number)),
                "{label}: Debug shows the digits of {number:?}:\n{shown}"
            );
        }
    }
}

#[test]
fn caller_data_in_responses_is_masked_in_debug() {
    let [a, b, c, d, e, f, g, h, i, j] = SPELLINGS else {
        unreachable!("ten spellings")
    };
    check_masked::<types::CallHistoryRecord>(
        "getCallHistory",
        json!({
            "_id": "676b8e123456789012345679",
            "toPhoneNumber": a,
            "variables": {"firstName": "Ada", "phone": b, "callback": 14155551111_u64, (*c): "keyed by number"},
            "metadata": {"crm": {"contact": d, "others": [e, {"fax": f}]}},
            "analyzedData": {"callback_number": g, "notes": format!("call me at {h} tomorrow")},
            "transcript": [
                {"role": "customer", "content": format!("my number is {i}")},
                format!("agent: noted {j}\nthanks"),
            ],
            "functionCalls": [{"name": "transfer", "arguments": format!("{{\"to\":\"{a}\"}}")}],
            "summary": format!("The caller asked to be called back on {c}."),
            "createdAt": "2025-01-15T15:00:00Z",
        }),
        &[SPELLINGS, &["14155551111"]].concat(),
    );
    check_masked::<types::ActiveCall>(
        "getActiveCall",
        json!({
            "customerPhone": a,
            "lastMessage": format!("you can reach me on {b}"),
            "transcript": [{"role": "customer", "content": format!("it is {c}, or {d}")}],
            "participants": [{"identity": format!("sip_{e}"), "metadata": {"caller": f}}],
        }),
        &[a, b, c, d, f],
    );
    check_masked::<types::BatchCallList>(
        "listBatchCalls",
        json!({
            "calls": [{
                "phone_number": a,
                "metadata": {"phone_number": a, "alt_phone": g, "note": format!("or {h}")},
                "error": format!("{i} did not answer"),
                "result": {"transcript": format!("Agent: hello\nCustomer: call {j} instead")},
            }],
        }),
        &[a, g, h, i, j],
    );
}

#[test]
fn caller_data_in_request_bodies_is_masked_in_debug() {
    let [a, b, c, ..] = SPELLINGS else {
        unreachable!("ten spellings")
    };
    let mut body =
        types::InitiateCallRequest::new("+14155559999".parse().expect("E.164"), "agent-1");
    body.dynamic_variables
        .insert("backup".into(), b.to_string());
    body.metadata.insert("crm_phone".into(), json!(c));
    body.metadata.insert("alt".into(), json!([a]));
    check_debug("initiateCall", &body, &[a, b, c, "+14155559999"]);
}
