//! A stateful, validating mock of the Trillet API, driven by `openapi/trillet.yaml`.
//!
//! Every operation of the contract is served: the routes are read from the document
//! (an operation added there is served from its examples without code changes). Every
//! request is checked like the contract says (auth headers, path and query parameters,
//! the body against its schema with `trillet-spec`); a bad one gets the contract's error
//! shape with the JSON pointer or the parameter of each problem. Agents, call flows,
//! folders, knowledge bases, omni-flow agents, message flows and phone numbers are kept in
//! memory; calls are recorded (never dialled) and appear in call history; batches run on a
//! simulated clock. Faults come on demand (header `x-mock-fault`, or `/__mock/faults`),
//! every request is recorded (`/__mock/requests`), and webhooks are signed and posted to a
//! loopback URL.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use trillet_mock::{MockConfig, MockServer};
//!
//! let mock = MockServer::start(MockConfig::default()).await?;
//! println!("mock at {}", mock.url()); // http://127.0.0.1:PORT
//! mock.advance_clock(60_000); // a minute of simulated calls
//! # Ok(()) }
//! ```

mod batches;
mod body;
mod calls;
pub mod cli;
mod clock;
pub mod contract;
mod control;
mod csv_rows;
mod faults;
mod ids;
mod multipart;
mod params;
mod phones;
mod record;
mod reply;
mod resources;
mod server;
mod shared;
mod state;
mod webhooks;

use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use batches::OUTCOME_COLUMN;
pub use clock::START_EPOCH_MS;
pub use contract::{Route, RouteTable};
pub use faults::{Fault, FaultRule, FAULT_HEADER};
pub use record::RecordedRequest;
pub use server::MAX_REQUEST_BYTES;
pub use state::CallSettings;
pub use webhooks::{WebhookTarget, SIGNATURE_HEADER};

use shared::{lock, Shared, Validator};

/// How the mock starts.
#[derive(Debug, Clone)]
pub struct MockConfig {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// The seed of the ids.
    pub seed: u64,
    /// How much faster than real time the simulated clock runs (1.0 real time; 0.0 stands
    /// still until advanced).
    pub clock_speed: f64,
    /// How simulated calls behave.
    pub calls: CallSettings,
    /// Where webhooks go, if anywhere.
    pub webhook: Option<WebhookTarget>,
    /// Another OpenAPI document (YAML or JSON text) to serve instead of the embedded
    /// contract.
    pub document: Option<String>,
    /// Fault rules in force from the start (as if posted to `/__mock/faults`).
    pub faults: Vec<FaultRule>,
}

impl Default for MockConfig {
    fn default() -> MockConfig {
        MockConfig {
            port: 0,
            seed: 1,
            clock_speed: 1.0,
            calls: CallSettings::default(),
            webhook: None,
            document: None,
            faults: Vec::new(),
        }
    }
}

/// Why the mock could not start.
#[derive(Debug)]
pub enum StartError {
    /// The document could not be read or compiled.
    Document(String),
    /// The port could not be bound.
    Bind(std::io::Error),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Document(why) => write!(f, "the OpenAPI document cannot be served: {why}"),
            StartError::Bind(e) => write!(
                f,
                "cannot listen on 127.0.0.1: {e} (is the port taken? use --port 0)"
            ),
        }
    }
}

impl std::error::Error for StartError {}

/// A running mock; stops when dropped.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

/// How often the webhook sender looks for due events (real time).
const TICK: Duration = Duration::from_millis(10);

impl MockServer {
    /// Reads the contract, binds 127.0.0.1 and starts serving (on the current tokio
    /// runtime).
    ///
    /// # Errors
    ///
    /// [`StartError`] when the document is unusable or the port cannot be bound.
    pub async fn start(config: MockConfig) -> Result<MockServer, StartError> {
        let (text, validator) = match &config.document {
            None => (
                trillet_spec::EMBEDDED_DOCUMENT.to_owned(),
                Validator::Embedded(trillet_spec::SpecValidator::embedded()),
            ),
            Some(text) => {
                let validator = trillet_spec::SpecValidator::from_yaml_str(text)
                    .map_err(|e| StartError::Document(e.to_string()))?;
                (text.clone(), Validator::Owned(Box::new(validator)))
            }
        };
        let document: Value =
            serde_norway::from_str(&text).map_err(|e| StartError::Document(e.to_string()))?;
        let routes = RouteTable::from_document(&document).map_err(StartError::Document)?;
        let mut state = state::State::new(config.seed, config.calls);
        resources::seed(&mut state, &routes);
        let shared = Arc::new(Shared {
            routes,
            validator,
            state: Mutex::new(state),
            clock: clock::SimClock::new(config.clock_speed),
            record: Mutex::new(Vec::new()),
            seq: AtomicU64::new(0),
            faults: Mutex::new(config.faults.clone()),
            webhook: config.webhook.clone(),
            deliveries: Mutex::new(Vec::new()),
        });
        let listener = TcpListener::bind(("127.0.0.1", config.port))
            .await
            .map_err(StartError::Bind)?;
        let addr = listener.local_addr().map_err(StartError::Bind)?;
        let mut tasks = vec![tokio::spawn(accept_loop(listener, Arc::clone(&shared)))];
        if shared.webhook.is_some() {
            tasks.push(tokio::spawn(webhook_loop(Arc::clone(&shared))));
        }
        Ok(MockServer {
            addr,
            shared,
            tasks,
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL, `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far (as `GET /__mock/requests` shows them).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.record).clone()
    }

    /// The requests received so far for `operation_id`.
    pub fn requests_of(&self, operation_id: &str) -> Vec<RecordedRequest> {
        self.requests()
            .into_iter()
            .filter(|r| r.operation_id.as_deref() == Some(operation_id))
            .collect()
    }

    /// Adds a fault rule (as `POST /__mock/faults` does).
    pub fn add_fault(&self, rule: FaultRule) {
        lock(&self.shared.faults).push(rule);
    }

    /// Moves the simulated clock forward by `ms` milliseconds.
    pub fn advance_clock(&self, ms: u64) {
        self.shared.clock.advance(ms);
    }

    /// The simulated time, in epoch milliseconds.
    pub fn now_ms(&self) -> u64 {
        self.shared.clock.now_ms()
    }

    /// The routes served.
    pub fn routes(&self) -> &RouteTable {
        &self.shared.routes
    }

    /// Every webhook sent so far, with the receiver's status.
    pub fn webhook_deliveries(&self) -> Vec<Value> {
        lock(&self.shared.deliveries).clone()
    }

    /// Runs until the process is stopped.
    pub async fn run_forever(mut self) {
        if let Some(task) = self.tasks.first_mut() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(TICK).await;
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let shared = Arc::clone(&shared);
                async move { shared.handle(request).await }
            });
            // A `reset` fault ends the connection with an error: nothing to report.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn webhook_loop(shared: Arc<Shared>) {
    let Some(target) = shared.webhook.clone() else {
        return;
    };
    let client = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap_or_default();
    loop {
        tokio::time::sleep(TICK).await;
        let now = shared.clock.now_ms();
        let events = webhooks::due_events(&mut lock(&shared.state), now);
        for event in events {
            let body = serde_json::to_vec(&event).unwrap_or_default();
            let signature = target.sign(&body);
            let sent = client
                .post(target.url())
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, signature)
                .body(body)
                .send()
                .await;
            let status = match sent {
                Ok(response) => json!(response.status().as_u16()),
                Err(error) => json!(format!("not delivered: {error}")),
            };
            lock(&shared.deliveries).push(json!({"event": event, "status": status}));
        }
    }
}
