//! Property tests: whatever a server answers or a user passes, the error-body decoder and
//! the spec validator return a value or a clean error, never a panic.

use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde_json::{Map, Number, Value};
use trillet::ApiError;
use trillet_e2e::spec;

/// Any JSON value, a few levels deep, with keys the API uses so that the decoders and
/// schemas go past their first checks.
fn json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("error".to_string()),
        Just("message".to_string()),
        Just("details".to_string()),
        Just("code".to_string()),
        Just("status".to_string()),
        Just("reset_at".to_string()),
        Just("toNumber".to_string()),
        Just("agentId".to_string()),
        Just("name".to_string()),
        Just("ttsModel".to_string()),
        "\\PC{0,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,24}".prop_map(Value::String),
        "\\+[0-9]{6,17}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn operation_id() -> impl Strategy<Value = String> {
    let known: Vec<String> = spec().operation_ids().map(str::to_string).collect();
    prop_oneof![prop::sample::select(known), "\\PC{0,12}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn error_bodies_of_any_bytes_decode_to_a_one_line_message(
        status in 100u16..1000,
        body in prop::collection::vec(any::<u8>(), 0..300),
        request_id in proptest::option::of("[ -~]{0,40}"),
    ) {
        let status = StatusCode::from_u16(status).expect("100..1000 are valid statuses");
        let mut headers = HeaderMap::new();
        if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
            headers.insert("x-request-id", id);
        }
        let error = ApiError::from_parts(status, &headers, &body);
        let message = error.to_string();
        prop_assert!(!message.contains('\n'), "{}", message);
        let _ = format!("{error:?}");
    }

    #[test]
    fn error_bodies_of_any_json_decode_to_a_one_line_message(status in 400u16..600, body in json()) {
        let status = StatusCode::from_u16(status).expect("valid status");
        let bytes = serde_json::to_vec(&body).expect("JSON encodes");
        let error = ApiError::from_parts(status, &HeaderMap::new(), &bytes);
        prop_assert!(!error.to_string().contains('\n'));
        prop_assert!(!error.message().is_empty());
    }

    #[test]
    fn the_validator_judges_any_json_for_any_operation(operation in operation_id(), body in json(), status in 100u16..600) {
        let _ = spec().validate_request(&operation, &body).map_err(|error| error.to_string());
        let _ = spec().validate_response(&operation, status, &body).map_err(|error| error.to_string());
    }
}
