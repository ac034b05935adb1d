//! The memory a call takes is bounded by the client's response limits, whatever the
//! server sends: a body many times the limit is never buffered.
//!
//! Peak memory is the process's high-water mark (`VmHWM` in `/proc/self/status`), so this
//! binary holds this one test only: nothing else runs in the process while it measures.
//! Run `cargo test -p trillet-e2e --test memory_bound -- --nocapture` to see the figures.

use std::time::Duration;

use trillet::{Client, Error};
use trillet_e2e::fault_server::{Fault, FaultServer};
use trillet_e2e::{API_KEY, WORKSPACE_ID};

/// The body the server sends: 512 MiB, 128 times the limit below.
const BODY: usize = 512 << 20;
/// The client's limit for success bodies.
const LIMIT: usize = 4 << 20;
/// The highest peak accepted: the test binary, the runtime, and a few times the limit.
/// Buffering the body whole would take at least `BODY`.
const MAX_PEAK: u64 = 96 << 20;

/// The process's peak resident memory, in bytes.
fn peak_resident() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

#[tokio::test]
async fn huge_bodies_never_take_more_memory_than_the_limits() {
    let before = peak_resident();
    let script = [200, 500].map(|status| Fault::HugeBody {
        status,
        size: BODY,
        prefix: r#"{"error":"x","details":""#,
        fill: b'7',
        suffix: r#""}"#,
        declare_length: false,
    });
    let server = FaultServer::start(script.to_vec()).await;
    let client = Client::builder(API_KEY, WORKSPACE_ID)
        .base_url(server.base_url())
        .max_response_bytes(LIMIT)
        .max_retries(0)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client");

    let success = client
        .get_agent("agent_1")
        .await
        .expect_err("over the limit");
    assert!(
        matches!(success, Error::ResponseTooLarge { limit: LIMIT, .. }),
        "{success:?}"
    );
    let failure = client.get_agent("agent_1").await.expect_err("a 500");
    let api = failure.api().expect("an API error");
    assert!(api.body_truncated(), "{failure:?}");
    assert!(failure.to_string().len() < 700, "{failure}");

    let peak = peak_resident();
    println!(
        "peak resident memory: {:.1} MiB before, {:.1} MiB after two {} MiB bodies (limit {} MiB)",
        before as f64 / 1048576.0,
        peak as f64 / 1048576.0,
        BODY >> 20,
        LIMIT >> 20
    );
    assert!(
        peak < MAX_PEAK,
        "peak {peak} bytes, more than {MAX_PEAK}: a body was buffered"
    );
    assert!(
        server.body_bytes_sent() < BODY,
        "the client read {} bytes of {BODY}",
        server.body_bytes_sent()
    );
}
