//! The escape hatch for fields the contract does not know yet, on the wire:
//! `Client::with_extra_body` (merged into JSON bodies: extras win, objects merge deeply,
//! requests without a JSON body refused before sending), `with_extra_query` and
//! `with_extra_headers` (the client's own headers refused).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::{json, Value};
use tracing::Metadata;
use tracing_subscriber::fmt::MakeWriter;
use trillet::batch_upload::Csv;
use trillet::retry::RetryPolicy;
use trillet::types;
use trillet::uploads::Document;
use trillet::{Client, Error};
use trillet_e2e::{operation, response_examples, Expect, Harness, API_KEY, WORKSPACE_ID};

/// The concrete path of an operation of the spec, its parameters filled in order.
fn path_of(operation_id: &str, values: &[&str]) -> String {
    let (_, template) = operation(operation_id);
    let mut path = String::new();
    let mut rest = template.as_str();
    let mut values = values.iter();
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        path.push_str(values.next().expect("a value for every parameter"));
        let end = rest.find('}').expect("a closing brace");
        rest = &rest[end + 1..];
    }
    path.push_str(rest);
    path
}

/// The value of a header of a received request.
fn header(request: &HttpMockRequest, name: &str) -> Option<String> {
    request
        .headers_vec()
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// The JSON body of a received request exactly as sent (no `null` dropped), after
/// checking that its `Content-Length` is its length.
fn sent_json(request: &HttpMockRequest) -> Value {
    let body = request.body_ref();
    assert_eq!(
        header(request, "content-length"),
        Some(body.len().to_string()),
        "Content-Length follows the merged body"
    );
    serde_json::from_slice(body).expect("the body is JSON")
}

/// `result` is an [`Error::InvalidArgument`] whose message has every one of `parts`.
fn assert_refused<T>(result: Result<T, Error>, parts: &[&str]) -> String {
    let error = match result {
        Ok(_) => panic!("expected a refusal naming {parts:?}"),
        Err(error) => error,
    };
    assert!(
        matches!(error, Error::InvalidArgument(_)),
        "not InvalidArgument: {error:?}"
    );
    let message = error.to_string();
    for part in parts {
        assert!(message.contains(part), "{part:?} missing in: {message}");
    }
    message
}

#[tokio::test]
async fn extra_fields_are_sent_after_the_typed_fields() {
    let harness = Harness::start().await;
    let body = types::AgentUpdate {
        name: Some("Front Desk".into()),
        llm_model: Some(trillet::models::llm::GPT_4O.into()),
        ..Default::default()
    };
    let expected = json!({
        "name": "Front Desk",
        "llmModel": "gpt-4o",
        "systemPrompt": "You are the front desk of a dental clinic.",
        "websiteUrl": "https://clinic.example",
    });
    let expectation = harness
        .expect(
            Expect::op("updateAgent")
                .path("agentId", "agent-1")
                .json(expected.clone()),
        )
        .await;
    let agent = harness
        .client
        .with_extra_body(json!({
            "systemPrompt": "You are the front desk of a dental clinic.",
            "websiteUrl": "https://clinic.example",
        }))
        .expect("an object")
        .update_agent("agent-1", &body)
        .await
        .expect("updateAgent");
    expectation.verify(&*agent);
    let request = expectation.request();
    assert_eq!(sent_json(&request), expected);
    // The typed fields are the text serde writes without extras, first and unchanged.
    let typed = serde_json::to_string(&body).expect("serialises");
    let sent = String::from_utf8(request.body_ref().to_vec()).expect("UTF-8");
    assert!(
        sent.starts_with(typed.trim_end_matches('}')),
        "{sent} does not start with {typed}"
    );
}

#[tokio::test]
async fn extra_objects_merge_deeply_into_the_typed_settings() {
    let harness = Harness::start().await;
    let body = types::CallFlowUpdate {
        prompt: Some("Book appointments.".into()),
        settings: Some(types::CallFlowSettingsUpdate {
            customer_location: Some("new york".into()),
            utilize_prior_calls_context: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let extras = json!({
        "settings": {
            "speechSetting": {"interruptionSensitivity": 0.4, "backgroundSound": "office"},
            "tools": [{"type": "endCall"}],
        },
    });
    let expected = json!({
        "prompt": "Book appointments.",
        "settings": {
            "customerLocation": "new york",
            "utilizePriorCallsContext": true,
            "speechSetting": {"interruptionSensitivity": 0.4, "backgroundSound": "office"},
            "tools": [{"type": "endCall"}],
        },
    });
    let expectation = harness
        .expect(
            Expect::op("updateCallFlow")
                .path("flowId", "flow-1")
                .json(expected.clone()),
        )
        .await;
    let flow = harness
        .client
        .with_extra_body(extras)
        .expect("an object")
        .update_call_flow("flow-1", &body)
        .await
        .expect("updateCallFlow");
    expectation.verify(&*flow);
    assert_eq!(sent_json(&expectation.request()), expected);
}

#[tokio::test]
async fn extra_values_win_over_typed_ones_and_null_is_sent() {
    let harness = Harness::start().await;
    let body = types::AgentUpdate {
        name: Some("Front Desk".into()),
        phone_number_ids: vec!["pn-1".into(), "pn-2".into()],
        smart_callback: Some(true),
        settings: Some(types::AgentSettings {
            speed: Some(0.5),
            ..Default::default()
        }),
        ..Default::default()
    };
    let expectation = harness
        .expect(Expect::op("updateAgent").path("agentId", "agent-1"))
        .await;
    harness
        .client
        .with_extra_body(json!({
            "name": "Reception",             // a scalar replaces the typed one
            "phoneNumberIds": ["pn-3"],      // an array replaces the typed one whole
            "smartCallback": null,           // null is sent, not dropped
            "settings": {"speed": "fast"},   // inside an object, a value of another type
        }))
        .expect("an object")
        .update_agent("agent-1", &body)
        .await
        .expect("updateAgent");
    assert_eq!(
        sent_json(&expectation.request()),
        json!({
            "name": "Reception",
            "phoneNumberIds": ["pn-3"],
            "smartCallback": null,
            "settings": {"speed": "fast"},
        })
    );
}

#[tokio::test]
async fn successive_extra_bodies_merge_and_the_later_wins() {
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("updateAgent").path("agentId", "agent-1"))
        .await;
    let base = harness
        .client
        .with_extra_body(json!({"systemPrompt": "one", "settings": {"a": 1, "b": 1}}))
        .expect("an object");
    base.with_extra_body(json!({"systemPrompt": "two", "settings": {"b": 2}}))
        .expect("an object")
        .update_agent("agent-1", &types::AgentUpdate::default())
        .await
        .expect("updateAgent");
    assert_eq!(
        sent_json(&expectation.request()),
        json!({"systemPrompt": "two", "settings": {"a": 1, "b": 2}})
    );
}

#[tokio::test]
async fn a_put_answered_503_then_200_sends_the_same_merged_body_twice() {
    let server = MockServer::start_async().await;
    let (_, ok) = response_examples("updateAgent", "200")
        .into_iter()
        .next()
        .expect("a success example");
    let served = Arc::new(AtomicUsize::new(0));
    let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let sink = bodies.clone();
    let mock = server
        .mock_async(|when, then| {
            when.method("PUT")
                .path(path_of("updateAgent", &["agent-1"]))
                .header("x-api-key", API_KEY);
            then.respond_with(move |request: &HttpMockRequest| {
                sink.lock().expect("lock").push(request.body_ref().to_vec());
                let (status, body) = match served.fetch_add(1, Ordering::SeqCst) {
                    0 => (503, r#"{"error": "busy"}"#.to_string()),
                    _ => (200, ok.to_string()),
                };
                HttpMockResponse::builder()
                    .status(status)
                    .header("content-type", "application/json")
                    .body(body)
                    .build()
            });
        })
        .await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(2)
                .with_initial_backoff(Duration::from_millis(10)),
        )
        .build()
        .expect("client");
    let body = types::AgentUpdate {
        name: Some("Front Desk".into()),
        ..Default::default()
    };
    client
        .with_extra_body(
            json!({"systemPrompt": "Be brief.", "settings": {"speechSetting": {"x": 1}}}),
        )
        .expect("an object")
        .update_agent("agent-1", &body)
        .await
        .expect("the second attempt succeeds");
    mock.assert_calls_async(2).await;
    let bodies = bodies.lock().expect("lock");
    assert_eq!(bodies[0], bodies[1], "the retry sends the same bytes");
    let sent: Value = serde_json::from_slice(&bodies[1]).expect("JSON");
    assert_eq!(
        sent,
        json!({"name": "Front Desk", "systemPrompt": "Be brief.", "settings": {"speechSetting": {"x": 1}}})
    );
}

#[tokio::test]
async fn extra_body_fields_on_a_request_without_a_json_body_are_refused_before_sending() {
    let harness = Harness::start().await;
    let anything = harness
        .server
        .mock_async(|_, then| {
            then.status(500);
        })
        .await;
    let client = harness
        .client
        .with_extra_body(json!({"systemPrompt": "x"}))
        .expect("an object");
    let no_body = "it has no request body";
    let multipart = "its body is multipart/form-data";
    assert_refused(
        client.get_agent("agent-1").await,
        &[
            "systemPrompt",
            "getAgent (GET /v1/api/agents/{agentId})",
            no_body,
        ],
    );
    assert_refused(
        client.delete_agent("agent-1").await,
        &["deleteAgent", no_body],
    );
    assert_refused(
        client.end_active_call("room-1").await,
        &["endActiveCall (POST ", no_body],
    );
    assert_refused(
        client
            .upload_knowledge_base_file("kb-1", Document::from_bytes("faq.md", "# FAQ"))
            .await,
        &["uploadKnowledgeBaseFile", multipart],
    );
    assert_refused(
        client
            .validate_batch_csv(Csv::from_bytes("phone_number\n+14155551234\n"))
            .await,
        &["validateBatchCsv", multipart],
    );
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn an_empty_extra_body_adds_nothing_and_refuses_nothing() {
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("getAgent").path("agentId", "agent-1"))
        .await;
    let agent = harness
        .client
        .with_extra_body(json!({}))
        .expect("an object")
        .get_agent("agent-1")
        .await
        .expect("getAgent");
    expectation.verify(&*agent);
}

#[tokio::test]
async fn an_extra_body_that_is_not_an_object_is_refused() {
    let harness = Harness::start().await;
    for (extra, kind) in [
        (json!("+14155551234"), "not a string"),
        (json!(["systemPrompt", "+14155551234"]), "not an array"),
        (json!(null), "not null"),
        (json!(42), "not a number"),
        (json!(true), "not a boolean"),
    ] {
        let message = assert_refused(
            harness.client.with_extra_body(&extra),
            &["must be a JSON object", kind],
        );
        assert!(!message.contains("4155551234"), "{message}");
    }
    let not_json = BTreeMap::from([(vec![1u8], "value")]);
    assert_refused(
        harness.client.with_extra_body(not_json),
        &["can't be written as JSON"],
    );
}

#[tokio::test]
async fn extra_query_parameters_are_sent_and_replace_typed_ones_of_the_same_name() {
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("listCallHistory")
                .query("page", "2")
                .query("agentId", "agent-2")
                .query("minDuration", "60")
                .query("search", "+14155551234"),
        )
        .await;
    let query = types::ListCallHistoryQuery {
        page: std::num::NonZeroU32::new(2),
        agent_id: Some("agent-1".into()),
        ..Default::default()
    };
    let calls = harness
        .client
        .with_extra_query([("agentId", "agent-2"), ("minDuration", "60")])
        .expect("names")
        .with_extra_query([("search", "+14155551234")])
        .expect("names")
        .list_call_history(&query)
        .await
        .expect("listCallHistory");
    expectation.verify(&*calls);
    assert_refused(
        harness.client.with_extra_query([("", "x")]),
        &["empty name"],
    );
}

#[tokio::test]
async fn extra_headers_are_sent_and_the_clients_own_are_refused() {
    let harness = Harness::start().await;
    let expectation = harness.expect(Expect::op("listAgents")).await;
    let agents = harness
        .client
        .with_extra_headers([("X-Trillet-Beta", "agents-v2"), ("user-agent", "my-app/1")])
        .expect("allowed headers")
        .list_agents()
        .await
        .expect("listAgents");
    expectation.verify(&*agents);
    let request = expectation.request();
    assert_eq!(
        header(&request, "x-trillet-beta").as_deref(),
        Some("agents-v2")
    );
    assert_eq!(header(&request, "user-agent").as_deref(), Some("my-app/1"));

    for name in [
        "x-api-key",
        "X-Workspace-Id",
        "Host",
        "content-length",
        "Content-Type",
        "transfer-encoding",
        "connection",
    ] {
        let message = assert_refused(
            harness
                .client
                .with_extra_headers([(name, "sk-live-hunter2")]),
            &[&name.to_ascii_lowercase(), "refused"],
        );
        assert!(!message.contains("hunter2"), "{message}");
    }
    let message = assert_refused(
        harness
            .client
            .with_extra_headers([("x-note", "line\nhunter2")]),
        &["x-note", "not allowed"],
    );
    assert!(!message.contains("hunter2"), "{message}");
    assert_refused(
        harness.client.with_extra_headers([("bad name", "v")]),
        &["not a valid HTTP header name"],
    );
}

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

/// Everything the client side of this test binary logs, from the first call on: a global
/// subscriber at TRACE (a thread's default one misses events when other tests run beside
/// it, as the callsites' interest is cached for all threads). Every test's log is held to
/// the same rule, so sharing it is fine. The mock server's own records (it logs each
/// request whole, as received) are left out: they are the wire, not the client.
fn capture_logs() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(captured.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
            captured
        })
        .clone()
}

/// Where one record goes: the buffer, or nowhere (the mock server's records).
struct Record(Option<Captured>);

impl Write for Record {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(captured) = &self.0 {
            captured.0.lock().expect("lock").extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Record;

    fn make_writer(&'a self) -> Record {
        Record(Some(self.clone()))
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Record {
        Record((!meta.target().starts_with("httpmock")).then(|| self.clone()))
    }
}

#[tokio::test]
async fn extras_show_by_name_only_in_debug_and_never_in_logs() {
    let captured = capture_logs();
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("updateAgent").path("agentId", "agent-1"))
        .await;
    let client = harness
        .client
        .with_extra_body(json!({
            "systemPrompt": "Transfer to +14155550123 when asked.",
            "elevenLabsApiKey": "sk-el-hunter2",
            "variables": {"+14155550199": "Ada"},
        }))
        .expect("an object")
        .with_extra_query([("callerId", "+14155550188")])
        .expect("names")
        .with_extra_headers([("x-partner-token", "tok-hunter2")])
        .expect("allowed");
    client
        .update_agent("agent-1", &types::AgentUpdate::default())
        .await
        .expect("updateAgent");
    assert_eq!(
        header(&expectation.request(), "x-partner-token").as_deref(),
        Some("tok-hunter2")
    );

    let shown = format!("{client:?}\n{client:#?}");
    for name in [
        "systemPrompt",
        "elevenLabsApiKey",
        "variables",
        "callerId",
        "x-partner-token",
    ] {
        assert!(shown.contains(name), "{name} missing in {shown}");
    }
    let log = String::from_utf8_lossy(&captured.0.lock().expect("lock")).into_owned();
    assert!(log.contains("trillet.request"), "nothing traced: {log}");
    for secret in [
        "hunter2",
        "4155550123",
        "4155550199",
        "4155550188",
        "Transfer to",
    ] {
        assert!(!shown.contains(secret), "Debug shows {secret:?}: {shown}");
        assert!(!log.contains(secret), "the log shows {secret:?}: {log}");
    }
}
