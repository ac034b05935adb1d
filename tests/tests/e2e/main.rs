//! The end-to-end tests of the trillet client, in one binary: real HTTP against httpmock
//! and scripted misbehaving servers, checked against `openapi/trillet.yaml`. The helpers
//! they share are the `trillet_e2e` library (`tests/src`).
//!
//! `memory_bound` is the one test outside this binary: it measures the process's peak
//! memory, so nothing else may run in its process.

mod bad_input_never_panics;
mod batches;
mod client;
mod custom_http_client;
mod errors;
mod examples;
mod extra_body;
mod hostile_network;
mod no_leaks_in_debug;
mod observability;
mod operations;
mod raw_request;
mod request_options;
mod retries;
mod round_trip;
mod wild_traffic;
