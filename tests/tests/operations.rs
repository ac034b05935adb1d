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
use trillet::uploads::{CloneVoice, Document, VoiceSample};
use trillet::{ByteStream, Client, Error, ResponseValue};
use trillet_e2e::{
    example_at, normalise, operation, query_examples, request_example, request_examples,
    success_example_names, Expect, Harness,
};

/// Mocks `expect` once for each success example of the operation in the spec (with
/// `body` as the JSON the client must send, when given), makes the call with `body`
/// decoded into the generated request type, and verifies both ways.
async fn check<B, R, F, Fut>(expect: Expect, body: Option<Value>, call: F)
where
    B: DeserializeOwned,
    R: Serialize,
    F: Fn(Client, B) -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, Error>>,
{
    let id = expect.operation_id().to_string();
    let answers = success_example_names(&id);
    assert!(!answers.is_empty(), "{id}: the spec has no success example");
    for answer in answers {
        let harness = Harness::start().await;
        let mut expect = expect.clone().respond_with_example(&answer);
        if let Some(json) = &body {
            expect = expect.json(json.clone());
        }
        let typed: B =
            serde_json::from_value(body.clone().unwrap_or(Value::Null)).unwrap_or_else(|e| {
                panic!("{id}: the example does not decode into the request type: {e}")
            });
        let expectation = harness.expect(expect).await;
        let response = call(harness.client.clone(), typed)
            .await
            .unwrap_or_else(|e| panic!("{id}, answered with {answer}: {e}"));
        expectation.verify(response.as_ref());
    }
}

/// [`check`] with each JSON request example of the operation in turn as the body.
async fn check_each_body<B, R, F, Fut>(expect: Expect, call: F)
where
    B: DeserializeOwned,
    R: Serialize,
    F: Fn(Client, B) -> Fut,
    Fut: Future<Output = Result<ResponseValue<R>, Error>>,
{
    let bodies = request_examples(expect.operation_id());
    assert!(
        !bodies.is_empty(),
        "{}: no request example",
        expect.operation_id()
    );
    for (_, body) in bodies {
        check(expect.clone(), Some(body), &call).await;
    }
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
    // Answered with each of its examples: completed, failed, active.
    check(
        Expect::op("getBatchCall")
            .path("batchId", "batch_1")
            .path("jobId", "call_123"),
        None,
        |c, (): ()| async move { c.get_batch_call("batch_1", "call_123").await },
    )
    .await;
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

// Web calls.

#[tokio::test]
async fn connect_web_call() {
    check_each_body(
        Expect::op("connectWebCall"),
        |c, b: types::WebCallConnectRequest| async move { c.connect_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn disconnect_web_call() {
    check_each_body(
        Expect::op("disconnectWebCall"),
        |c, b: types::WebCallDisconnectRequest| async move { c.disconnect_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn create_web_call() {
    check_each_body(
        Expect::op("createWebCall"),
        |c, b: types::WebCallRequest| async move { c.create_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn create_public_web_call() {
    // The spec asks only for `x-workspace-id` here; the client sends its key too, as on
    // every call (see `list_workspaces_as_a_list_or_one_object`).
    check_each_body(
        Expect::op("createPublicWebCall"),
        |c, b: types::PublicWebCallRequest| async move { c.create_public_web_call(&b).await },
    )
    .await;
}

// Call history.

#[tokio::test]
async fn list_call_history_with_every_filter() {
    // Every query parameter the spec documents, with its own example value.
    let examples = query_examples("listCallHistory");
    let value = |name: &str| {
        examples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no example of {name}"))
    };
    let query = types::ListCallHistoryQuery {
        page: value("page").parse().ok(),
        limit: value("limit").parse().ok(),
        agent_id: Some(value("agentId")),
        pathway_id: Some(value("pathwayId")),
        batch_id: Some(value("batchId")),
        status: Some(value("status")),
        direction: Some(value("direction").parse().expect("a direction")),
        call_type: Some(value("callType").parse().expect("a call type")),
        search: Some(value("search")),
        call_ids: Some(value("callIds")),
        date_range: Some(value("dateRange")),
        post_analysis: Some(value("postAnalysis")),
    };
    let expect = examples
        .iter()
        .fold(Expect::op("listCallHistory"), |e, (name, v)| {
            e.query(name, v)
        });
    let query = &query;
    check(expect, None, |c, (): ()| async move {
        c.list_call_history(query).await
    })
    .await;
}

#[tokio::test]
async fn list_call_history_without_filters() {
    check(
        Expect::op("listCallHistory"),
        None,
        |c, (): ()| async move { c.list_call_history(&Default::default()).await },
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn list_call_history_v1_spelling() {
    check(
        Expect::op("listCallHistoryV1"),
        None,
        |c, (): ()| async move { c.list_call_history_v1().await },
    )
    .await;
}

#[tokio::test]
async fn get_call_history() {
    check(
        Expect::op("getCallHistory").path("callHistoryId", "rec-1"),
        None,
        |c, (): ()| async move { c.get_call_history("rec-1").await },
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn get_call_history_v1_spelling() {
    check(
        Expect::op("getCallHistoryV1").path("callHistoryId", "rec-1"),
        None,
        |c, (): ()| async move { c.get_call_history_v1("rec-1").await },
    )
    .await;
}

#[tokio::test]
async fn export_call_history_csv_as_text() {
    let csv = media_example(
        "exportCallHistoryCsv",
        "responses/200",
        "text/csv",
        "oneCall",
    );
    let csv = csv.as_str().expect("CSV text");
    let bodies = request_examples("exportCallHistoryCsv");
    assert!(
        !bodies.is_empty(),
        "exportCallHistoryCsv: no request example"
    );
    for (_, body) in bodies {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("exportCallHistoryCsv")
                    .json(body.clone())
                    .respond(200, "text/csv", csv),
            )
            .await;
        let typed: types::CallHistoryExportRequest =
            serde_json::from_value(body).expect("the example decodes");
        let exported = harness
            .client
            .export_call_history_csv(&typed)
            .await
            .expect("exportCallHistoryCsv");
        assert_eq!(bytes_of(exported).await, csv.as_bytes());
        expectation.verify(&());
    }
}

// Recordings.

#[tokio::test]
async fn start_recording() {
    check_each_body(
        Expect::op("startRecording"),
        |c, b: types::StartRecordingRequest| async move { c.start_recording(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_recording_streams_the_audio_as_it_comes() {
    // Whatever audio type the server names (the docs: audio/mp3 or video/mp4; live:
    // audio/ogg), the bytes arrive untouched.
    for content_type in ["audio/ogg", "audio/mpeg", "video/mp4"] {
        let audio = "OggS\u{0}\u{2}fake audio frames";
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("getRecording")
                    .path("callHistoryId", "rec-1")
                    .respond(200, content_type, audio),
            )
            .await;
        let recording = harness
            .client
            .get_recording("rec-1")
            .await
            .expect("getRecording");
        let received = recording
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        assert_eq!(received.as_deref(), Some(content_type));
        assert_eq!(bytes_of(recording).await, audio.as_bytes());
        expectation.verify(&());
    }
}

// Active calls.

#[tokio::test]
async fn list_active_calls() {
    check(
        Expect::op("listActiveCalls"),
        None,
        |c, (): ()| async move { c.list_active_calls().await },
    )
    .await;
}

#[tokio::test]
async fn get_active_call() {
    check(
        Expect::op("getActiveCall").path("roomName", "room-1"),
        None,
        |c, (): ()| async move { c.get_active_call("room-1").await },
    )
    .await;
}

#[tokio::test]
async fn end_active_call() {
    check(
        Expect::op("endActiveCall").path("roomName", "room-1"),
        None,
        |c, (): ()| async move { c.end_active_call("room-1").await },
    )
    .await;
}

#[tokio::test]
async fn remove_agent_from_call() {
    check_each_body(
        Expect::op("removeAgentFromCall").path("roomName", "room-1"),
        |c, b: types::RemoveAgentRequest| async move {
            c.remove_agent_from_call("room-1", &b).await
        },
    )
    .await;
}

// Knowledge-base files of a call flow.

#[tokio::test]
async fn upload_call_flow_knowledge_base_file() {
    let id = "uploadCallFlowKnowledgeBaseFile";
    let example = media_example(id, "requestBody", "multipart/form-data", "faq");
    let text = example["file"].as_str().expect("the file's text");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("uploadCallFlowKnowledgeBaseFile")
                .path("flowId", "flow-1")
                .multipart(&[("file", Some("text/plain"), text)]),
        )
        .await;
    let files = harness
        .client
        .upload_call_flow_knowledge_base_file("flow-1", Document::from_bytes("faq.txt", text))
        .await
        .expect(id);
    expectation.verify(&*files);
    assert_eq!(file_names(&expectation), [Some("faq.txt".to_string())]);
}

#[tokio::test]
async fn delete_call_flow_knowledge_base_file() {
    check(
        Expect::op("deleteCallFlowKnowledgeBaseFile")
            .path("flowId", "flow-1")
            .path("fileKey", "s3FileKey"),
        None,
        |c, (): ()| async move {
            c.delete_call_flow_knowledge_base_file("flow-1", "s3FileKey")
                .await
        },
    )
    .await;
}

// Omni-flow (messaging) agents.

#[tokio::test]
async fn create_omni_flow_agent() {
    check_each_body(
        Expect::op("createOmniFlowAgent"),
        |c, b: types::OmniFlowAgentCreate| async move { c.create_omni_flow_agent(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_omni_flow_agents() {
    check(
        Expect::op("listOmniFlowAgents"),
        None,
        |c, (): ()| async move { c.list_omni_flow_agents().await },
    )
    .await;
}

#[tokio::test]
async fn get_omni_flow_agent() {
    check(
        Expect::op("getOmniFlowAgent").path("agentId", "agent-1"),
        None,
        |c, (): ()| async move { c.get_omni_flow_agent("agent-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_omni_flow_agent() {
    check_each_body(
        Expect::op("updateOmniFlowAgent").path("agentId", "agent-1"),
        |c, b: types::OmniFlowAgentUpdate| async move {
            c.update_omni_flow_agent("agent-1", &b).await
        },
    )
    .await;
}

// Message flows.

#[tokio::test]
async fn create_message_flow() {
    check_each_body(
        Expect::op("createMessageFlow"),
        |c, b: types::MessageFlowCreate| async move { c.create_message_flow(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_message_flows() {
    check(
        Expect::op("listMessageFlows"),
        None,
        |c, (): ()| async move { c.list_message_flows().await },
    )
    .await;
}

#[tokio::test]
async fn get_message_flow() {
    check(
        Expect::op("getMessageFlow").path("flowId", "flow-1"),
        None,
        |c, (): ()| async move { c.get_message_flow("flow-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_message_flow() {
    check_each_body(
        Expect::op("updateMessageFlow").path("flowId", "flow-1"),
        |c, b: types::MessageFlowUpdate| async move { c.update_message_flow("flow-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn toggle_message_flow_autopilot_sends_no_body() {
    check(
        Expect::op("toggleMessageFlowAutopilot").path("flowId", "flow-1"),
        None,
        |c, (): ()| async move { c.toggle_message_flow_autopilot("flow-1").await },
    )
    .await;
}

// Conversations.

#[tokio::test]
async fn list_conversations() {
    check(
        Expect::op("listConversations"),
        None,
        |c, (): ()| async move { c.list_conversations().await },
    )
    .await;
}

#[tokio::test]
async fn get_conversation() {
    check(
        Expect::op("getConversation").path("conversationId", "conv-1"),
        None,
        |c, (): ()| async move { c.get_conversation("conv-1").await },
    )
    .await;
}

#[tokio::test]
async fn list_conversations_by_flow_as_one_object_or_a_list() {
    check(
        Expect::op("listConversationsByFlow").path("flowId", "flow-1"),
        None,
        |c, (): ()| async move { c.list_conversations_by_flow("flow-1").await },
    )
    .await;
}

#[tokio::test]
async fn generate_message_by_sms_and_by_email() {
    check_each_body(
        Expect::op("generateMessage"),
        |c, b: types::GenerateMessageRequest| async move { c.generate_message(&b).await },
    )
    .await;
}

#[tokio::test]
async fn apply_message_action() {
    check_each_body(
        Expect::op("applyMessageAction")
            .path("conversationId", "conv-1")
            .path("messageId", "msg-1"),
        |c, b: types::MessageActionRequest| async move {
            c.apply_message_action("conv-1", "msg-1", &b).await
        },
    )
    .await;
}

// Phone numbers.

#[tokio::test]
async fn list_user_phone_numbers_as_one_record_or_a_list() {
    check(
        Expect::op("listUserPhoneNumbers"),
        None,
        |c, (): ()| async move { c.list_user_phone_numbers().await },
    )
    .await;
}

#[tokio::test]
async fn purchase_phone_number() {
    check_each_body(
        Expect::op("purchasePhoneNumber"),
        |c, b: types::PurchasePhoneNumberRequest| async move { c.purchase_phone_number(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_phone_number_config() {
    check(
        Expect::op("getPhoneNumberConfig").path("phoneNumberId", "pn-1"),
        None,
        |c, (): ()| async move { c.get_phone_number_config("pn-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_phone_number_config() {
    check_each_body(
        Expect::op("updatePhoneNumberConfig").path("phoneNumberId", "pn-1"),
        |c, b: types::PhoneNumberConfigUpdate| async move {
            c.update_phone_number_config("pn-1", &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn register_external_number() {
    check_each_body(
        Expect::op("registerExternalNumber"),
        |c, b: types::RegisterExternalNumberRequest| async move {
            c.register_external_number(&b).await
        },
    )
    .await;
}

#[tokio::test]
async fn bind_phone_number_answered_by_either_page_version() {
    check_each_body(
        Expect::op("bindPhoneNumber")
            .path("agentId", "agent-1")
            .path("phoneNumberId", "pn-1"),
        |c, b: types::BindPhoneNumberRequest| async move {
            c.bind_phone_number("agent-1", "pn-1", &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn unbind_phone_number() {
    check(
        Expect::op("unbindPhoneNumber")
            .path("agentId", "agent-1")
            .path("phoneNumberId", "pn-1"),
        None,
        |c, (): ()| async move { c.unbind_phone_number("agent-1", "pn-1").await },
    )
    .await;
}

#[tokio::test]
async fn search_available_numbers_with_every_parameter() {
    // Every query parameter the spec documents, with its own example value.
    let examples = query_examples("searchAvailableNumbers");
    let value = |name: &str| {
        examples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no example of {name}"))
    };
    let country = value("country");
    let query = types::SearchAvailableNumbersQuery {
        type_: Some(value("type").parse().expect("a number type")),
        contains: Some(value("contains")),
        area_code: Some(value("areaCode")),
        limit: value("limit").parse().ok(),
    };
    let expect = examples
        .iter()
        .fold(Expect::op("searchAvailableNumbers"), |e, (name, v)| {
            e.query(name, v)
        });
    let (country, query) = (country.as_str(), &query);
    check(expect, None, |c, (): ()| async move {
        c.search_available_numbers(country, query).await
    })
    .await;
}

#[tokio::test]
async fn search_available_numbers_with_only_the_country() {
    check(
        Expect::op("searchAvailableNumbers").query("country", "AU"),
        None,
        |c, (): ()| async move { c.search_available_numbers("AU", &Default::default()).await },
    )
    .await;
}

#[tokio::test]
async fn release_phone_number() {
    check_each_body(
        Expect::op("releasePhoneNumber"),
        |c, b: types::ReleasePhoneNumberRequest| async move { c.release_phone_number(&b).await },
    )
    .await;
}

// Knowledge bases.

#[tokio::test]
async fn create_knowledge_base() {
    check_each_body(
        Expect::op("createKnowledgeBase"),
        |c, b: types::KnowledgeBaseCreate| async move { c.create_knowledge_base(&b).await },
    )
    .await;
}

#[tokio::test]
async fn list_knowledge_bases() {
    check(
        Expect::op("listKnowledgeBases"),
        None,
        |c, (): ()| async move { c.list_knowledge_bases().await },
    )
    .await;
}

#[tokio::test]
async fn get_knowledge_base() {
    check(
        Expect::op("getKnowledgeBase").path("knowledgeBaseId", "kb-1"),
        None,
        |c, (): ()| async move { c.get_knowledge_base("kb-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_knowledge_base() {
    check_each_body(
        Expect::op("updateKnowledgeBase").path("knowledgeBaseId", "kb-1"),
        |c, b: types::KnowledgeBaseUpdate| async move { c.update_knowledge_base("kb-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn upload_knowledge_base_file() {
    let id = "uploadKnowledgeBaseFile";
    let example = media_example(id, "requestBody", "multipart/form-data", "guide");
    let text = example["uploadedFile"].as_str().expect("the file's text");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("uploadKnowledgeBaseFile")
                .path("knowledgeBaseId", "kb-1")
                .multipart(&[("uploadedFile", Some("text/markdown"), text)]),
        )
        .await;
    let uploaded = harness
        .client
        .upload_knowledge_base_file("kb-1", Document::from_bytes("guide.md", text))
        .await
        .expect(id);
    expectation.verify(&*uploaded);
    assert_eq!(file_names(&expectation), [Some("guide.md".to_string())]);
}

#[tokio::test]
async fn a_knowledge_base_file_over_50_mb_is_refused_before_sending() {
    let harness = Harness::start().await;
    let too_big = Document::from_bytes("big.pdf", vec![0; 50 * 1024 * 1024 + 1]);
    let error = harness
        .client
        .upload_knowledge_base_file("kb-1", too_big)
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidArgument(_)), "{error}");
    assert!(error.to_string().contains("big.pdf"), "{error}");
}

// Flow folders.

#[tokio::test]
async fn create_flow_folder_answered_201() {
    check_each_body(
        Expect::op("createFlowFolder"),
        |c, b: types::FlowFolderCreate| async move { c.create_flow_folder(&b).await },
    )
    .await;
}

#[tokio::test]
async fn create_flow_folder_answered_200_decodes_too() {
    let body = request_example("createFlowFolder", "calls");
    let answer = trillet_e2e::response_examples("createFlowFolder", "201")[0]
        .1
        .to_string();
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("createFlowFolder").json(body.clone()).respond(
            200,
            "application/json",
            &answer,
        ))
        .await;
    let body: types::FlowFolderCreate = serde_json::from_value(body).expect("decodes");
    let folder = harness
        .client
        .create_flow_folder(&body)
        .await
        .expect("200 is a success");
    expectation.verify(&*folder);
}

#[tokio::test]
async fn list_flow_folders() {
    check(
        Expect::op("listFlowFolders"),
        None,
        |c, (): ()| async move { c.list_flow_folders().await },
    )
    .await;
}

#[tokio::test]
async fn get_flow_folder() {
    check(
        Expect::op("getFlowFolder").path("folderId", "folder-1"),
        None,
        |c, (): ()| async move { c.get_flow_folder("folder-1").await },
    )
    .await;
}

#[tokio::test]
async fn update_flow_folder_with_patch() {
    check_each_body(
        Expect::op("updateFlowFolder").path("folderId", "folder-1"),
        |c, b: types::FlowFolderUpdate| async move { c.update_flow_folder("folder-1", &b).await },
    )
    .await;
}

#[tokio::test]
async fn delete_flow_folder() {
    check(
        Expect::op("deleteFlowFolder").path("folderId", "folder-1"),
        None,
        |c, (): ()| async move { c.delete_flow_folder("folder-1").await },
    )
    .await;
}

#[tokio::test]
async fn add_flow_to_folder() {
    check_each_body(
        Expect::op("addFlowToFolder").path("folderId", "folder-1"),
        |c, b: types::FolderFlowAssignment| async move {
            c.add_flow_to_folder("folder-1", &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn remove_flow_from_folder() {
    check(
        Expect::op("removeFlowFromFolder")
            .path("folderId", "folder-1")
            .path("pathwayId", "flow-1"),
        None,
        |c, (): ()| async move { c.remove_flow_from_folder("folder-1", "flow-1").await },
    )
    .await;
}

// Workspaces.

#[tokio::test]
async fn list_workspaces_as_a_list_or_one_object() {
    // The spec asks only for `x-api-key` here; the client sends `x-workspace-id` too (one
    // set of default headers for every call), which the harness checks like everywhere.
    check(Expect::op("listWorkspaces"), None, |c, (): ()| async move {
        c.list_workspaces().await
    })
    .await;
}

#[tokio::test]
async fn get_workspace() {
    check(
        Expect::op("getWorkspace").path("workspaceId", trillet_e2e::WORKSPACE_ID),
        None,
        |c, (): ()| async move { c.get_workspace(trillet_e2e::WORKSPACE_ID).await },
    )
    .await;
}

#[tokio::test]
async fn create_workspace() {
    check_each_body(
        Expect::op("createWorkspace"),
        |c, b: types::WorkspaceCreate| async move { c.create_workspace(&b).await },
    )
    .await;
}

#[tokio::test]
async fn update_workspace() {
    check_each_body(
        Expect::op("updateWorkspace").path("workspaceId", trillet_e2e::WORKSPACE_ID),
        |c, b: types::WorkspaceUpdate| async move {
            c.update_workspace(trillet_e2e::WORKSPACE_ID, &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn delete_workspace() {
    check(
        Expect::op("deleteWorkspace").path("workspaceId", trillet_e2e::WORKSPACE_ID),
        None,
        |c, (): ()| async move { c.delete_workspace(trillet_e2e::WORKSPACE_ID).await },
    )
    .await;
}

#[tokio::test]
async fn invite_team_member() {
    check_each_body(
        Expect::op("inviteTeamMember").path("workspaceId", trillet_e2e::WORKSPACE_ID),
        |c, b: types::TeamMemberInvitation| async move {
            c.invite_team_member(trillet_e2e::WORKSPACE_ID, &b).await
        },
    )
    .await;
}

#[tokio::test]
async fn list_pending_invitations() {
    check(
        Expect::op("listPendingInvitations"),
        None,
        |c, (): ()| async move { c.list_pending_invitations().await },
    )
    .await;
}

// Voices.

#[tokio::test]
async fn create_voice() {
    check_each_body(
        Expect::op("createVoice"),
        |c, b: types::VoiceCreate| async move { c.create_voice(&b).await },
    )
    .await;
}

#[tokio::test]
async fn clone_voice_with_a_name_answered_with_or_without_the_voice() {
    let example = media_example("cloneVoice", "requestBody", "multipart/form-data", "named");
    let text = |key: &str| example[key].as_str().expect("a text field").to_string();
    let voice = CloneVoice {
        name: Some(text("name")),
        description: Some(text("description")),
        language: Some(text("language")),
    };
    for answer in success_example_names("cloneVoice") {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("cloneVoice")
                    .multipart(&[
                        ("file", Some("audio/wav"), &text("file")),
                        ("name", None, &text("name")),
                        ("description", None, &text("description")),
                        ("language", None, &text("language")),
                    ])
                    .respond_with_example(&answer),
            )
            .await;
        let cloned = harness
            .client
            .clone_voice(VoiceSample::from_bytes("sample.wav", text("file")), &voice)
            .await
            .expect("cloneVoice");
        expectation.verify(&*cloned);
        assert_eq!(file_names(&expectation)[0].as_deref(), Some("sample.wav"));
    }
}

#[tokio::test]
async fn clone_voice_sends_only_the_fields_set() {
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("cloneVoice").multipart(&[("file", Some("audio/mpeg"), "ID3 frames")]))
        .await;
    let cloned = harness
        .client
        .clone_voice(
            VoiceSample::from_bytes("greeting.mp3", "ID3 frames"),
            &CloneVoice::default(),
        )
        .await
        .expect("cloneVoice");
    expectation.verify(&*cloned);
}

#[tokio::test]
async fn a_voice_sample_over_50_mb_is_refused_before_sending() {
    let harness = Harness::start().await;
    let too_big = VoiceSample::from_bytes("long.wav", vec![0; 50 * 1024 * 1024 + 1]);
    let error = harness
        .client
        .clone_voice(too_big, &CloneVoice::default())
        .await
        .expect_err("refused");
    assert!(matches!(error, Error::InvalidArgument(_)), "{error}");
    assert!(error.to_string().contains("long.wav"), "{error}");
}

#[tokio::test]
async fn get_voice() {
    check(
        Expect::op("getVoice").path("voiceId", "voice-1"),
        None,
        |c, (): ()| async move { c.get_voice("voice-1").await },
    )
    .await;
}

// The credential check.

#[tokio::test]
async fn check_credentials_reads_only_the_status() {
    // The body is not documented: whatever comes back, a 2xx is a success and the body
    // is not read (a JSON body would be dropped too, which `verify` would call a loss).
    for (content_type, body) in [("text/plain", "Trillet API"), ("text/html", "")] {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(Expect::op("checkCredentials").respond(200, content_type, body))
            .await;
        let accepted = harness
            .client
            .check_credentials()
            .await
            .expect("checkCredentials");
        expectation.verify(&*accepted);
    }
}

#[tokio::test]
async fn check_credentials_reports_a_refused_key() {
    let harness = Harness::start().await;
    let _expectation = harness
        .expect(Expect::op("checkCredentials").respond(
            401,
            "application/json",
            "{\"error\":\"Invalid API key\"}",
        ))
        .await;
    let error = harness
        .client
        .check_credentials()
        .await
        .expect_err("a 401 is an error");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
}

/// The whole body of a byte-stream response.
async fn bytes_of(response: ResponseValue<ByteStream>) -> Vec<u8> {
    let mut stream = response.into_inner_stream();
    let mut bytes = Vec::new();
    while let Some(chunk) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        bytes.extend_from_slice(&chunk.expect("a chunk of the body"));
    }
    bytes
}

/// The file names of the parts of the one multipart request received.
fn file_names(expectation: &trillet_e2e::Expectation<'_>) -> Vec<Option<String>> {
    let request = expectation.request();
    let content_type = request
        .headers_vec()
        .iter()
        .find(|(k, _)| k == "content-type")
        .map(|(_, v)| v.clone())
        .expect("content type");
    trillet_e2e::parse_multipart(&content_type, request.body_ref())
        .into_iter()
        .map(|part| part.file_name)
        .collect()
}

#[test]
fn every_operation_of_the_spec_is_tested_here() {
    let source = include_str!("operations.rs");
    let ids: Vec<String> = trillet_e2e::spec()
        .operation_ids()
        .map(str::to_string)
        .collect();
    assert!(!ids.is_empty(), "the spec's operations were not found");
    let untested: Vec<&String> = ids
        .iter()
        .filter(|id| !source.contains(&format!("Expect::op(\"{id}\")")))
        .collect();
    assert!(
        untested.is_empty(),
        "no test in operations.rs for {untested:?}"
    );
}

#[test]
fn every_operation_of_the_spec_is_in_the_readme_table() {
    let readme = include_str!("../../README.md");
    let missing: Vec<&str> = trillet_e2e::spec()
        .operation_ids()
        .filter(|id| !readme.contains(&format!("\n| {id} | `")))
        .collect();
    assert!(
        missing.is_empty(),
        "README.md's operations table lacks {missing:?}"
    );
}
