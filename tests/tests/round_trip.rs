//! Every success response example of the spec decodes into its generated type and
//! re-encodes without losing a field (`null` = absent, `1` = `1.0`); and what "losing a
//! field" looks like when a schema lacks one.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use trillet::types;
use trillet::webhook::WebhookEvent;
use trillet_e2e::{lost_fields, spec};
use trillet_spec::ExampleTarget;

/// Decodes `value` as `T` and returns the JSON pointers it lost on the way back.
fn through<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Vec<String>, String> {
    let decoded: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    let reencoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
    Ok(lost_fields(value, &reencoded))
}

/// The generated response type of each operation with a JSON success body.
fn round_trip(operation_id: &str, value: &Value) -> Result<Vec<String>, String> {
    match operation_id {
        "createAgent" | "getAgent" | "updateAgent" => through::<types::Agent>(value),
        "listAgents" => through::<Vec<types::Agent>>(value),
        "deleteAgent" | "deleteCallFlow" => through::<types::DeleteResult>(value),
        "createCallFlow" | "getCallFlow" | "updateCallFlow" => through::<types::CallFlow>(value),
        "listCallFlows" => through::<Vec<types::CallFlow>>(value),
        "sendCall" => through::<types::SendCallResponse>(value),
        "initiateCall" => through::<types::InitiateCallResponse>(value),
        "validateBatchCsv" => through::<types::BatchCsvValidation>(value),
        "previewBatchCsv" => through::<types::BatchCsvPreview>(value),
        "startBatch" => through::<types::BatchStarted>(value),
        "getBatch" => through::<types::BatchStatus>(value),
        "cancelBatch" => through::<types::BatchCancelled>(value),
        "getBatchProgress" => through::<types::BatchProgress>(value),
        "listBatchCalls" => through::<types::BatchCallList>(value),
        "getBatchCall" => through::<types::BatchCall>(value),
        "connectWebCall" | "createWebCall" | "createPublicWebCall" => {
            through::<types::WebCallSession>(value)
        }
        "disconnectWebCall" | "registerExternalNumber" | "unbindPhoneNumber" => {
            through::<types::StatusMessage>(value)
        }
        "listCallHistory" | "listCallHistoryV1" => through::<Vec<types::CallHistoryRecord>>(value),
        "getCallHistory" | "getCallHistoryV1" => through::<types::CallHistoryRecord>(value),
        "listActiveCalls" => through::<types::ActiveCallList>(value),
        "getActiveCall" => through::<types::ActiveCall>(value),
        "endActiveCall" => through::<types::EndCallResult>(value),
        "removeAgentFromCall" => through::<types::RemoveAgentResult>(value),
        "startRecording" => through::<types::RecordingStarted>(value),
        "uploadCallFlowKnowledgeBaseFile" | "deleteCallFlowKnowledgeBaseFile" => {
            through::<types::CallFlowKnowledgeBase>(value)
        }
        "createOmniFlowAgent" | "getOmniFlowAgent" | "updateOmniFlowAgent" => {
            through::<types::OmniFlowAgent>(value)
        }
        "listOmniFlowAgents" => through::<Vec<types::OmniFlowAgent>>(value),
        "createMessageFlow"
        | "getMessageFlow"
        | "updateMessageFlow"
        | "toggleMessageFlowAutopilot" => through::<types::MessageFlow>(value),
        "listMessageFlows" => through::<Vec<types::MessageFlow>>(value),
        "listConversations" => through::<Vec<types::Conversation>>(value),
        "getConversation" => through::<types::Conversation>(value),
        "listConversationsByFlow" => through::<types::ConversationsOfFlow>(value),
        "generateMessage" => through::<types::GeneratedMessage>(value),
        "applyMessageAction" => through::<types::MessageActionResult>(value),
        "listUserPhoneNumbers" => through::<types::UserPhoneNumbers>(value),
        "purchasePhoneNumber" => through::<types::PurchasedPhoneNumber>(value),
        "getPhoneNumberConfig" => through::<types::PhoneNumberConfig>(value),
        "updatePhoneNumberConfig" | "deleteWorkspace" => through::<types::SuccessFlag>(value),
        "searchAvailableNumbers" => through::<types::AvailableNumbers>(value),
        "releasePhoneNumber" | "inviteTeamMember" => through::<types::SuccessMessage>(value),
        "bindPhoneNumber" => through::<types::BindPhoneNumberResult>(value),
        "createKnowledgeBase" | "getKnowledgeBase" | "updateKnowledgeBase" => {
            through::<types::KnowledgeBase>(value)
        }
        "listKnowledgeBases" => through::<Vec<types::KnowledgeBase>>(value),
        "uploadKnowledgeBaseFile" => through::<types::KnowledgeBaseFileUploaded>(value),
        "createFlowFolder"
        | "getFlowFolder"
        | "updateFlowFolder"
        | "deleteFlowFolder"
        | "addFlowToFolder"
        | "removeFlowFromFolder" => through::<types::FlowFolder>(value),
        "listFlowFolders" => through::<Vec<types::FlowFolder>>(value),
        "listWorkspaces" => through::<types::Workspaces>(value),
        "getWorkspace" | "createWorkspace" | "updateWorkspace" => {
            through::<types::Workspace>(value)
        }
        "listPendingInvitations" => through::<types::PendingInvitations>(value),
        "createVoice" | "getVoice" => through::<types::Voice>(value),
        "cloneVoice" => through::<types::VoiceCloned>(value),
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
        let lost = through::<types::ErrorBody>(&example.value)
            .unwrap_or_else(|e| panic!("{}: {e}", example.location));
        assert!(lost.is_empty(), "{}: lost {lost:?}", example.location);
    }
    assert!(checked >= 8, "only {checked} error examples found");
}

#[test]
fn a_field_missing_from_the_schema_is_reported_by_its_pointer() {
    let agent = json!({"_id": "a1", "ttsModel": {"provider": "rime", "accent": "british"}, "mood": "cheerful"});
    let lost = through::<types::Agent>(&agent).expect("decodes");
    assert_eq!(
        lost,
        vec!["/mood".to_string(), "/ttsModel/accent".to_string()]
    );
}

#[test]
fn null_and_absent_and_integral_numbers_compare_equal() {
    let progress = json!({"completedTime": null, "averageCallDuration": 45.0, "recent_calls": []});
    assert_eq!(
        through::<types::BatchProgress>(&progress).expect("decodes"),
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
