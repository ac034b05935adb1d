//! Agents, call flows and the knowledge-base files of a call flow.

use serde_json::Value;
use trillet::types;
use trillet::uploads::Document;
use trillet_e2e::{request_example, Expect, Harness};

use super::{check, example, file_names, media_example};

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
