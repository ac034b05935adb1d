//! What the client logs through `tracing`: one span per attempt with the operation,
//! method, path template, attempt, status and elapsed time, and never an API key, a phone
//! number, a header value or a body.

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use trillet::batch_upload::{Csv, StartBatch};
use trillet::retry::RetryPolicy;
use trillet::types::SendCallRequest;
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::logs::capture_logs;
use trillet_e2e::{client_builder, operation, API_KEY};

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("lock")).into_owned()
    }
}

#[tokio::test]
async fn requests_are_traced_without_keys_numbers_or_bodies() {
    // The process's global subscriber (at TRACE) keeps every callsite enabled while tests
    // on other threads register theirs; this test's own subscriber, set for its thread
    // only, sees just this test's records.
    capture_logs();
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    // The server echoes phone numbers back in bodies, as the real API does.
    let _call = answer_in_turn(
        &server,
        &Route::of("sendCall", &[]),
        vec![Answer::json(
            200,
            r#"{"status": "success", "callId": "call_1", "toNumber": "+14155551234"}"#,
        )],
    )
    .await;
    let _batch = answer_in_turn(
        &server,
        &Route::of("startBatch", &[]),
        vec![
            Answer::json(429, r#"{"error": "Too many requests for +14155559876"}"#)
                .header("retry-after", "0"),
        ],
    )
    .await;
    let client = client_builder(server.base_url())
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(1)
                .with_initial_backoff(std::time::Duration::from_millis(10)),
        )
        .build()
        .expect("client");

    let body = SendCallRequest::new("agent-1", "+14155551234".parse().expect("E.164"));
    client.send_call(&body).await.expect("placed");
    let csv = Csv::from_bytes("phone_number,first_name\n+14155559876,Ada\n");
    let error = client
        .start_batch(csv, &StartBatch::new("agent-1"))
        .await
        .expect_err("rate limited twice");
    tracing::info!(%error, "the caller logs the error it got");

    let log = captured.text();
    let span = |operation_id: &str, attempt: u32, status: u16| {
        let (method, path) = operation(operation_id);
        format!(
            "trillet.request{{operation=\"{operation_id}\" method={method} path=\"{path}\" attempt={attempt} status={status} elapsed_ms="
        )
    };
    for expected in [
        span("sendCall", 1, 200),
        span("startBatch", 1, 429),
        span("startBatch", 2, 429),
        "retrying".to_string(),
        "elapsed_ms=".to_string(),
    ] {
        assert!(log.contains(&expected), "missing {expected:?} in:\n{log}");
    }
    for secret in [API_KEY, "4155551234", "4155559876", "x-api-key", "Ada"] {
        assert!(
            !log.contains(secret),
            "{secret:?} leaked into the log:\n{log}"
        );
    }
}
