//! Set up an inbound agent: create the agent, give it a call flow that answers calls
//! (`bidirectional`: the contract's requests have no `inbound` direction, see
//! `openapi/CURATION.md` R1), and bind one of the workspace's phone numbers to it, so
//! that calls to that number reach it.
//!
//! ```text
//! TRILLET_API_KEY=... TRILLET_WORKSPACE_ID=... \
//!   cargo run -p trillet --example inbound_agent -- <phone-number-id>
//! ```
//!
//! Without an argument it lists the workspace's phone numbers (their ids, numbers masked)
//! and stops. Creating the agent and the flow are side-effecting: the client never sends
//! them twice after a timeout, so a failure in the middle leaves what was created (the
//! message says which step failed). Set `TRILLET_BASE_URL` to try it against a mock
//! server.

use std::process::ExitCode;

use trillet::models::{llm, tts, voice};
use trillet::types::{
    AgentCreate, BindPhoneNumberRequest, CallFlowCreate, CallFlowDirection, PromptType,
    TtsModelCreate,
};
use trillet::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let phone_number_id = std::env::args().nth(1);
    let outcome = async {
        let client = Client::from_env()?;
        let Some(phone_number_id) = phone_number_id else {
            for number in client.list_user_phone_numbers().await?.into_inner().0 {
                // `Debug` of a phone number masks it.
                println!(
                    "{}  {:?}",
                    number.id.as_deref().unwrap_or("(no id)"),
                    number.phone_number
                );
            }
            println!("pass one of these ids to bind it to a new inbound agent");
            return Ok(());
        };
        let inbound = set_up_inbound(&client, &phone_number_id).await?;
        println!(
            "agent {} answers through call flow {}",
            inbound.agent_id, inbound.call_flow_id
        );
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    match outcome.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// What [`set_up_inbound`] made.
#[derive(Debug)]
pub struct Inbound {
    /// The new agent.
    pub agent_id: String,
    /// Its inbound call flow.
    pub call_flow_id: String,
}

/// Creates the agent and its inbound flow, and binds `phone_number_id` to the agent.
pub async fn set_up_inbound(
    client: &Client,
    phone_number_id: &str,
) -> Result<Inbound, Box<dyn std::error::Error>> {
    let voice = TtsModelCreate {
        voice_id: Some(voice::WILDFLOWER.into()),
        ..TtsModelCreate::new(tts::RIME)
    };
    let agent = client
        .create_agent(&AgentCreate::new("Front Desk", voice, llm::GPT_4O_MINI))
        .await
        .map_err(|e| format!("creating the agent: {e}"))?;
    let flow = CallFlowCreate {
        agent: Some(agent.id.clone()),
        prompt: Some("Greet the caller, answer questions about opening hours.".into()),
        ..CallFlowCreate::new(
            "Front desk",
            CallFlowDirection::Bidirectional,
            PromptType::Simple,
        )
    };
    let flow = client
        .create_call_flow(&flow)
        .await
        .map_err(|e| format!("agent {} made; creating its call flow: {e}", agent.id))?;
    client
        .bind_phone_number(
            &agent.id,
            phone_number_id,
            &BindPhoneNumberRequest::default(),
        )
        .await
        .map_err(|e| {
            format!(
                "agent {} and flow {} made; binding the number: {e}",
                agent.id, flow.id
            )
        })?;
    Ok(Inbound {
        agent_id: agent.id.clone(),
        call_flow_id: flow.id.clone(),
    })
}
