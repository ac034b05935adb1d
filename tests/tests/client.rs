//! Client configuration, secrets in `Debug`, transport failures, forward compatibility
//! and the catalogue constants.

use std::time::Duration;

use serde_json::{json, Value};
use trillet::models::{llm, tts, voice};
use trillet::types::{self, AgentCreate, CallFlowDirection, TtsModelCreate};
use trillet::{Client, Error};
use trillet_e2e::{document, Harness, API_KEY, WORKSPACE_ID};

#[test]
fn debug_never_shows_the_api_key() {
    let builder = Client::builder(API_KEY, WORKSPACE_ID).base_url("http://localhost:1");
    let client = builder.clone().build().expect("client");
    for text in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{builder:?}"),
        format!("{builder:#?}"),
    ] {
        assert!(!text.contains(API_KEY), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
        // The workspace id identifies, it grants nothing: shown on purpose.
        assert!(text.contains(WORKSPACE_ID), "{text}");
    }
}

#[test]
fn from_env_names_the_missing_variable_and_reads_the_base_url() {
    // The only test touching these variables.
    std::env::remove_var("TRILLET_API_KEY");
    std::env::remove_var("TRILLET_WORKSPACE_ID");
    std::env::remove_var("TRILLET_BASE_URL");
    let error = Client::from_env().expect_err("no key");
    assert_eq!(
        error.to_string(),
        "configuration: environment variable TRILLET_API_KEY is not set"
    );
    std::env::set_var("TRILLET_API_KEY", API_KEY);
    let error = Client::from_env().expect_err("no workspace");
    assert_eq!(
        error.to_string(),
        "configuration: environment variable TRILLET_WORKSPACE_ID is not set"
    );
    std::env::set_var("TRILLET_WORKSPACE_ID", " ");
    let error = Client::from_env().expect_err("empty workspace");
    assert_eq!(
        error.to_string(),
        "configuration: environment variable TRILLET_WORKSPACE_ID is empty"
    );
    std::env::set_var("TRILLET_WORKSPACE_ID", WORKSPACE_ID);
    assert_eq!(
        Client::from_env().expect("client").base_url(),
        trillet::DEFAULT_BASE_URL
    );
    std::env::set_var("TRILLET_BASE_URL", "http://localhost:8080/");
    let client = Client::from_env().expect("client");
    assert_eq!(client.base_url(), "http://localhost:8080");
    assert_eq!(client.workspace_id(), WORKSPACE_ID);
    for name in [
        "TRILLET_API_KEY",
        "TRILLET_WORKSPACE_ID",
        "TRILLET_BASE_URL",
    ] {
        std::env::remove_var(name);
    }
}

#[test]
fn bad_configuration_is_refused_before_any_request() {
    let error = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url("ftp://example.com")
        .build()
        .expect_err("scheme");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
    let error = Client::new("key\nwith newline", WORKSPACE_ID).expect_err("header");
    assert!(!error.to_string().contains("with newline"), "{error}");
}

#[tokio::test]
async fn user_agent_and_auth_headers_are_sent() {
    let harness = Harness::start().await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(harness.server.base_url())
        .user_agent("tests/1.0")
        .build()
        .expect("client");
    let mock = harness
        .server
        .mock_async(|when, then| {
            when.header("user-agent", "tests/1.0")
                .header("x-api-key", API_KEY)
                .header("x-workspace-id", WORKSPACE_ID);
            then.status(200)
                .header("content-type", "application/json")
                .body("[]");
        })
        .await;
    assert!(client.list_agents().await.expect("listAgents").is_empty());
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn a_slow_server_is_a_timeout() {
    let harness = Harness::start().await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(harness.server.base_url())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("client");
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).delay(Duration::from_secs(3)).body("[]");
        })
        .await;
    let error = client.list_agents().await.expect_err("times out");
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_closed_port_is_a_transport_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(format!("http://127.0.0.1:{port}"))
        .build()
        .expect("client");
    let error = client.get_agent("agent-1").await.expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.status().is_none());
}

/// Answers `getAgent` with `body`.
async fn get_agent_answering(body: Value) -> Result<types::Agent, Error> {
    let harness = Harness::start().await;
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.path("/v1/api/agents/agent-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(body.to_string());
        })
        .await;
    harness
        .client
        .get_agent("agent-1")
        .await
        .map(|r| r.into_inner())
}

#[tokio::test]
async fn extra_fields_and_unknown_values_still_decode() {
    let agent = get_agent_answering(json!({
        "_id": "agent-1",
        "status": "hibernating",
        "llmModel": "gpt-7-ultra",
        "type": "sms",
        "ttsModel": {"provider": "acme-voices", "voiceId": "robot_9", "pitch": 3},
        "activeSessions": [{"roomName": "r", "status": "on-hold", "transport": "webrtc"}],
        "brandNewField": {"nested": [1, 2, 3]}
    }))
    .await
    .expect("decodes");
    assert_eq!(agent.status.as_deref(), Some("hibernating"));
    assert_eq!(agent.llm_model.as_deref(), Some("gpt-7-ultra"));
    assert_eq!(
        agent.tts_model.and_then(|t| t.provider).as_deref(),
        Some("acme-voices")
    );
}

#[tokio::test]
async fn a_201_answer_decodes_like_200() {
    let harness = Harness::start().await;
    let _mock = harness
        .server
        .mock_async(|when, then| {
            when.path("/v1/api/agents");
            then.status(201)
                .header("content-type", "application/json")
                .body(r#"{"_id": "agent-9"}"#);
        })
        .await;
    let body = AgentCreate::new(
        "Front Desk",
        TtsModelCreate::new(tts::OPENAI),
        llm::GPT_4O_MINI,
    );
    let agent = harness.client.create_agent(&body).await.expect("decodes");
    assert_eq!(agent.status().as_u16(), 201);
    assert_eq!(agent.id, "agent-9");
}

#[test]
fn request_enums_are_closed() {
    assert!(serde_json::from_value::<CallFlowDirection>(json!("inbound")).is_err());
    assert_eq!(
        serde_json::to_value(CallFlowDirection::Bidirectional).expect("JSON"),
        json!("bidirectional")
    );
}

#[test]
fn phone_numbers_are_checked_before_a_call_is_placed() {
    assert!("+14155551234".parse::<types::E164PhoneNumber>().is_ok());
    let error = "4155551234"
        .parse::<types::E164PhoneNumber>()
        .expect_err("no +");
    assert!(!error.to_string().contains("4155551234"), "{error}");
    let error: Error = error.into();
    assert!(matches!(error, Error::InvalidArgument(_)));
}

#[test]
fn constructors_send_only_the_required_fields_and_what_is_set() {
    let body = AgentCreate {
        smart_callback: Some(true),
        ..AgentCreate::new(
            "Front Desk",
            TtsModelCreate {
                voice_id: Some(voice::BROOK.into()),
                ..TtsModelCreate::new(tts::RIME)
            },
            llm::GPT_4O,
        )
    };
    assert_eq!(
        serde_json::to_value(&body).expect("JSON"),
        json!({"name": "Front Desk", "llmModel": "gpt-4o", "smartCallback": true,
               "ttsModel": {"provider": "rime", "voiceId": "mistv2_Brook"}})
    );
    let rename = types::AgentUpdate {
        name: Some("Night Shift Agent".into()),
        ..Default::default()
    };
    assert_eq!(
        serde_json::to_value(&rename).expect("JSON"),
        json!({"name": "Night Shift Agent"})
    );
}

/// The backticked values of a schema's description in the spec.
fn listed_in(schema: &str) -> Vec<String> {
    let description = document()["components"]["schemas"][schema]["description"]
        .as_str()
        .expect("description");
    let (values, _) = description
        .split_once("The default is")
        .unwrap_or((description, ""));
    values
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The default a description states ("The default is `x`.").
fn documented_default(schema: &serde_json::Value) -> Option<String> {
    let description = schema["description"].as_str()?;
    let (_, rest) = description.split_once("The default is `")?;
    rest.split('`').next().map(str::to_string)
}

#[test]
fn catalogue_constants_match_the_spec() {
    let models = listed_in("LlmModel");
    assert_eq!(
        llm::ALL.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        models,
        "trillet::models::llm::ALL"
    );
    assert_eq!(
        Some(llm::DEFAULT.to_string()),
        documented_default(&document()["components"]["schemas"]["LlmModel"])
    );
    let providers = listed_in("TtsProvider");
    for provider in tts::ALL {
        assert!(
            providers.iter().any(|p| p == provider),
            "{provider} is not in TtsProvider's description"
        );
    }
    let voices = listed_in("VoiceId");
    for id in voice::TRILLET.iter().chain([&voice::OPENAI_ALLOY]) {
        assert!(
            voices.iter().any(|v| v == id),
            "{id} is not in VoiceId's description"
        );
    }
    assert_eq!(
        Some(voice::DEFAULT.to_string()),
        documented_default(
            &document()["components"]["schemas"]["TtsModel"]["properties"]["voiceId"]
        )
    );
}
