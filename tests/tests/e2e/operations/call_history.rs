//! Call history, recordings and active calls.

use trillet::types;
use trillet_e2e::{query_examples, request_examples, Expect, Harness};

use super::{bytes_of, check, check_each_body, media_example};

// Call history.

#[tokio::test]
async fn list_call_history_with_every_filter() {
    // Every query parameter the spec documents, with its own example value.
    let examples = query_examples("listCallHistory");
    let value = |name: &str| {
        examples
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no example of {name}"))
    };
    let query = types::ListCallHistoryQuery {
        page: value("page").parse().ok(),
        limit: value("limit").parse().ok(),
        agent_id: Some(value("agentId")),
        pathway_id: Some(value("pathwayId")),
        batch_id: Some(value("batchId")),
        status: Some(value("status")),
        direction: Some(value("direction").parse().expect("a direction")),
        call_type: Some(value("callType").parse().expect("a call type")),
        search: Some(value("search")),
        call_ids: Some(value("callIds")),
        date_range: Some(value("dateRange")),
        post_analysis: Some(value("postAnalysis")),
    };
    let expect = examples
        .iter()
        .fold(Expect::op("listCallHistory"), |e, (name, v)| {
            e.query(name, v)
        });
    let query = &query;
    check(expect, None, |c, (): ()| async move {
        c.list_call_history(query).await
    })
    .await;
}

#[tokio::test]
async fn list_call_history_without_filters() {
    check(
        Expect::op("listCallHistory"),
        None,
        |c, (): ()| async move { c.list_call_history(&Default::default()).await },
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn list_call_history_v1_spelling() {
    check(
        Expect::op("listCallHistoryV1"),
        None,
        |c, (): ()| async move { c.list_call_history_v1().await },
    )
    .await;
}

#[tokio::test]
async fn get_call_history() {
    check(
        Expect::op("getCallHistory").path("callHistoryId", "rec-1"),
        None,
        |c, (): ()| async move { c.get_call_history("rec-1").await },
    )
    .await;
}

#[tokio::test]
#[allow(deprecated)]
async fn get_call_history_v1_spelling() {
    check(
        Expect::op("getCallHistoryV1").path("callHistoryId", "rec-1"),
        None,
        |c, (): ()| async move { c.get_call_history_v1("rec-1").await },
    )
    .await;
}

#[tokio::test]
async fn export_call_history_csv_as_text() {
    let csv = media_example(
        "exportCallHistoryCsv",
        "responses/200",
        "text/csv",
        "oneCall",
    );
    let csv = csv.as_str().expect("CSV text");
    let bodies = request_examples("exportCallHistoryCsv");
    assert!(
        !bodies.is_empty(),
        "exportCallHistoryCsv: no request example"
    );
    for (_, body) in bodies {
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("exportCallHistoryCsv")
                    .json(body.clone())
                    .respond(200, "text/csv", csv),
            )
            .await;
        let typed: types::CallHistoryExportRequest =
            serde_json::from_value(body).expect("the example decodes");
        let exported = harness
            .client
            .export_call_history_csv(&typed)
            .await
            .expect("exportCallHistoryCsv");
        assert_eq!(bytes_of(exported).await, csv.as_bytes());
        expectation.verify(&());
    }
}

// Recordings.

#[tokio::test]
async fn start_recording() {
    check_each_body(
        Expect::op("startRecording"),
        |c, b: types::StartRecordingRequest| async move { c.start_recording(&b).await },
    )
    .await;
}

#[tokio::test]
async fn get_recording_streams_the_audio_as_it_comes() {
    // Whatever audio type the server names (the docs: audio/mp3 or video/mp4; live:
    // audio/ogg), the bytes arrive untouched.
    for content_type in ["audio/ogg", "audio/mpeg", "video/mp4"] {
        let audio = "OggS\u{0}\u{2}fake audio frames";
        let harness = Harness::start().await;
        let expectation = harness
            .expect(
                Expect::op("getRecording")
                    .path("callHistoryId", "rec-1")
                    .respond(200, content_type, audio),
            )
            .await;
        let recording = harness
            .client
            .get_recording("rec-1")
            .await
            .expect("getRecording");
        let received = recording
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        assert_eq!(received.as_deref(), Some(content_type));
        assert_eq!(bytes_of(recording).await, audio.as_bytes());
        expectation.verify(&());
    }
}

// Active calls.

#[tokio::test]
async fn list_active_calls() {
    check(
        Expect::op("listActiveCalls"),
        None,
        |c, (): ()| async move { c.list_active_calls().await },
    )
    .await;
}

#[tokio::test]
async fn get_active_call() {
    check(
        Expect::op("getActiveCall").path("roomName", "room-1"),
        None,
        |c, (): ()| async move { c.get_active_call("room-1").await },
    )
    .await;
}

#[tokio::test]
async fn end_active_call() {
    check(
        Expect::op("endActiveCall").path("roomName", "room-1"),
        None,
        |c, (): ()| async move { c.end_active_call("room-1").await },
    )
    .await;
}

#[tokio::test]
async fn remove_agent_from_call() {
    check_each_body(
        Expect::op("removeAgentFromCall").path("roomName", "room-1"),
        |c, b: types::RemoveAgentRequest| async move {
            c.remove_agent_from_call("room-1", &b).await
        },
    )
    .await;
}
