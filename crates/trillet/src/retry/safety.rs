//! Which requests may be sent again after which outcome: the policy's table.

use reqwest::{Method, StatusCode};

use crate::operation::{Operation, RetrySafety};

/// Whether a request may be sent twice without harm: its operation's `x-trillet-retry`
/// in `openapi/trillet.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestSafety {
    /// Sending it again changes nothing more (`x-trillet-retry: idempotent`): the `GET`s,
    /// most `PUT`s and `DELETE`s, and the `POST`s that only read.
    Idempotent,
    /// Sending it again may act twice (`x-trillet-retry: side-effecting`): place a second
    /// call, start a second batch, create a second agent, flip a value back.
    SideEffecting,
}

impl RequestSafety {
    /// The safety of the operation `operation_id` (progenitor's snake_case id, e.g.
    /// `start_batch`) sent with `method`, as the contract says. A request of no known
    /// operation, or sent with another method than its operation's, is judged by its
    /// method: `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are idempotent, anything else
    /// side-effecting.
    pub fn of(method: &Method, operation_id: &str) -> RequestSafety {
        RequestSafety::of_request(method, crate::generated::operations::by_id(operation_id))
    }

    /// The safety of a request sent with `method` for `operation` (the one rule of
    /// [`RequestSafety::of`], for a caller that has looked the operation up already):
    /// the contract's `x-trillet-retry` when the method is the operation's, else by the
    /// method.
    pub(crate) fn of_request(method: &Method, operation: Option<&Operation>) -> RequestSafety {
        match operation {
            Some(operation) if operation.method.as_str() == method.as_str() => {
                match operation.retry {
                    RetrySafety::Idempotent => RequestSafety::Idempotent,
                    RetrySafety::SideEffecting => RequestSafety::SideEffecting,
                }
            }
            _ => RequestSafety::of_method(method),
        }
    }

    /// The safety of a request of no known operation, by its method.
    fn of_method(method: &Method) -> RequestSafety {
        match *method {
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE => {
                RequestSafety::Idempotent
            }
            _ => RequestSafety::SideEffecting,
        }
    }
}

/// How one attempt ended, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server answered with this status.
    Status(StatusCode),
    /// No connection could be opened (refused, DNS, TLS handshake, connect timeout):
    /// nothing of the request was sent.
    ConnectFailed,
    /// The request ran out of time after the connection was open: the server may have
    /// received it.
    TimedOut,
    /// The connection broke while the request or the response was on the way: the
    /// server may have received it.
    Interrupted,
}

impl AttemptOutcome {
    /// Classifies a transport error of reqwest. A connect timeout is a failed connection
    /// (nothing was sent); any other timeout is [`AttemptOutcome::TimedOut`].
    pub fn of_error(error: &reqwest::Error) -> AttemptOutcome {
        if error.is_connect() {
            AttemptOutcome::ConnectFailed
        } else if error.is_timeout() {
            AttemptOutcome::TimedOut
        } else {
            AttemptOutcome::Interrupted
        }
    }

    /// `Status(status)`, or how a transport error ended the attempt.
    pub fn of_result(result: &Result<reqwest::Response, reqwest::Error>) -> AttemptOutcome {
        match result {
            Ok(response) => AttemptOutcome::Status(response.status()),
            Err(error) => AttemptOutcome::of_error(error),
        }
    }
}

/// Whether an attempt that ended with `outcome` may be tried again (the policy's table,
/// whatever the count of retries).
pub fn is_retryable(safety: RequestSafety, outcome: &AttemptOutcome) -> bool {
    match (safety, outcome) {
        (_, AttemptOutcome::ConnectFailed) => true,
        (_, AttemptOutcome::Status(StatusCode::TOO_MANY_REQUESTS)) => true,
        (RequestSafety::SideEffecting, _) => false,
        (RequestSafety::Idempotent, AttemptOutcome::TimedOut | AttemptOutcome::Interrupted) => true,
        (RequestSafety::Idempotent, AttemptOutcome::Status(status)) => matches!(
            *status,
            StatusCode::REQUEST_TIMEOUT
                | StatusCode::INTERNAL_SERVER_ERROR
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        ),
    }
}
