//! Faults happen as scripted, and the request record proves what the client did about
//! them: a call is never placed twice after a 5xx, a read is retried after a 429.

use serde_json::json;
use trillet_mock::{FaultRule, MockConfig};

use crate::{client, create_agent, send, start};

fn rule(operation_id: &str, fault: &str, count: u64) -> FaultRule {
    FaultRule::from_json(&json!({"operationId": operation_id, "fault": fault, "count": count}))
        .expect("a valid rule")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_on_send_call_reaches_the_mock_exactly_once_and_places_no_call() {
    let mock = start(MockConfig::default()).await;
    let client = client(&mock);
    let agent_id = create_agent(&client, "Fault agent").await;
    mock.add_fault(rule("sendCall", "503", 1));
    let body = trillet::types::SendCallRequest {
        agent_id: agent_id.clone(),
        to_number: "+14155551234".parse().expect("E.164"),
    };
    let error = client
        .send_call(&body)
        .await
        .expect_err("the 503 is reported");
    assert!(error.to_string().contains("503"), "{error}");
    let sent = mock.requests_of("sendCall");
    assert_eq!(
        sent.len(),
        1,
        "a side-effecting request after a 5xx must not be re-sent"
    );
    assert_eq!(sent[0].status, 503);
    assert_eq!(sent[0].fault.as_deref(), Some("503"));
    // The record masks what it must.
    assert_eq!(sent[0].headers["x-api-key"], "***");
    assert_ne!(sent[0].body["toNumber"], "+14155551234");
    let history = send(
        &mock,
        "GET",
        &format!("/v2/api/call-history?agentId={agent_id}"),
        None,
        &[],
        true,
    )
    .await;
    assert_eq!(history.json(), json!([]), "no call was placed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_on_a_read_is_retried_once_and_then_succeeds() {
    let mock = start(MockConfig::default()).await;
    let client = client(&mock);
    let agent_id = create_agent(&client, "Retry agent").await;
    mock.add_fault(rule("getAgent", "429;retry-after=0", 1));
    let agent = client
        .get_agent(&agent_id)
        .await
        .expect("the retry succeeds")
        .into_inner();
    assert_eq!(agent.id, agent_id);
    let statuses: Vec<u16> = mock
        .requests_of("getAgent")
        .iter()
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [429, 200]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_on_a_read_is_retried_as_the_policy_allows_then_reported() {
    let mock = start(MockConfig::default()).await;
    let client = client(&mock);
    mock.add_fault(rule("listAgents", "500", 10));
    let error = client.list_agents().await.expect_err("every attempt fails");
    assert!(error.to_string().contains("500"), "{error}");
    assert_eq!(
        mock.requests_of("listAgents").len(),
        3,
        "the first attempt and 2 retries"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn header_faults_reset_truncate_delay_and_answer_statuses() {
    let mock = start(MockConfig::default()).await;
    let url = format!("{}/v1/api/agents", mock.url());
    let http = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let get = |fault: &'static str| {
        http.get(&url)
            .header("x-api-key", "k")
            .header("x-workspace-id", "w")
            .header("x-mock-fault", fault)
            .send()
    };
    assert!(
        get("reset").await.is_err(),
        "a reset closes the connection unanswered"
    );
    let truncated = get("truncate").await.expect("the head arrives");
    assert_eq!(truncated.status(), 200);
    assert!(truncated.bytes().await.is_err(), "the body is cut");
    let delayed = get("delay=20ms").await.expect("answers after the delay");
    assert_eq!(delayed.status(), 200);
    let limited = get("429;retry-after=7").await.expect("answers");
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "7");
    let statuses: Vec<u16> = mock.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [0, 200, 200, 429]);
    let rules = send(
        &mock,
        "POST",
        "/__mock/faults",
        Some(("application/json", br#"{"fault":"boom"}"#.to_vec())),
        &[],
        false,
    )
    .await;
    assert_eq!(rules.status, 400);
}
