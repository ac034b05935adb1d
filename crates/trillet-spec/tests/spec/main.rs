//! The validation crate's integration tests, one binary: one module per concern, with the
//! fixtures (`common`) they share.

mod common;
mod conversion;
mod embedded;
mod example_files;
mod examples;
mod limits;
mod lint;
mod load_errors;
mod reports;
mod seeds;
