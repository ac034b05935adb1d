//! How every request is sent: the attempts, the waits between them and their tracing
//! spans. The `exec` hook of the generated client (`generated/mod.rs`) calls [`send`] with
//! the operation it looked up, so generated and hand-written operations (which go through
//! the same hooks) share it. This module knows the HTTP client, its own state and the
//! operation's description ([`crate::operation`]), never the generated client.
//!
//! A request is sent again only as [`RetryPolicy`] allows (see [`crate::retry`] for the
//! table). Each attempt is one `trillet.request` span with the operation, method, path
//! template, attempt number, status and elapsed time; the values of headers, the URL's
//! identifiers, and bodies are never recorded (bodies hold phone numbers, headers the
//! API key).

use std::time::{Duration, Instant, SystemTime};

use progenitor_client::OperationInfo;
use reqwest::header::RETRY_AFTER;
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::bounded_body::{self, Credentials, Received, ResponseLimits};
use crate::extras::RequestExtras;
use crate::operation::Operation;
use crate::retry::{self, AttemptOutcome, RequestSafety, RetryDecision, RetryPolicy, StopReason};

/// The state the hooks of the generated client carry (progenitor's inner type).
#[derive(Clone, Debug)]
pub(crate) struct Transport {
    /// When and how often failed requests are sent again.
    pub(crate) retry: RetryPolicy,
    /// How much of a response is read.
    pub(crate) limits: ResponseLimits,
    /// The time allowed for one attempt, body included.
    pub(crate) attempt_timeout: Duration,
    /// The time allowed for a whole call: every attempt and every wait between them.
    pub(crate) deadline: Duration,
    /// Scrubbed from every error body.
    pub(crate) credentials: Credentials,
    /// Fields, query parameters and headers added to every request by the `pre` hook
    /// ([`crate::Client::with_extra_body`] and its siblings); empty by default.
    pub(crate) extras: RequestExtras,
}

/// Sends `request` with `http` for the operation of `info` (`operation`, when the table
/// knows it), again as the retry policy and deadline of `transport` allow, and returns the
/// last attempt's outcome. Whether it may be sent again is the operation's
/// `x-trillet-retry`; an operation the table does not know is judged by its method. Each attempt reads the whole
/// response body (within [`ResponseLimits`]) before it counts as done, so a body that
/// breaks or stalls is retried like any broken attempt. Redirects are never followed
/// (the HTTP client has no redirect policy): a 3xx is the attempt's outcome. A request
/// whose body can't be copied (a stream) is sent once.
pub(crate) async fn send(
    http: &reqwest::Client,
    transport: &Transport,
    request: Request,
    info: &OperationInfo,
    operation: Option<&'static Operation>,
) -> reqwest::Result<Response> {
    let sent = Sent {
        operation_id: operation.map_or(info.operation_id, |op| op.operation_id),
        path: operation.map_or("(unknown)", |op| op.path),
        safety: RequestSafety::of_request(request.method(), operation),
    };
    send_as(http, transport, request, sent).await
}

/// What the transport knows of a request besides the request itself: the names its spans
/// carry (never a concrete path) and whether it may be sent again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sent<'a> {
    /// The operation's id, or what stands for it (`request` for [`crate::Client::request`]).
    pub(crate) operation_id: &'a str,
    /// The path template, or what stands for it: never a concrete path, which may hold
    /// identifiers or a phone number.
    pub(crate) path: &'a str,
    /// Whether it may be sent again.
    pub(crate) safety: RequestSafety,
}

/// [`send`] for a request whose safety the caller has decided already (the escape hatch
/// [`crate::Client::request`], which judges a path the contract may not describe).
pub(crate) async fn send_as(
    http: &reqwest::Client,
    transport: &Transport,
    request: Request,
    sent: Sent<'_>,
) -> reqwest::Result<Response> {
    let policy = &transport.retry;
    let deadline = Instant::now().checked_add(transport.deadline);
    let remaining = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let Sent {
        operation_id,
        path,
        safety,
    } = sent;
    let method = request.method().clone();
    let template = if policy.max_retries() > 0 {
        request.try_clone()
    } else {
        None
    };
    let mut request = request;
    let mut retries_done = 0u32;
    loop {
        *request.timeout_mut() = Some(remaining().map_or(transport.attempt_timeout, |r| {
            r.min(transport.attempt_timeout)
        }));
        let span = tracing::info_span!(
            "trillet.request",
            operation = operation_id,
            method = %method,
            path = path,
            attempt = retries_done + 1,
            status = tracing::field::Empty,
            elapsed_ms = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = attempt(http, request, transport)
            .instrument(span.clone())
            .await;
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let outcome = match &result {
            Ok(received) => AttemptOutcome::Status(received.status()),
            Err(error) => AttemptOutcome::of_error(error),
        };
        if let AttemptOutcome::Status(status) = outcome {
            span.record("status", status.as_u16());
        }
        span.record("elapsed_ms", elapsed_ms);
        let server_wait = result.as_ref().ok().and_then(server_wait);
        let decision = policy.decide(safety, &outcome, retries_done, server_wait, fastrand::f64());
        let decision = match remaining() {
            Some(remaining) => decision.within(remaining),
            None => decision,
        };
        let (wait, again) = match decision {
            RetryDecision::Retry { after } => {
                (after, template.as_ref().and_then(Request::try_clone))
            }
            RetryDecision::Stop(reason) => {
                span.in_scope(|| log_stop(reason, &outcome, elapsed_ms));
                return result.map(Received::into_response);
            }
        };
        let Some(again) = again else {
            span.in_scope(|| {
                tracing::debug!(
                    ?outcome,
                    elapsed_ms,
                    "not retried: the body can't be sent twice"
                )
            });
            return result.map(Received::into_response);
        };
        let retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        span.in_scope(|| tracing::info!(?outcome, elapsed_ms, retry_in_ms, "retrying"));
        drop(result);
        tokio::time::sleep(wait).await;
        request = again;
        retries_done += 1;
    }
}

/// One attempt: the request sent, the response's headers and its body read.
async fn attempt(
    http: &reqwest::Client,
    request: Request,
    transport: &Transport,
) -> reqwest::Result<Received> {
    let response = http.execute(request).await?;
    bounded_body::read_within_limits(response, transport.limits, &transport.credentials).await
}

/// The event closing an attempt that is not retried.
fn log_stop(reason: StopReason, outcome: &AttemptOutcome, elapsed_ms: u64) {
    match (reason, outcome) {
        (StopReason::NotRetryable, AttemptOutcome::Status(status)) if status.is_success() => {
            tracing::debug!(elapsed_ms, "done");
        }
        (StopReason::NotRetryable, _) => {
            tracing::debug!(?outcome, elapsed_ms, "failed; not retryable")
        }
        (StopReason::RetriesExhausted, _) => {
            tracing::warn!(?outcome, elapsed_ms, "failed; retries exhausted")
        }
        (StopReason::ServerWaitTooLong { asked }, _) => tracing::warn!(
            ?outcome,
            asked_secs = asked.as_secs(),
            "failed; the server asks to wait longer than the retry policy allows"
        ),
        (StopReason::DeadlineReached, _) => tracing::warn!(
            ?outcome,
            elapsed_ms,
            "failed; no time is left for another attempt within the call's deadline"
        ),
    }
}

/// The wait the server asked for with a 429 or 503: its `Retry-After` header, else (429
/// only) the documented body's `error.reset_at`.
fn server_wait(received: &Received) -> Option<Duration> {
    let status = received.status();
    if !matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE
    ) {
        return None;
    }
    let now = SystemTime::now();
    let header = received
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| retry::parse_retry_after(value, now));
    if header.is_some() || status != StatusCode::TOO_MANY_REQUESTS {
        return header;
    }
    retry::rate_limit_reset(received.body(), now)
}
