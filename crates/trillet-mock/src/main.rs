//! `trillet-mock`: serves the mock of the Trillet API on 127.0.0.1 until stopped.
//! Run `trillet-mock --help` (or `cargo xtask mock --help`) for the options.

use std::process::ExitCode;

use trillet_mock::cli;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> ExitCode {
    cli::main(std::env::args().skip(1).collect()).await
}
