//! The client crate's own tests that need no server: properties of the pure parts (CSV
//! pre-flight, phone numbers, retry decisions), masking in every report, and the README's
//! code. One binary, one module per concern (the end-to-end tests over HTTP are the
//! `trillet-e2e` package's).

mod bad_input_never_panics;
mod no_phone_numbers_in_reports;
mod readme;
