//! Create an agent, give it an outbound call flow, check a CSV, start a batch of calls,
//! follow it to its end with a progress bar, and list the calls that failed.
//!
//! ```text
//! TRILLET_API_KEY=... TRILLET_WORKSPACE_ID=... cargo run -p trillet --example batch_campaign -- calls.csv
//! ```
//!
//! Places real calls that cost money once the batch starts. `calls.csv` needs a
//! `phone_number` column in E.164 (`+14155551234`); other columns become variables of the
//! prompt (`{first_name}`). Set `TRILLET_BASE_URL` to try it against a mock server.

use std::process::ExitCode;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use trillet::batch_calls::BatchCallsQuery;
use trillet::batch_wait::BatchWaitOptions;
use trillet::models::{llm, tts, voice};
use trillet::preflight::check_batch_csv_file;
use trillet::types::BatchCallStatusFilter;
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

/// Any error of the campaign: the client's own, an unreadable CSV, or the API's refusal of
/// rows.
type CampaignError = Box<dyn std::error::Error>;

async fn run(csv_path: &str) -> Result<(), CampaignError> {
    // Before anything is created: every bad row of the CSV, with its line.
    let report = check_batch_csv_file(csv_path)?;
    if !report.is_valid() {
        eprintln!("{csv_path}: {report}");
        return Err(trillet::Error::InvalidCsv {
            file_name: csv_path.to_string(),
            report: Box::new(report),
        }
        .into());
    }
    println!("{csv_path}: {report}");

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
        return Err(format!("{csv_path} has rows the API refuses").into());
    }

    let batch = client.start_batch(csv, &StartBatch::new(&agent.id)).await?;
    let batch_id = batch.batch_id.clone().unwrap_or_default();
    println!(
        "batch {batch_id} queued: {} calls",
        batch.total_calls.map_or("?".to_string(), |n| n.to_string())
    );

    let bar = ProgressBar::new(
        batch
            .total_calls
            .and_then(|n| u64::try_from(n).ok())
            .unwrap_or(0),
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} calls ended, {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = bar.clone();
    let options = BatchWaitOptions::new()
        .poll_interval(Duration::from_secs(5))
        .deadline(Duration::from_secs(6 * 3600))
        .on_progress(move |snapshot| {
            progress.set_length(snapshot.total);
            progress.set_position(snapshot.finished());
            progress.set_message(format!(
                "{} failed, {} active, {} waiting",
                snapshot.failed, snapshot.active, snapshot.waiting
            ));
        });
    let last = client.wait_for_batch(&batch_id, options).await?;
    bar.finish();
    println!("batch {batch_id} {:?}: {last}", last.state());

    let mut failed = client.batch_calls(
        &batch_id,
        BatchCallsQuery::status(BatchCallStatusFilter::Failed),
    );
    while let Some(call) = failed.next().await {
        let call = call?;
        println!(
            "failed: job {} ({})",
            call.job_id.as_deref().unwrap_or("?"),
            call.error.as_deref().unwrap_or("no reason given")
        );
    }
    Ok(())
}
