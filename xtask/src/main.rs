//! `cargo xtask`: this workspace's automation, in plain Rust instead of shell scripts.
//!
//! Each command lives in its own module and takes the arguments after its name; `main`
//! only dispatches. Run `cargo xtask --help`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod contract;
mod gen;
mod validate;

const HELP: &str = "\
cargo xtask: automation for the Trillet workspace

USAGE:
    cargo xtask <COMMAND> [OPTIONS]

COMMANDS:
    gen         Regenerate crates/trillet/src/generated.rs from openapi/trillet.yaml.
    gen --check Fail (exit 1, with a diff) when the committed generated.rs is stale;
                writes nothing. Exit 2: nothing could be generated (the message says
                why, e.g. openapi/trillet.yaml:<line>:<col>). `cargo xtask gen --help`.
    validate    Check the examples of openapi/trillet.yaml and of openapi/examples/,
                or one payload file against one operation; unknown properties of
                request bodies are warnings (--deny-lints: errors).
                `cargo xtask validate --help` for details.
    contract    Check openapi/trillet.yaml against the rules of openapi/STYLE.md (the
                patterns other teams' generators need); exit 1 names each broken rule.
    help        Print this help (also -h, --help).

Paths are found from the workspace root, whatever the current directory.
";

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => {
                eprintln!("error: argument {arg:?} is not valid UTF-8; rename the file or pass another path");
                return ExitCode::from(2);
            }
        }
    }
    let Some((command, rest)) = args.split_first() else {
        print!("{HELP}");
        return ExitCode::SUCCESS;
    };
    match command.as_str() {
        "validate" => validate::run(rest),
        "gen" => gen::run(rest),
        "contract" => contract::run(rest),
        "help" | "-h" | "--help" => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("error: unknown command `{other}`; run `cargo xtask --help` for the list");
            ExitCode::from(2)
        }
    }
}

/// The workspace root: xtask's own folder is one level below it.
fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}
