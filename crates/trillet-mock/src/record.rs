//! The record of every request the mock received (`GET /__mock/requests`), with secrets
//! and phone numbers masked, so that a test can assert what its client sent.

use serde_json::{json, Map, Value};

/// The most requests kept; older ones are dropped first.
pub const MAX_RECORDED: usize = 10_000;

/// Headers whose values are never shown (credentials, the workspace id, signatures).
const SECRET_HEADERS: [&str; 6] = [
    "x-api-key",
    "x-workspace-id",
    "authorization",
    "cookie",
    "proxy-authorization",
    "x-trillet-signature",
];

/// One request as received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// Its position, from 1.
    pub seq: u64,
    /// The method.
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, phone numbers masked.
    pub query: String,
    /// The operation it matched, if any.
    pub operation_id: Option<String>,
    /// The headers, secrets replaced by `***` and phone numbers masked.
    pub headers: Map<String, Value>,
    /// The body: JSON as sent (phone numbers masked), the form fields of a multipart body,
    /// or `null`.
    pub body: Value,
    /// The status answered (0 for a connection reset).
    pub status: u16,
    /// The fault injected, as written.
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The record as JSON, for `GET /__mock/requests`.
    pub fn to_json(&self) -> Value {
        json!({
            "seq": self.seq,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "operationId": self.operation_id,
            "headers": self.headers,
            "body": self.body,
            "status": self.status,
            "fault": self.fault,
        })
    }
}

/// The headers of a request as recorded: names lower case, secrets hidden, phone numbers
/// masked.
pub fn masked_headers<'a>(headers: impl Iterator<Item = (&'a str, &'a str)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (name, value) in headers {
        let name = name.to_ascii_lowercase();
        let shown = if SECRET_HEADERS.contains(&name.as_str()) {
            "***".to_owned()
        } else {
            trillet_redact::mask_phone_numbers(value).into_owned()
        };
        out.insert(name, Value::String(shown));
    }
    out
}

/// A JSON value with every phone number in its strings masked (keys too).
pub fn masked_json(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(trillet_redact::mask_phone_numbers(s).into_owned()),
        Value::Array(items) => Value::Array(items.iter().map(masked_json).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| {
                    (
                        trillet_redact::mask_phone_numbers(k).into_owned(),
                        masked_json(v),
                    )
                })
                .collect(),
        ),
        // A phone number sent as a JSON number (a common mistake) is masked too.
        Value::Number(n) if n.as_u64().is_some_and(|v| v >= 1_000_000) => {
            Value::String(trillet_redact::mask_phone_number(&n.to_string()))
        }
        other => other.clone(),
    }
}
