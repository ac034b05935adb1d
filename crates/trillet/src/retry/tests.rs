//! The policy's table, backoff, decisions and server waits, case by case.

use std::time::{Duration, UNIX_EPOCH};

use reqwest::{Method, StatusCode};

use super::server_wait::days_from_civil;
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
