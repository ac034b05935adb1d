//! The mock's memory: the resources people script against, the calls placed, the
//! batches, and the context every domain handler gets.

use std::collections::BTreeMap;

use serde_json::Value;
use trillet_spec::SpecValidator;

use crate::contract::Route;
use crate::ids::IdGenerator;
use crate::multipart::Part;

/// How simulated calls behave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallSettings {
    /// How long a completed call lasts, in simulated milliseconds.
    pub call_ms: u64,
    /// How long a failed call lasts, in simulated milliseconds.
    pub failed_call_ms: u64,
    /// How many calls of one batch run at the same time.
    pub batch_concurrency: u64,
}

impl Default for CallSettings {
    fn default() -> CallSettings {
        CallSettings {
            call_ms: 30_000,
            failed_call_ms: 10_000,
            batch_concurrency: 2,
        }
    }
}

/// How a simulated call ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Answered and completed.
    Completed,
    /// Failed, with why.
    Failed(String),
}

/// A call the mock pretends to place (never dialled): from `sendCall`, `initiateCall`
/// or a batch row.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The call record's `_id`.
    pub record_id: String,
    /// The call's id (`callId`).
    pub call_id: String,
    /// The room of the call session.
    pub room_name: String,
    /// The agent.
    pub agent_id: String,
    /// The number called.
    pub to_number: String,
    /// The number it is called from.
    pub from_number: String,
    /// The batch and job, for a batch call.
    pub batch: Option<(String, String)>,
    /// When it starts (simulated epoch milliseconds).
    pub start_ms: u64,
    /// How long it lasts.
    pub duration_ms: u64,
    /// How it ends.
    pub outcome: Outcome,
    /// When its batch was cancelled, if it was.
    pub cancelled_ms: Option<u64>,
    /// The CSV row, for a batch call.
    pub metadata: BTreeMap<String, String>,
    /// Whether `call.started` was sent.
    pub started_sent: bool,
    /// Whether `call.completed` / `call.failed` was sent.
    pub ended_sent: bool,
}

/// Where a call stands at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallState {
    /// Not started yet.
    Waiting,
    /// In progress.
    Active,
    /// Completed.
    Completed,
    /// Failed.
    Failed,
    /// Cancelled before it ended.
    Cancelled,
}

impl CallState {
    /// The state's name, as the API spells it.
    pub fn name(self) -> &'static str {
        match self {
            CallState::Waiting => "waiting",
            CallState::Active => "active",
            CallState::Completed => "completed",
            CallState::Failed => "failed",
            CallState::Cancelled => "cancelled",
        }
    }
}

impl Call {
    /// When it ends.
    pub fn end_ms(&self) -> u64 {
        self.start_ms + self.duration_ms
    }

    /// Its state at `now`.
    pub fn state(&self, now: u64) -> CallState {
        if self
            .cancelled_ms
            .is_some_and(|c| c <= now && c < self.end_ms())
        {
            return CallState::Cancelled;
        }
        if now < self.start_ms {
            CallState::Waiting
        } else if now < self.end_ms() {
            CallState::Active
        } else if self.outcome == Outcome::Completed {
            CallState::Completed
        } else {
            CallState::Failed
        }
    }
}

/// A batch started from a CSV.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    /// Its id.
    pub id: String,
    /// The agent.
    pub agent_id: String,
    /// When it starts.
    pub start_ms: u64,
    /// When it was cancelled.
    pub cancelled_ms: Option<u64>,
    /// Its calls, as indices into [`State::calls`], in CSV order.
    pub calls: Vec<usize>,
}

/// Everything the mock remembers.
#[derive(Debug)]
pub struct State {
    /// The id generator.
    pub ids: IdGenerator,
    /// The stored resources, by resource name, in creation order.
    pub collections: BTreeMap<&'static str, Vec<Value>>,
    /// The workspace's phone numbers (`PhoneNumberRecord`s).
    pub phone_numbers: Vec<Value>,
    /// Every call placed.
    pub calls: Vec<Call>,
    /// Every batch.
    pub batches: Vec<Batch>,
    /// How calls behave.
    pub settings: CallSettings,
}

impl State {
    /// An empty memory whose ids follow from `seed`.
    pub fn new(seed: u64, settings: CallSettings) -> State {
        State {
            ids: IdGenerator::new(seed),
            collections: BTreeMap::new(),
            phone_numbers: Vec::new(),
            calls: Vec::new(),
            batches: Vec::new(),
            settings,
        }
    }
}

/// One request, as domain handlers see it (already checked against the contract).
#[derive(Debug)]
pub struct Ctx<'a> {
    /// The operation.
    pub route: &'a Route,
    /// The path parameters, decoded.
    pub path: &'a [(String, String)],
    /// The query parameters, decoded.
    pub query: &'a [(String, String)],
    /// The JSON body, or the fields of a multipart body (files as text); `null` if none.
    pub body: &'a Value,
    /// The parts of a multipart body.
    pub parts: &'a [Part],
    /// The `x-workspace-id` header.
    pub workspace_id: &'a str,
    /// The simulated time.
    pub now_ms: u64,
    /// The contract's validator, to keep every answer conformant.
    pub validator: &'a SpecValidator,
}

impl Ctx<'_> {
    /// The value of path parameter `name` ("" if absent).
    pub fn path_param(&self, name: &str) -> &str {
        self.path
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether `body` conforms to this operation's success response.
    pub fn conforms(&self, status: u16, body: &Value) -> bool {
        self.validator
            .validate_response(&self.route.operation_id, status, body)
            .is_ok()
    }
}
