//! The retry policy over real HTTP, as a table: which requests are sent again, how many
//! times, and after how long. The mock server counts what reaches it; waits run on the
//! fast clock ([`trillet_e2e::clock`]), so a `Retry-After: 1` costs milliseconds.

use std::time::{Duration, SystemTime};

use httpmock::MockServer;
use tokio::time::Instant;
use trillet::batch_upload::{Csv, StartBatch};
use trillet::retry::RetryPolicy;
use trillet::types::SendCallRequest;
use trillet::{Client, ClientBuilder, E164PhoneNumber, Error};
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::client_builder;
use trillet_e2e::clock::with_fast_clock;

const PROGRESS: &str = r#"{"status": "processing", "isComplete": false, "total": 2}"#;
const CALL_PLACED: &str = r#"{"status": "success", "callId": "call_1"}"#;
const BATCH_STARTED: &str = r#"{"batchId": "batch_1", "totalCalls": 1, "status": "queued"}"#;
const BATCH_CSV: &str = "phone_number,first_name\n+14155551234,Ada\n";
const ONE_NUMBER_CSV: &str = "phone_number\n+14155551234\n";

/// The operation a row calls.
#[derive(Clone, Copy, Debug)]
enum Operation {
    /// `getBatchProgress` of `batch_1`: a `GET`.
    GetBatchProgress,
    /// `sendCall`: places a call.
    SendCall,
    /// `startBatch` with this CSV: starts calls (a multipart upload).
    StartBatch(&'static str),
    /// `validateBatchCsv` with this CSV: a `POST` that only reads.
    ValidateBatchCsv(&'static str),
}

impl Operation {
    /// Where the server answers it, from the spec.
    fn route(self) -> Route {
        match self {
            Operation::GetBatchProgress => Route::of("getBatchProgress", &["batch_1"]),
            Operation::SendCall => Route::of("sendCall", &[]),
            Operation::StartBatch(_) => Route::of("startBatch", &[]),
            Operation::ValidateBatchCsv(_) => Route::of("validateBatchCsv", &[]),
        }
    }

    /// Makes the call; [`describe`]s what came out.
    async fn run(self, client: &Client) -> String {
        match self {
            Operation::GetBatchProgress => describe(
                client
                    .get_batch_progress("batch_1")
                    .await
                    .map(|p| format!("total {:?}", p.total)),
            ),
            Operation::SendCall => {
                let number: E164PhoneNumber = "+14155551234".parse().expect("E.164");
                describe(
                    client
                        .send_call(&SendCallRequest::new("agent-1", number))
                        .await
                        .map(|placed| format!("callId {:?}", placed.call_id)),
                )
            }
            Operation::StartBatch(csv) => describe(
                client
                    .start_batch(Csv::from_bytes(csv), &StartBatch::new("agent-1"))
                    .await
                    .map(|started| format!("batchId {:?}", started.batch_id)),
            ),
            Operation::ValidateBatchCsv(csv) => describe(
                client
                    .validate_batch_csv(Csv::from_bytes(csv))
                    .await
                    .map(|check| format!("valid {:?}", check.valid)),
            ),
        }
    }
}

/// What the caller got: `ok` and what the answer said, or the error's kind, with status,
/// code and message for an API error.
fn describe(result: Result<String, Error>) -> String {
    match result {
        Ok(summary) => format!("ok {summary}"),
        Err(Error::Api(api)) => format!(
            "Api {} {}: {}",
            api.status().as_u16(),
            api.code().unwrap_or("-"),
            api.message()
        ),
        Err(Error::Timeout(_)) => "Timeout".to_string(),
        Err(Error::Transport(_)) => "Transport".to_string(),
        Err(other) => format!("unexpected {other:?}"),
    }
}

/// What the server does.
enum Server {
    /// Answers in turn, the last one repeated.
    Answers(Vec<Answer>),
    /// Answers every request after two seconds: longer than any attempt's timeout here.
    Slow(Answer),
    /// Nothing listens on the port.
    Closed,
}

/// One scenario: the server, the call, the client's settings and what must come out.
struct Row {
    name: &'static str,
    call: Operation,
    /// The server, made when the row runs (its dates are "from now").
    server: fn() -> Server,
    /// Retries of the client (with short backoff steps: 20 to 80 ms).
    max_retries: u32,
    /// Settings beyond those.
    tune: fn(ClientBuilder) -> ClientBuilder,
    /// [`describe`] of the outcome.
    outcome: &'static str,
    /// Requests the server received (`None` when nothing listens).
    requests: Option<usize>,
    /// The call took at least this long (on the fast clock).
    waits_at_least: Duration,
    /// After the call, the time given to a request that must not come.
    then_wait: Duration,
    /// A text every request's body carries (the bodies are always the same bytes).
    body_contains: Option<&'static str>,
}

fn same(builder: ClientBuilder) -> ClientBuilder {
    builder
}

/// Attempts of 1 s on the fast clock (50 to 170 ms of real time, room for a loaded
/// machine to connect and send): the slow server's answers, 2 real seconds late, never
/// come in time.
fn short_attempts(builder: ClientBuilder) -> ClientBuilder {
    builder.timeout(Duration::from_secs(1))
}

/// Backoff steps of 200 to 400 ms: two waits take at least 300 ms.
fn longer_backoff(builder: ClientBuilder) -> ClientBuilder {
    builder.retry_policy(
        RetryPolicy::new()
            .with_max_retries(2)
            .with_initial_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_millis(400)),
    )
}

/// `secs` since the epoch as RFC 3339 UTC (Howard Hinnant's `civil_from_days`).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (hour, minute, second) = (secs % 86_400 / 3600, secs % 3600 / 60, secs % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
}

/// `seconds` from now, as RFC 3339 UTC.
fn rfc3339_in(seconds: u64) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    rfc3339(now + seconds)
}

/// A row with the defaults: two retries, no other setting, no wait, no body to look for.
fn row(name: &'static str, call: Operation, server: fn() -> Server) -> Row {
    Row {
        name,
        call,
        server,
        max_retries: 2,
        tune: same,
        outcome: "",
        requests: None,
        waits_at_least: Duration::ZERO,
        then_wait: Duration::ZERO,
        body_contains: None,
    }
}

fn rows() -> Vec<Row> {
    use Operation::*;
    use Server::*;
    vec![
        Row {
            outcome: "ok total Some(2)",
            requests: Some(2),
            ..row(
                "a GET answered 503 then 200 succeeds with two requests",
                GetBatchProgress,
                || {
                    Answers(vec![
                        Answer::json(503, r#"{"error": "busy"}"#),
                        Answer::json(200, PROGRESS),
                    ])
                },
            )
        },
        Row {
            outcome: "Api 500 -: oops",
            requests: Some(1),
            ..row("a sendCall answered 500 is sent once", SendCall, || {
                Answers(vec![Answer::json(500, r#"{"error": "oops"}"#)])
            })
        },
        Row {
            outcome: "ok callId Some(\"call_1\")",
            requests: Some(2),
            ..row("a sendCall answered 429 is sent again", SendCall, || {
                Answers(vec![
                    Answer::json(429, r#"{"error": "slow down"}"#).header("retry-after", "0"),
                    Answer::json(200, CALL_PLACED),
                ])
            })
        },
        Row {
            outcome: "ok total Some(2)",
            requests: Some(2),
            waits_at_least: Duration::from_millis(900),
            ..row(
                "a 429 with Retry-After: 1 waits about a second",
                GetBatchProgress,
                || {
                    Answers(vec![
                        Answer::json(429, r#"{"error": "slow down"}"#).header("retry-after", "1"),
                        Answer::json(200, PROGRESS),
                    ])
                },
            )
        },
        Row {
            outcome: "ok total Some(2)",
            requests: Some(2),
            // The date has whole seconds: two seconds from now is at least one second away.
            waits_at_least: Duration::from_millis(900),
            ..row(
                "a Retry-After HTTP date is honoured",
                GetBatchProgress,
                || {
                    Answers(vec![
                        Answer::json(503, "{}").header(
                            "retry-after",
                            &httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2)),
                        ),
                        Answer::json(200, PROGRESS),
                    ])
                },
            )
        },
        Row {
            outcome: "Api 504 -: third",
            requests: Some(3),
            ..row(
                "retries stop at the limit and the last error is returned",
                GetBatchProgress,
                || {
                    Answers(vec![
                        Answer::json(502, r#"{"error": "first"}"#),
                        Answer::json(503, r#"{"error": "second"}"#),
                        Answer::json(504, r#"{"error": "third"}"#),
                        Answer::json(200, PROGRESS),
                    ])
                },
            )
        },
        Row {
            max_retries: 0,
            outcome: "Api 503 -: Service Unavailable",
            requests: Some(1),
            ..row(
                "zero retries sends every request once",
                GetBatchProgress,
                || Answers(vec![Answer::json(503, "{}")]),
            )
        },
        Row {
            tune: short_attempts,
            outcome: "Timeout",
            requests: Some(1),
            // A retry would come within 80 ms of backoff: give it far more time to show.
            then_wait: Duration::from_secs(1),
            ..row(
                "a POST that times out is not retried and is a timeout",
                SendCall,
                || Slow(Answer::json(200, CALL_PLACED)),
            )
        },
        Row {
            max_retries: 1,
            tune: short_attempts,
            outcome: "Timeout",
            requests: Some(2),
            ..row("a GET that times out is retried", GetBatchProgress, || {
                Slow(Answer::json(200, PROGRESS))
            })
        },
        Row {
            // No request can have been sent, so retrying is safe.
            tune: longer_backoff,
            outcome: "Transport",
            // Two waits, each at least half its step: 100 ms + 200 ms.
            waits_at_least: Duration::from_millis(300),
            ..row(
                "a refused connection is retried even for a call",
                SendCall,
                || Closed,
            )
        },
        Row {
            outcome: "ok batchId Some(\"batch_1\")",
            requests: Some(2),
            body_contains: Some("+14155551234,Ada"),
            ..row(
                "a startBatch answered 429 is uploaded again with the same body",
                StartBatch(BATCH_CSV),
                || {
                    Answers(vec![
                        Answer::json(429, "{}").header("retry-after", "0"),
                        Answer::json(200, BATCH_STARTED),
                    ])
                },
            )
        },
        Row {
            outcome: "Api 503 -: Service Unavailable",
            requests: Some(1),
            ..row(
                "a startBatch answered 503 is sent once",
                StartBatch(ONE_NUMBER_CSV),
                || {
                    Answers(vec![
                        Answer::json(503, "{}"),
                        Answer::json(200, BATCH_STARTED),
                    ])
                },
            )
        },
        Row {
            outcome: "ok valid Some(true)",
            requests: Some(2),
            ..row(
                "a validateBatchCsv answered 503 is retried like a GET",
                ValidateBatchCsv(ONE_NUMBER_CSV),
                || {
                    Answers(vec![
                        Answer::json(503, "{}"),
                        Answer::json(200, r#"{"valid": true}"#),
                    ])
                },
            )
        },
        Row {
            // A reset time in the past: retried at once (after the backoff), but only
            // because the body was read; the response still reaches the caller intact when
            // retries run out.
            max_retries: 1,
            outcome: "Api 429 rate_limit_exceeded: Too many requests",
            requests: Some(2),
            ..row(
                "the rate-limit body's reset_at sets the wait when there is no Retry-After",
                GetBatchProgress,
                || {
                    Answers(vec![Answer::json(
                        429,
                        r#"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests", "reset_at": "2024-01-22T15:30:00Z"}}"#,
                    )])
                },
            )
        },
        Row {
            outcome: "ok total Some(2)",
            requests: Some(2),
            // Whole seconds: two seconds from now is at least one second away.
            waits_at_least: Duration::from_millis(900),
            ..row(
                "a future reset_at in a 429 body is waited for",
                GetBatchProgress,
                || {
                    Answers(vec![
                        Answer::json(
                            429,
                            format!(
                                r#"{{"error": {{"code": "rate_limit_exceeded", "reset_at": "{}"}}}}"#,
                                rfc3339_in(2)
                            ),
                        ),
                        Answer::json(200, PROGRESS),
                    ])
                },
            )
        },
    ]
}

/// Runs one row on its own server and checks everything it says.
async fn check(row: Row) {
    let name = row.name;
    let server = MockServer::start_async().await;
    let route = row.call.route();
    let answered = match (row.server)() {
        Server::Answers(answers) => Some(answer_in_turn(&server, &route, answers).await),
        Server::Slow(answer) => Some(
            answer_in_turn(
                &server,
                &route.clone().delayed(Duration::from_secs(2)),
                vec![answer],
            )
            .await,
        ),
        Server::Closed => None,
    };
    let base_url = match answered {
        Some(_) => server.base_url(),
        None => {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .expect("bind")
                .local_addr()
                .expect("addr")
                .port();
            format!("http://127.0.0.1:{port}")
        }
    };
    let policy = RetryPolicy::new()
        .with_max_retries(row.max_retries)
        .with_initial_backoff(Duration::from_millis(20))
        .with_max_backoff(Duration::from_millis(80));
    let client = (row.tune)(client_builder(base_url).retry_policy(policy))
        .build()
        .expect("client");

    let started = Instant::now();
    let outcome = row.call.run(&client).await;
    let waited = started.elapsed();
    tokio::time::sleep(row.then_wait).await;

    assert_eq!(outcome, row.outcome, "{name}: outcome");
    assert!(
        waited >= row.waits_at_least,
        "{name}: waited only {waited:?}, expected at least {:?}",
        row.waits_at_least
    );
    let (Some(answered), Some(requests)) = (&answered, row.requests) else {
        assert!(
            answered.is_none() && row.requests.is_none(),
            "{name}: requests are counted when a server listens"
        );
        return;
    };
    // httpmock counts a request when it arrives, before a slow answer.
    assert_eq!(
        answered.mock.calls_async().await,
        requests,
        "{name}: requests received"
    );
    let bodies = answered.bodies();
    assert!(
        bodies.windows(2).all(|pair| pair[0] == pair[1]),
        "{name}: every attempt sends the same body"
    );
    if let Some(text) = row.body_contains {
        assert_eq!(bodies.len(), requests, "{name}: bodies received");
        for body in &bodies {
            assert!(
                String::from_utf8_lossy(body).contains(text),
                "{name}: {text:?} missing in the body"
            );
        }
    }
}

#[tokio::test]
async fn the_retry_policy_over_http() {
    with_fast_clock(async {
        for row in rows() {
            check(row).await;
        }
    })
    .await;
}

#[test]
fn rfc3339_writes_utc_seconds() {
    assert_eq!(rfc3339(1_705_937_400), "2024-01-22T15:30:00Z");
}
