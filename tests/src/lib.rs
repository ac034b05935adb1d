//! Helpers of the end-to-end tests: a [`Harness`] (an httpmock server and a client pointed
//! at it), expectations taken from the spec itself ([`Expect`]), mocks answering in turn
//! ([`answers`]), the fast clock of the tests that wait ([`clock`]), the process's log
//! capture ([`logs`]), a scripted misbehaving server ([`fault_server`]), and the JSON
//! comparisons of the round-trip checks ([`lost_fields`]).
//!
//! Everything about an operation (method, path, response example) is read from the
//! embedded spec through `trillet_spec`, never copied into a test.

pub mod answers;
pub mod clock;
pub mod fault_server;
pub mod logs;
mod mock;
mod multipart;
mod round_trip;
mod spec;

pub use mock::{assert_client_credentials, Expect, Expectation, ExpectedPart, Harness};
pub use multipart::{form_fields_as_json, parse_multipart, ReceivedPart};
pub use round_trip::{lost_fields, lost_in_round_trip, normalise};
pub use spec::{
    document, example_at, operation, path_of, query_examples, readme, request_example,
    request_examples, response_examples, spec, success_example_names, success_status,
};

use trillet::Client;

/// The API key every test client sends.
pub const API_KEY: &str = "test-key-5f0c1e";
/// The workspace id every test client sends.
pub const WORKSPACE_ID: &str = "6764d172953253138a3a70f4";

/// Whether `error` is the client refusing a request before sending it (a bad argument, a
/// file over the limit, extras it cannot merge). The one place the tests name the
/// variant: `trillet::Error::InvalidArgument`.
pub fn is_refused_before_sending(error: &trillet::Error) -> bool {
    matches!(error, trillet::Error::InvalidArgument(_))
}

/// A client builder with [`API_KEY`] and [`WORKSPACE_ID`], pointed at `base_url`.
pub fn client_builder(base_url: impl Into<String>) -> trillet::ClientBuilder {
    Client::builder(API_KEY, WORKSPACE_ID).base_url(base_url)
}
