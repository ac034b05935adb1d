//! Mocked operations that answer in turn: the setup the retry, error and batch tests
//! share. A [`Route`] is an operation of the spec (its method, and its path with the
//! parameters filled in), never a copied path; [`answer_in_turn`] mocks it with a list of
//! [`Answer`]s and keeps every request it received.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};

use crate::{operation, path_of};

/// Where a mock listens: an operation's method and concrete path, from the spec.
#[derive(Debug, Clone)]
pub struct Route {
    method: String,
    path: String,
    delay: Option<Duration>,
}

impl Route {
    /// The operation `operation_id` with its path parameters filled in order.
    pub fn of(operation_id: &str, path_values: &[&str]) -> Route {
        let (method, _) = operation(operation_id);
        Route {
            method,
            path: path_of(operation_id, path_values),
            delay: None,
        }
    }

    /// `method` at a concrete `path` the contract does not describe (the escape hatch's
    /// tests, `Client::request`); an operation of the contract is [`Route::of`].
    pub fn at(method: &str, path: &str) -> Route {
        Route {
            method: method.to_string(),
            path: path.to_string(),
            delay: None,
        }
    }

    /// Every answer comes `delay` after the request (a slow server).
    pub fn delayed(mut self, delay: Duration) -> Route {
        self.delay = Some(delay);
        self
    }

    /// The method, upper case.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The concrete path.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// One answer of a mocked operation.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    content_type: &'static str,
    headers: Vec<(String, String)>,
    body: String,
}

impl Answer {
    /// A JSON answer.
    pub fn json(status: u16, body: impl Into<String>) -> Answer {
        Answer::typed(status, "application/json", body)
    }

    /// An answer with this content type.
    pub fn typed(status: u16, content_type: &'static str, body: impl Into<String>) -> Answer {
        Answer {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// One more header.
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A mocked operation and the requests it answered, in order.
pub struct Answered<'a> {
    /// The mock (for httpmock's own call count checks).
    pub mock: Mock<'a>,
    received: Arc<Mutex<Vec<HttpMockRequest>>>,
}

impl Answered<'_> {
    /// The requests answered so far.
    pub fn requests(&self) -> Vec<HttpMockRequest> {
        self.received.lock().expect("lock").clone()
    }

    /// How many requests were answered.
    pub fn count(&self) -> usize {
        self.received.lock().expect("lock").len()
    }

    /// The body of every request answered.
    pub fn bodies(&self) -> Vec<Vec<u8>> {
        self.requests()
            .iter()
            .map(|r| r.body_ref().to_vec())
            .collect()
    }
}

/// Mocks `route` on `server`, answering with `answers` in turn, the last one repeated.
pub async fn answer_in_turn<'a>(
    server: &'a MockServer,
    route: &Route,
    answers: Vec<Answer>,
) -> Answered<'a> {
    assert!(!answers.is_empty(), "{route:?}: no answer to give");
    let served = Arc::new(AtomicUsize::new(0));
    let received: Arc<Mutex<Vec<HttpMockRequest>>> = Arc::default();
    let sink = received.clone();
    let mock = server
        .mock_async(|when, then| {
            when.method(route.method()).path(route.path());
            let then = match route.delay {
                Some(delay) => then.delay(delay),
                None => then,
            };
            then.respond_with(move |request: &HttpMockRequest| {
                sink.lock().expect("lock").push(request.clone());
                let n = served.fetch_add(1, Ordering::SeqCst);
                let answer = &answers[n.min(answers.len() - 1)];
                let mut response = HttpMockResponse::builder()
                    .status(answer.status)
                    .header("content-type", answer.content_type);
                for (name, value) in &answer.headers {
                    response = response.header(name.as_str(), value.as_str());
                }
                response.body(answer.body.clone()).build()
            });
        })
        .await;
    Answered { mock, received }
}
