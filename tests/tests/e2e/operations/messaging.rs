//! Omni-flow (messaging) agents, message flows and conversations.

use trillet::types;
use trillet_e2e::Expect;

use super::{check, check_each_body};

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
