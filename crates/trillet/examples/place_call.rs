//! Place one outbound call with dynamic variables, and print its id and the request id.
//!
//! ```text
//! TRILLET_API_KEY=... TRILLET_WORKSPACE_ID=... \
//!   cargo run -p trillet --example place_call -- <agent-id> +14155551234 firstName=Ada appointment=Tuesday
//! ```
//!
//! Calls a real person once it runs (and costs money). The variables (`key=value`) fill
//! the agent's script (`{firstName}`). `initiateCall` is side-effecting: the client never
//! sends it again after a timeout or a 5xx, so an error here means "find out whether the
//! call started" (see the call history), not "run it again". Set `TRILLET_BASE_URL` to
//! try it against a mock server.

use std::collections::HashMap;
use std::process::ExitCode;

use trillet::types::{InitiateCallRequest, InitiateCallResponse};
use trillet::{Client, E164PhoneNumber, ResponseMeta, ResponseValue};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [agent_id, to, variables @ ..] = args.as_slice() else {
        eprintln!("usage: place_call <agent-id> <+E.164 number> [key=value ...]");
        return ExitCode::from(2);
    };
    let outcome = async {
        let to: E164PhoneNumber = to.parse()?;
        let variables = parse_variables(variables)?;
        let client = Client::from_env()?;
        let placed = place_call(&client, agent_id, to, variables).await?;
        println!(
            "call {} ({}); request id {}",
            placed.call_id.as_deref().unwrap_or("without id"),
            placed.status.as_deref().unwrap_or("no status"),
            placed.request_id().unwrap_or("not sent"),
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

/// `key=value` arguments as variables; the message names the argument without a `=`.
pub fn parse_variables(arguments: &[String]) -> Result<HashMap<String, String>, String> {
    arguments
        .iter()
        .enumerate()
        .map(|(n, argument)| match argument.split_once('=') {
            Some((key, value)) if !key.is_empty() => Ok((key.to_string(), value.to_string())),
            _ => Err(format!(
                "variable {} is not key=value (such as firstName=Ada)",
                n + 1
            )),
        })
        .collect()
}

/// Places the call: `agent_id` calls `to`, its script filled with `variables`.
pub async fn place_call(
    client: &Client,
    agent_id: &str,
    to: E164PhoneNumber,
    variables: HashMap<String, String>,
) -> Result<ResponseValue<InitiateCallResponse>, trillet::Error> {
    let call = InitiateCallRequest {
        dynamic_variables: variables,
        ..InitiateCallRequest::new(to, agent_id)
    };
    client.initiate_call(&call).await
}
