//! Every success response example of the spec decodes into its generated type and
//! re-encodes without losing a field (`null` = absent, `1` = `1.0`); and what "losing a
//! field" looks like when a schema lacks one.

use serde_json::{json, Value};
use trillet::types;
use trillet::webhook::WebhookEvent;
use trillet_e2e::{lost_fields, lost_in_round_trip, spec};
use trillet_spec::ExampleTarget;

/// The generated response type of each operation with a JSON success body.
fn round_trip(operation_id: &str, value: &Value) -> Result<Vec<String>, String> {
    match operation_id {
        "createAgent" | "getAgent" | "updateAgent" => lost_in_round_trip::<types::Agent>(value),
        "listAgents" => lost_in_round_trip::<Vec<types::Agent>>(value),
        "deleteAgent" | "deleteCallFlow" => lost_in_round_trip::<types::DeleteResult>(value),
        "createCallFlow" | "getCallFlow" | "updateCallFlow" => {
            lost_in_round_trip::<types::CallFlow>(value)
        }
        "listCallFlows" => lost_in_round_trip::<Vec<types::CallFlow>>(value),
        "sendCall" => lost_in_round_trip::<types::SendCallResponse>(value),
        "initiateCall" => lost_in_round_trip::<types::InitiateCallResponse>(value),
        "validateBatchCsv" => lost_in_round_trip::<types::BatchCsvValidation>(value),
        "previewBatchCsv" => lost_in_round_trip::<types::BatchCsvPreview>(value),
        "startBatch" => lost_in_round_trip::<types::BatchStarted>(value),
        "getBatch" => lost_in_round_trip::<types::BatchStatus>(value),
        "cancelBatch" => lost_in_round_trip::<types::BatchCancelled>(value),
        "getBatchProgress" => lost_in_round_trip::<types::BatchProgress>(value),
        "listBatchCalls" => lost_in_round_trip::<types::BatchCallList>(value),
        "getBatchCall" => lost_in_round_trip::<types::BatchCall>(value),
        "connectWebCall" | "createWebCall" | "createPublicWebCall" => {
            lost_in_round_trip::<types::WebCallSession>(value)
        }
        "disconnectWebCall" | "registerExternalNumber" | "unbindPhoneNumber" => {
            lost_in_round_trip::<types::StatusMessage>(value)
        }
        "listCallHistory" | "listCallHistoryV1" => {
            lost_in_round_trip::<Vec<types::CallHistoryRecord>>(value)
        }
        "getCallHistory" | "getCallHistoryV1" => {
            lost_in_round_trip::<types::CallHistoryRecord>(value)
        }
        "listActiveCalls" => lost_in_round_trip::<types::ActiveCallList>(value),
        "getActiveCall" => lost_in_round_trip::<types::ActiveCall>(value),
        "endActiveCall" => lost_in_round_trip::<types::EndCallResult>(value),
        "removeAgentFromCall" => lost_in_round_trip::<types::RemoveAgentResult>(value),
        "startRecording" => lost_in_round_trip::<types::RecordingStarted>(value),
        "uploadCallFlowKnowledgeBaseFile" | "deleteCallFlowKnowledgeBaseFile" => {
            lost_in_round_trip::<types::CallFlowKnowledgeBase>(value)
        }
        "createOmniFlowAgent" | "getOmniFlowAgent" | "updateOmniFlowAgent" => {
            lost_in_round_trip::<types::OmniFlowAgent>(value)
        }
        "listOmniFlowAgents" => lost_in_round_trip::<Vec<types::OmniFlowAgent>>(value),
        "createMessageFlow"
        | "getMessageFlow"
        | "updateMessageFlow"
        | "toggleMessageFlowAutopilot" => lost_in_round_trip::<types::MessageFlow>(value),
        "listMessageFlows" => lost_in_round_trip::<Vec<types::MessageFlow>>(value),
        "listConversations" => lost_in_round_trip::<Vec<types::Conversation>>(value),
        "getConversation" => lost_in_round_trip::<types::Conversation>(value),
        "listConversationsByFlow" => lost_in_round_trip::<types::ConversationsOfFlow>(value),
        "generateMessage" => lost_in_round_trip::<types::GeneratedMessage>(value),
        "applyMessageAction" => lost_in_round_trip::<types::MessageActionResult>(value),
        "listUserPhoneNumbers" => lost_in_round_trip::<types::UserPhoneNumbers>(value),
        "purchasePhoneNumber" => lost_in_round_trip::<types::PurchasedPhoneNumber>(value),
        "getPhoneNumberConfig" => lost_in_round_trip::<types::PhoneNumberConfig>(value),
        "updatePhoneNumberConfig" | "deleteWorkspace" => {
            lost_in_round_trip::<types::SuccessFlag>(value)
        }
        "searchAvailableNumbers" => lost_in_round_trip::<types::AvailableNumbers>(value),
        "releasePhoneNumber" | "inviteTeamMember" => {
            lost_in_round_trip::<types::SuccessMessage>(value)
        }
        "bindPhoneNumber" => lost_in_round_trip::<types::BindPhoneNumberResult>(value),
        "createKnowledgeBase" | "getKnowledgeBase" | "updateKnowledgeBase" => {
            lost_in_round_trip::<types::KnowledgeBase>(value)
        }
        "listKnowledgeBases" => lost_in_round_trip::<Vec<types::KnowledgeBase>>(value),
        "uploadKnowledgeBaseFile" => lost_in_round_trip::<types::KnowledgeBaseFileUploaded>(value),
        "createFlowFolder"
        | "getFlowFolder"
        | "updateFlowFolder"
        | "deleteFlowFolder"
        | "addFlowToFolder"
        | "removeFlowFromFolder" => lost_in_round_trip::<types::FlowFolder>(value),
        "listFlowFolders" => lost_in_round_trip::<Vec<types::FlowFolder>>(value),
        "listWorkspaces" => lost_in_round_trip::<types::Workspaces>(value),
        "getWorkspace" | "createWorkspace" | "updateWorkspace" => {
            lost_in_round_trip::<types::Workspace>(value)
        }
        "listPendingInvitations" => lost_in_round_trip::<types::PendingInvitations>(value),
        "createVoice" | "getVoice" => lost_in_round_trip::<types::Voice>(value),
        "cloneVoice" => lost_in_round_trip::<types::VoiceCloned>(value),
        other => Err(format!(
            "no response type known for {other}: add it to round_trip()"
        )),
    }
}

#[test]
fn every_success_response_example_round_trips() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for example in spec().examples() {
        let ExampleTarget::Response { status } = &example.target else {
            continue;
        };
        if !status.starts_with('2') {
            continue;
        }
        let Some(operation_id) = &example.operation_id else {
            continue;
        };
        checked += 1;
        match round_trip(operation_id, &example.value) {
            Ok(lost) if lost.is_empty() => {}
            Ok(lost) => failures.push(format!("{}: lost {}", example.location, lost.join(", "))),
            Err(error) => failures.push(format!("{}: {error}", example.location)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} success examples found");
}

#[test]
fn every_error_response_example_decodes_as_error_body() {
    let mut checked = 0;
    for example in spec().examples() {
        let ExampleTarget::Response { status } = &example.target else {
            continue;
        };
        if status.starts_with('2') {
            continue;
        }
        checked += 1;
        let lost = lost_in_round_trip::<types::ErrorBody>(&example.value)
            .unwrap_or_else(|e| panic!("{}: {e}", example.location));
        assert!(lost.is_empty(), "{}: lost {lost:?}", example.location);
    }
    assert!(checked >= 8, "only {checked} error examples found");
}

#[test]
fn a_field_missing_from_the_schema_is_reported_by_its_pointer() {
    let agent = json!({"_id": "a1", "ttsModel": {"provider": "rime", "accent": "british"}, "mood": "cheerful"});
    let lost = lost_in_round_trip::<types::Agent>(&agent).expect("decodes");
    assert_eq!(
        lost,
        vec!["/mood".to_string(), "/ttsModel/accent".to_string()]
    );
}

#[test]
fn null_and_absent_and_integral_numbers_compare_equal() {
    let progress = json!({"completedTime": null, "averageCallDuration": 45.0, "recent_calls": []});
    assert_eq!(
        lost_in_round_trip::<types::BatchProgress>(&progress).expect("decodes"),
        Vec::<String>::new()
    );
}

#[test]
fn every_webhook_example_of_the_spec_parses_into_a_webhook_event() {
    let webhooks = trillet_e2e::document()["x-webhooks"]
        .as_object()
        .expect("x-webhooks");
    let mut checked = 0;
    for (name, item) in webhooks {
        for operation in item.as_object().expect("path item").values() {
            let examples = operation["requestBody"]["content"]["application/json"]["examples"]
                .as_object()
                .unwrap_or_else(|| panic!("{name}: no JSON examples"));
            for (example, body) in examples {
                let value = &body["value"];
                let bytes = serde_json::to_vec(value).expect("JSON");
                let event = WebhookEvent::from_json(&bytes)
                    .unwrap_or_else(|e| panic!("{name}/{example}: {e}"));
                assert_eq!(
                    Some(event.event_type()),
                    value["event"].as_str(),
                    "{name}/{example}"
                );
                // Nothing of the data is lost, typed or not.
                let data = match &event {
                    WebhookEvent::CallStarted(call)
                    | WebhookEvent::CallCompleted(call)
                    | WebhookEvent::CallFailed(call) => serde_json::to_value(call).expect("JSON"),
                    WebhookEvent::Other { data, .. } => data.clone(),
                    other => panic!("{name}/{example}: not a call event: {other:?}"),
                };
                let lost = lost_fields(&value["data"], &data);
                assert!(lost.is_empty(), "{name}/{example}: lost {lost:?}");
                checked += 1;
            }
        }
    }
    assert!(checked >= 3, "only {checked} webhook examples found");
}
