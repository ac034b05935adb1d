//! The examples of `crates/trillet/examples/` run here against httpmock (and the webhook
//! receiver against real HTTP): each example's core function, compiled from the
//! example's own file, so what the README links is what is tested.

use std::collections::HashMap;

use httpmock::MockServer;
use serde_json::Value;
use trillet_e2e::answers::{answer_in_turn, Answer, Route};
use trillet_e2e::{client_builder, response_examples, success_status};

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../../../crates/trillet/examples/place_call.rs"]
mod place_call;

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../../../crates/trillet/examples/inbound_agent.rs"]
mod inbound_agent;

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../../../crates/trillet/examples/export_call_history.rs"]
mod export_call_history;

#[allow(dead_code, reason = "the example's main is not called here")]
#[path = "../../../crates/trillet/examples/webhook_receiver.rs"]
mod webhook_receiver;

/// The first success example of `operation_id`, as JSON text.
fn example_answer(operation_id: &str) -> (Value, Answer) {
    let status = success_status(operation_id);
    let (_, value) = response_examples(operation_id, &status.to_string())
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{operation_id}: no example"));
    (value.clone(), Answer::json(status, value.to_string()))
}

#[tokio::test]
async fn place_call_sends_the_variables_and_is_never_retried_on_a_5xx() {
    let server = MockServer::start_async().await;
    let (_, placed) = example_answer("initiateCall");
    let route = Route::of("initiateCall", &[]);
    let answered = answer_in_turn(&server, &route, vec![placed]).await;
    let client = client_builder(server.base_url()).build().expect("client");
    let variables = place_call::parse_variables(&["firstName=Ada".into(), "slot=9am".into()])
        .expect("variables");
    let to = "+14155551234".parse().expect("E.164");
    place_call::place_call(&client, "agent-1", to, variables)
        .await
        .expect("placed");
    let body: Value = serde_json::from_slice(&answered.bodies()[0]).expect("JSON");
    assert_eq!(body["dynamic_variables"]["firstName"], "Ada", "{body}");
    assert_eq!(body["dynamic_variables"]["slot"], "9am", "{body}");
    assert!(place_call::parse_variables(&["oops".into()]).is_err());

    let busy = MockServer::start_async().await;
    let refused = answer_in_turn(&busy, &route, vec![Answer::json(503, "{}")]).await;
    let client = client_builder(busy.base_url()).build().expect("client");
    let to = "+14155551234".parse().expect("E.164");
    let error = place_call::place_call(&client, "agent-1", to, HashMap::new())
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(refused.count(), 1, "a call-placing request is sent once");
}

#[tokio::test]
async fn inbound_agent_creates_the_agent_and_flow_and_binds_the_number() {
    let server = MockServer::start_async().await;
    let (agent, agent_answer) = example_answer("createAgent");
    let (_, flow_answer) = example_answer("createCallFlow");
    let (_, bound_answer) = example_answer("bindPhoneNumber");
    let agent_id = agent["_id"].as_str().expect("the example's agent id");
    let created = answer_in_turn(&server, &Route::of("createAgent", &[]), vec![agent_answer]).await;
    let flows = answer_in_turn(
        &server,
        &Route::of("createCallFlow", &[]),
        vec![flow_answer],
    )
    .await;
    let bind = Route::of("bindPhoneNumber", &[agent_id, "pn_1"]);
    let bound = answer_in_turn(&server, &bind, vec![bound_answer]).await;
    let client = client_builder(server.base_url()).build().expect("client");
    let inbound = inbound_agent::set_up_inbound(&client, "pn_1")
        .await
        .expect("set up");
    assert_eq!(inbound.agent_id, agent_id);
    assert_eq!((created.count(), flows.count(), bound.count()), (1, 1, 1));
    let flow: Value = serde_json::from_slice(&flows.bodies()[0]).expect("JSON");
    assert_eq!(flow["direction"], "bidirectional", "{flow}");
    assert_eq!(flow["agent"], agent_id, "{flow}");
}

#[tokio::test]
async fn export_call_history_reads_every_page_of_the_day_and_writes_them_whole() {
    let server = MockServer::start_async().await;
    let (record, _) = example_answer("getCallHistory");
    let page = |n: usize| Answer::json(200, Value::Array(vec![record.clone(); n]).to_string());
    let route = Route::of("listCallHistory", &[]);
    let answered = answer_in_turn(&server, &route, vec![page(2), page(2), page(1)]).await;
    let client = client_builder(server.base_url()).build().expect("client");
    let records = export_call_history::export_day(&client, "2026-12-01", 2)
        .await
        .expect("export");
    assert_eq!(records.len(), 5);
    let pages: Vec<String> = answered
        .requests()
        .iter()
        .map(|request| {
            let query: HashMap<String, String> = request.query_params().into_iter().collect();
            assert_eq!(
                query.get("dateRange").map(String::as_str),
                Some(r#"{"from":"2026-12-01T00:00:00Z","to":"2026-12-01T23:59:59Z"}"#)
            );
            query.get("page").cloned().unwrap_or_default()
        })
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert!(export_call_history::day_range("2026-1-01").is_err());

    let dir = std::env::temp_dir().join(format!("trillet-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("calls.jsonl");
    let out = out.to_str().expect("UTF-8 path");
    export_call_history::write_json_lines(out, &records).expect("written");
    let text = std::fs::read_to_string(out).expect("read back");
    assert_eq!(text.lines().count(), 5);
    assert!(!std::path::Path::new(&format!("{out}.partial")).exists());
    std::fs::remove_dir_all(&dir).expect("clean up");
}

#[tokio::test]
async fn webhook_receiver_accepts_signed_events_and_refuses_the_rest() {
    use trillet::webhook::{WebhookSecret, SIGNATURE_HEADER};
    // The signed event of trillet::webhook's documentation.
    let secret = WebhookSecret::new("whsec_test_secret_for_unit_tests").expect("secret");
    let body = r#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
    let signature = "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let address = listener.local_addr().expect("address");
    let server = tokio::spawn(async move {
        axum::serve(listener, webhook_receiver::app(secret))
            .await
            .expect("serve");
    });
    let url = format!("http://{address}{}", webhook_receiver::WEBHOOK_PATH);
    let http = reqwest::Client::new();
    let post = |signature: Option<&str>, body: String| {
        let mut request = http.post(&url).body(body);
        if let Some(signature) = signature {
            request = request.header(SIGNATURE_HEADER, signature);
        }
        async move { request.send().await.expect("an answer").status().as_u16() }
    };
    let too_big = "x".repeat(webhook_receiver::MAX_BODY + 1);
    for (signature, body, expected) in [
        (Some(signature), body.to_string(), 200),
        (None, body.to_string(), 401),
        (Some(signature), body.replace("125", "126"), 401),
        (Some("not-a-signature"), body.to_string(), 401),
        (Some(signature), too_big, 413),
    ] {
        assert_eq!(post(signature, body).await, expected, "{signature:?}");
    }
    server.abort();
}
