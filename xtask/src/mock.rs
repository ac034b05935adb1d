//! `cargo xtask mock`: starts the stateful mock of the Trillet API (`crates/trillet-mock`)
//! on 127.0.0.1. A thin launcher: the options and their help are the mock's own.

use std::process::ExitCode;

/// `cargo xtask mock [OPTIONS]`: every argument goes to the mock's command line.
#[derive(Debug, clap::Args)]
#[command(disable_help_flag = true)]
pub struct Args {
    /// The mock's options (`cargo xtask mock --help` lists them).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// Runs the mock until the process is stopped.
pub fn run(args: Args) -> ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(trillet_mock::cli::main(args.args)),
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            ExitCode::FAILURE
        }
    }
}
