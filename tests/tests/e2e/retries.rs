//! The retry policy over real HTTP: which requests are sent again, how many times, and
//! after how long. The mock server counts what reaches it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use httpmock::{HttpMockRequest, HttpMockResponse, Mock, MockServer};
use trillet::batch_upload::{Csv, StartBatch};
use trillet::retry::RetryPolicy;
use trillet::types::SendCallRequest;
use trillet::{Client, E164PhoneNumber, Error};
use trillet_e2e::{API_KEY, WORKSPACE_ID};

const PROGRESS: &str = r#"{"status": "processing", "isComplete": false, "total": 2}"#;
const CALL_PLACED: &str = r#"{"status": "success", "callId": "call_1"}"#;
const BATCH_STARTED: &str = r#"{"batchId": "batch_1", "totalCalls": 1, "status": "queued"}"#;

/// A client of `server` with short backoff steps (the policy's logic, not its default
/// waits, is under test here) and `max_retries` retries.
fn client(server: &MockServer, max_retries: u32) -> Client {
    Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(max_retries)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(80)),
        )
        .build()
        .expect("client")
}

/// One answer of a [`sequence`]: status, extra headers, JSON body.
#[derive(Clone)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
    Answer {
        status,
        headers: headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: body.to_string(),
    }
}

/// A mocked endpoint answering in turn, and the bodies it received.
struct Sequence<'a> {
    mock: Mock<'a>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

/// Mocks `method path` answering with `answers` in turn, the last one repeated.
async fn sequence<'a>(
    server: &'a MockServer,
    method: &str,
    path: &str,
    answers: Vec<Answer>,
) -> Sequence<'a> {
    let served = Arc::new(AtomicUsize::new(0));
    let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let sink = bodies.clone();
    let method = method.to_string();
    let path = path.to_string();
    let mock = server
        .mock_async(move |when, then| {
            when.method(method.as_str()).path(path.as_str());
            then.respond_with(move |request: &HttpMockRequest| {
                sink.lock().expect("lock").push(request.body_ref().to_vec());
                let n = served.fetch_add(1, Ordering::SeqCst);
                let answer = &answers[n.min(answers.len() - 1)];
                let mut response = HttpMockResponse::builder()
                    .status(answer.status)
                    .header("content-type", "application/json");
                for (name, value) in &answer.headers {
                    response = response.header(name.as_str(), value.as_str());
                }
                response.body(answer.body.clone()).build()
            });
        })
        .await;
    Sequence { mock, bodies }
}

fn send_call_body() -> SendCallRequest {
    let number: E164PhoneNumber = "+14155551234".parse().expect("E.164");
    SendCallRequest::new("agent-1", number)
}

#[tokio::test]
async fn a_get_answered_503_then_200_succeeds_with_two_requests() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![
            answer(503, &[], r#"{"error": "busy"}"#),
            answer(200, &[], PROGRESS),
        ],
    )
    .await;
    let progress = client(&server, 2)
        .get_batch_progress("batch_1")
        .await
        .expect("the second attempt succeeds");
    assert_eq!(progress.total, Some(2));
    mock.mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_send_call_answered_500_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "POST",
        "/v1/api/calls/call",
        vec![answer(500, &[], r#"{"error": "oops"}"#)],
    )
    .await;
    let error = client(&server, 2)
        .send_call(&send_call_body())
        .await
        .expect_err("a 500");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    mock.mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_send_call_answered_429_is_sent_again() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "POST",
        "/v1/api/calls/call",
        vec![
            answer(429, &[("retry-after", "0")], r#"{"error": "slow down"}"#),
            answer(200, &[], CALL_PLACED),
        ],
    )
    .await;
    let placed = client(&server, 2)
        .send_call(&send_call_body())
        .await
        .expect("placed on the second try");
    assert_eq!(placed.call_id.as_deref(), Some("call_1"));
    mock.mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_429_with_retry_after_one_second_waits_about_a_second() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![
            answer(429, &[("retry-after", "1")], r#"{"error": "slow down"}"#),
            answer(200, &[], PROGRESS),
        ],
    )
    .await;
    let started = Instant::now();
    client(&server, 2)
        .get_batch_progress("batch_1")
        .await
        .expect("succeeds after the wait");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
    mock.mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_retry_after_http_date_is_honoured() {
    let server = MockServer::start_async().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let answers = vec![
        answer(503, &[("retry-after", &at)], "{}"),
        answer(200, &[], PROGRESS),
    ];
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        answers,
    )
    .await;
    let started = Instant::now();
    client(&server, 2)
        .get_batch_progress("batch_1")
        .await
        .expect("succeeds after the wait");
    // The date has whole seconds: two seconds from now is at least one second away.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
    mock.mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn retries_stop_at_the_limit_and_the_last_error_is_returned() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![
            answer(502, &[], r#"{"error": "first"}"#),
            answer(503, &[], r#"{"error": "second"}"#),
            answer(504, &[], r#"{"error": "third"}"#),
            answer(200, &[], PROGRESS),
        ],
    )
    .await;
    let error = client(&server, 2)
        .get_batch_progress("batch_1")
        .await
        .expect_err("three failures");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(504));
    assert_eq!(error.api().map(|api| api.message()), Some("third"));
    mock.mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn zero_retries_sends_every_request_once() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![answer(503, &[], "{}")],
    )
    .await;
    client(&server, 0)
        .get_batch_progress("batch_1")
        .await
        .expect_err("a 503");
    mock.mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_post_that_times_out_is_not_retried_and_is_a_timeout() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("POST").path("/v1/api/calls/call");
            then.status(200)
                .delay(Duration::from_secs(2))
                .body(CALL_PLACED);
        })
        .await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let error = client
        .send_call(&send_call_body())
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    // A retry would come within the backoff (at most 0.5 s): give it the time to show.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_get_that_times_out_is_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method("GET")
                .path("/v1/api/batch-calls/batch_1/status");
            then.status(200)
                .delay(Duration::from_secs(2))
                .body(PROGRESS);
        })
        .await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(100))
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(1)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .expect("client");
    let error = client
        .get_batch_progress("batch_1")
        .await
        .expect_err("times out twice");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_call() {
    // Nothing listens on the port: no request can have been sent, so retrying is safe.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(2)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_millis(400)),
        )
        .build()
        .expect("client");
    let started = Instant::now();
    let error = client
        .send_call(&send_call_body())
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    // Two waits, each at least half its step: 100 ms + 200 ms.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300),
        "waited only {waited:?}: not retried"
    );
}

#[tokio::test]
async fn a_start_batch_answered_429_is_uploaded_again_with_the_same_body() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "POST",
        "/v1/api/batch-calls",
        vec![
            answer(429, &[("retry-after", "0")], "{}"),
            answer(200, &[], BATCH_STARTED),
        ],
    )
    .await;
    let csv = Csv::from_bytes("phone_number,first_name\n+14155551234,Ada\n");
    let started = client(&server, 2)
        .start_batch(csv, &StartBatch::new("agent-1"))
        .await
        .expect("started on the second try");
    assert_eq!(started.batch_id.as_deref(), Some("batch_1"));
    mock.mock.assert_calls_async(2).await;
    let bodies = mock.bodies.lock().expect("lock");
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1], "the same multipart body both times");
    assert!(String::from_utf8_lossy(&bodies[0]).contains("+14155551234,Ada"));
}

#[tokio::test]
async fn a_start_batch_answered_503_is_sent_once() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "POST",
        "/v1/api/batch-calls",
        vec![answer(503, &[], "{}"), answer(200, &[], BATCH_STARTED)],
    )
    .await;
    let csv = Csv::from_bytes("phone_number\n+14155551234\n");
    let error = client(&server, 2)
        .start_batch(csv, &StartBatch::new("agent-1"))
        .await
        .expect_err("a 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    mock.mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_validate_answered_503_is_retried_like_a_get() {
    let server = MockServer::start_async().await;
    let mock = sequence(
        &server,
        "POST",
        "/v1/api/batch-calls/validate",
        vec![
            answer(503, &[], "{}"),
            answer(200, &[], r#"{"valid": true}"#),
        ],
    )
    .await;
    let check = client(&server, 2)
        .validate_batch_csv(Csv::from_bytes("phone_number\n+14155551234\n"))
        .await
        .expect("valid on the second try");
    assert_eq!(check.valid, Some(true));
    mock.mock.assert_calls_async(2).await;
}

#[tokio::test]
async fn the_rate_limit_body_reset_at_sets_the_wait_when_there_is_no_retry_after() {
    let server = MockServer::start_async().await;
    // A reset time in the past: retry at once (after the backoff), but only because the
    // body was read; the response still reaches the caller intact when retries run out.
    let limited = r#"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests", "reset_at": "2024-01-22T15:30:00Z"}}"#;
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![answer(429, &[], limited)],
    )
    .await;
    let error = client(&server, 1)
        .get_batch_progress("batch_1")
        .await
        .expect_err("still limited");
    assert_eq!(
        error.api().and_then(|api| api.code()),
        Some("rate_limit_exceeded")
    );
    assert_eq!(
        error.api().map(|api| api.message()),
        Some("Too many requests")
    );
    mock.mock.assert_calls_async(2).await;
}

/// `secs` since the epoch as RFC 3339 UTC (Howard Hinnant's `civil_from_days`).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute, second) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

#[tokio::test]
async fn a_future_reset_at_in_a_429_body_is_waited_for() {
    assert_eq!(rfc3339(1_705_937_400), "2024-01-22T15:30:00Z");
    let server = MockServer::start_async().await;
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    let limited = format!(
        r#"{{"error": {{"code": "rate_limit_exceeded", "reset_at": "{}"}}}}"#,
        rfc3339(now + 2)
    );
    let mock = sequence(
        &server,
        "GET",
        "/v1/api/batch-calls/batch_1/status",
        vec![answer(429, &[], &limited), answer(200, &[], PROGRESS)],
    )
    .await;
    let started = Instant::now();
    client(&server, 2)
        .get_batch_progress("batch_1")
        .await
        .expect("succeeds after the reset");
    // Whole seconds: two seconds from now is at least one second away.
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900),
        "waited only {waited:?}"
    );
    mock.mock.assert_calls_async(2).await;
}
