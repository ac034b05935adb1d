//! Flow folders, workspaces, voices and the credential check.

use trillet::types;
use trillet::uploads::{CloneVoice, VoiceSample};
use trillet_e2e::{
    is_refused_before_sending, request_example, success_example_names, Expect, Harness,
};

use super::{check, check_each_body, file_names, media_example};

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
    assert!(is_refused_before_sending(&error), "{error}");
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
