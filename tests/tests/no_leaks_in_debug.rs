//! Principle 4: the `Debug` output of generated bodies never shows a secret or a phone
//! number, because the spec marks those fields (`Secret`, `PhoneNumberText`) and
//! `cargo xtask gen` gives them hand-written types.

use serde::de::DeserializeOwned;
use serde_json::Value;
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
