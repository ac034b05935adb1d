//! The mock of one operation: a [`Harness`] (an httpmock server and a client pointed at
//! it), what a test expects of the request ([`Expect`]) and its checks ([`Expectation`]).

use std::sync::{Arc, Mutex};

use httpmock::{HttpMockRequest, Mock, MockServer};
use serde::Serialize;
use serde_json::Value;
use trillet::Client;

use crate::{
    answers, client_builder, form_fields_as_json, lost_fields, normalise, operation,
    parse_multipart, response_examples, spec, success_status, API_KEY, WORKSPACE_ID,
};

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

/// Asserts that `request` carried the test client's own credentials ([`API_KEY`],
/// [`WORKSPACE_ID`]), whatever options or HTTP client settings tried to replace them.
pub fn assert_client_credentials(request: &HttpMockRequest) {
    let headers = request.headers();
    assert_eq!(
        headers.get("x-api-key").expect("an x-api-key header"),
        API_KEY
    );
    assert_eq!(
        headers
            .get("x-workspace-id")
            .expect("an x-workspace-id header"),
        WORKSPACE_ID
    );
}
