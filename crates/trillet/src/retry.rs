//! When a failed request is sent again, and after how long: the retry policy of every
//! request the client sends, generated or hand-written.
//!
//! | request | retried on |
//! |---|---|
//! | [`RequestSafety::Idempotent`]: the operations whose `x-trillet-retry` is `idempotent` | 408, 429, 500, 502, 503, 504; connection failures; timeouts; connections broken mid-request or while the response body is read; bodies that stall past the attempt's timeout |
//! | [`RequestSafety::SideEffecting`]: those whose `x-trillet-retry` is `side-effecting` (they place calls, start batches, create, flip or send something) | 429; a connection that could not be opened (nothing was sent) |
//!
//! Which operation is which is the contract's to say: each operation of
//! `openapi/trillet.yaml` carries `x-trillet-retry` (the README's retry table lists them,
//! generated from it). A request the contract does not know is judged by its method:
//! `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE` are idempotent, anything else is not.
//!
//! A side-effecting `POST` is never sent again after a timeout, a connection broken
//! mid-request or a 5xx: the server may have acted on it, and a second one could call a
//! person twice or start a second batch.
//!
//! Waits grow exponentially (0.5 s, 1 s, 2 s, ... up to 8 s by default) with jitter: a
//! wait is drawn between half and all of its step, so that clients that failed together
//! do not retry together. On 429 and 503 a `Retry-After` header (seconds or an HTTP
//! date), or else the documented rate-limit body's `error.reset_at`, sets the wait
//! instead; a server that asks for more than [`RetryPolicy::max_retry_after`] (2 minutes
//! by default) gets its error back at once rather than a silent long wait.
//!
//! All attempts and waits of one call share one overall deadline
//! ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline), 3 minutes by default):
//! each attempt's timeout is cut to what remains, and a wait that would end past it is not
//! started ([`RetryDecision::within`]). A redirect (3xx) is never retried nor followed.
//!
//! Everything here is pure (no clock, no randomness, no I/O): the client feeds it the
//! time and a random number.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};

use crate::operation::{Operation, RetrySafety};

/// Retries after the first attempt, unless configured otherwise.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The first step of the exponential backoff.
pub const DEFAULT_INITIAL_BACKOFF: Duration = Duration::from_millis(500);
/// The largest step of the exponential backoff.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(8);
/// The longest wait a server may ask for (`Retry-After`, `reset_at`) and still be retried.
pub const DEFAULT_MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// How many times, and after how long, failed requests are sent again.
///
/// ```
/// use std::time::Duration;
/// use trillet::retry::RetryPolicy;
///
/// let patient = RetryPolicy::new().with_max_retries(5).with_max_backoff(Duration::from_secs(30));
/// assert_eq!(patient.max_retries(), 5);
/// assert_eq!(RetryPolicy::disabled().max_retries(), 0);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy::new()
    }
}

impl RetryPolicy {
    /// 2 retries, backoff from 0.5 s doubling up to 8 s, `Retry-After` honoured up to
    /// 2 minutes.
    pub fn new() -> RetryPolicy {
        RetryPolicy {
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: DEFAULT_INITIAL_BACKOFF,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_retry_after: DEFAULT_MAX_RETRY_AFTER,
        }
    }

    /// Never retry: every request is sent once.
    pub fn disabled() -> RetryPolicy {
        RetryPolicy::new().with_max_retries(0)
    }

    /// Retry at most `max_retries` times after the first attempt (0 disables retries).
    pub fn with_max_retries(mut self, max_retries: u32) -> RetryPolicy {
        self.max_retries = max_retries;
        self
    }

    /// Start the exponential backoff at `initial_backoff` (default 0.5 s).
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> RetryPolicy {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Cap each step of the exponential backoff at `max_backoff` (default 8 s).
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> RetryPolicy {
        self.max_backoff = max_backoff;
        self
    }

    /// Give up at once, returning the error, when the server asks to wait longer than
    /// `max_retry_after` (default 2 minutes).
    pub fn with_max_retry_after(mut self, max_retry_after: Duration) -> RetryPolicy {
        self.max_retry_after = max_retry_after;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The first step of the backoff.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The largest step of the backoff.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest wait asked by a server that is still honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The wait before retry number `retry` (1 for the first retry) when the server
    /// says nothing: the step `initial_backoff * 2^(retry - 1)`, capped at
    /// `max_backoff`, scaled into its upper half by `jitter` (a random number in
    /// `[0, 1)`; out-of-range values are clamped).
    pub fn backoff(&self, retry: u32, jitter: f64) -> Duration {
        let doublings = retry.saturating_sub(1).min(32);
        let step = self
            .initial_backoff
            .checked_mul(1u32 << doublings.min(31))
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff);
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        (step / 2).saturating_add(step.mul_f64(jitter / 2.0))
    }

    /// What to do after an attempt: `retries_done` retries have been made so far,
    /// `server_wait` is the wait the server asked for (from [`parse_retry_after`] or
    /// [`rate_limit_reset`]; used only on 429 and 503), `jitter` a random number in
    /// `[0, 1)`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use trillet::retry::{AttemptOutcome, RequestSafety, RetryDecision, RetryPolicy, StopReason};
    /// use reqwest::StatusCode;
    ///
    /// let policy = RetryPolicy::new();
    /// let busy = AttemptOutcome::Status(StatusCode::SERVICE_UNAVAILABLE);
    /// let limited = AttemptOutcome::Status(StatusCode::TOO_MANY_REQUESTS);
    /// let after = Some(Duration::from_secs(1));
    /// assert_eq!(
    ///     policy.decide(RequestSafety::Idempotent, &busy, 0, None, 0.0),
    ///     RetryDecision::Retry { after: Duration::from_millis(250) }
    /// );
    /// assert_eq!(
    ///     policy.decide(RequestSafety::SideEffecting, &busy, 0, None, 0.0),
    ///     RetryDecision::Stop(StopReason::NotRetryable)
    /// );
    /// assert_eq!(
    ///     policy.decide(RequestSafety::SideEffecting, &limited, 0, after, 0.0),
    ///     RetryDecision::Retry { after: Duration::from_secs(1) }
    /// );
    /// ```
    pub fn decide(
        &self,
        safety: RequestSafety,
        outcome: &AttemptOutcome,
        retries_done: u32,
        server_wait: Option<Duration>,
        jitter: f64,
    ) -> RetryDecision {
        if !is_retryable(safety, outcome) {
            return RetryDecision::Stop(StopReason::NotRetryable);
        }
        if retries_done >= self.max_retries {
            return RetryDecision::Stop(StopReason::RetriesExhausted);
        }
        let backoff = self.backoff(retries_done + 1, jitter);
        let honours_server = matches!(
            outcome,
            AttemptOutcome::Status(StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE)
        );
        match server_wait.filter(|_| honours_server) {
            Some(wait) if wait > self.max_retry_after => {
                RetryDecision::Stop(StopReason::ServerWaitTooLong { asked: wait })
            }
            Some(wait) => {
                // A little spread on top, so that clients told the same instant do not all
                // come back at it; never less than asked.
                let spread = (wait / 10).min(Duration::from_secs(1));
                let jitter = if jitter.is_finite() {
                    jitter.clamp(0.0, 1.0)
                } else {
                    0.0
                };
                RetryDecision::Retry {
                    after: wait.saturating_add(spread.mul_f64(jitter)).max(backoff),
                }
            }
            None => RetryDecision::Retry { after: backoff },
        }
    }
}

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
        match crate::generated::operations::by_id(operation_id) {
            Some(operation) if operation.method.as_str() == method.as_str() => {
                RequestSafety::of_operation(operation)
            }
            _ => RequestSafety::of_method(method),
        }
    }

    /// The safety the contract gives `operation`.
    pub(crate) fn of_operation(operation: &Operation) -> RequestSafety {
        match operation.retry {
            RetrySafety::Idempotent => RequestSafety::Idempotent,
            RetrySafety::SideEffecting => RequestSafety::SideEffecting,
        }
    }

    /// The safety of a request of no known operation, by its method.
    pub(crate) fn of_method(method: &Method) -> RequestSafety {
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

/// What to do after an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryDecision {
    /// Wait this long, then send the request again.
    Retry {
        /// The wait.
        after: Duration,
    },
    /// Return this attempt's outcome to the caller.
    Stop(StopReason),
}

impl RetryDecision {
    /// This decision when `remaining` is the time left of the call's deadline: a retry
    /// whose wait would not end before the deadline becomes
    /// [`StopReason::DeadlineReached`] (the last outcome is returned at once rather than
    /// after a wait that could not lead to an answer).
    ///
    /// ```
    /// use std::time::Duration;
    /// use trillet::retry::{RetryDecision, StopReason};
    ///
    /// let retry = RetryDecision::Retry { after: Duration::from_secs(2) };
    /// assert_eq!(retry.within(Duration::from_secs(3)), retry);
    /// assert_eq!(retry.within(Duration::from_secs(2)), RetryDecision::Stop(StopReason::DeadlineReached));
    /// ```
    pub fn within(self, remaining: Duration) -> RetryDecision {
        match self {
            RetryDecision::Retry { after } if after >= remaining => {
                RetryDecision::Stop(StopReason::DeadlineReached)
            }
            other => other,
        }
    }
}

/// Why an attempt's outcome is returned without another try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// The outcome is a success, or a failure that another try would not mend or that
    /// might repeat a side effect.
    NotRetryable,
    /// The policy's retries are used up.
    RetriesExhausted,
    /// The server asked to wait longer than [`RetryPolicy::max_retry_after`].
    ServerWaitTooLong {
        /// The wait it asked for.
        asked: Duration,
    },
    /// Another attempt would not start before the call's overall deadline
    /// ([`ClientBuilder::deadline`](crate::ClientBuilder::deadline)).
    DeadlineReached,
}

/// The wait a `Retry-After` header value asks for, at time `now`: delay-seconds
/// (`120`) or an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`, and the two obsolete forms).
/// A date in the past means no wait; anything else unreadable is `None`.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use trillet::retry::parse_retry_after;
///
/// let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // 07:27:50
/// assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
/// assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
/// assert_eq!(parse_retry_after("soon", now), None);
/// ```
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly large values saturate; the policy's cap refuses them anyway.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// The wait the documented rate-limit body asks for, at time `now`: its
/// `error.reset_at` (RFC 3339, e.g. `2024-01-22T15:30:00Z`), since the API documents
/// no `Retry-After` header. `None` when the body has no such field.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use trillet::retry::rate_limit_reset;
///
/// let body = br#"{"error": {"code": "rate_limit_exceeded", "reset_at": "2024-01-22T15:30:00Z"}}"#;
/// let now = UNIX_EPOCH + Duration::from_secs(1_705_937_340); // 15:29:00
/// assert_eq!(rate_limit_reset(body, now), Some(Duration::from_secs(60)));
/// ```
pub fn rate_limit_reset(body: &[u8], now: SystemTime) -> Option<Duration> {
    let body: serde_json::Value = serde_json::from_slice(body).ok()?;
    let reset_at = body.get("error")?.get("reset_at")?.as_str()?;
    let at = parse_rfc3339(reset_at)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// An RFC 3339 timestamp (`2024-01-22T15:30:00Z`, `2024-01-22T15:30:00.250+01:00`).
fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = bytes.get(range)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    let sep = |i: usize, allowed: &[u8]| bytes.get(i).is_some_and(|b| allowed.contains(b));
    if !(sep(4, b"-") && sep(7, b"-") && sep(10, b"Tt ") && sep(13, b":") && sep(16, b":")) {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let kept = &fraction[..len.min(9)];
        nanos = kept.parse::<u32>().ok()? * 10u32.pow(9 - kept.len() as u32);
        rest = &fraction[len..];
    }
    let offset_seconds = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hh = std::str::from_utf8(&[*h1, *h2]).ok()?.parse::<i64>().ok()?;
            let mm = std::str::from_utf8(&[*m1, *m2]).ok()?.parse::<i64>().ok()?;
            if hh > 23 || mm > 59 {
                return None;
            }
            let offset = hh * 3600 + mm * 60;
            if *sign == b'+' {
                offset
            } else {
                -offset
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_seconds;
    let seconds = u64::try_from(seconds).ok()?;
    Some(UNIX_EPOCH + Duration::new(seconds, nanos))
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: RequestSafety = RequestSafety::Idempotent;
    const POST: RequestSafety = RequestSafety::SideEffecting;

    fn status(code: u16) -> AttemptOutcome {
        AttemptOutcome::Status(StatusCode::from_u16(code).expect("a valid status"))
    }

    fn check_retryable(safety: RequestSafety, outcome: AttemptOutcome, expected: bool) {
        assert_eq!(
            is_retryable(safety, &outcome),
            expected,
            "{safety:?} {outcome:?}"
        );
    }

    #[test]
    fn idempotent_requests_are_retried_on_transient_statuses_and_transport_failures() {
        for code in [408, 429, 500, 502, 503, 504] {
            check_retryable(GET, status(code), true);
        }
        for code in [200, 201, 204, 400, 401, 403, 404, 409, 422, 501, 505] {
            check_retryable(GET, status(code), false);
        }
        check_retryable(GET, AttemptOutcome::ConnectFailed, true);
        check_retryable(GET, AttemptOutcome::TimedOut, true);
        check_retryable(GET, AttemptOutcome::Interrupted, true);
    }

    #[test]
    fn side_effecting_posts_are_retried_only_on_429_and_failed_connections() {
        check_retryable(POST, status(429), true);
        check_retryable(POST, AttemptOutcome::ConnectFailed, true);
        for code in [200, 400, 408, 500, 502, 503, 504] {
            check_retryable(POST, status(code), false);
        }
        check_retryable(POST, AttemptOutcome::TimedOut, false);
        check_retryable(POST, AttemptOutcome::Interrupted, false);
    }

    #[test]
    fn safety_comes_from_the_contract_and_unknown_requests_follow_their_method() {
        let check = |method: Method, operation: &str, expected: RequestSafety| {
            assert_eq!(
                RequestSafety::of(&method, operation),
                expected,
                "{method} {operation}"
            );
        };
        check(Method::GET, "get_batch_progress", GET);
        check(Method::PUT, "update_agent", GET);
        check(Method::DELETE, "cancel_batch", GET);
        // `x-trillet-retry: idempotent` on POSTs that only read.
        check(Method::POST, "validate_batch_csv", GET);
        check(Method::POST, "preview_batch_csv", GET);
        check(Method::POST, "export_call_history_csv", GET);
        // `x-trillet-retry: side-effecting` on PUTs that flip a value (CURATION.md O1, O2).
        check(Method::PUT, "update_message_flow", POST);
        check(Method::PUT, "toggle_message_flow_autopilot", POST);
        for operation in [
            "send_call",
            "initiate_call",
            "start_batch",
            "create_agent",
            "create_call_flow",
            "create_web_call",
            "start_recording",
            "release_phone_number",
            "clone_voice",
        ] {
            check(Method::POST, operation, POST);
        }
        // Unknown operations, and known ones sent with another method: by the method.
        check(Method::POST, "unknown", POST);
        check(Method::GET, "unknown", GET);
        check(Method::PATCH, "update_agent", POST);
        check(Method::GET, "send_call", GET);
    }

    #[test]
    fn backoff_doubles_from_the_initial_step_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy::new();
        let ms = |retry, jitter| policy.backoff(retry, jitter).as_millis();
        assert_eq!(
            [
                ms(1, 0.0),
                ms(2, 0.0),
                ms(3, 0.0),
                ms(4, 0.0),
                ms(5, 0.0),
                ms(6, 0.0)
            ],
            [250, 500, 1000, 2000, 4000, 4000]
        );
        assert_eq!([ms(1, 0.5), ms(1, 0.999_999)], [375, 499]);
        assert_eq!(ms(100, 0.999_999), 7999);
        assert_eq!(ms(u32::MAX, 1.0), 8000);
        assert_eq!([ms(1, -3.0), ms(1, f64::NAN), ms(1, 7.0)], [250, 250, 500]);
        let huge = RetryPolicy::new()
            .with_initial_backoff(Duration::MAX)
            .with_max_backoff(Duration::MAX);
        assert_eq!(huge.backoff(40, 0.0), Duration::MAX / 2);
    }

    #[test]
    fn decisions_stop_at_the_retry_limit() {
        let policy = RetryPolicy::new();
        let busy = status(503);
        assert!(matches!(
            policy.decide(GET, &busy, 0, None, 0.0),
            RetryDecision::Retry { .. }
        ));
        assert!(matches!(
            policy.decide(GET, &busy, 1, None, 0.0),
            RetryDecision::Retry { .. }
        ));
        assert_eq!(
            policy.decide(GET, &busy, 2, None, 0.0),
            RetryDecision::Stop(StopReason::RetriesExhausted)
        );
        let never = RetryPolicy::disabled();
        assert_eq!(
            never.decide(GET, &busy, 0, None, 0.0),
            RetryDecision::Stop(StopReason::RetriesExhausted)
        );
        assert_eq!(
            policy.decide(POST, &status(500), 0, None, 0.0),
            RetryDecision::Stop(StopReason::NotRetryable)
        );
    }

    #[test]
    fn a_server_wait_is_honoured_on_429_and_503_only_and_never_shortened() {
        let policy = RetryPolicy::new();
        let wait = Some(Duration::from_secs(3));
        let after =
            |outcome: AttemptOutcome, jitter| match policy.decide(GET, &outcome, 0, wait, jitter) {
                RetryDecision::Retry { after } => after,
                stop => panic!("expected a retry, got {stop:?}"),
            };
        assert_eq!(after(status(429), 0.0), Duration::from_secs(3));
        assert_eq!(after(status(503), 0.5), Duration::from_millis(3150));
        assert_eq!(
            after(status(500), 0.0),
            Duration::from_millis(250),
            "Retry-After on a 500 is not honoured"
        );
        let zero = policy.decide(GET, &status(429), 0, Some(Duration::ZERO), 0.0);
        assert_eq!(
            zero,
            RetryDecision::Retry {
                after: Duration::from_millis(250)
            },
            "never faster than the backoff"
        );
        let long = Some(Duration::from_secs(121));
        assert_eq!(
            policy.decide(POST, &status(429), 0, long, 0.0),
            RetryDecision::Stop(StopReason::ServerWaitTooLong {
                asked: Duration::from_secs(121)
            })
        );
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_an_http_date() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_470); // Wed, 21 Oct 2015 07:27:50 GMT
        let check = |value: &str, expected: Option<u64>| {
            assert_eq!(
                parse_retry_after(value, now),
                expected.map(Duration::from_secs),
                "{value:?}"
            );
        };
        check("0", Some(0));
        check(" 1 ", Some(1));
        check("120", Some(120));
        check("99999999999999999999999", Some(u64::MAX));
        check("Wed, 21 Oct 2015 07:28:00 GMT", Some(10));
        check("Wednesday, 21-Oct-15 07:28:00 GMT", Some(10));
        check("Wed Oct 21 07:28:00 2015", Some(10));
        check("Wed, 21 Oct 2015 07:00:00 GMT", Some(0));
        for bad in ["", "-1", "1.5", "soon", "Wed, 32 Oct 2015 07:28:00 GMT"] {
            check(bad, None);
        }
    }

    #[test]
    fn reset_at_of_the_documented_rate_limit_body_is_read() {
        let now = UNIX_EPOCH + Duration::from_secs(1_705_937_340); // 2024-01-22T15:29:00Z
        let check = |body: &str, expected: Option<Duration>| {
            assert_eq!(rate_limit_reset(body.as_bytes(), now), expected, "{body}");
        };
        let body = |reset_at: &str| {
            format!(r#"{{"error": {{"code": "rate_limit_exceeded", "reset_at": "{reset_at}"}}}}"#)
        };
        check(&body("2024-01-22T15:30:00Z"), Some(Duration::from_secs(60)));
        check(
            &body("2024-01-22T15:29:30.5Z"),
            Some(Duration::from_millis(30_500)),
        );
        check(
            &body("2024-01-22T16:30:00+01:00"),
            Some(Duration::from_secs(60)),
        );
        check(
            &body("2024-01-22T10:30:00-05:00"),
            Some(Duration::from_secs(60)),
        );
        check(&body("2024-01-22T15:00:00Z"), Some(Duration::ZERO));
        for bad in [
            "2024-01-22 15:30",
            "2024-13-22T15:30:00Z",
            "2024-01-22T15:30:00",
            "2024-01-22T15:30:00+1:00",
            "x",
        ] {
            check(&body(bad), None);
        }
        check(r#"{"error": "Too many requests"}"#, None);
        check("<html>busy</html>", None);
    }

    #[test]
    fn civil_dates_convert_to_unix_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 1, 22), 19_744);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }
}
