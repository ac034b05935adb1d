//! Batches of calls from a CSV, written by hand beside the generated operations: the
//! multipart uploads that start and check a batch ([`upload`]), a batch's progress at one
//! poll ([`snapshot`]), the waiter that polls a batch to its end ([`wait`]) and the stream
//! over every call of a batch ([`calls`]).
//!
//! Users reach these modules by their historical names, re-exported from the crate root:
//! `trillet::batch_upload`, `trillet::batch_wait` and `trillet::batch_calls`.

pub mod calls;
pub mod snapshot;
pub mod upload;
pub mod wait;
