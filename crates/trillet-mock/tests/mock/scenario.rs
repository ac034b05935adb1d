//! The Rust client runs a whole scenario against the mock: an agent and a call flow, a
//! call, a batch from a CSV waited for with progress, its failed calls, and the signed
//! webhooks of every call, verified with `trillet::webhook` (an implementation
//! independent of the mock's signer).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::BodyExt;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;
use trillet::batch_calls::BatchCallsQuery;
use trillet::batch_wait::BatchWaitOptions;
use trillet::webhook::{verify_and_parse, WebhookEvent, WebhookSecret};
use trillet::{Csv, StartBatch};
use trillet_mock::{MockConfig, WebhookTarget};

use crate::{client, create_agent, request_example, send, start};

const SECRET: &str = "whsec_scenario_secret";

type Received = Arc<Mutex<Vec<(Vec<u8>, Option<String>)>>>;

/// A webhook receiver on 127.0.0.1 that keeps every body and signature; its URL.
async fn receiver(received: Received) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let received = Arc::clone(&received);
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let received = Arc::clone(&received);
                    async move {
                        let signature = request
                            .headers()
                            .get("x-trillet-signature")
                            .and_then(|v| v.to_str().ok())
                            .map(str::to_owned);
                        let body = request.into_body().collect().await?.to_bytes().to_vec();
                        received.lock().expect("lock").push((body, signature));
                        Ok::<_, hyper::Error>(hyper::Response::new(http_body_util::Empty::<
                            hyper::body::Bytes,
                        >::new(
                        )))
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    url
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_runs_agents_flows_calls_and_a_batch_and_verifies_the_webhooks() {
    let received: Received = Arc::default();
    let url = receiver(Arc::clone(&received)).await;
    let mock = start(MockConfig {
        // A 30 s call lasts 15 ms of real time.
        clock_speed: 2000.0,
        webhook: Some(WebhookTarget::new(url, SECRET).expect("a loopback target")),
        ..MockConfig::default()
    })
    .await;
    let client = client(&mock);

    let agent_id = create_agent(&client, "Scenario agent").await;
    let mut flow = request_example("createCallFlow");
    flow["agent"] = Value::from(agent_id.as_str());
    let flow: trillet::types::CallFlowCreate =
        serde_json::from_value(flow).expect("a CallFlowCreate");
    let flow = client
        .create_call_flow(&flow)
        .await
        .expect("flow created")
        .into_inner();
    let fetched = client
        .get_call_flow(&flow.id)
        .await
        .expect("the flow is kept")
        .into_inner();
    assert_eq!(fetched.id, flow.id);

    let call = trillet::types::SendCallRequest {
        agent_id: agent_id.clone(),
        to_number: "+14155550123".parse().expect("E.164"),
    };
    let placed = client
        .send_call(&call)
        .await
        .expect("call placed")
        .into_inner();
    let call_id = placed.call_id.clone().expect("a call id");

    let csv = "phone_number,first_name,mock_outcome\n+14155550001,Ada,\n+14155550002,Bob,busy\n+14155550003,Cy,\n+14155550004,Di,\n";
    let started = client
        .start_batch(
            Csv::from_bytes(csv).with_file_name("calls.csv"),
            &StartBatch::new(agent_id.as_str()),
        )
        .await
        .expect("batch started")
        .into_inner();
    let batch_id = started.batch_id.expect("a batch id");
    assert_eq!(started.total_calls, Some(4));

    let progress: Arc<Mutex<Vec<u64>>> = Arc::default();
    let seen = Arc::clone(&progress);
    let options = BatchWaitOptions::new()
        .poll_interval(Duration::from_millis(5))
        .deadline(Duration::from_secs(20))
        .on_progress(move |snapshot| seen.lock().expect("lock").push(snapshot.finished()));
    let last = client
        .wait_for_batch(&batch_id, options)
        .await
        .expect("the batch ends");
    assert_eq!(last.state(), trillet::batch_wait::BatchState::Completed);
    assert_eq!((last.completed, last.failed, last.total), (3, 1, 4));
    let progress = progress.lock().expect("lock").clone();
    assert!(
        progress.windows(2).all(|w| w[0] <= w[1]),
        "progress never goes back: {progress:?}"
    );
    assert_eq!(progress.last(), Some(&4));

    let failed = client
        .batch_calls(
            &batch_id,
            BatchCallsQuery::status(trillet::types::BatchCallStatusFilter::Failed),
        )
        .collect_all()
        .await
        .expect("the failed calls");
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].error.as_deref(), Some("Number busy"));
    let all = client
        .batch_calls(&batch_id, BatchCallsQuery::all())
        .collect_all()
        .await
        .expect("all calls");
    assert_eq!(all.len(), 4);

    // Batch calls and the single call are in call history.
    let history = send(
        &mock,
        "GET",
        &format!("/v2/api/call-history?batchId={batch_id}&limit=50"),
        None,
        &[],
        true,
    )
    .await;
    assert_eq!(history.json().as_array().map(Vec::len), Some(4));

    // 5 calls: a call.started and a call.completed / call.failed each.
    for _ in 0..500 {
        if received.lock().expect("lock").len() >= 10 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let secret = WebhookSecret::new(SECRET).expect("a secret");
    let mut kinds = std::collections::BTreeMap::new();
    let mut single_call_completed = false;
    for (body, signature) in received.lock().expect("lock").iter() {
        let event =
            verify_and_parse(&secret, body, signature.as_deref()).expect("a verified webhook");
        *kinds.entry(event.event_type().to_owned()).or_insert(0) += 1;
        if let WebhookEvent::CallCompleted(data) = &event {
            single_call_completed |= data.call_id.as_deref() == Some(call_id.as_str());
        }
        // A body signed with another secret is refused.
        let wrong = WebhookSecret::new("whsec_other").expect("a secret");
        assert!(verify_and_parse(&wrong, body, signature.as_deref()).is_err());
    }
    let expected: std::collections::BTreeMap<String, i32> = [
        ("call.completed", 4),
        ("call.failed", 1),
        ("call.started", 5),
    ]
    .map(|(k, v)| (k.to_owned(), v))
    .into();
    assert_eq!(kinds, expected);
    assert!(single_call_completed);
}
