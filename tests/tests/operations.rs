//! Every operation of the spec over real HTTP: method, path, query, both auth headers and
//! the body the client sends are checked, the JSON body is validated against the spec's
//! request schema, and the answer is the spec's own response example, decoded into the
//! generated type without losing a field.

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use trillet::batch_upload::{Csv, StartBatch};
use trillet::types;
use trillet::{Client, Error, ResponseValue};
use trillet_e2e::{example_at, normalise, operation, request_example, Expect, Harness};

/// Mocks `expect` (with `body` as the JSON the client must send, when given), makes the
/// call with `body` decoded into the generated request type, and verifies both ways.
async fn check<B, R, F, Fut>(expect: Expect, body: Option<Value>, call: F)
where
    B: DeserializeOwned,
    R: Serialize,
    F: FnOnce(Client, B) -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, Error>>,
{
    let harness = Harness::start().await;
    let expect = match &body {
        Some(json) => expect.json(json.clone()),
        None => expect,
    };
    let typed: B = serde_json::from_value(body.unwrap_or(Value::Null))
        .expect("the example decodes into the request type");
    let expectation = harness.expect(expect).await;
    let response = call(harness.client.clone(), typed)
        .await
        .expect("the call succeeds");
    expectation.verify(response.as_ref());
}

fn example(operation_id: &str, name: &str) -> Option<Value> {
    Some(request_example(operation_id, name))
}

#[tokio::test]
async fn create_agent() {
    check(
        Expect::op("createAgent"),
        example("createAgent", "customerSupport"),
        |c, b: types::AgentCreate| async move { c.create_agent(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_agents() {
    check(Expect::op("listAgents"), None, |c, (): ()| async move {
        c.list_agents().await
    })
    .await;
}

#[tokio::test]
async fn get_agent() {
    check(
        Expect::op("getAgent").path("agentId", "agent-1"),
        None,
        |c, (): ()| async move { c.get_agent("agent-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_agent() {
    check(
        Expect::op("updateAgent").path("agentId", "agent-1"),
        example("updateAgent", "premiumVoice"),
        |c, b: types::AgentUpdate| async move { c.update_agent("agent-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn update_agent_sends_null_to_delete_the_elevenlabs_key() {
    // `null` does not survive decoding into `Option<Option<_>>` (it reads as absent), so
    // the body is built the way a user writes it.
    let body = types::AgentUpdate {
        tts_model: Some(types::TtsModelUpdate {
            eleven_labs_api_key: Some(None),
            ..types::TtsModelUpdate::new(trillet::models::tts::ELEVENLABS_BYO)
        }),
        ..Default::default()
    };
    let harness = Harness::start().await;
    let expected = request_example("updateAgent", "removeElevenLabsKey");
    assert_eq!(expected["ttsModel"]["elevenLabsApiKey"], Value::Null);
    let expectation = harness
        .expect(
            Expect::op("updateAgent")
                .path("agentId", "agent-1")
                .json(expected.clone()),
        )
        .await;
    let agent = harness
        .client
        .update_agent("agent-1", &body)
        .await
        .expect("updateAgent");
    expectation.verify(&*agent);
    let sent: Value = serde_json::from_slice(expectation.request().body_ref()).expect("JSON");
    assert_eq!(sent, expected, "null is sent, not omitted");
}

#[tokio::test]
async fn delete_agent() {
    check(
        Expect::op("deleteAgent").path("agentId", "agent-1"),
        None,
        |c, (): ()| async move { c.delete_agent("agent-1").await },
    )
    .await;
}

#[tokio::test]
async fn create_call_flow() {
    check(
        Expect::op("createCallFlow"),
        example("createCallFlow", "fullSkeleton"),
        |c, b: types::CallFlowCreate| async move { c.create_call_flow(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_call_flows() {
    check(Expect::op("listCallFlows"), None, |c, (): ()| async move {
        c.list_call_flows().await
    })
    .await;
}

#[tokio::test]
async fn get_call_flow() {
    check(
        Expect::op("getCallFlow").path("flowId", "flow-1"),
        None,
        |c, (): ()| async move { c.get_call_flow("flow-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_call_flow() {
    check(
        Expect::op("updateCallFlow").path("flowId", "flow-1"),
        example("updateCallFlow", "promptAndHours"),
        |c, b: types::CallFlowUpdate| async move { c.update_call_flow("flow-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn update_call_flow_adding_a_webhook() {
    check(
        Expect::op("updateCallFlow").path("flowId", "flow-1"),
        example("updateCallFlow", "addWebhook"),
        |c, b: types::CallFlowUpdate| async move { c.update_call_flow("flow-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn delete_call_flow() {
    check(
        Expect::op("deleteCallFlow").path("flowId", "flow-1"),
        None,
        |c, (): ()| async move { c.delete_call_flow("flow-1").await },
    )
    .await;
}

#[tokio::test]
async fn send_call() {
    check(
        Expect::op("sendCall"),
        example("sendCall", "call"),
        |c, b: types::SendCallRequest| async move { c.send_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn initiate_call() {
    check(
        Expect::op("initiateCall"),
        example("initiateCall", "withVariables"),
        |c, b: types::InitiateCallRequest| async move { c.initiate_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_batch() {
    check(
        Expect::op("getBatch").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.get_batch("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn cancel_batch() {
    check(
        Expect::op("cancelBatch").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.cancel_batch("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn get_batch_progress() {
    check(
        Expect::op("getBatchProgress").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.get_batch_progress("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn list_batch_calls_with_every_query_parameter() {
    let expect = Expect::op("listBatchCalls")
        .path("batchId", "batch_1")
        .query("page", "2")
        .query("limit", "50")
        .query("status", "failed");
    check(expect, None, |c, (): ()| async move {
        c.list_batch_calls(
            "batch_1",
            50.try_into().ok(),
            2.try_into().ok(),
            Some(types::BatchCallStatusFilter::Failed),
        )
        .await
    })
    .await;
}

#[tokio::test]
async fn list_batch_calls_without_query() {
    check(
        Expect::op("listBatchCalls").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.list_batch_calls("batch_1", None, None, None).await },
    )
    .await;
}

#[tokio::test]
async fn get_batch_call() {
    for name in ["completed", "failed", "active"] {
        check(
            Expect::op("getBatchCall")
                .path("batchId", "batch_1")
                .path("jobId", "call_123")
                .respond_with_example(name),
            None,
            |c, (): ()| async move { c.get_batch_call("batch_1", "call_123").await },
        )
        .await;
    }
}

/// The pointer of a media type's named example value, e.g. the CSV of a multipart body.
fn media_example(operation_id: &str, part: &str, media_type: &str, name: &str) -> Value {
    let (method, path) = operation(operation_id);
    let escape = |s: &str| s.replace('~', "~0").replace('/', "~1");
    example_at(&format!(
        "/paths/{}/{}/{part}/content/{}/examples/{name}/value",
        escape(&path),
        method.to_lowercase(),
        escape(media_type)
    ))
}

#[tokio::test]
async fn get_batch_template_as_text() {
    let template = media_example("getBatchTemplate", "responses/200", "text/csv", "template");
    let template = template.as_str().expect("CSV text");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("getBatchTemplate").respond(200, "text/csv", template))
        .await;
    let text = harness
        .client
        .batch_template_csv()
        .await
        .expect("getBatchTemplate");
    assert_eq!(text, template);
    expectation.verify(&());
}

#[tokio::test]
async fn start_batch_now() {
    let example = media_example("startBatch", "requestBody", "multipart/form-data", "now");
    let csv = example["file"].as_str().expect("CSV");
    let agent = example["agentId"].as_str().expect("agentId");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("startBatch")
                .multipart(&[("file", Some("text/csv"), csv), ("agentId", None, agent)]),
        )
        .await;
    let started = harness
        .client
        .start_batch(Csv::from_bytes(csv), &StartBatch::new(agent))
        .await
        .expect("startBatch");
    expectation.verify(&*started);
    let parts = trillet_e2e::parse_multipart(
        &expectation
            .request()
            .headers_vec()
            .iter()
            .find(|(k, _)| k == "content-type")
            .expect("content type")
            .1,
        expectation.request().body_ref(),
    );
    assert_eq!(parts[0].file_name.as_deref(), Some("batch.csv"));
}

#[tokio::test]
async fn start_batch_scheduled_with_smart_callbacks() {
    let example = media_example(
        "startBatch",
        "requestBody",
        "multipart/form-data",
        "scheduledWithCallbacks",
    );
    let csv = example["file"].as_str().expect("CSV");
    let agent = example["agentId"].as_str().expect("agentId");
    let at = example["scheduledAt"].as_str().expect("scheduledAt");
    let config: types::SmartCallbackConfig =
        serde_json::from_value(example["smartCallbackConfig"].clone()).expect("config");
    let config_json = serde_json::to_string(&config).expect("JSON");
    let round_tripped: Value = serde_json::from_str(&config_json).expect("JSON");
    assert_eq!(
        normalise(&round_tripped),
        normalise(&example["smartCallbackConfig"])
    );
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("startBatch").multipart(&[
            ("file", Some("text/csv"), csv),
            ("agentId", None, agent),
            ("scheduledAt", None, at),
            (
                "smartCallbackConfig",
                Some("application/json"),
                &config_json,
            ),
        ]))
        .await;
    let batch = StartBatch::new(agent)
        .scheduled_at(at)
        .smart_callback(config);
    let started = harness
        .client
        .start_batch(Csv::from_bytes(csv), &batch)
        .await
        .expect("startBatch");
    expectation.verify(&*started);
}

#[tokio::test]
async fn validate_batch_csv() {
    let example = media_example(
        "validateBatchCsv",
        "requestBody",
        "multipart/form-data",
        "csv",
    );
    let csv = example["file"].as_str().expect("CSV");
    for response in ["valid", "oneBadRow"] {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("validateBatchCsv")
                    .multipart(&[("file", Some("text/csv"), csv)])
                    .respond_with_example(response),
            )
            .await;
        let result = harness
            .client
            .validate_batch_csv(Csv::from_bytes(csv))
            .await
            .expect("validateBatchCsv");
        expectation.verify(&*result);
    }
}

#[tokio::test]
async fn preview_batch_csv_from_a_file_and_a_reader() {
    let example = media_example(
        "previewBatchCsv",
        "requestBody",
        "multipart/form-data",
        "csv",
    );
    let csv = example["file"].as_str().expect("CSV");
    let path = std::env::temp_dir().join(format!("trillet-e2e-{}-calls.csv", std::process::id()));
    std::fs::write(&path, csv).expect("writes");
    for source in [
        Csv::from_path(&path).expect("reads"),
        Csv::from_reader(csv.as_bytes()).expect("reads"),
    ] {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(Expect::op("previewBatchCsv").multipart(&[("file", Some("text/csv"), csv)]))
            .await;
        let preview = harness
            .client
            .preview_batch_csv(source)
            .await
            .expect("previewBatchCsv");
        expectation.verify(&*preview);
    }
    let _ = std::fs::remove_file(path);
}

#[test]
fn every_operation_of_the_spec_is_tested_here() {
    let source = include_str!("operations.rs");
    let ids: Vec<String> = trillet_e2e::spec()
        .operation_ids()
        .map(str::to_string)
        .collect();
    assert_eq!(ids.len(), 21);
    for id in ids {
        assert!(
            source.contains(&format!("Expect::op(\"{id}\")")),
            "{id} has no test in operations.rs"
        );
    }
}
