//! `cargo xtask`: this workspace's automation, in plain Rust instead of shell scripts.
//!
//! Each command lives in its own module with its arguments (a `clap::Args` struct) and its
//! `run`; `main` only parses and dispatches. Run `cargo xtask --help`.
//!
//! # Why clap
//!
//! One parser for every command, and clap rather than xflags: clap is already in the lock
//! file (criterion's), so it adds only its derive macro, whose syn the generator compiles
//! anyway; its derive keeps each command's flags beside the command; and its errors carry
//! their kind and the offending argument, so the messages users and tests know
//! (`unknown option `--x``, `--operation needs an operationId`) are kept as they were.
//! Each command keeps its hand-written `--help` (`override_help`): they explain exit codes,
//! limits and file layouts, which no generated help would. xflags would have meant a new
//! crate and a DSL of its own for the same result.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

mod arena;
mod bundle;
mod contract;
mod diff;
mod gen;
mod mock;
mod validate;

/// mimalloc instead of glibc's malloc: `validate` makes a hundred thousand small
/// allocations (YAML to JSON, converted schemas, validators), and glibc's `malloc` and
/// `free` were a third of its instructions; mimalloc is faster at those on both cores.
/// `validate` also puts a bump arena in front of it ([`arena`]), which touches less
/// memory (docs/performance.md has the figures).
#[global_allocator]
static GLOBAL: arena::Allocator = arena::Allocator;

const HELP: &str = "\
cargo xtask: automation for the Trillet workspace

USAGE:
    cargo xtask <COMMAND> [OPTIONS]

COMMANDS:
    gen         Regenerate crates/trillet/src/generated/ (and the README's operations
                and retry tables) from openapi/trillet.yaml.
    gen --check Fail (exit 1, with a diff) when a committed generated file is stale;
                writes nothing. Exit 2: nothing could be generated (the message says
                why, e.g. openapi/trillet.yaml:<line>:<col>). `cargo xtask gen --help`.
    validate    Check the examples of openapi/trillet.yaml and of openapi/examples/,
                or one payload file against one operation; unknown properties of
                request bodies are warnings (--deny-lints: errors).
                `cargo xtask validate --help` for details.
    contract    Check openapi/trillet.yaml against the rules of openapi/STYLE.md (the
                patterns other teams' generators need); exit 1 names each broken rule.
    bundle      Write the published artefacts into dist/: trillet.json, trillet.yaml
                (self-contained, byte-stable), reference.html (offline page) and its
                screenshot; --check fails (exit 1) when one is stale.
                `cargo xtask bundle --help`.
    diff        Compare the document with the last release (openapi/releases/) and
                classify every change: breaking, non-breaking, docs-only; exit 1 when
                a breaking change has no major version bump and CHANGELOG entry.
                `cargo xtask diff --help`.
    mock        Serve a stateful, validating mock of the API on 127.0.0.1 (--port 0
                picks a free one and prints it): every operation of the contract,
                faults on demand, a record of requests, signed webhooks.
                `cargo xtask mock --help` for its options and endpoints.
    help        Print this help (also -h, --help).

Paths are found from the workspace root, whatever the current directory.
";

/// `cargo xtask <command> ...`.
#[derive(Debug, clap::Parser)]
#[command(name = "cargo xtask", override_help = HELP, disable_help_subcommand = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    Gen(gen::Args),
    Validate(validate::Args),
    Contract(contract::Args),
    Bundle(bundle::Args),
    Diff(diff::Args),
    Mock(mock::Args),
    Help,
}

/// What a flag's value is, for the message when it is missing or empty.
const VALUES: &[(&str, &str)] = &[
    ("--operation", "an operationId"),
    ("--response", "an HTTP status, e.g. --response 200"),
    ("--spec", "a file"),
    ("--examples", "a folder"),
    ("--out", "a folder"),
    ("--readme", "a file"),
    ("--against", "a released version (e.g. 1.0.0) or a file"),
    ("--changelog", "a file"),
];

fn main() -> ExitCode {
    let mut args = vec!["cargo xtask".to_string()];
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(arg) => {
                eprintln!("error: argument {arg:?} is not valid UTF-8; rename the file or pass another path");
                return ExitCode::from(2);
            }
        }
    }
    let parsed = Cli::command()
        .try_get_matches_from(&args)
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error, args.get(1).map(String::as_str)),
    };
    match cli.command {
        Some(Command::Gen(args)) => gen::run(args),
        Some(Command::Validate(args)) => validate::run(args),
        Some(Command::Contract(args)) => contract::run(args),
        Some(Command::Bundle(args)) => bundle::run(args),
        Some(Command::Diff(args)) => diff::run(args),
        Some(Command::Mock(args)) => mock::run(args),
        Some(Command::Help) | None => {
            print!("{HELP}");
            ExitCode::SUCCESS
        }
    }
}

/// Prints a help clap was asked for (exit 0), or the one-line message of a usage error
/// with where to read more (exit 2).
fn usage_error(error: &clap::Error, command: Option<&str>) -> ExitCode {
    if error.kind() == ErrorKind::DisplayHelp {
        print!("{}", error.render());
        return ExitCode::SUCCESS;
    }
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(value)) => value.clone(),
        _ => String::new(),
    };
    if error.kind() == ErrorKind::InvalidSubcommand {
        let other = context(ContextKind::InvalidSubcommand);
        eprintln!("error: unknown command `{other}`; run `cargo xtask --help` for the list");
        return ExitCode::from(2);
    }
    // `--operation <operationId>` -> `--operation`.
    let argument = context(ContextKind::InvalidArg);
    let flag = argument.split_whitespace().next().unwrap_or_default();
    let message = match error.kind() {
        ErrorKind::UnknownArgument if flag.starts_with('-') => format!("unknown option `{flag}`"),
        ErrorKind::UnknownArgument => format!("unexpected argument `{flag}`"),
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            let value = VALUES
                .iter()
                .find(|(name, _)| *name == flag)
                .map_or("a value", |(_, value)| value);
            format!("{flag} needs {value}")
        }
        // Whatever else clap refuses, in its own words (its first line, without `error: `).
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    };
    let help = match command {
        Some(name @ ("gen" | "validate" | "contract" | "bundle" | "diff")) => {
            format!("cargo xtask {name} --help")
        }
        _ => "cargo xtask --help".to_string(),
    };
    eprintln!("error: {message}\nrun `{help}` for usage");
    ExitCode::from(2)
}

/// The workspace root: xtask's own folder is one level below it.
fn workspace_root() -> PathBuf {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.parent().unwrap_or(xtask_dir).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        let args = std::iter::once("cargo xtask").chain(args.iter().copied());
        Cli::command()
            .try_get_matches_from(args)
            .and_then(|matches| Cli::from_arg_matches(&matches))
    }

    #[test]
    fn every_command_parses_its_flags() {
        assert!(parse(&[]).expect("parses").command.is_none());
        assert!(matches!(
            parse(&["help"]).expect("parses").command,
            Some(Command::Help)
        ));
        for args in [
            &[
                "gen", "--check", "--spec", "a.yaml", "--out", "dir", "--readme", "R.md",
            ][..],
            &[
                "validate",
                "--operation=createPet",
                "--response",
                "404",
                "--deny-lints",
                "pet.json",
            ],
            &[
                "validate",
                "--request",
                "--request",
                "--operation",
                "a",
                "--operation",
                "b",
                "x.json",
            ],
            &["contract", "--spec", "a.yaml"],
            &[
                "bundle",
                "--check",
                "--no-screenshot",
                "--spec",
                "a.yaml",
                "--out",
                "d",
            ],
            &["diff", "--against", "1.0.0", "--spec", "a.yaml"],
            &["mock", "--port", "0", "--seed", "7", "--help"],
        ] {
            assert!(parse(args).is_ok(), "{args:?}");
        }
    }

    #[test]
    fn usage_errors_have_a_kind_and_the_offending_argument() {
        let error = parse(&["validate", "--frobnicate"]).expect_err("unknown");
        assert_eq!(error.kind(), ErrorKind::UnknownArgument);
        let error = parse(&["validate", "--operation"]).expect_err("no value");
        assert_eq!(error.kind(), ErrorKind::InvalidValue);
        let error = parse(&["validate", "--operation="]).expect_err("empty value");
        assert_eq!(error.kind(), ErrorKind::InvalidValue);
        let error = parse(&["frobnicate"]).expect_err("unknown command");
        assert_eq!(error.kind(), ErrorKind::InvalidSubcommand);
        let error = parse(&["gen", "--help"]).expect_err("help");
        assert_eq!(error.kind(), ErrorKind::DisplayHelp);
        assert!(error.render().to_string().contains("EXIT CODES"));
    }
}
