//! `cargo xtask diff`: the document compared with its last release, every change
//! classified (breaking, non-breaking, docs-only) by our own rules (`rules.rs`), and the
//! guard: a breaking change needs a major version and a CHANGELOG entry that says so.
//!
//! # Why our own engine
//!
//! oasdiff (the reference for breaking-change detection) is Go and not installable from
//! our registries. openapi-diff (npm, 0.24.1) and Optic (npm, 1.0.9, 66 direct
//! dependencies) are maintained, but each classifies by its own rules, knows nothing of
//! our extensions (`x-webhooks` bodies, which receivers decode; `x-trillet-retry`), and
//! would bring Node.js into `cargo test`; their output would still need mapping onto our
//! rules. Diffing the parsed document here costs a few hundred lines, resolves `$ref`s on
//! both sides, adds no dependency, and puts every
//! rule in one table that the tests walk.

mod change;
mod operations;
mod release;
mod rules;
mod schema;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

pub use change::Change;
pub use release::Version;
pub use rules::Class;

const HELP: &str = "\
cargo xtask diff: classify every change of openapi/trillet.yaml since its last release

USAGE:
    cargo xtask diff [--against VERSION|FILE] [--spec PATH] [--changelog PATH]
    cargo xtask diff --list-rules

Compares the document with the last release (the highest openapi/releases/<version>.json),
or with --against: a released version (1.0.0) or any OpenAPI file (YAML or JSON).
`$ref`s are resolved on both sides. Each change is one line:
    <class> <rule> <JSON pointer>: <what changed>
with class breaking, non-breaking or docs-only (--list-rules prints every rule and why).

THE GUARD (exit 1 when it fails):
    - a breaking change needs a major bump of info.version, and an entry
      `## [X.0.0] - date` in openapi/CHANGELOG.md that says **BREAKING**;
    - when info.version differs from the release, it is not lower, additions need at
      least a minor bump, and openapi/CHANGELOG.md has its entry.
    Changes under the released version number are fine as long as none is breaking: they
    are the next release's, listed under `## [Unreleased]`.

EXIT CODES:
    0   the guard holds (changes are listed)
    1   the guard fails (each reason is printed with what to do)
    2   a document, the releases or the CHANGELOG could not be read
";

/// `cargo xtask diff [--against VERSION|FILE] [--spec PATH] [--changelog PATH]`.
#[derive(Debug, clap::Args)]
#[command(override_help = HELP, args_override_self = true)]
pub struct Args {
    /// A released version or a file to compare with.
    #[arg(long, value_name = "version|file")]
    against: Option<String>,
    /// The document now.
    #[arg(long, value_name = "file")]
    spec: Option<PathBuf>,
    /// The contract's changelog.
    #[arg(long, value_name = "file")]
    changelog: Option<PathBuf>,
    /// Print every rule and exit.
    #[arg(long)]
    list_rules: bool,
}

/// Every change from `old` to `new`, most severe first, each once.
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut diff = schema::Schemas::new(old, new);
    operations::documents(&mut diff);
    let mut changes = diff.changes;
    changes.sort_by(|a, b| {
        (a.rule.class, &a.pointer, a.rule.id, &a.detail).cmp(&(
            b.rule.class,
            &b.pointer,
            b.rule.id,
            &b.detail,
        ))
    });
    changes.dedup();
    changes
}

/// Runs `cargo xtask diff`.
pub fn run(args: Args) -> ExitCode {
    if args.list_rules {
        for rule in rules::ALL {
            println!("{:<13} {:<34} {}", rule.class.label(), rule.id, rule.why);
        }
        return ExitCode::SUCCESS;
    }
    match guard(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Prints the changes and the guard's verdict; `Ok(false)` when the guard fails.
fn guard(args: &Args) -> Result<bool, String> {
    let root = crate::workspace_root();
    let spec = args
        .spec
        .clone()
        .unwrap_or_else(|| root.join("openapi/trillet.yaml"));
    let releases_dir = root.join("openapi/releases");
    // The file, and the version its name says when it is a released snapshot.
    let (against, named) = match &args.against {
        Some(text) if Version::parse(text).is_some() => (
            releases_dir.join(format!("{text}.json")),
            Version::parse(text),
        ),
        Some(file) => (PathBuf::from(file), None),
        None => release::releases(&releases_dir)?
            .pop()
            .map(|(version, path)| (path, Some(version)))
            .ok_or_else(|| {
                format!(
                    "{} holds no release; cut the first one (README: Publishing the contract)",
                    releases_dir.display()
                )
            })?,
    };
    let (old, new) = (load(&against)?, load(&spec)?);
    let version = |doc: &Value, path: &Path| {
        doc.pointer("/info/version")
            .and_then(Value::as_str)
            .and_then(Version::parse)
            .ok_or_else(|| format!("{}: /info/version is not MAJOR.MINOR.PATCH", path.display()))
    };
    let (released, current) = (version(&old, &against)?, version(&new, &spec)?);
    let changelog_path = args
        .changelog
        .clone()
        .unwrap_or_else(|| root.join("openapi/CHANGELOG.md"));
    let changelog = std::fs::read_to_string(&changelog_path)
        .map_err(|e| format!("cannot read {}: {e}", changelog_path.display()))?;
    let changes = compare(&old, &new);
    for change in &changes {
        println!(
            "{:<13} {:<34} {}: {}",
            change.rule.class.label(),
            change.rule.id,
            change.pointer,
            change.detail
        );
    }
    let count = |class: Class| changes.iter().filter(|c| c.rule.class == class).count();
    println!(
        "{} breaking, {} non-breaking, {} docs-only change(s) from {released} ({}) to {current} ({})",
        count(Class::Breaking),
        count(Class::NonBreaking),
        count(Class::Docs),
        shown(&root, &against),
        shown(&root, &spec)
    );
    let needed = release::needed(changes.iter().map(|c| c.rule.class));
    let mut problems = release::problems(&released, &current, needed, &changelog);
    if let Some(named) = named {
        problems.extend(release::snapshot_problems(&named, &released, &changelog));
    }
    for problem in &problems {
        eprintln!("guard: {problem}");
    }
    if problems.is_empty() {
        println!(
            "guard: holds (versioning and {} agree with the changes)",
            shown(&root, &changelog_path)
        );
    }
    Ok(problems.is_empty())
}

fn load(path: &Path) -> Result<Value, String> {
    let text = trillet_spec::read_to_string_limited(path, trillet_spec::MAX_DOCUMENT_BYTES)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    crate::contract::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}
