//! Create an agent, give it an outbound call flow, check a CSV and start a batch of calls.
//!
//! ```text
//! TRILLET_API_KEY=... TRILLET_WORKSPACE_ID=... cargo run -p trillet --example batch_campaign -- calls.csv
//! ```
//!
//! Places real calls that cost money once the batch starts. `calls.csv` needs a
//! `phone_number` column in E.164 (`+14155551234`); other columns become variables of the
//! prompt (`{first_name}`). Set `TRILLET_BASE_URL` to try it against a mock server.

use std::process::ExitCode;

use trillet::models::{llm, tts, voice};
use trillet::types::{
    AgentCreate, CallFlowCreate, CallFlowDirection, PromptType, TtsModelCreate, WelcomeMessageMode,
};
use trillet::{Client, Csv, StartBatch};

#[tokio::main]
async fn main() -> ExitCode {
    let Some(csv_path) = std::env::args().nth(1) else {
        eprintln!("usage: batch_campaign <calls.csv>");
        return ExitCode::from(2);
    };
    match run(&csv_path).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(csv_path: &str) -> Result<(), trillet::Error> {
    let client = Client::from_env()?;

    let voice = TtsModelCreate {
        voice_id: Some(voice::VIOLET.into()),
        ..TtsModelCreate::new(tts::RIME)
    };
    let agent = client
        .create_agent(&AgentCreate::new(
            "Appointment Reminders",
            voice,
            llm::GPT_4O_MINI,
        ))
        .await?;
    println!(
        "agent {} ({})",
        agent.id,
        agent.status.as_deref().unwrap_or("unknown status")
    );

    let flow = CallFlowCreate {
        agent: Some(agent.id.clone()),
        prompt: Some(
            "Remind {first_name} of tomorrow's appointment and confirm attendance.".into(),
        ),
        welcome_message: Some(WelcomeMessageMode::AiDynamic),
        ..CallFlowCreate::new(
            "Appointment reminders",
            CallFlowDirection::Outbound,
            PromptType::Simple,
        )
    };
    let flow = client.create_call_flow(&flow).await?;
    println!("call flow {}", flow.id);

    let csv = Csv::from_path(csv_path)?;
    let check = client.validate_batch_csv(csv.clone()).await?;
    if check.valid == Some(false) {
        for problem in &check.errors {
            println!(
                "row {:?}, {:?}: {:?}",
                problem.row, problem.field, problem.message
            );
        }
        return Err(trillet::Error::InvalidRequest(format!(
            "{csv_path} has invalid rows"
        )));
    }

    let batch = client.start_batch(csv, &StartBatch::new(&agent.id)).await?;
    println!(
        "batch {} queued: {} calls",
        batch.batch_id.as_deref().unwrap_or("?"),
        batch.total_calls.map_or("?".to_string(), |n| n.to_string())
    );
    Ok(())
}
