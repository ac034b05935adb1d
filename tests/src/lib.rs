//! Helpers of the end-to-end tests: a [`Harness`] (an httpmock server and a client pointed
//! at it), expectations taken from the spec itself ([`Expect`]), mocks answering in turn
//! ([`answers`]), the fast clock of the tests that wait ([`clock`]), the process's log
//! capture ([`logs`]), a scripted misbehaving server ([`fault_server`]), and the JSON
//! comparisons of the round-trip checks ([`lost_fields`]).
//!
//! Everything about an operation (method, path, response example) is read from the
//! embedded spec through `trillet_spec`, never copied into a test.

pub mod answers;
pub mod clock;
pub mod fault_server;
pub mod logs;

use std::sync::{Arc, Mutex, OnceLock};

use httpmock::{HttpMockRequest, Mock, MockServer};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use trillet::Client;
use trillet_spec::{ExampleTarget, SpecValidator, EMBEDDED_DOCUMENT};

/// The API key every test client sends.
pub const API_KEY: &str = "test-key-5f0c1e";
/// The workspace id every test client sends.
pub const WORKSPACE_ID: &str = "6764d172953253138a3a70f4";

/// The spec's validator.
pub fn spec() -> &'static SpecValidator {
    SpecValidator::embedded()
}

/// The workspace's `README.md`, as the tests that check its tables read it (the one place
/// a test reads README text).
pub fn readme() -> &'static str {
    include_str!("../../README.md")
}

/// Whether `error` is the client refusing a request before sending it (a bad argument, a
/// file over the limit, extras it cannot merge). The one place the tests name the
/// variant: `trillet::Error::InvalidArgument`.
pub fn is_refused_before_sending(error: &trillet::Error) -> bool {
    matches!(error, trillet::Error::InvalidArgument(_))
}

/// The spec as JSON.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_norway::from_str(EMBEDDED_DOCUMENT).expect("the embedded spec is YAML")
    })
}

/// Method (upper case) and path template of an operation, from the spec.
pub fn operation(operation_id: &str) -> (String, String) {
    let paths = document()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                return (method.to_uppercase(), path.clone());
            }
        }
    }
    panic!("no operation {operation_id} in the spec")
}

/// The concrete path of an operation of the spec, its parameters filled in order.
pub fn path_of(operation_id: &str, values: &[&str]) -> String {
    let (_, template) = operation(operation_id);
    let mut path = String::new();
    let mut rest = template.as_str();
    let mut values = values.iter();
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        path.push_str(values.next().unwrap_or_else(|| {
            panic!("{operation_id}: a value for every parameter of {template}")
        }));
        let end = rest.find('}').expect("a closing brace");
        rest = &rest[end + 1..];
    }
    assert!(
        values.next().is_none(),
        "{operation_id}: more values than the parameters of {template}"
    );
    path.push_str(rest);
    path
}

/// A client builder with [`API_KEY`] and [`WORKSPACE_ID`], pointed at `base_url`.
pub fn client_builder(base_url: impl Into<String>) -> trillet::ClientBuilder {
    Client::builder(API_KEY, WORKSPACE_ID).base_url(base_url)
}

/// The operation's documented success status (its one `2XX` response; `201` for
/// `createFlowFolder`, `200` for the others).
pub fn success_status(operation_id: &str) -> u16 {
    let (method, path) = operation(operation_id);
    let responses = document()["paths"][path.as_str()][method.to_lowercase().as_str()]["responses"]
        .as_object()
        .expect("responses");
    let mut success = responses
        .keys()
        .filter_map(|k| k.parse::<u16>().ok())
        .filter(|s| (200..300).contains(s));
    let status = success
        .next()
        .unwrap_or_else(|| panic!("{operation_id}: no success response"));
    assert!(
        success.next().is_none(),
        "{operation_id}: more than one success response"
    );
    status
}

/// The names of the JSON examples of the operation's success response.
pub fn success_example_names(operation_id: &str) -> Vec<String> {
    let status = success_status(operation_id).to_string();
    response_examples(operation_id, &status)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The `example` of each query parameter of an operation, as sent in a URL (strings as
/// they are, numbers in decimal), in document order; `$ref`s to
/// `#/components/parameters` are followed.
pub fn query_examples(operation_id: &str) -> Vec<(String, String)> {
    let (method, path) = operation(operation_id);
    let item = &document()["paths"][path.as_str()];
    let parameters = item["parameters"]
        .as_array()
        .into_iter()
        .chain(item[method.to_lowercase().as_str()]["parameters"].as_array())
        .flatten();
    let mut examples = Vec::new();
    for parameter in parameters {
        let parameter = match parameter["$ref"].as_str() {
            Some(reference) => document()
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{reference} points at nothing")),
            None => parameter,
        };
        if parameter["in"] != "query" {
            continue;
        }
        let name = parameter["name"].as_str().expect("a name").to_string();
        let value = match &parameter["example"] {
            Value::String(text) => text.clone(),
            Value::Null => panic!("{operation_id}: query parameter {name} has no example"),
            other => other.to_string(),
        };
        examples.push((name, value));
    }
    examples
}

/// JSON pointer escaping of one token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Where an operation's examples live: `/paths/<path>/<method>`.
fn operation_pointer(operation_id: &str) -> String {
    let (method, path) = operation(operation_id);
    format!("/paths/{}/{}", escape(&path), method.to_lowercase())
}

/// An example as (its name, the last segment of its location; its value).
fn named(example: &trillet_spec::Example) -> (String, Value) {
    let name = example.location.rsplit('/').next().unwrap_or_default();
    (name.to_string(), example.value.clone())
}

/// The spec's JSON examples of an operation's response with this status key, by name.
pub fn response_examples(operation_id: &str, status: &str) -> Vec<(String, Value)> {
    let prefix = format!("{}/responses/{status}/", operation_pointer(operation_id));
    spec()
        .examples()
        .iter()
        .filter(|e| e.location.starts_with(&prefix))
        .filter(|e| matches!(&e.target, ExampleTarget::Response { status: s } if s == status))
        .map(named)
        .collect()
}

/// The spec's JSON request examples of an operation, by name.
pub fn request_examples(operation_id: &str) -> Vec<(String, Value)> {
    let prefix = format!("{}/requestBody/", operation_pointer(operation_id));
    spec()
        .examples()
        .iter()
        .filter(|e| e.location.starts_with(&prefix) && e.target == ExampleTarget::Request)
        .map(named)
        .collect()
}

/// One named request example of an operation.
pub fn request_example(operation_id: &str, name: &str) -> Value {
    request_examples(operation_id)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{operation_id} has no request example {name}"))
        .1
}

/// A raw example value of the document at a JSON pointer (e.g. multipart and CSV
/// examples, which `trillet_spec` does not list).
pub fn example_at(pointer: &str) -> Value {
    document()
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer}"))
        .clone()
}

/// An httpmock server and a client of it.
pub struct Harness {
    /// The mock server.
    pub server: MockServer,
    /// A client with [`API_KEY`] and [`WORKSPACE_ID`], pointed at the server.
    pub client: Client,
}

impl Harness {
    /// Starts a server and its client, which sends every request once (no retries).
    pub async fn start() -> Harness {
        let server = MockServer::start_async().await;
        // Each mock here answers once: retries have their own tests (`tests/e2e/retries.rs`).
        let client = client_builder(server.base_url())
            .max_retries(0)
            .build()
            .expect("client");
        Harness { server, client }
    }

    /// Mocks `route`, answering with `answers` in turn ([`answers::answer_in_turn`]).
    pub async fn answer_in_turn(
        &self,
        route: &answers::Route,
        answers: Vec<answers::Answer>,
    ) -> answers::Answered<'_> {
        answers::answer_in_turn(&self.server, route, answers).await
    }

    /// Mocks one operation as `expect` describes; the returned [`Expectation`] checks what
    /// the client sent.
    pub async fn expect(&self, expect: Expect) -> Expectation<'_> {
        let (method, template) = operation(&expect.operation_id);
        let mut path = template.clone();
        for (name, value) in &expect.path_params {
            path = path.replace(&format!("{{{name}}}"), value);
        }
        assert!(
            !path.contains('{'),
            "{}: path parameters missing in {path}",
            expect.operation_id
        );
        let (status, body, content_type) = match &expect.response {
            Response::Example(name) => {
                let status = success_status(&expect.operation_id);
                let examples = response_examples(&expect.operation_id, &status.to_string());
                let value = match name {
                    Some(name) => examples
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone()),
                    None => examples.first().map(|(_, v)| v.clone()),
                }
                .unwrap_or_else(|| panic!("{}: no {status} example {name:?}", expect.operation_id));
                (status, value.to_string(), "application/json")
            }
            Response::Raw {
                status,
                body,
                content_type,
            } => (*status, body.clone(), *content_type),
        };
        let captured: Arc<Mutex<Vec<HttpMockRequest>>> = Arc::default();
        let sink = captured.clone();
        let mock = self
            .server
            .mock_async(|when, then| {
                when.method(method.as_str())
                    .path(path.as_str())
                    .header("x-api-key", API_KEY)
                    .header("x-workspace-id", WORKSPACE_ID)
                    .is_true(move |request| {
                        sink.lock().expect("lock").push(request.clone());
                        true
                    });
                then.status(status)
                    .header("content-type", content_type)
                    .body(body.as_str());
            })
            .await;
        Expectation {
            expect,
            mock,
            captured,
            response_body: body,
        }
    }
}

/// What a test expects of one call.
#[derive(Debug, Clone)]
pub struct Expect {
    operation_id: String,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Body,
    response: Response,
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    Multipart(Vec<ExpectedPart>),
}

#[derive(Debug, Clone)]
enum Response {
    Example(Option<String>),
    Raw {
        status: u16,
        body: String,
        content_type: &'static str,
    },
}

/// A part of a multipart body.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedPart {
    /// Its form field name.
    pub name: String,
    /// Its `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// Its content, as text.
    pub text: String,
}

impl Expect {
    /// A call of this operation, answered with its first success example, without body
    /// or query.
    pub fn op(operation_id: &str) -> Expect {
        Expect {
            operation_id: operation_id.to_string(),
            path_params: Vec::new(),
            query: Vec::new(),
            body: Body::None,
            response: Response::Example(None),
        }
    }

    /// The value of a path parameter.
    pub fn path(mut self, name: &str, value: &str) -> Expect {
        self.path_params.push((name.to_string(), value.to_string()));
        self
    }

    /// A query parameter the request must carry (all of them, no others).
    pub fn query(mut self, name: &str, value: &str) -> Expect {
        self.query.push((name.to_string(), value.to_string()));
        self
    }

    /// The JSON body the client must send.
    pub fn json(mut self, body: Value) -> Expect {
        self.body = Body::Json(body);
        self
    }

    /// The multipart parts the client must send: (name, content type, text).
    pub fn multipart(mut self, parts: &[(&str, Option<&str>, &str)]) -> Expect {
        self.body = Body::Multipart(
            parts
                .iter()
                .map(|(name, content_type, text)| ExpectedPart {
                    name: name.to_string(),
                    content_type: content_type.map(str::to_string),
                    text: text.to_string(),
                })
                .collect(),
        );
        self
    }

    /// The operationId.
    pub fn operation_id(&self) -> &str {
        &self.operation_id
    }

    /// Answer with this named success example of the spec instead of the first.
    pub fn respond_with_example(mut self, name: &str) -> Expect {
        self.response = Response::Example(Some(name.to_string()));
        self
    }

    /// Answer with this status and body.
    pub fn respond(mut self, status: u16, content_type: &'static str, body: &str) -> Expect {
        self.response = Response::Raw {
            status,
            body: body.to_string(),
            content_type,
        };
        self
    }
}

/// A mocked operation; [`Expectation::verify`] checks the one request it received.
pub struct Expectation<'a> {
    expect: Expect,
    mock: Mock<'a>,
    captured: Arc<Mutex<Vec<HttpMockRequest>>>,
    response_body: String,
}

impl Expectation<'_> {
    /// The one request received.
    pub fn request(&self) -> HttpMockRequest {
        let captured = self.captured.lock().expect("lock");
        assert_eq!(
            captured.len(),
            1,
            "{}: expected one request, got {}",
            self.expect.operation_id,
            captured.len()
        );
        captured[0].clone()
    }

    /// Checks the request (method and path matched the mock; auth headers; no
    /// `api-version`; exact query; body equal to the expected one and valid against the
    /// spec's request schema) and that `decoded`, re-encoded, keeps every field of the
    /// response example.
    pub fn verify(&self, decoded: &impl Serialize) {
        let id = &self.expect.operation_id;
        self.mock.assert_calls(1);
        let request = self.request();
        let header = |name: &str| {
            request
                .headers_vec()
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
        };
        assert_eq!(
            header("x-api-key").as_deref(),
            Some(API_KEY),
            "{id}: x-api-key"
        );
        assert_eq!(
            header("x-workspace-id").as_deref(),
            Some(WORKSPACE_ID),
            "{id}: x-workspace-id"
        );
        assert_eq!(header("api-version"), None, "{id}: api-version is not sent");

        let mut query = request.query_params();
        query.sort();
        let mut expected_query = self.expect.query.clone();
        expected_query.sort();
        assert_eq!(query, expected_query, "{id}: query");

        match &self.expect.body {
            Body::None => assert!(request.body_ref().is_empty(), "{id}: no body expected"),
            Body::Json(expected) => {
                assert_eq!(
                    header("content-type").as_deref(),
                    Some("application/json"),
                    "{id}: content type"
                );
                let sent: Value =
                    serde_json::from_slice(request.body_ref()).expect("the body is JSON");
                assert_eq!(normalise(&sent), normalise(expected), "{id}: request body");
                if let Err(error) = spec().validate_request(id, &sent) {
                    panic!("{id}: the request body breaks the spec: {error}");
                }
            }
            Body::Multipart(expected) => {
                let content_type = header("content-type").unwrap_or_default();
                let parts = parse_multipart(&content_type, request.body_ref());
                let sent: Vec<ExpectedPart> = parts
                    .iter()
                    .map(|p| ExpectedPart {
                        name: p.name.clone(),
                        content_type: p.content_type.clone(),
                        text: p.text.clone(),
                    })
                    .collect();
                assert_eq!(&sent, expected, "{id}: multipart parts");
                let fields = form_fields_as_json(&parts);
                if let Err(error) = spec().validate_request(id, &fields) {
                    panic!("{id}: the form fields break the spec: {error}");
                }
            }
        }

        let example: Value = match serde_json::from_str(&self.response_body) {
            Ok(value) => value,
            Err(_) => return,
        };
        let reencoded = serde_json::to_value(decoded).expect("re-encodes");
        let lost = lost_fields(&example, &reencoded);
        assert!(
            lost.is_empty(),
            "{id}: the response lost fields on the way through the type: {lost:?}"
        );
    }
}

/// A part of a received multipart body.
#[derive(Debug, Clone)]
pub struct ReceivedPart {
    /// Form field name.
    pub name: String,
    /// File name, for file parts.
    pub file_name: Option<String>,
    /// `Content-Type` of the part.
    pub content_type: Option<String>,
    /// Content as text.
    pub text: String,
}

/// Splits a `multipart/form-data` body into its parts.
pub fn parse_multipart(content_type: &str, body: &[u8]) -> Vec<ReceivedPart> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .unwrap_or_else(|| panic!("not multipart: {content_type}"))
        .trim_matches('"');
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in text.split(delimiter.as_str()).skip(1) {
        if chunk.starts_with("--") {
            break;
        }
        let chunk = chunk.strip_prefix("\r\n").unwrap_or(chunk);
        let (head, content) = chunk.split_once("\r\n\r\n").expect("part headers");
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        let mut part = ReceivedPart {
            name: String::new(),
            file_name: None,
            content_type: None,
            text: content.to_string(),
        };
        for line in head.lines() {
            let (key, value) = line.split_once(':').expect("header line");
            if key.eq_ignore_ascii_case("content-disposition") {
                for item in value.split(';').map(str::trim) {
                    if let Some(name) = item.strip_prefix("name=") {
                        part.name = name.trim_matches('"').to_string();
                    } else if let Some(name) = item.strip_prefix("filename=") {
                        part.file_name = Some(name.trim_matches('"').to_string());
                    }
                }
            } else if key.eq_ignore_ascii_case("content-type") {
                part.content_type = Some(value.trim().to_string());
            }
        }
        parts.push(part);
    }
    parts
}

/// The form fields as the JSON object `trillet_spec` validates multipart bodies as: JSON
/// parts parsed, others as strings.
pub fn form_fields_as_json(parts: &[ReceivedPart]) -> Value {
    let mut fields = Map::new();
    for part in parts {
        let value = if part.content_type.as_deref() == Some("application/json") {
            serde_json::from_str(&part.text).expect("a JSON part")
        } else {
            Value::String(part.text.clone())
        };
        fields.insert(part.name.clone(), value);
    }
    Value::Object(fields)
}

/// `value` with `null`, `[]` and `{}` members removed and integral floats turned into
/// integers, so that `null` equals absent (and so do empty lists and maps, which the
/// generated types skip when serialising) and `1.0` equals `1`.
pub fn normalise(value: &Value) -> Value {
    let empty = |v: &Value| {
        v.is_null()
            || v.as_array().is_some_and(Vec::is_empty)
            || v.as_object().is_some_and(Map::is_empty)
    };
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), normalise(v)))
                .filter(|(_, v)| !empty(v))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        other => other.clone(),
    }
}

/// Decodes `value` as `T`, encodes it again and returns the JSON pointers it lost on the
/// way ([`lost_fields`]); an error says why it does not decode.
pub fn lost_in_round_trip<T: DeserializeOwned + Serialize>(
    value: &Value,
) -> Result<Vec<String>, String> {
    let decoded: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    let reencoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    Ok(lost_fields(value, &reencoded))
}

/// JSON pointers of the values of `original` that `reencoded` lacks or changed, after
/// [`normalise`]. Fields `reencoded` adds (defaults) are fine.
pub fn lost_fields(original: &Value, reencoded: &Value) -> Vec<String> {
    let mut lost = Vec::new();
    compare(
        &normalise(original),
        &normalise(reencoded),
        String::new(),
        &mut lost,
    );
    lost
}

fn compare(original: &Value, reencoded: &Value, pointer: String, lost: &mut Vec<String>) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let child = format!("{pointer}/{}", escape(key));
                match b.get(key) {
                    Some(other) => compare(value, other, child, lost),
                    None => lost.push(child),
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, format!("{pointer}/{i}"), lost);
            }
        }
        (a, b) if a == b => {}
        _ => lost.push(if pointer.is_empty() {
            "/".to_string()
        } else {
            pointer
        }),
    }
}
