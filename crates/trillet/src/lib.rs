//! A client for the [Trillet AI](https://trillet.ai) voice-agent REST API: call agents,
//! call flows, outbound calls, and batches of calls from a CSV.
//!
//! Generated from the project's OpenAPI contract (`openapi/trillet.yaml`) with progenitor,
//! plus a small hand-written layer: credentials and configuration ([`Client`],
//! [`ClientBuilder`]), one error type ([`Error`]), the multipart batch uploads
//! ([`batch_upload`]), known model and voice names ([`models`]), and the reliability
//! layer: retries ([`retry`]), a batch waiter ([`batch_wait`]), a stream over every call
//! of a batch ([`batch_calls`]), a local check of batch CSVs ([`preflight`]) and of phone
//! numbers ([`E164PhoneNumber`]).
//!
//! # Quickstart
//!
//! ```no_run
//! use trillet::models::{llm, tts, voice};
//! use trillet::types::{AgentCreate, CallFlowCreate, CallFlowDirection, PromptType, TtsModelCreate};
//! use trillet::{Client, Csv, StartBatch};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), trillet::Error> {
//!     // TRILLET_API_KEY and TRILLET_WORKSPACE_ID (TRILLET_BASE_URL optional).
//!     let client = Client::from_env()?;
//!
//!     let voice = TtsModelCreate { voice_id: Some(voice::WILDFLOWER.into()), ..TtsModelCreate::new(tts::RIME) };
//!     let agent = client.create_agent(&AgentCreate::new("Front Desk", voice, llm::GPT_4O_MINI)).await?;
//!     println!("agent {} is {:?}", agent.id, agent.status);
//!
//!     let flow = CallFlowCreate {
//!         agent: Some(agent.id.clone()),
//!         prompt: Some("Remind the customer of tomorrow's appointment.".into()),
//!         ..CallFlowCreate::new("Appointment reminders", CallFlowDirection::Outbound, PromptType::Simple)
//!     };
//!     let flow = client.create_call_flow(&flow).await?;
//!     println!("call flow {}", flow.id);
//!
//!     let batch = client.start_batch(Csv::from_path("calls.csv")?, &StartBatch::new(&agent.id)).await?;
//!     println!("batch {:?}: {:?} calls queued", batch.batch_id, batch.total_calls);
//!     Ok(())
//! }
//! ```
//!
//! # How calls look
//!
//! Each operation is a method taking its path parameters, query parameters and body in
//! that order (`client.update_agent(agent_id, &body)`). Bodies are the structs of
//! [`types`]; those with required fields have a `new(...)` taking them in the spec's order,
//! and the rest is set with struct update syntax. An operation with many optional query
//! parameters takes them as one struct instead
//! (`client.list_call_history(&ListCallHistoryQuery { agent_id: Some(id), ..Default::default() })`,
//! see [`types::ListCallHistoryQuery`]). Deprecated operations (the `/v1/api` spellings of
//! the call history) are `#[deprecated]`. Every method returns
//! `Result<ResponseValue<T>, Error>`: [`ResponseValue`] dereferences to the decoded body
//! `T` and also gives the status and headers (`into_inner()` to take the body).
//!
//! File uploads are hand-written methods beside the generated ones, with the same hooks
//! and error type: [`batch_upload`] for the batch CSVs and [`uploads`] for knowledge-base
//! files ([`Document`]) and voice samples ([`VoiceSample`]). [`webhook`] verifies and
//! parses the events Trillet sends to your endpoint.
//!
//! Responses decode leniently: unknown fields are ignored and growing sets (statuses,
//! model names, providers) are plain strings, so new server values never break a call.
//! Request enums such as [`CallFlowDirection`](types::CallFlowDirection) are closed: the
//! API accepts only their values.
//!
//! A field the live API accepts but the contract (so the typed body) does not know yet
//! goes through [`Client::with_extra_body`], which returns a cheap clone of the client
//! whose JSON bodies carry it (objects merged deeply, the extra value winning elsewhere;
//! [`Client::with_extra_query`] and [`Client::with_extra_headers`] do the same for the
//! URL and the headers):
//!
//! ```no_run
//! # async fn run(client: trillet::Client, body: trillet::types::AgentUpdate) -> Result<(), trillet::Error> {
//! let prompt = serde_json::json!({ "systemPrompt": "You are the front desk." });
//! client.with_extra_body(prompt)?.update_agent("agent-1", &body).await?;
//! # Ok(()) }
//! ```
//!
//! Errors: see [`Error`] (with [`Error::is_not_found`], [`Error::is_rate_limited`],
//! [`Error::is_timeout`], [`Error::retry_after`] and [`Error::request_id`]); the request
//! id of a success is [`ResponseMeta::request_id`].
//!
//! One call with another timeout, retry count or extra headers goes through
//! [`Client::with_options`] ([`RequestOptions`]); a request the contract does not
//! describe yet through [`Client::request`], with the same transport and error type;
//! your own proxies, certificates or pool settings through
//! [`ClientBuilder::configure_http_client`].
//!
//! # Retries, timeouts, logs
//!
//! Every request, generated or hand-written, goes through one [`retry::RetryPolicy`]
//! (default: 2 retries, exponential backoff with jitter, `Retry-After` honoured).
//! Whether a request may be sent again is its operation's `x-trillet-retry` in the
//! contract: `idempotent` ones (every `GET` and `DELETE`, the `PUT`s but the two that flip
//! a message flow's autopilot, CSV validate/preview, the call-history export) are retried
//! on 408, 429, 500, 502, 503, 504, timeouts and connection failures; `side-effecting`
//! ones (those that place calls, start batches, create or flip things) only on 429 or
//! when no connection could be opened. Each attempt has a connect timeout (5 s) and a timeout (60 s, the
//! response body included), and each call one overall deadline for all its attempts and
//! waits (3 minutes), all set on [`ClientBuilder`]. Redirects are never followed (a 3xx
//! is [`Error::Redirect`]); response bodies are read within limits (64 MiB for success
//! bodies, [`Error::ResponseTooLarge`] beyond; error bodies cut at 64 KiB), see
//! [`bounded_body`]. Each attempt is a `tracing` span `trillet.request` with the
//! operation, method, path template, attempt, status and elapsed time; no header value,
//! body or phone number is ever logged.

// The generated modules (`cargo xtask gen` writes them; never edit them by hand) behind
// their hand-written `mod.rs`.
mod generated;

mod batch;
/// Every call of a batch as one stream ([`Client::batch_calls`]).
pub use batch::calls as batch_calls;
/// The batch operations with a CSV upload: start, validate and preview a batch.
pub use batch::upload as batch_upload;
/// Following a batch to its end ([`Client::wait_for_batch`], [`Client::watch_batch`]).
pub use batch::wait as batch_wait;
pub mod bounded_body;
mod client;
mod error;
mod extras;
pub mod models;
mod multipart;
mod operation;
mod options;
pub mod phone;
pub mod preflight;
pub mod raw_request;
pub mod references;
mod response;
pub mod retry;
mod sensitive;
mod transport;
pub mod uploads;
pub mod webhook;

pub use batch_upload::{Csv, StartBatch};
pub use bounded_body::ResponseLimits;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_TIMEOUT, DEFAULT_USER_AGENT, ENV_API_KEY, ENV_BASE_URL, ENV_WORKSPACE_ID,
};
pub use error::{
    ApiError, DecodeError, Error, FileError, InvalidArgument, TransportError, TransportErrorKind,
    UnexpectedResponse, REQUEST_ID_HEADER,
};
pub use options::RequestOptions;
pub use phone::{
    check_e164, mask_phone_number, E164PhoneNumber, InvalidPhoneNumber, PhoneNumberProblem,
};
pub use raw_request::RawRequest;
/// The HTTP method of a [`Client::request`] (reqwest's, re-exported).
pub use reqwest::Method;
pub use response::ResponseMeta;
pub use sensitive::{PhoneNumberText, Secret};
/// Masks every phone number in a text, as this crate's messages, spans and `Debug` output
/// do: `+1 (415) 555-1234` becomes `+1 (***) ***-*234` (the workspace's one masker, from
/// `trillet-redact`).
pub use trillet_redact::mask_phone_numbers;
pub use uploads::{CloneVoice, Document, VoiceSample};
/// The request and response bodies of the API, generated from the spec's schemas (and
/// [`E164PhoneNumber`], written by hand for its checks and masking).
pub mod types {
    pub use crate::generated::types::*;
    pub use crate::phone::E164PhoneNumber;
}
pub use progenitor_client::{ByteStream, ResponseValue};
