//! Per-request options on the wire ([`trillet::RequestOptions`]): each takes effect for
//! the calls of its view only, the credentials sent are always the client's, and no
//! option makes a side-effecting request retried on a 5xx. Also the request id of a
//! success ([`trillet::ResponseMeta`]) and the error helpers (`is_not_found`,
//! `is_rate_limited`, `is_timeout`, `retry_after`).

use std::time::Duration;

use httpmock::MockServer;
use trillet::retry::RetryPolicy;
use trillet::types::SendCallRequest;
use trillet::{Client, E164PhoneNumber, RequestOptions, ResponseMeta};
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::clock::with_fast_clock;
use trillet_e2e::{assert_client_credentials, client_builder, is_refused_before_sending};

const PROGRESS: &str = r#"{"status": "processing", "isComplete": false, "total": 2}"#;
const CALL_PLACED: &str = r#"{"status": "success", "callId": "call_1"}"#;
const BUSY: &str = r#"{"error": "Service unavailable"}"#;

/// A client of `server` with 2 retries and short backoff steps (20 to 80 ms).
fn client_of(server: &MockServer) -> Client {
    client_builder(server.base_url())
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(2)
                .with_initial_backoff(Duration::from_millis(20))
                .with_max_backoff(Duration::from_millis(80)),
        )
        .build()
        .expect("client")
}

fn send_call_body() -> SendCallRequest {
    let number: E164PhoneNumber = "+14155551234".parse().expect("E.164");
    SendCallRequest::new("agent-1", number)
}

/// Every option, alone and together, with what it is called in failure messages.
fn every_option() -> Vec<(&'static str, RequestOptions)> {
    vec![
        ("none", RequestOptions::new()),
        ("max_retries(5)", RequestOptions::new().max_retries(5)),
        ("max_retries(0)", RequestOptions::new().max_retries(0)),
        (
            "timeout(30 s)",
            RequestOptions::new().timeout(Duration::from_secs(30)),
        ),
        (
            "deadline(10 min)",
            RequestOptions::new().deadline(Duration::from_secs(600)),
        ),
        ("header", RequestOptions::new().header("x-trace", "t-1")),
        (
            "all",
            RequestOptions::new()
                .max_retries(5)
                .timeout(Duration::from_secs(30))
                .deadline(Duration::from_secs(600))
                .header("x-trace", "t-1"),
        ),
    ]
}

#[tokio::test]
async fn no_option_makes_a_call_placing_request_retried_on_a_5xx() {
    for (name, options) in every_option() {
        let server = MockServer::start_async().await;
        let answered = answer_in_turn(
            &server,
            &Route::of("sendCall", &[]),
            vec![Answer::json(503, BUSY), Answer::json(200, CALL_PLACED)],
        )
        .await;
        let view = client_of(&server).with_options(options).expect("options");
        let result = with_fast_clock(view.send_call(&send_call_body())).await;
        let error = result.expect_err(name);
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{name}");
        assert_eq!(answered.count(), 1, "{name}: sent once, never again");
    }
}

#[tokio::test]
async fn the_retry_count_of_an_option_holds_for_its_view_only() {
    // (options, requests for a GET answered 503 every time)
    let table = [
        (RequestOptions::new(), 3),
        (RequestOptions::new().max_retries(0), 1),
        (RequestOptions::new().max_retries(4), 5),
    ];
    for (options, expected) in table {
        let server = MockServer::start_async().await;
        let answered = answer_in_turn(
            &server,
            &Route::of("getBatchProgress", &["batch_1"]),
            vec![Answer::json(503, BUSY)],
        )
        .await;
        let client = client_of(&server);
        let view = client.with_options(options.clone()).expect("options");
        let error = with_fast_clock(view.get_batch_progress("batch_1"))
            .await
            .expect_err("503");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(answered.count(), expected, "{options:?}");
        // The client itself still retries twice.
        let _ = with_fast_clock(client.get_batch_progress("batch_1")).await;
        assert_eq!(
            answered.count(),
            expected + 3,
            "{options:?}: the client after"
        );
    }
}

#[tokio::test]
async fn an_option_header_goes_with_the_views_calls_only() {
    let server = MockServer::start_async().await;
    let answered = answer_in_turn(
        &server,
        &Route::of("getBatchProgress", &["batch_1"]),
        vec![Answer::json(200, PROGRESS)],
    )
    .await;
    let client = client_of(&server);
    let traced = RequestOptions::new().header("x-correlation-id", "order-1234");
    client
        .with_options(traced)
        .expect("options")
        .get_batch_progress("batch_1")
        .await
        .expect("traced call");
    client
        .get_batch_progress("batch_1")
        .await
        .expect("plain call");
    let requests = answered.requests();
    let header_of = |n: usize| {
        requests[n]
            .headers()
            .get("x-correlation-id")
            .map(|v| v.to_str().expect("text").to_string())
    };
    assert_eq!(header_of(0).as_deref(), Some("order-1234"));
    assert_eq!(
        header_of(1),
        None,
        "the client's own call has no such header"
    );
    for request in &requests {
        assert_client_credentials(request);
    }
}

#[tokio::test]
async fn an_option_can_not_replace_the_credentials_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let answered = answer_in_turn(
        &server,
        &Route::of("getBatchProgress", &["batch_1"]),
        vec![Answer::json(200, PROGRESS)],
    )
    .await;
    let client = client_of(&server);
    for name in ["x-api-key", "X-Workspace-Id"] {
        let options = RequestOptions::new().header(name, "intruder-value-77");
        let error = client.with_options(options).expect_err(name);
        assert!(is_refused_before_sending(&error), "{name}: {error:?}");
        assert!(!error.to_string().contains("intruder-value-77"), "{error}");
    }
    assert_eq!(answered.count(), 0);
}

#[tokio::test]
async fn a_shorter_timeout_option_times_out_that_call_only() {
    let server = MockServer::start_async().await;
    // Two real seconds late: past the option's 1 s of the fast clock, well within the
    // client's 60 s.
    let route = Route::of("getBatchProgress", &["batch_1"]).delayed(Duration::from_secs(2));
    let answered = answer_in_turn(&server, &route, vec![Answer::json(200, PROGRESS)]).await;
    let client = client_of(&server);
    let hasty = RequestOptions::new()
        .timeout(Duration::from_secs(1))
        .max_retries(0);
    let view = client.with_options(hasty).expect("options");
    let error = with_fast_clock(view.get_batch_progress("batch_1"))
        .await
        .expect_err("timed out");
    assert!(error.is_timeout(), "{error:?}");
    assert!(!error.is_not_found() && !error.is_rate_limited());
    let progress = client
        .get_batch_progress("batch_1")
        .await
        .expect("the client's own timeout is untouched");
    assert_eq!(progress.total, Some(2));
    // No count of requests here: httpmock records a request when it answers, which for
    // the one the client gave up on may or may not have happened yet.
    drop(answered);
}

#[tokio::test]
async fn successes_and_errors_carry_the_request_id_status_and_headers() {
    let server = MockServer::start_async().await;
    let _found = answer_in_turn(
        &server,
        &Route::of("getBatchProgress", &["batch_1"]),
        vec![Answer::json(200, PROGRESS).header("x-request-id", "req_ok_1")],
    )
    .await;
    let _missing =
        answer_in_turn(
            &server,
            &Route::of("getBatchProgress", &["batch_gone"]),
            vec![Answer::json(404, r#"{"error": "Batch not found"}"#)
                .header("x-request-id", "req_404")],
        )
        .await;
    let _limited = answer_in_turn(
        &server,
        &Route::of("getBatchProgress", &["batch_busy"]),
        vec![Answer::json(429, r#"{"error": "Too many requests"}"#)
            .header("retry-after", "7")
            .header("x-ratelimit-remaining", "0")],
    )
    .await;
    let client = client_of(&server)
        .with_options(RequestOptions::new().max_retries(0))
        .expect("options");

    let progress = client.get_batch_progress("batch_1").await.expect("200");
    assert_eq!(progress.request_id(), Some("req_ok_1"));
    assert_eq!(progress.status().as_u16(), 200);
    assert!(progress.headers().contains_key("content-type"));

    let missing = client
        .get_batch_progress("batch_gone")
        .await
        .expect_err("404");
    assert!(
        missing.is_not_found() && !missing.is_rate_limited(),
        "{missing:?}"
    );
    assert_eq!(missing.request_id(), Some("req_404"));
    assert_eq!(missing.retry_after(), None);

    let limited = client
        .get_batch_progress("batch_busy")
        .await
        .expect_err("429");
    assert!(
        limited.is_rate_limited() && !limited.is_timeout(),
        "{limited:?}"
    );
    assert_eq!(limited.retry_after(), Some(Duration::from_secs(7)));
    let api = limited.api().expect("an API error");
    assert_eq!(
        api.headers().get("x-ratelimit-remaining").expect("header"),
        "0"
    );
}
