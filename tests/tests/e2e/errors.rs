//! Error responses of every documented shape become one `trillet::Error` with the status,
//! the API's message, the request id, and a one-line `Display` without phone numbers.

use serde_json::Value;
use trillet::Error;
use trillet_e2e::{example_at, Harness};

/// Answers `getAgent` with `status` and `body`, and returns the client's error.
async fn error_for(
    status: u16,
    content_type: &'static str,
    body: &str,
    request_id: Option<&str>,
) -> Error {
    let harness = Harness::start().await;
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.path("/v1/api/agents/agent-1");
            let then = then
                .status(status)
                .header("content-type", content_type)
                .body(body);
            if let Some(id) = request_id {
                then.header("x-request-id", id);
            }
        })
        .await;
    harness
        .client
        .get_agent("agent-1")
        .await
        .expect_err("an error status")
}

/// A documented error example of the spec (`#/components/examples/<name>`).
fn documented(name: &str) -> String {
    example_at(&format!("/components/examples/{name}/value")).to_string()
}

#[tokio::test]
async fn every_documented_error_shape_decodes_with_status_message_and_display() {
    // (example, status, message, detail, code, Display)
    type Case = (
        &'static str,
        u16,
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );
    let cases: &[Case] = &[
        ("AgentNotFound", 404, "Agent not found", Some("The specified agent does not exist or you don't have access to it"), None,
         "404 Not Found: Agent not found (The specified agent does not exist or you don't have access to it)"),
        ("InvalidConfiguration", 400, "Invalid configuration", Some("Agent has no phone number configured"), None,
         "400 Bad Request: Invalid configuration (Agent has no phone number configured)"),
        ("RateLimited", 429, "Too many requests. Please try again in 60 seconds.", None, Some("rate_limit_exceeded"),
         "429 Too Many Requests: Too many requests. Please try again in 60 seconds."),
        ("InvalidNumber", 400, "The provided phone number is invalid", None, Some("invalid_number"),
         "400 Bad Request: The provided phone number is invalid"),
        ("InsufficientCredits", 400, "Your account has insufficient credits", None, Some("insufficient_credits"),
         "400 Bad Request: Your account has insufficient credits"),
        ("FailedToInitiate", 500, "Failed to initiate call", Some("Error message"), Some("UNKNOWN_ERROR"),
         "500 Internal Server Error: Failed to initiate call (Error message)"),
        ("BatchNotFound", 404, "Batch not found", Some("No batch with this id exists in the workspace"), None,
         "404 Not Found: Batch not found (No batch with this id exists in the workspace)"),
        ("InternalError", 500, "Internal server error", Some("Failed to retrieve batch status"), None,
         "500 Internal Server Error: Internal server error (Failed to retrieve batch status)"),
    ];
    for (name, status, message, detail, code, display) in cases {
        let error = error_for(*status, "application/json", &documented(name), None).await;
        let Error::Api(api) = &error else {
            panic!("{name}: {error:?}")
        };
        assert_eq!(api.status().as_u16(), *status, "{name}");
        assert_eq!(api.message(), *message, "{name}");
        assert_eq!(api.detail(), *detail, "{name}");
        assert_eq!(api.code(), *code, "{name}");
        assert_eq!(error.to_string(), *display, "{name}");
        assert!(api.body().is_some(), "{name}: the body is kept");
    }
}

#[tokio::test]
async fn status_not_found_shape_of_batch_jobs() {
    let body = example_at(
        "/paths/~1v1~1api~1batch-calls~1{batchId}~1calls~1{jobId}/get/responses/4XX/content/application~1json/examples/jobNotFound/value",
    );
    let error = error_for(404, "application/json", &body.to_string(), None).await;
    assert_eq!(error.to_string(), "404 Not Found: Call not found");
    let only_status = error_for(404, "application/json", r#"{"status": "not_found"}"#, None).await;
    assert_eq!(only_status.to_string(), "404 Not Found: not_found");
}

#[tokio::test]
async fn request_id_is_kept_and_shown() {
    let error = error_for(
        404,
        "application/json",
        &documented("AgentNotFound"),
        Some("req-42"),
    )
    .await;
    assert_eq!(error.request_id(), Some("req-42"));
    assert!(
        error.to_string().ends_with("; request id req-42"),
        "{error}"
    );
}

#[tokio::test]
async fn a_body_that_is_not_json_keeps_the_status() {
    let error = error_for(
        502,
        "text/html",
        "<html>\n<body>Bad gateway</body></html>",
        None,
    )
    .await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(502));
    assert!(error.is_retryable());
    assert_eq!(error.to_string(), "502 Bad Gateway: <html>");
    let empty = error_for(503, "text/plain", "", None).await;
    assert_eq!(
        empty.to_string(),
        "503 Service Unavailable: Service Unavailable"
    );
}

#[tokio::test]
async fn phone_numbers_never_appear_in_messages() {
    let body = r#"{"error": "Invalid number +14155551234", "details": "Number 14155551234 is not reachable"}"#;
    let error = error_for(400, "application/json", body, None).await;
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!text.contains("4155551234"), "{text}");
        assert!(text.contains("+1*******234"), "{text}");
    }
}

#[tokio::test]
async fn undocumented_success_body_is_a_decode_error_without_the_number() {
    let harness = Harness::start().await;
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.path("/v1/api/agents/agent-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"_id": 14155551234}"#);
        })
        .await;
    let error = harness
        .client
        .get_agent("agent-1")
        .await
        .expect_err("does not decode");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert!(!error.to_string().contains("4155551234"), "{error}");
}

#[tokio::test]
async fn hand_written_operations_decode_errors_the_same_way() {
    let harness = Harness::start().await;
    let body: Value = serde_json::from_str(&documented("InvalidConfiguration")).expect("JSON");
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.path("/v1/api/batch-calls");
            then.status(400)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await;
    let error = harness
        .client
        .start_batch(
            trillet::Csv::from_bytes("phone_number\n+14155551234\n"),
            &trillet::StartBatch::new("agent-1"),
        )
        .await
        .expect_err("refused");
    assert_eq!(
        error.to_string(),
        "400 Bad Request: Invalid configuration (Agent has no phone number configured)"
    );
}

#[tokio::test]
async fn knowledge_base_uploads_decode_errors_the_same_way() {
    let harness = Harness::start().await;
    let body: Value = serde_json::from_str(&documented("InvalidConfiguration")).expect("JSON");
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.method("POST");
            then.status(400)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await;
    let file = || trillet::Document::from_bytes("faq.txt", "Open 8am to 8pm.");
    let client = &harness.client;
    let errors = [
        client
            .upload_call_flow_knowledge_base_file("flow-1", file())
            .await
            .expect_err("refused"),
        client
            .upload_knowledge_base_file("kb-1", file())
            .await
            .expect_err("refused"),
    ];
    for error in errors {
        assert_eq!(
            error.to_string(),
            "400 Bad Request: Invalid configuration (Agent has no phone number configured)"
        );
    }
}
