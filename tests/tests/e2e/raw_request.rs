//! The escape hatch on the wire ([`trillet::Client::request`]): any path through the
//! same credentials, options, retry policy, limits, redaction and error type; a request
//! the contract does not describe is side-effecting unless marked, and a `POST` needs
//! the explicit `idempotent_despite_method`.

use std::time::Duration;

use httpmock::MockServer;
use serde_json::{json, Value};
use trillet::raw_request::Form;
use trillet::retry::RetryPolicy;
use trillet::{Client, Error, Method, RawRequest, RequestOptions, ResponseMeta};
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::clock::with_fast_clock;
use trillet_e2e::{
    assert_client_credentials, client_builder, document, is_refused_before_sending,
    parse_multipart, path_of, API_KEY,
};

const BUSY: &str = r#"{"error": "Service unavailable"}"#;

/// A path of the API that the contract does not describe (checked against the spec).
fn beta_path() -> String {
    let path = "/v1/api/beta/usage-reports".to_string();
    let paths = document()["paths"].as_object().expect("paths");
    assert!(!paths.contains_key(&path), "{path} is in the contract now");
    path
}

/// A route of `method` at `path`, which need not be in the contract.
async fn mock_at<'a>(
    server: &'a MockServer,
    method: &'static str,
    path: &str,
    answers: Vec<Answer>,
) -> trillet_e2e::answers::Answered<'a> {
    answer_in_turn(server, &Route::at(method, path), answers).await
}

/// A client of `server` with 2 retries and short backoff steps.
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

/// How a raw request is marked in a row.
#[derive(Clone, Copy, Debug)]
enum Mark {
    Unmarked,
    Idempotent,
    DespiteMethod,
}

fn marked(request: RawRequest<'_>, mark: Mark) -> RawRequest<'_> {
    match mark {
        Mark::Unmarked => request,
        Mark::Idempotent => request.idempotent(),
        Mark::DespiteMethod => request.idempotent_despite_method(),
    }
}

#[tokio::test]
async fn raw_requests_are_side_effecting_unless_marked_and_a_post_needs_the_explicit_opt_in() {
    let beta = beta_path();
    let send_call = path_of("sendCall", &[]);
    let progress = path_of("getBatchProgress", &["batch_1"]);
    // (method, path, mark, requests the server gets when it answers 503 each time,
    // refused before sending)
    let table: Vec<(&str, &str, Mark, usize, bool)> = vec![
        ("GET", &beta, Mark::Unmarked, 1, false),
        ("GET", &beta, Mark::Idempotent, 3, false),
        ("DELETE", &beta, Mark::Idempotent, 3, false),
        ("POST", &beta, Mark::Unmarked, 1, false),
        ("POST", &beta, Mark::Idempotent, 0, true),
        ("PATCH", &beta, Mark::Idempotent, 0, true),
        ("POST", &beta, Mark::DespiteMethod, 3, false),
        // The contract's word wins: an idempotent GET is retried unmarked...
        ("GET", &progress, Mark::Unmarked, 3, false),
        // ... and a call-placing POST can't be marked safe at all.
        ("POST", &send_call, Mark::Unmarked, 1, false),
        ("POST", &send_call, Mark::Idempotent, 0, true),
        ("POST", &send_call, Mark::DespiteMethod, 0, true),
    ];
    for (method, path, mark, expected, refused) in table {
        let server = MockServer::start_async().await;
        let answered = mock_at(&server, method, path, vec![Answer::json(503, BUSY)]).await;
        let client = client_of(&server);
        let method_of = Method::from_bytes(method.as_bytes()).expect("method");
        let request = marked(client.request(method_of, path), mark).json(&json!({"a": 1}));
        let error = with_fast_clock(request.send::<Value>())
            .await
            .expect_err("503 or refused");
        let row = format!("{method} {path} {mark:?}");
        assert_eq!(is_refused_before_sending(&error), refused, "{row}: {error}");
        if !refused {
            assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{row}");
        }
        assert_eq!(answered.count(), expected, "{row}");
    }
}

#[tokio::test]
async fn a_raw_request_sends_query_json_and_credentials_and_decodes_any_type() {
    let server = MockServer::start_async().await;
    let beta = beta_path();
    let answered =
        mock_at(
            &server,
            "POST",
            &beta,
            vec![Answer::json(201, r#"{"reportId": "r-1", "rows": 3}"#)
                .header("x-request-id", "req_9")],
        )
        .await;
    #[derive(serde::Deserialize)]
    struct Report {
        #[serde(rename = "reportId")]
        report_id: String,
    }
    let report = client_of(&server)
        .request(Method::POST, &beta)
        .query([("month", "2026-11"), ("tag", "a b")])
        .json(&json!({"format": "csv"}))
        .send::<Report>()
        .await
        .expect("201");
    assert_eq!(report.report_id, "r-1");
    assert_eq!(report.status().as_u16(), 201);
    assert_eq!(report.request_id(), Some("req_9"));
    let request = &answered.requests()[0];
    assert_client_credentials(request);
    let headers = request.headers();
    assert_eq!(
        headers.get("content-type").expect("type"),
        "application/json"
    );
    let query = request.query_params();
    assert!(
        query.contains(&("month".to_string(), "2026-11".to_string())),
        "{query:?}"
    );
    assert!(
        query.contains(&("tag".to_string(), "a b".to_string())),
        "{query:?}"
    );
    let body: Value = serde_json::from_slice(request.body_ref()).expect("JSON");
    assert_eq!(body, json!({"format": "csv"}));
}

#[tokio::test]
async fn a_raw_multipart_body_arrives_whole_and_bytes_come_back_as_sent() {
    let server = MockServer::start_async().await;
    let beta = beta_path();
    let answered = mock_at(
        &server,
        "POST",
        &beta,
        vec![Answer::typed(200, "text/csv", "id,total\n1,2\n")],
    )
    .await;
    let form = Form::new().text("agentId", "agent-1").file(
        "file",
        "calls.csv",
        "text/csv",
        b"phone_number\n+14155551234\n".to_vec(),
    );
    let csv = client_of(&server)
        .request(Method::POST, &beta)
        .multipart(form)
        .send_bytes()
        .await
        .expect("200");
    assert_eq!(csv.into_inner(), b"id,total\n1,2\n");
    let request = &answered.requests()[0];
    let headers = request.headers();
    let content_type = headers.get("content-type").expect("type");
    let parts = parse_multipart(content_type.to_str().expect("text"), request.body_ref());
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["agentId", "file"]);
}

#[tokio::test]
async fn raw_errors_are_the_clients_errors_scrubbed_and_within_limits() {
    let server = MockServer::start_async().await;
    let beta = beta_path();
    let echo = format!(r#"{{"error": "bad key {API_KEY}", "code": "unauthorized"}}"#);
    let _refused = mock_at(&server, "GET", &beta, vec![Answer::json(401, echo)]).await;
    let big = format!("[{}]", vec!["1"; 2000].join(","));
    let large_path = format!("{beta}/large");
    let _large = mock_at(&server, "GET", &large_path, vec![Answer::json(200, big)]).await;
    let client = client_builder(server.base_url())
        .max_retries(0)
        .max_response_bytes(1024)
        .build()
        .expect("client");

    let error = client
        .request(Method::GET, &beta)
        .send::<Value>()
        .await
        .expect_err("401");
    let api = error.api().expect("an API error");
    assert_eq!(api.code(), Some("unauthorized"));
    assert!(!format!("{error} {error:?}").contains(API_KEY), "{error}");

    let error = client
        .request(Method::GET, &large_path)
        .send_bytes()
        .await
        .expect_err("over the limit");
    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_raw_path_can_not_leave_the_base_urls_host() {
    let server = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let beta = beta_path();
    let answered = mock_at(&other, "GET", &beta, vec![Answer::json(200, "{}")]).await;
    let client = client_of(&server);
    for path in [
        format!("{}{beta}", other.base_url()),
        format!("//{}{beta}", other.address()),
        "v1/api/agents".to_string(),
        format!("{beta}?phone=+14155551234"),
    ] {
        let error = client
            .request(Method::GET, &path)
            .send::<Value>()
            .await
            .expect_err(&path);
        assert!(is_refused_before_sending(&error), "{path}: {error:?}");
        assert!(!error.to_string().contains("4155551234"), "{error}");
    }
    assert_eq!(answered.count(), 0, "nothing reached the other host");
}

#[tokio::test]
async fn a_raw_request_honours_the_views_options() {
    let server = MockServer::start_async().await;
    let beta = beta_path();
    let answered = mock_at(&server, "GET", &beta, vec![Answer::json(503, BUSY)]).await;
    let view = client_of(&server)
        .with_options(RequestOptions::new().max_retries(0).header("x-beta", "on"))
        .expect("options");
    let error = with_fast_clock(
        view.request(Method::GET, &beta)
            .idempotent()
            .send::<Value>(),
    )
    .await
    .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(answered.count(), 1, "max_retries(0) holds for raw requests");
    let sent = &answered.requests()[0];
    assert_eq!(sent.headers().get("x-beta").expect("header"), "on");
}
