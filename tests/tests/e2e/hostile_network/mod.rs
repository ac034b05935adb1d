//! The client against a hostile network: a table of scripted misbehaving servers
//! ([`trillet_e2e::fault_server`]), each row saying what a safe client must do.
//!
//! Every row checks, besides its own outcome and hit counts:
//! - nothing reached the second server (another host), whatever the first one answered;
//! - `Display` of the error is one short line;
//! - `Display`, `Debug` and every `source()` of the error, and everything logged at TRACE
//!   level by the client, reqwest and hyper, hold neither the API key, the workspace id,
//!   nor the test number in any spelling, although the servers echo them back.
//!
//! The rows are in `rows.rs`; this file holds the runner and the checks every row passes.

mod rows;

use std::fmt::Write as _;
use std::time::{Duration, SystemTime};

use trillet::retry::RetryPolicy;
use trillet::types::{InitiateCallRequest, ListCallHistoryQuery, SendCallRequest};
use trillet::{Client, ClientBuilder, Error};
use trillet_e2e::fault_server::{Fault, FaultServer, Reply};
use trillet_e2e::logs::{capture_logs, logged};
use trillet_e2e::{API_KEY, WORKSPACE_ID};

use rows::rows;

/// The number the servers echo back, in the spellings people and systems write it.
const SPELLINGS: [&str; 9] = [
    "+14155550173",
    "+1 (415) 555-0173",
    "415-555-0173",
    "415.555.0173",
    "(415) 555 0173",
    "001 415 555 0173",
    "+1.415.555.0173",
    "%2B14155550173",
    "14155550173",
];
/// The part of the number that must never show, once separators are removed.
const LAST_SEVEN: &str = "5550173";
/// The longest one-line `Display` of an error accepted.
const MAX_DISPLAY: usize = 700;

/// The operation a row calls.
#[derive(Clone, Copy, Debug)]
enum Operation {
    /// `getAgent`: a `GET`, safe to repeat.
    GetAgent,
    /// `sendCall`: places a call, never repeated unless nothing was received.
    SendCall,
    /// `initiateCall`: places a call too.
    InitiateCall,
    /// `listCallHistory` searching for the test number (it is in the URL's query).
    SearchCallHistory,
}

/// What the client must report: the error's kind and its telling details.
fn describe(result: &Result<(), Error>) -> String {
    match result {
        Ok(()) => "ok".to_string(),
        Err(Error::Api(api)) => format!(
            "Api {}{}",
            api.status().as_u16(),
            if api.body_truncated() { " cut" } else { "" }
        ),
        Err(Error::Redirect {
            status,
            location_host,
        }) => format!(
            "Redirect {} to {}",
            status.as_u16(),
            location_host.as_deref().unwrap_or("same host")
        ),
        Err(Error::ResponseTooLarge { limit, .. }) => format!("ResponseTooLarge {limit}"),
        Err(Error::Timeout(_)) => "Timeout".to_string(),
        Err(Error::Transport(_)) => "Transport".to_string(),
        Err(Error::Decode(_)) => "Decode".to_string(),
        Err(other) => format!("unexpected {other:?}"),
    }
}

/// One scenario: what the server does, what the client calls, what must come out.
struct Row {
    name: &'static str,
    call: Operation,
    /// The script, given the base URL of the other host.
    script: fn(&str) -> Vec<Fault>,
    /// Settings beyond [`client`]'s.
    tune: fn(ClientBuilder) -> ClientBuilder,
    /// [`describe`] of the outcome; `a | b` where either is right.
    outcome: &'static str,
    /// Requests the server read (`None`: see `connections`).
    requests: Option<usize>,
    /// Connections the server accepted (for faults before a request is read).
    connections: Option<usize>,
}

fn same(builder: ClientBuilder) -> ClientBuilder {
    builder
}

/// 1 MiB success bodies.
fn small_bodies(builder: ClientBuilder) -> ClientBuilder {
    builder.max_response_bytes(1024 * 1024)
}

/// No retries: one attempt per call.
fn no_retries(builder: ClientBuilder) -> ClientBuilder {
    builder.max_retries(0)
}

/// One retry.
fn one_retry(builder: ClientBuilder) -> ClientBuilder {
    builder.max_retries(1)
}

/// Up to 50 retries 100 ms apart, within a 600 ms deadline.
fn tight_deadline(builder: ClientBuilder) -> ClientBuilder {
    builder
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(50)
                .with_initial_backoff(Duration::from_millis(200))
                .with_max_backoff(Duration::from_millis(200)),
        )
        .deadline(Duration::from_millis(600))
}

/// A client of `server` with 300 ms attempts, 2 retries with short waits, a 10 s deadline.
fn client(server: &FaultServer, tune: fn(ClientBuilder) -> ClientBuilder) -> Client {
    let builder = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .timeout(Duration::from_millis(300))
        .deadline(Duration::from_secs(10))
        .retry_policy(
            RetryPolicy::new()
                .with_max_retries(2)
                .with_initial_backoff(Duration::from_millis(10))
                .with_max_backoff(Duration::from_millis(40)),
        );
    tune(builder).build().expect("client")
}

async fn run(client: &Client, call: Operation) -> Result<(), Error> {
    let number = || SPELLINGS[0].parse().expect("E.164");
    match call {
        Operation::GetAgent => client.get_agent("agent_1").await.map(drop),
        Operation::SendCall => client
            .send_call(&SendCallRequest::new("agent_1", number()))
            .await
            .map(drop),
        Operation::InitiateCall => client
            .initiate_call(&InitiateCallRequest::new(number(), "agent_1"))
            .await
            .map(drop),
        Operation::SearchCallHistory => client
            .list_call_history(&ListCallHistoryQuery {
                search: Some(SPELLINGS[0].to_string()),
                ..Default::default()
            })
            .await
            .map(drop),
    }
}

const AGENT: &str = r#"{"_id": "agent_1", "name": "Front Desk", "status": "active"}"#;

/// An error body echoing the key, the workspace id and the number, as a proxy or a
/// verbose server might.
fn echo_body() -> String {
    format!(
        r#"{{"error": "Invalid key {API_KEY} for workspace {WORKSPACE_ID}", "details": "cannot call {} ({}; also {}, {}, {}, {}, {}, {})"}}"#,
        SPELLINGS[0],
        SPELLINGS[1],
        SPELLINGS[2],
        SPELLINGS[3],
        SPELLINGS[4],
        SPELLINGS[5],
        SPELLINGS[6],
        SPELLINGS[7],
    )
}

fn redirect(status: u16, location: &str) -> Fault {
    Fault::Respond(Reply::json(status, "{}").header("location", location))
}

fn agent() -> Reply {
    Reply::json(200, AGENT)
}

fn http_date_in(seconds: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(seconds))
}

/// Everything an error prints: `Display`, `Debug` (both forms) and every cause's.
fn printed(error: &Error) -> String {
    let mut text = format!("{error}\n{error:?}\n{error:#?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let _ = writeln!(text, "{cause}\n{cause:?}");
        source = cause.source();
    }
    text
}

/// The key, the workspace id or the test number in any spelling, in `text`.
fn leaks(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for secret in [API_KEY, WORKSPACE_ID] {
        if text.contains(secret) {
            found.push(format!("credential {secret}"));
        }
    }
    for spelling in SPELLINGS {
        if text.contains(spelling) {
            found.push(format!("number spelled {spelling}"));
        }
    }
    let squeezed: String = text
        .replace("%2B", "+")
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '+'))
        .collect();
    if squeezed.contains(LAST_SEVEN) {
        found.push(format!("the digits {LAST_SEVEN}"));
    }
    found
}

/// Runs one row on its own two servers; returns what went wrong.
/// A row with its servers listening and its client built, ready to run.
struct Prepared {
    row: Row,
    elsewhere: FaultServer,
    server: FaultServer,
    client: Client,
}

/// Starts the row's servers and builds its client. Done for every row before any row
/// runs: building a client loads the TLS roots (tens of milliseconds of CPU with rustls,
/// which `cargo test --workspace` turns on), and a build inside a running row would eat
/// into the 300 ms attempts of the rows beside it.
async fn prepare(row: Row) -> Prepared {
    let elsewhere = FaultServer::start(vec![Fault::Respond(agent())]).await;
    let server = FaultServer::start((row.script)(&elsewhere.other_host_url())).await;
    let client = client(&server, row.tune);
    Prepared {
        row,
        elsewhere,
        server,
        client,
    }
}

/// Runs a prepared row and returns what is wrong with its outcome.
async fn check(prepared: Prepared) -> Vec<String> {
    let Prepared {
        row,
        elsewhere,
        server,
        client,
    } = prepared;
    let result = run(&client, row.call).await;
    let outcome = describe(&result);
    let requests = server.hits().len();
    let mut problems = Vec::new();
    if !row.outcome.split(" | ").any(|expected| expected == outcome) {
        problems.push(format!("outcome {outcome:?}, expected {:?}", row.outcome));
    }
    match row.requests {
        Some(expected) if requests != expected => {
            problems.push(format!("{requests} requests, expected {expected}"))
        }
        None if !(3..=8).contains(&requests) => problems.push(format!(
            "{requests} requests within the deadline, expected 3 to 8"
        )),
        _ => {}
    }
    if let Some(expected) = row.connections {
        let connections = server.connections();
        if connections != expected {
            problems.push(format!("{connections} connections, expected {expected}"));
        }
    }
    if !elsewhere.hits().is_empty() || elsewhere.connections() > 0 {
        problems.push(format!(
            "the other host was reached: {:?}",
            elsewhere.hits()
        ));
    }
    if let Err(error) = &result {
        let line = error.to_string();
        if line.contains('\n') || line.chars().count() > MAX_DISPLAY {
            problems.push(format!(
                "Display is not one short line ({} chars)",
                line.len()
            ));
        }
        for leak in leaks(&printed(error)) {
            problems.push(format!("the error shows {leak}: {}", printed(error)));
        }
    }
    problems
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_safe_client_against_misbehaving_servers() {
    capture_logs();
    // The rows run side by side, each against its own servers: the suite waits for the
    // slowest row (real stalls, timeouts and deadlines), not for their sum.
    let mut running = tokio::task::JoinSet::new();
    let mut prepared = Vec::new();
    for row in rows() {
        prepared.push(prepare(row).await);
    }
    for (index, row) in prepared.into_iter().enumerate() {
        let name = row.row.name;
        running.spawn(async move { (index, name, check(row).await) });
    }
    let mut failures = Vec::new();
    while let Some(done) = running.join_next().await {
        let (index, name, problems) = done.expect("the row ran to its end");
        if !problems.is_empty() {
            failures.push((index, format!("{name}:\n  {}", problems.join("\n  "))));
        }
    }
    failures.sort();
    let mut failures: Vec<String> = failures.into_iter().map(|(_, text)| text).collect();
    let logged = logged();
    for leak in leaks(&logged) {
        failures.push(format!("the logs show {leak}"));
    }
    assert!(
        logged.contains("trillet.request"),
        "the capture saw no span"
    );
    assert!(
        logged.contains("reqwest::connect"),
        "the capture saw no reqwest record"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn the_redirect_error_names_the_host_and_what_to_do() {
    let server = FaultServer::start(vec![redirect(
        307,
        "https://user:pw@evil.example:8443/steal?key=1#x",
    )])
    .await;
    let error = run(&client(&server, same), Operation::SendCall)
        .await
        .expect_err("a redirect is an error");
    let line = error.to_string();
    assert!(line.contains("307 Temporary Redirect"), "{line}");
    assert!(line.contains("host evil.example"), "{line}");
    assert!(line.contains("check the base URL"), "{line}");
    for hidden in ["user", "pw", "8443", "steal", "key=1", "#x"] {
        assert!(!line.contains(hidden), "{hidden} in {line}");
    }
    assert!(!error.is_retryable());
}

#[tokio::test]
async fn a_cut_error_body_keeps_its_start_and_says_it_was_cut() {
    let body = format!(r#"{{"error":"quota","details":"{}"}}"#, "y".repeat(200_000));
    let server = FaultServer::start(vec![Fault::Respond(Reply::json(403, &body))]).await;
    let error = run(&client(&server, same), Operation::SendCall)
        .await
        .expect_err("403");
    let api = error.api().expect("an API error");
    assert!(api.body_truncated());
    assert!(
        api.message().starts_with(r#"{"error":"quota""#),
        "{}",
        api.message()
    );
    assert!(error.to_string().chars().count() < MAX_DISPLAY, "{error}");
}
