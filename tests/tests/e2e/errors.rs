//! Error responses of every documented shape become one `trillet::Error` with the status,
//! the API's message, the request id, and a one-line `Display` without phone numbers.

use trillet::Error;
use trillet_e2e::answers::{Answer, Route};
use trillet_e2e::{example_at, operation, Harness};

/// Answers `getAgent` with `answer`, and returns the client's error.
async fn error_for(answer: Answer) -> Error {
    let harness = Harness::start().await;
    let _mock = harness
        .answer_in_turn(&Route::of("getAgent", &["agent-1"]), vec![answer])
        .await;
    harness
        .client
        .get_agent("agent-1")
        .await
        .expect_err("an error")
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
        let error = error_for(Answer::json(*status, documented(name))).await;
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

/// What a row expects of the error (each check only where it is given).
#[derive(Default)]
struct Expected {
    /// The whole `Display`.
    display: Option<&'static str>,
    status: Option<u16>,
    retryable: Option<bool>,
    request_id: Option<&'static str>,
    /// A decode error (the body did not fit the success type).
    decode: bool,
    /// Texts that `Display` and both `Debug` forms never show.
    hides: &'static [&'static str],
    /// Texts that they all show.
    shows: &'static [&'static str],
}

/// The error of `getAgent` answered each way.
fn error_rows() -> Vec<(&'static str, Answer, Expected)> {
    let job_not_found = example_at(&format!(
        "/paths/{}/get/responses/4XX/content/application~1json/examples/jobNotFound/value",
        escaped_path("getBatchCall")
    ));
    vec![
        (
            "the status-not-found shape of batch jobs",
            Answer::json(404, job_not_found.to_string()),
            Expected {
                display: Some("404 Not Found: Call not found"),
                ..Expected::default()
            },
        ),
        (
            "a body with only a status",
            Answer::json(404, r#"{"status": "not_found"}"#),
            Expected {
                display: Some("404 Not Found: not_found"),
                ..Expected::default()
            },
        ),
        (
            "the request id is kept and shown",
            Answer::json(404, documented("AgentNotFound")).header("x-request-id", "req-42"),
            Expected {
                display: Some("404 Not Found: Agent not found (The specified agent does not exist or you don't have access to it); request id req-42"),
                request_id: Some("req-42"),
                ..Expected::default()
            },
        ),
        (
            "a body that is not JSON keeps the status",
            Answer::typed(502, "text/html", "<html>\n<body>Bad gateway</body></html>"),
            Expected {
                display: Some("502 Bad Gateway: <html>"),
                status: Some(502),
                retryable: Some(true),
                ..Expected::default()
            },
        ),
        (
            "an empty body shows the status's reason",
            Answer::typed(503, "text/plain", ""),
            Expected {
                display: Some("503 Service Unavailable: Service Unavailable"),
                ..Expected::default()
            },
        ),
        (
            "phone numbers never appear in messages",
            Answer::json(
                400,
                r#"{"error": "Invalid number +14155551234", "details": "Number 14155551234 is not reachable"}"#,
            ),
            Expected {
                hides: &["4155551234"],
                shows: &["+1*******234"],
                ..Expected::default()
            },
        ),
        (
            "an undocumented success body is a decode error without the number",
            Answer::json(200, r#"{"_id": 14155551234}"#),
            Expected {
                decode: true,
                hides: &["4155551234"],
                ..Expected::default()
            },
        ),
    ]
}

/// The path template of an operation, escaped as a JSON pointer segment.
fn escaped_path(operation_id: &str) -> String {
    let (_, template) = operation(operation_id);
    template.replace('~', "~0").replace('/', "~1")
}

#[tokio::test]
async fn error_answers_become_one_error_with_what_the_caller_needs() {
    for (name, answer, expected) in error_rows() {
        let error = error_for(answer).await;
        if let Some(display) = expected.display {
            assert_eq!(error.to_string(), display, "{name}: Display");
        }
        if let Some(status) = expected.status {
            assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(status),
                "{name}: status"
            );
        }
        if let Some(retryable) = expected.retryable {
            assert_eq!(error.is_retryable(), retryable, "{name}: retryable");
        }
        if let Some(id) = expected.request_id {
            assert_eq!(error.request_id(), Some(id), "{name}: request id");
        }
        if expected.decode {
            assert!(matches!(error, Error::Decode(_)), "{name}: {error:?}");
        }
        for text in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            for hidden in expected.hides {
                assert!(!text.contains(hidden), "{name}: {hidden:?} in {text}");
            }
            for shown in expected.shows {
                assert!(text.contains(shown), "{name}: {shown:?} missing in {text}");
            }
        }
    }
}

/// An operation of each kind, answered with a documented error: generated, hand-written (a batch
/// upload) and the two knowledge-base uploads.
#[derive(Clone, Copy, Debug)]
enum Operation {
    GetAgent,
    StartBatch,
    UploadCallFlowKnowledgeBaseFile,
    UploadKnowledgeBaseFile,
}

#[tokio::test]
async fn generated_and_hand_written_operations_decode_errors_the_same_way() {
    let rows = [
        (Operation::GetAgent, Route::of("getAgent", &["agent-1"])),
        (Operation::StartBatch, Route::of("startBatch", &[])),
        (
            Operation::UploadCallFlowKnowledgeBaseFile,
            Route::of("uploadCallFlowKnowledgeBaseFile", &["flow-1"]),
        ),
        (
            Operation::UploadKnowledgeBaseFile,
            Route::of("uploadKnowledgeBaseFile", &["kb-1"]),
        ),
    ];
    for (call, route) in rows {
        let harness = Harness::start().await;
        let mock = harness
            .answer_in_turn(
                &route,
                vec![Answer::json(400, documented("InvalidConfiguration"))],
            )
            .await;
        let file = || trillet::Document::from_bytes("faq.txt", "Open 8am to 8pm.");
        let client = &harness.client;
        let result = match call {
            Operation::GetAgent => client.get_agent("agent-1").await.map(drop),
            Operation::StartBatch => client
                .start_batch(
                    trillet::Csv::from_bytes("phone_number\n+14155551234\n"),
                    &trillet::StartBatch::new("agent-1"),
                )
                .await
                .map(drop),
            Operation::UploadCallFlowKnowledgeBaseFile => client
                .upload_call_flow_knowledge_base_file("flow-1", file())
                .await
                .map(drop),
            Operation::UploadKnowledgeBaseFile => client
                .upload_knowledge_base_file("kb-1", file())
                .await
                .map(drop),
        };
        let error = result.expect_err("refused");
        assert_eq!(
            error.to_string(),
            "400 Bad Request: Invalid configuration (Agent has no phone number configured)",
            "{call:?}"
        );
        assert_eq!(mock.mock.calls_async().await, 1, "{call:?}: requests");
    }
}
