//! How every request is sent: the attempts, the waits between them and their tracing
//! spans. The `exec` hook of the generated client calls [`send`], so generated and
//! hand-written operations (which go through the same hooks) share it.
//!
//! A request is sent again only as [`RetryPolicy`] allows (see [`crate::retry`] for the
//! table). Each attempt is one `trillet.request` span with the operation, method, path
//! template, attempt number, status and elapsed time; the values of headers, the URL's
//! identifiers, and bodies are never recorded (bodies hold phone numbers, headers the
//! API key).

use std::time::{Duration, Instant, SystemTime};

use progenitor_client::{ClientInfo, OperationInfo};
use reqwest::header::RETRY_AFTER;
use reqwest::{Request, Response, StatusCode};
use tracing::Instrument;

use crate::bounded_body::{self, Credentials, Received, ResponseLimits};
use crate::extras::RequestExtras;
use crate::generated;
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

/// An operation of the spec as the hooks know it (the generated `OPERATIONS` table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Operation {
    /// progenitor's snake_case id, the hooks' `OperationInfo::operation_id`.
    pub(crate) id: &'static str,
    /// The spec's operationId.
    pub(crate) operation_id: &'static str,
    /// The HTTP method, upper case.
    pub(crate) method: &'static str,
    /// The path template, e.g. `/v1/api/batch-calls/{batchId}/status`.
    pub(crate) path: &'static str,
}

/// The operation with this snake_case id.
pub(crate) fn operation(id: &str) -> Option<&'static Operation> {
    generated::OPERATIONS
        .iter()
        .find(|operation| operation.id == id)
}

/// Sends `request` for the operation of `info`, again as the client's retry policy and
/// deadline allow, and returns the last attempt's outcome. Each attempt reads the whole
/// response body (within [`ResponseLimits`]) before it counts as done, so a body that
/// breaks or stalls is retried like any broken attempt. Redirects are never followed
/// (the HTTP client has no redirect policy): a 3xx is the attempt's outcome. A request
/// whose body can't be copied (a stream) is sent once.
pub(crate) async fn send(
    api: &generated::Client,
    request: Request,
    info: &OperationInfo,
) -> reqwest::Result<Response> {
    let transport = api.inner();
    let policy = &transport.retry;
    let deadline = Instant::now().checked_add(transport.deadline);
    let remaining = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    let known = operation(info.operation_id);
    let operation_id = known.map_or(info.operation_id, |op| op.operation_id);
    let path = known.map_or("(unknown)", |op| op.path);
    let method = request.method().clone();
    let safety = RequestSafety::of(&method, info.operation_id);
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
        let result = attempt(api, request, transport)
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
    api: &generated::Client,
    request: Request,
    transport: &Transport,
) -> reqwest::Result<Received> {
    let response = api.client().execute(request).await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_generated_operation_has_a_method_and_path_template() {
        let source = include_str!("generated.rs");
        // The ids the generated methods give their hooks (the table itself comes last).
        let methods = source.split("const OPERATIONS").next().unwrap_or_default();
        let ids: Vec<&str> = methods
            .split("operation_id: \"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert!(ids.len() >= 18, "found {ids:?}");
        for id in ids {
            let known = operation(id).unwrap_or_else(|| panic!("{id} is not in OPERATIONS"));
            let versioned =
                known.path.starts_with("/v1/api/") || known.path.starts_with("/v2/api/");
            assert!(versioned, "{known:?}");
        }
    }

    #[test]
    fn hand_written_operations_are_in_the_table() {
        for (id, method, path) in [
            ("start_batch", "POST", "/v1/api/batch-calls"),
            ("validate_batch_csv", "POST", "/v1/api/batch-calls/validate"),
            ("preview_batch_csv", "POST", "/v1/api/batch-calls/preview"),
            (
                "upload_call_flow_knowledge_base_file",
                "POST",
                "/v1/api/call-flows/{flowId}/knowledge-base",
            ),
            (
                "upload_knowledge_base_file",
                "POST",
                "/v1/api/knowledgebase/{knowledgeBaseId}/files",
            ),
        ] {
            let known = operation(id).unwrap_or_else(|| panic!("{id} is not in OPERATIONS"));
            assert_eq!((known.method, known.path), (method, path));
        }
    }
}
