//! The mock's tests, in one binary: every operation answers conformant bodies, bad
//! requests are refused with a pointer, faults happen as scripted, a new operation of a
//! document is served without code, and the Rust client runs a whole scenario.

mod batches;
mod conformance;
mod faults;
mod refusals;
mod scenario;
mod served_from_the_document;

use serde_json::Value;
use trillet_mock::{MockConfig, MockServer};

/// The credentials every test sends.
pub const AUTH: [(&str, &str); 2] = [("x-api-key", "test-key"), ("x-workspace-id", "ws-test")];

/// A started mock on a free port.
pub async fn start(config: MockConfig) -> MockServer {
    MockServer::start(config).await.expect("the mock starts")
}

/// An answer: status, content type, body bytes.
pub struct Answer {
    /// The status.
    pub status: u16,
    /// The `content-type` header.
    pub content_type: String,
    /// Every header.
    pub headers: reqwest::header::HeaderMap,
    /// The body.
    pub body: Vec<u8>,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Sends one request with the test credentials (unless `auth` is false).
pub async fn send(
    mock: &MockServer,
    method: &str,
    path: &str,
    body: Option<(&str, Vec<u8>)>,
    extra_headers: &[(&str, &str)],
    auth: bool,
) -> Answer {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = client.request(method, format!("{}{path}", mock.url()));
    if auth {
        for (name, value) in AUTH {
            request = request.header(name, value);
        }
    }
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    if let Some((content_type, bytes)) = body {
        request = request.header("content-type", content_type).body(bytes);
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let body = response.bytes().await.expect("a whole body").to_vec();
    Answer {
        status,
        content_type,
        headers,
        body,
    }
}

/// The Rust client, pointed at the mock.
pub fn client(mock: &MockServer) -> trillet::Client {
    trillet::Client::builder(AUTH[0].1, AUTH[1].1)
        .base_url(mock.url())
        .allow_plain_http(true)
        .retry_policy(
            trillet::retry::RetryPolicy::new()
                .with_initial_backoff(std::time::Duration::from_millis(1))
                .with_max_backoff(std::time::Duration::from_millis(5)),
        )
        .build()
        .expect("a client")
}

/// A multipart body of the given parts (name, file name, content).
pub fn form(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "mockTestBoundary42";
    let mut body = Vec::new();
    for (name, file_name, content) in parts {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes(),
        );
        if let Some(file_name) = file_name {
            body.extend_from_slice(
                format!("; filename=\"{file_name}\"\r\nContent-Type: text/csv").as_bytes(),
            );
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// The contract's example request of `operation_id`.
pub fn request_example(operation_id: &str) -> Value {
    trillet_spec::SpecValidator::embedded()
        .examples()
        .iter()
        .find(|e| {
            e.operation_id.as_deref() == Some(operation_id)
                && e.target == trillet_spec::ExampleTarget::Request
        })
        .map(|e| e.value.clone())
        .unwrap_or_else(|| panic!("{operation_id} has a request example"))
}

/// Creates an agent with the client; its id.
pub async fn create_agent(client: &trillet::Client, name: &str) -> String {
    let mut body = request_example("createAgent");
    body["name"] = Value::from(name);
    let body: trillet::types::AgentCreate = serde_json::from_value(body).expect("an AgentCreate");
    let agent = client
        .create_agent(&body)
        .await
        .expect("agent created")
        .into_inner();
    agent.id.clone()
}
