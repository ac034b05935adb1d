//! A batch on a clock that stands still until the test moves it: queued, processing,
//! pages of calls, cancel, as the contract documents them.

use serde_json::{json, Value};
use trillet_mock::MockConfig;
use trillet_spec::SpecValidator;

use crate::{form, send, start};

async fn get(mock: &trillet_mock::MockServer, operation_id: &str, path: &str) -> Value {
    let answer = send(mock, "GET", path, None, &[], true).await;
    assert_eq!(
        answer.status,
        200,
        "{path}: {}",
        String::from_utf8_lossy(&answer.body)
    );
    let body = answer.json();
    SpecValidator::embedded()
        .validate_response(operation_id, 200, &body)
        .unwrap_or_else(|e| panic!("{operation_id}: {e}"));
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_advances_with_the_clock_pages_its_calls_and_cancels_what_is_left() {
    let mock = start(MockConfig {
        clock_speed: 0.0,
        ..MockConfig::default()
    })
    .await;
    let csv = b"phone_number,first_name\n+14155550001,A\n+14155550002,B\n+14155550003,C\n+14155550004,D\n+14155550005,E\n";
    let (content_type, body) = form(&[
        ("file", Some("calls.csv"), csv),
        ("agentId", None, b"example-agent-id-1"),
        ("scheduledAt", None, b"2026-01-01T00:01:00Z"),
    ]);
    let started = send(
        &mock,
        "POST",
        "/v1/api/batch-calls",
        Some((&content_type, body)),
        &[],
        true,
    )
    .await;
    assert_eq!(started.status, 200);
    let id = started.json()["batchId"]
        .as_str()
        .expect("an id")
        .to_owned();
    let progress = format!("/v1/api/batch-calls/{id}/status");

    let queued = get(&mock, "getBatchProgress", &progress).await;
    assert_eq!(
        (queued["status"].clone(), queued["waiting"].clone()),
        (json!("queued"), json!(5))
    );
    mock.advance_clock(60_000 + 31_000); // started a minute in; two calls done, two running
    let running = get(&mock, "getBatchProgress", &progress).await;
    assert_eq!(
        [
            &running["status"],
            &running["completed"],
            &running["active"],
            &running["waiting"]
        ],
        [&json!("processing"), &json!(2), &json!(2), &json!(1)]
    );
    let batch = get(&mock, "getBatch", &format!("/v1/api/batch-calls/{id}")).await;
    assert_eq!(batch["progress"]["completed"], 2);
    assert!(
        batch["progress"].get("status").is_none(),
        "nested progress has no status"
    );

    let page = get(
        &mock,
        "listBatchCalls",
        &format!("/v1/api/batch-calls/{id}/calls?status=completed&limit=1&page=2"),
    )
    .await;
    assert_eq!(page["calls"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        page["pagination"],
        json!({"page": 2, "limit": 1, "total": 2, "totalPages": 2, "hasNext": false, "hasPrev": true})
    );
    let job = page["calls"][0]["jobId"]
        .as_str()
        .expect("a job id")
        .to_owned();
    let call = get(
        &mock,
        "getBatchCall",
        &format!("/v1/api/batch-calls/{id}/calls/{job}"),
    )
    .await;
    assert_eq!(call["status"], "completed");

    let cancelled = send(
        &mock,
        "DELETE",
        &format!("/v1/api/batch-calls/{id}"),
        None,
        &[],
        true,
    )
    .await
    .json();
    assert_eq!(
        cancelled["details"],
        json!({"completedCalls": 2, "failedCalls": 0, "cancelledCalls": 3, "totalCalls": 5})
    );
    mock.advance_clock(600_000);
    let after = get(&mock, "getBatchProgress", &progress).await;
    assert_eq!(
        [&after["status"], &after["isComplete"], &after["completed"]],
        [&json!("cancelled"), &json!(true), &json!(2)]
    );
    let unknown = send(
        &mock,
        "GET",
        "/v1/api/batch-calls/nope/status",
        None,
        &[],
        true,
    )
    .await;
    assert_eq!(
        (unknown.status, unknown.json()["error"].clone()),
        (404, json!("Batch not found"))
    );
}
