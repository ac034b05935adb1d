//! Sending and initiating calls, batches of calls, and web calls.

use serde_json::Value;
use trillet::batch_upload::{Csv, StartBatch};
use trillet::types;
use trillet_e2e::{normalise, Expect, Harness};

use super::{check, check_each_body, example, media_example};

#[tokio::test]
async fn send_call() {
    check(
        Expect::op("sendCall"),
        example("sendCall", "call"),
        |c, b: types::SendCallRequest| async move { c.send_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn initiate_call() {
    check(
        Expect::op("initiateCall"),
        example("initiateCall", "withVariables"),
        |c, b: types::InitiateCallRequest| async move { c.initiate_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_batch() {
    check(
        Expect::op("getBatch").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.get_batch("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn cancel_batch() {
    check(
        Expect::op("cancelBatch").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.cancel_batch("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn get_batch_progress() {
    check(
        Expect::op("getBatchProgress").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.get_batch_progress("batch_1").await },
    )
    .await;
}

#[tokio::test]
async fn list_batch_calls_with_every_query_parameter() {
    let expect = Expect::op("listBatchCalls")
        .path("batchId", "batch_1")
        .query("page", "2")
        .query("limit", "50")
        .query("status", "failed");
    check(expect, None, |c, (): ()| async move {
        c.list_batch_calls(
            "batch_1",
            50.try_into().ok(),
            2.try_into().ok(),
            Some(types::BatchCallStatusFilter::Failed),
        )
        .await
    })
    .await;
}

#[tokio::test]
async fn list_batch_calls_without_query() {
    check(
        Expect::op("listBatchCalls").path("batchId", "batch_1"),
        None,
        |c, (): ()| async move { c.list_batch_calls("batch_1", None, None, None).await },
    )
    .await;
}

#[tokio::test]
async fn get_batch_call() {
    // Answered with each of its examples: completed, failed, active.
    check(
        Expect::op("getBatchCall")
            .path("batchId", "batch_1")
            .path("jobId", "call_123"),
        None,
        |c, (): ()| async move { c.get_batch_call("batch_1", "call_123").await },
    )
    .await;
}

#[tokio::test]
async fn get_batch_template_as_text() {
    let template = media_example("getBatchTemplate", "responses/200", "text/csv", "template");
    let template = template.as_str().expect("CSV text");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("getBatchTemplate").respond(200, "text/csv", template))
        .await;
    let text = harness
        .client
        .batch_template_csv()
        .await
        .expect("getBatchTemplate");
    assert_eq!(text, template);
    expectation.verify(&());
}

#[tokio::test]
async fn start_batch_now() {
    let example = media_example("startBatch", "requestBody", "multipart/form-data", "now");
    let csv = example["file"].as_str().expect("CSV");
    let agent = example["agentId"].as_str().expect("agentId");
    let harness = Harness::start().await;
    let expectation = harness
        .expect(
            Expect::op("startBatch")
                .multipart(&[("file", Some("text/csv"), csv), ("agentId", None, agent)]),
        )
        .await;
    let started = harness
        .client
        .start_batch(Csv::from_bytes(csv), &StartBatch::new(agent))
        .await
        .expect("startBatch");
    expectation.verify(&*started);
    let parts = trillet_e2e::parse_multipart(
        &expectation
            .request()
            .headers_vec()
            .iter()
            .find(|(k, _)| k == "content-type")
            .expect("content type")
            .1,
        expectation.request().body_ref(),
    );
    assert_eq!(parts[0].file_name.as_deref(), Some("batch.csv"));
}

#[tokio::test]
async fn start_batch_scheduled_with_smart_callbacks() {
    let example = media_example(
        "startBatch",
        "requestBody",
        "multipart/form-data",
        "scheduledWithCallbacks",
    );
    let csv = example["file"].as_str().expect("CSV");
    let agent = example["agentId"].as_str().expect("agentId");
    let at = example["scheduledAt"].as_str().expect("scheduledAt");
    let config: types::SmartCallbackConfig =
        serde_json::from_value(example["smartCallbackConfig"].clone()).expect("config");
    let config_json = serde_json::to_string(&config).expect("JSON");
    let round_tripped: Value = serde_json::from_str(&config_json).expect("JSON");
    assert_eq!(
        normalise(&round_tripped),
        normalise(&example["smartCallbackConfig"])
    );
    let harness = Harness::start().await;
    let expectation = harness
        .expect(Expect::op("startBatch").multipart(&[
            ("file", Some("text/csv"), csv),
            ("agentId", None, agent),
            ("scheduledAt", None, at),
            (
                "smartCallbackConfig",
                Some("application/json"),
                &config_json,
            ),
        ]))
        .await;
    let batch = StartBatch::new(agent)
        .scheduled_at(at)
        .smart_callback(config);
    let started = harness
        .client
        .start_batch(Csv::from_bytes(csv), &batch)
        .await
        .expect("startBatch");
    expectation.verify(&*started);
}

#[tokio::test]
async fn validate_batch_csv() {
    let example = media_example(
        "validateBatchCsv",
        "requestBody",
        "multipart/form-data",
        "csv",
    );
    let csv = example["file"].as_str().expect("CSV");
    for response in ["valid", "oneBadRow"] {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("validateBatchCsv")
                    .multipart(&[("file", Some("text/csv"), csv)])
                    .respond_with_example(response),
            )
            .await;
        let result = harness
            .client
            .validate_batch_csv(Csv::from_bytes(csv))
            .await
            .expect("validateBatchCsv");
        expectation.verify(&*result);
    }
}

#[tokio::test]
async fn preview_batch_csv_from_a_file_and_a_reader() {
    let example = media_example(
        "previewBatchCsv",
        "requestBody",
        "multipart/form-data",
        "csv",
    );
    let csv = example["file"].as_str().expect("CSV");
    let path = std::env::temp_dir().join(format!("trillet-e2e-{}-calls.csv", std::process::id()));
    std::fs::write(&path, csv).expect("writes");
    for source in [
        Csv::from_path(&path).expect("reads"),
        Csv::from_reader(csv.as_bytes()).expect("reads"),
    ] {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(Expect::op("previewBatchCsv").multipart(&[("file", Some("text/csv"), csv)]))
            .await;
        let preview = harness
            .client
            .preview_batch_csv(source)
            .await
            .expect("previewBatchCsv");
        expectation.verify(&*preview);
    }
    let _ = std::fs::remove_file(path);
}

// Web calls.

#[tokio::test]
async fn connect_web_call() {
    check_each_body(
        Expect::op("connectWebCall"),
        |c, b: types::WebCallConnectRequest| async move { c.connect_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn disconnect_web_call() {
    check_each_body(
        Expect::op("disconnectWebCall"),
        |c, b: types::WebCallDisconnectRequest| async move { c.disconnect_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn create_web_call() {
    check_each_body(
        Expect::op("createWebCall"),
        |c, b: types::WebCallRequest| async move { c.create_web_call(&b).await },
    )
    .await;
}

#[tokio::test]
async fn create_public_web_call() {
    // The spec asks only for `x-workspace-id` here; the client sends its key too, as on
    // every call (see `list_workspaces_as_a_list_or_one_object`).
    check_each_body(
        Expect::op("createPublicWebCall"),
        |c, b: types::PublicWebCallRequest| async move { c.create_public_web_call(&b).await },
    )
    .await;
}
