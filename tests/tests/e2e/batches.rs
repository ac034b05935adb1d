//! Following a batch to its end, walking every page of its calls, and the local check of
//! its CSV, over real HTTP.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::{json, Value};
use trillet::batch_calls::BatchCallsQuery;
use trillet::batch_upload::{Csv, StartBatch};
use trillet::batch_wait::{BatchSnapshot, BatchState, BatchWaitOptions};
use trillet::preflight::CsvProblemKind;
use trillet::types::BatchCallStatusFilter;
use trillet::{Client, Error};
use trillet_e2e::answers::{answer_in_turn, Answer, Answered, Route};
use trillet_e2e::{client_builder, path_of};

fn client(server: &MockServer) -> Client {
    client_builder(server.base_url())
        .max_retries(0)
        .build()
        .expect("client")
}

fn progress(status: &str, is_complete: bool, completed: u64, total: u64) -> Value {
    json!({
        "status": status,
        "isComplete": is_complete,
        "waiting": total - completed,
        "active": 0,
        "completed": completed,
        "failed": 0,
        "total": total,
        "recent_calls": [{"jobId": "call_1", "status": "completed", "phone_number": "+14155551234"}],
    })
}

/// Mocks `getBatchProgress` of `batch_1` answering `answers` in turn (the last repeated).
async fn progress_answers(server: &MockServer, answers: Vec<(u16, Value)>) -> Answered<'_> {
    let answers = answers
        .into_iter()
        .map(|(status, body)| Answer::json(status, body.to_string()))
        .collect();
    answer_in_turn(
        server,
        &Route::of("getBatchProgress", &["batch_1"]),
        answers,
    )
    .await
}

fn quick() -> BatchWaitOptions {
    BatchWaitOptions::new().poll_interval(Duration::from_millis(20))
}

/// How a wait must end: in this state, or with an error of this status.
#[derive(Debug, PartialEq)]
enum End {
    State(BatchState),
    /// Done (`isComplete`), whatever the state.
    Done,
    Status(u16),
}

/// One wait: the progress answers in turn, how it ends, the polls it takes, and the
/// `completed` counts the progress function sees.
struct WaitRow {
    name: &'static str,
    answers: Vec<(u16, Value)>,
    end: End,
    polls: Option<usize>,
    seen: Option<&'static [u64]>,
}

fn wait_rows() -> Vec<WaitRow> {
    vec![
        WaitRow {
            name: "polls until completed and reports every snapshot; unknown statuses keep polling",
            answers: vec![
                (200, progress("queued", false, 0, 3)),
                (200, progress("processing", false, 1, 3)),
                (200, progress("mystery_new_status", false, 2, 3)),
                (200, progress("completed", true, 3, 3)),
            ],
            end: End::State(BatchState::Completed),
            polls: Some(4),
            seen: Some(&[0, 1, 2, 3]),
        },
        WaitRow {
            name: "isComplete true ends the wait whatever the status",
            answers: vec![(200, progress("processing", true, 3, 3))],
            end: End::Done,
            polls: Some(1),
            seen: None,
        },
        WaitRow {
            name: "a cancelled batch ends the wait",
            answers: vec![
                (200, progress("processing", false, 1, 3)),
                (200, progress("cancelled", false, 1, 3)),
            ],
            end: End::State(BatchState::Cancelled),
            polls: None,
            seen: None,
        },
        WaitRow {
            name: "a failed batch ends the wait",
            answers: vec![
                (200, progress("processing", false, 1, 3)),
                (200, progress("failed", false, 1, 3)),
            ],
            end: End::State(BatchState::Failed),
            polls: None,
            seen: None,
        },
        WaitRow {
            name: "a transient poll error keeps polling",
            answers: vec![
                (503, json!({"error": "busy"})),
                (200, progress("completed", true, 3, 3)),
            ],
            end: End::State(BatchState::Completed),
            polls: Some(2),
            seen: None,
        },
        WaitRow {
            name: "another poll error ends the wait",
            answers: vec![(404, json!({"error": "Batch not found", "id": "batch_1"}))],
            end: End::Status(404),
            polls: None,
            seen: None,
        },
    ]
}

#[tokio::test]
async fn wait_for_batch_ends_as_the_progress_says() {
    for row in wait_rows() {
        let name = row.name;
        let server = MockServer::start_async().await;
        let polls = progress_answers(&server, row.answers).await;
        let seen: Arc<Mutex<Vec<u64>>> = Arc::default();
        let sink = seen.clone();
        let result = client(&server)
            .wait_for_batch(
                "batch_1",
                quick().on_progress(move |s| sink.lock().expect("lock").push(s.completed)),
            )
            .await;
        match (&row.end, result) {
            (End::State(state), Ok(last)) => {
                assert_eq!(last.state(), *state, "{name}: state");
                if *state == BatchState::Completed {
                    assert_eq!((last.completed, last.total), (3, 3), "{name}: counts");
                }
            }
            (End::Done, Ok(last)) => assert!(last.is_done(), "{name}: done"),
            (End::Status(status), Err(error)) => assert_eq!(
                error.status().map(|s| s.as_u16()),
                Some(*status),
                "{name}: status"
            ),
            (end, result) => panic!("{name}: expected {end:?}, got {result:?}"),
        }
        if let Some(polls_expected) = row.polls {
            assert_eq!(polls.count(), polls_expected, "{name}: polls");
        }
        if let Some(expected) = row.seen {
            assert_eq!(
                *seen.lock().expect("lock"),
                expected,
                "{name}: snapshots seen"
            );
        }
    }
}

#[tokio::test]
async fn the_deadline_ends_the_wait_with_the_last_snapshot() {
    // Real time: the waiter's polls are real requests, and a faster clock would end a
    // 200 ms deadline before a loaded machine answers the first one.
    let server = MockServer::start_async().await;
    let _polls = progress_answers(&server, vec![(200, progress("processing", false, 1, 3))]).await;
    let error = client(&server)
        .wait_for_batch("batch_1", quick().deadline(Duration::from_millis(200)))
        .await
        .expect_err("still running");
    let Error::BatchDeadline {
        batch_id,
        waited,
        last,
    } = &error
    else {
        panic!("expected BatchDeadline, got {error:?}");
    };
    assert_eq!(batch_id, "batch_1");
    assert_eq!(*waited, Duration::from_millis(200));
    assert_eq!(last.as_deref().map(|s| s.completed), Some(1));
    assert_eq!(error.last_snapshot().map(BatchSnapshot::finished), Some(1));
    assert!(
        error.to_string().starts_with(
            "batch batch_1 still running after 0.2 s; last progress processing: 1 completed"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn watch_batch_streams_snapshots_and_ends_after_the_final_one() {
    let server = MockServer::start_async().await;
    let _polls = progress_answers(
        &server,
        vec![
            (200, progress("processing", false, 1, 2)),
            (200, progress("completed", true, 2, 2)),
        ],
    )
    .await;
    let mut watch = client(&server).watch_batch("batch_1", quick());
    let mut completed = Vec::new();
    while let Some(snapshot) = watch.next().await {
        completed.push(snapshot.expect("a snapshot").completed);
    }
    assert_eq!(completed, [1, 2]);
    assert!(watch.next().await.is_none(), "nothing after the end");
}

/// The query of every request received, in order.
type Queries = Arc<Mutex<Vec<Vec<(String, String)>>>>;

/// Mocks `listBatchCalls` of `batch_1` with `pages` (each a list of job ids) and the
/// pagination the server claims; returns the query of every request.
async fn pages(
    server: &MockServer,
    pages: Vec<Vec<&'static str>>,
    has_next_forever: bool,
) -> Queries {
    let queries: Queries = Arc::default();
    let sink = queries.clone();
    let total_pages = pages.len();
    server
        .mock_async(move |when, then| {
            when.method("GET")
                .path(path_of("listBatchCalls", &["batch_1"]));
            then.respond_with(move |request: &HttpMockRequest| {
                let mut query = request.query_params();
                query.sort();
                let page: usize = query
                    .iter()
                    .find(|(k, _)| k == "page")
                    .and_then(|(_, v)| v.parse().ok())
                    .unwrap_or(1);
                sink.lock().expect("lock").push(query);
                let calls: Vec<Value> = pages
                    .get(page - 1)
                    .map(|ids| ids.iter().map(|id| json!({"jobId": id, "status": "failed", "phone_number": "+14155551234"})).collect())
                    .unwrap_or_default();
                let pagination = if has_next_forever {
                    json!({"page": page, "hasNext": true})
                } else {
                    json!({"page": page, "totalPages": total_pages, "hasNext": page < total_pages, "hasPrev": page > 1})
                };
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(json!({"calls": calls, "pagination": pagination}).to_string())
                    .build()
            });
        })
        .await;
    queries
}

fn query(page: &str) -> Vec<(String, String)> {
    let mut query = vec![
        ("limit".to_string(), "2".to_string()),
        ("page".to_string(), page.to_string()),
        ("status".to_string(), "failed".to_string()),
    ];
    query.sort();
    query
}

#[tokio::test]
async fn batch_calls_walks_every_page_keeping_the_filter() {
    let server = MockServer::start_async().await;
    let queries = pages(
        &server,
        vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]],
        false,
    )
    .await;
    let options = BatchCallsQuery::status(BatchCallStatusFilter::Failed)
        .page_size(2.try_into().expect("non-zero"));
    let calls = client(&server)
        .batch_calls("batch_1", options)
        .collect_all()
        .await
        .expect("three pages");
    let ids: Vec<&str> = calls.iter().filter_map(|c| c.job_id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        *queries.lock().expect("lock"),
        [query("1"), query("2"), query("3")]
    );
}

#[tokio::test]
async fn batch_calls_fetches_pages_only_as_they_are_read() {
    let server = MockServer::start_async().await;
    let queries = pages(
        &server,
        vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]],
        false,
    )
    .await;
    let options = BatchCallsQuery::status(BatchCallStatusFilter::Failed)
        .page_size(2.try_into().expect("non-zero"));
    let mut calls = client(&server).batch_calls("batch_1", options);
    assert_eq!(
        queries.lock().expect("lock").len(),
        0,
        "nothing before the first read"
    );
    calls.next().await.expect("a").expect("a call");
    calls.next().await.expect("b").expect("a call");
    assert_eq!(
        queries.lock().expect("lock").len(),
        1,
        "one page for its two calls"
    );
    calls.next().await.expect("c").expect("a call");
    assert_eq!(queries.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn a_server_that_always_says_has_next_stops_at_an_empty_page() {
    let server = MockServer::start_async().await;
    let queries = pages(
        &server,
        vec![vec!["a", "b"], vec!["c", "d"], vec!["e"]],
        true,
    )
    .await;
    let options = BatchCallsQuery::status(BatchCallStatusFilter::Failed)
        .page_size(2.try_into().expect("non-zero"));
    let calls = client(&server)
        .batch_calls("batch_1", options)
        .collect_all()
        .await
        .expect("pages");
    assert_eq!(calls.len(), 5);
    assert_eq!(
        queries.lock().expect("lock").len(),
        4,
        "three pages and the empty fourth"
    );
}

#[tokio::test]
async fn a_page_that_fails_ends_the_stream_with_its_error() {
    let server = MockServer::start_async().await;
    let _mock = answer_in_turn(
        &server,
        &Route::of("listBatchCalls", &["batch_1"]),
        vec![Answer::json(404, r#"{"error": "Batch not found"}"#)],
    )
    .await;
    let mut calls = client(&server).batch_calls("batch_1", BatchCallsQuery::all());
    let error = calls.next().await.expect("an item").expect_err("a 404");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert!(calls.next().await.is_none());
}

#[tokio::test]
async fn start_batch_refuses_a_bad_csv_locally_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let csv = Csv::from_bytes("phone_number,first_name\n+14155551234,Ada\n4155551235,Bob\n\n")
        .with_file_name("calls.csv");
    let error = client(&server)
        .start_batch(csv, &StartBatch::new("agent-1"))
        .await
        .expect_err("refused");
    let report = error.csv_report().expect("a pre-flight report");
    let lines: Vec<(u64, bool)> = report
        .problems
        .iter()
        .map(|p| {
            (
                p.line,
                matches!(p.kind, CsvProblemKind::InvalidPhoneNumber(_)),
            )
        })
        .collect();
    assert_eq!(lines, [(3, true), (4, false)]);
    let message = error.to_string();
    assert!(message.starts_with("calls.csv: 2 problem(s) in 2 row(s), nothing was sent; first: line 3: phone number 4******235"), "{message}");
    assert!(!message.contains("4155551235"), "{message}");
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn start_batch_without_preflight_leaves_the_check_to_the_api() {
    let server = MockServer::start_async().await;
    let mock = answer_in_turn(
        &server,
        &Route::of("startBatch", &[]),
        vec![Answer::json(200, r#"{"batchId": "batch_1"}"#)],
    )
    .await;
    let csv = Csv::from_bytes("phone_number\nnot-a-number\n");
    let started = client(&server)
        .start_batch(csv, &StartBatch::new("agent-1").without_preflight())
        .await
        .expect("sent as is");
    assert_eq!(started.batch_id.as_deref(), Some("batch_1"));
    mock.mock.assert_calls_async(1).await;
}

#[test]
fn a_call_to_a_number_that_is_not_e164_cannot_be_built() {
    let error = "+1 (415) 555-1234"
        .parse::<trillet::E164PhoneNumber>()
        .expect_err("punctuation");
    assert_eq!(
        error.to_string(),
        "phone number +1 (***) ***-*234 contains characters other than digits after the `+` \
         (remove spaces, dashes, dots and parentheses)"
    );
    let error: Error = error.into();
    assert!(!error.to_string().contains("555"), "{error}");
}
