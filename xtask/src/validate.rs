//! `cargo xtask validate`: the examples of the spec and of `openapi/examples/`, or one
//! payload file against one operation.
//!
//! Reads `openapi/trillet.yaml` from disk at run time (edits are seen without rebuilding),
//! with the same loader as `trillet_spec::SpecValidator::embedded`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use trillet_spec::{
    read_to_string_limited, ExampleFiles, ReadError, SpecValidator, ValidationError,
    MAX_DOCUMENT_BYTES, MAX_PAYLOAD_BYTES,
};

use crate::workspace_root;

const HELP: &str = "\
cargo xtask validate: check payloads against openapi/trillet.yaml

USAGE:
    cargo xtask validate
        Validate every example: the inline examples of openapi/trillet.yaml (media
        type `example`/`examples`, parameter examples, schema `example` keywords) and
        every *.json file under openapi/examples/ (recursively). Prints one line per
        problem, then a count such as `57 examples valid, 6 invalid examples rejected
        as expected, 3 lint examples linted as expected`.

    cargo xtask validate --operation <operationId> --request <file.json>
    cargo xtask validate --operation <operationId> --response <status> <file.json>
        Validate one payload: a request body, or the body of a response with that
        HTTP status (exact code, else its NXX range, else `default`). Prints
        `<file>: valid`, or one `<file>: <json-pointer>: <message>` line per problem.
        A multipart body is given as the JSON object of its form fields.

LINTS:
    Request bodies are open (a property the schema does not declare is accepted, as
    the server accepts it), so request bodies are also linted: a property that no
    schema declares where the schemas there declare properties and no
    `additionalProperties` is a warning, printed on stderr as
        warning: <file or example>: <json-pointer>: unknown property \"<name>\"; <why>
    with a did-you-mean, or why it is wrong: read-only in the response, read-only
    in an update (the server answers 500 to a GET sent back as a PUT), or the other
    page's spelling (create vs update). Request examples and files are linted, and
    the single request payload; responses are not. Warnings do not change the exit
    code unless --deny-lints is given.

OPTIONS:
    --spec <file>       Validate against this OpenAPI 3.0 document instead of
                        openapi/trillet.yaml.
    --examples <dir>    Check the files of this folder instead of openapi/examples/
                        (only without --operation).
    --deny-lints        Exit 1 when anything lints (CI runs with it: the spec's
                        examples and openapi/examples/ outside lint/ stay clean).
    -h, --help          Print this help.

LIMITS:
    A payload file (and each file under openapi/examples/) may hold at most 20 MiB
    (20971520 bytes), the size of the largest body the API documents; the spec at
    most 8 MiB. Files are read with that bound, never whole: a larger file, a FIFO
    or /dev/zero is refused after reading one byte more than the limit. Before it is
    parsed, the spec is refused if it nests flow collections ([...], {...}) more
    than 64 deep or uses a YAML anchor (&name) or alias (*name), which could take
    minutes or gigabytes to parse; the message names the line and column.

EXAMPLE FILES (openapi/examples/):
    Named <operationId>.request[.<slug>].json or
    <operationId>.response.<status>[.<slug>].json, e.g.
    createAgent.request.minimal.json, getBatch.response.404.json.
    Files under invalid/ are documented mistakes: each must be REJECTED, with a
    problem at the JSON pointer that invalid/expected.json gives for it:
        { \"createAgent.request.missing-name.json\":
            { \"pointer\": \"\", \"mistake\": \"`name` is required\" } }
    (pointer \"\" is the body itself). An invalid file that validates, fails
    elsewhere, or is not listed is a problem, and so is an entry without a file.
    Files under lint/ are documented slips the server accepts: each must be a
    VALID request body that is LINTED at the pointer lint/expected.json gives for
    it (same shape); one that is invalid, lints nothing or only elsewhere, is a
    response, or is not listed is a problem (whatever --deny-lints says). Other
    files (README.md) are ignored.

EXIT CODES:
    0   everything validated (every invalid example was rejected and every lint
        example linted as expected); lint warnings may have been printed
    1   some payload or example does not hold (the lines above say which and why),
        or, with --deny-lints, something lints
    2   nothing could be checked: the spec does not load (file and line are named),
        or exceeds a limit above; the payload file is unreadable, larger than 20 MiB,
        or not JSON (line and column are named); the operationId is unknown, the
        operation has no JSON body there, or the arguments are missing or contradict
        each other
";

enum Direction {
    Request,
    Response(u16),
}

struct Payload {
    operation_id: String,
    direction: Direction,
    file: PathBuf,
}

enum Command {
    All {
        spec: PathBuf,
        examples: PathBuf,
        deny_lints: bool,
    },
    One {
        spec: PathBuf,
        payload: Payload,
        deny_lints: bool,
    },
}

/// `cargo xtask validate [--spec <file>] [--examples <dir>] [--deny-lints]
/// [--operation <operationId> (--request | --response <status>) <file.json>]`; which
/// combinations make sense is [`command`]'s to say.
#[derive(Debug, clap::Args)]
#[command(override_help = HELP, args_override_self = true)]
pub struct Args {
    /// The operation of the payload.
    #[arg(long, value_name = "operationId", allow_hyphen_values = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    operation: Option<String>,
    /// The payload is a request body.
    #[arg(long)]
    request: bool,
    /// The payload is the body of a response with this status.
    #[arg(long, value_name = "status", allow_hyphen_values = true, value_parser = clap::builder::NonEmptyStringValueParser::new())]
    response: Option<String>,
    /// The OpenAPI document.
    #[arg(long, value_name = "file", allow_hyphen_values = true)]
    spec: Option<PathBuf>,
    /// The folder of example files.
    #[arg(long, value_name = "folder", allow_hyphen_values = true)]
    examples: Option<PathBuf>,
    /// Exit 1 when anything lints.
    #[arg(long)]
    deny_lints: bool,
    /// The payload file.
    #[arg(value_name = "file.json")]
    files: Vec<PathBuf>,
}

/// Runs `cargo xtask validate <args>`.
pub fn run(args: Args) -> ExitCode {
    crate::arena::start(ARENA_BYTES);
    match command(args) {
        Ok(Command::All {
            spec,
            examples,
            deny_lints,
        }) => all(&spec, &examples, deny_lints),
        Ok(Command::One {
            spec,
            payload,
            deny_lints,
        }) => one(&spec, &payload, deny_lints),
        Err(message) => unusable(&format!(
            "{message}\nrun `cargo xtask validate --help` for usage"
        )),
    }
}

/// The block `validate` allocates from, never freeing what it hands out
/// (`crate::arena`): today's document takes about 11 MB of it; a document many times its
/// size uses it up and goes on with mimalloc. Pages of it that are never used are never
/// touched.
const ARENA_BYTES: usize = 64 << 20;

fn unusable(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

/// What the arguments ask for, or why they don't make sense together.
fn command(args: Args) -> Result<Command, String> {
    let Args {
        operation,
        request,
        response,
        spec,
        examples,
        deny_lints,
        files,
    } = args;
    let root = workspace_root();
    let spec = spec.unwrap_or_else(|| root.join("openapi/trillet.yaml"));
    if operation.is_none() && files.is_empty() && !request && response.is_none() {
        let examples = examples.unwrap_or_else(|| root.join("openapi/examples"));
        return Ok(Command::All {
            spec,
            examples,
            deny_lints,
        });
    }
    let Some(operation_id) = operation else {
        return Err(
            "to validate one payload, name its operation: --operation <operationId>".to_owned(),
        );
    };
    if examples.is_some() {
        return Err(
            "--examples applies to checking all examples, not to one payload (--operation)"
                .to_owned(),
        );
    }
    let direction = match (request, response) {
        (true, Some(_)) => {
            return Err("give either --request or --response <status>, not both".to_owned())
        }
        (false, None) => {
            return Err(
                "say which body the payload is: --request, or --response <status>".to_owned(),
            )
        }
        (true, None) => Direction::Request,
        (false, Some(status)) => match status.parse::<u16>() {
            Ok(code) if (100..=599).contains(&code) => Direction::Response(code),
            _ => {
                return Err(format!(
                    "--response needs an HTTP status from 100 to 599, not {status:?}"
                ))
            }
        },
    };
    let file = match files.as_slice() {
        [file] => file.clone(),
        [] => return Err("give the payload file to validate, e.g. body.json".to_owned()),
        _ => return Err(format!("give one payload file, not {}", files.len())),
    };
    Ok(Command::One {
        spec,
        payload: Payload {
            operation_id,
            direction,
            file,
        },
        deny_lints,
    })
}

/// A path as short as it can be shown: relative to the workspace root when inside it.
fn shown(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Loads the spec from disk, or says why not (naming the file and line).
fn load(spec: &Path) -> Result<SpecValidator, ExitCode> {
    let text = read_to_string_limited(spec, MAX_DOCUMENT_BYTES)
        .map_err(|error| unusable(&format!("cannot read {}: {error}", shown(spec))))?;
    // The error starts with the line: "cannot load openapi/trillet.yaml: line 12, ...".
    SpecValidator::from_yaml_str(&text)
        .map_err(|error| unusable(&format!("cannot load {}: {error}", shown(spec))))
}

fn all(spec_path: &Path, examples: &Path, deny_lints: bool) -> ExitCode {
    // The files of openapi/examples/ need no schema to be read, so another core reads
    // them while the spec loads.
    let (spec, files) = std::thread::scope(|scope| {
        let files = scope.spawn(|| ExampleFiles::read(examples));
        let spec = load(spec_path);
        let files = files
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (spec, files)
    });
    let spec = match spec {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    let files_check = spec.example_file_check(&files);
    let mut problems = 0;
    let mut valid = 0;
    let mut warnings = 0;
    // Finding the line scans the document, so only for examples that fail or lint.
    let at = |location: &str| {
        format!(
            "{}:{} #{location}",
            shown(spec_path),
            spec.line_of(location)
        )
    };
    std::thread::scope(|scope| {
        // The files are checked on another core meanwhile, and on this one too once the
        // inline examples are done; their report is printed after the inline examples'.
        let helper = scope.spawn(|| files_check.help());
        for outcome in spec.validate_examples() {
            let location = &outcome.example.location;
            match outcome.result {
                Ok(()) => valid += 1,
                Err(ValidationError::Invalid(violations)) => {
                    let at = at(location);
                    for violation in violations {
                        println!("{at}: {violation}");
                        problems += 1;
                    }
                }
                Err(other) => {
                    println!("{}: {other}", at(location));
                    problems += 1;
                }
            }
            let lints = spec.lint_example(outcome.example);
            if !lints.is_empty() {
                let at = at(location);
                for lint in lints {
                    eprintln!("warning: {at}: {lint}");
                    warnings += 1;
                }
            }
        }
        files_check.help();
        helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
    let report = files_check.report();
    for problem in &report.problems {
        println!("{}: {}", shown(&problem.path), problem.message);
    }
    for lint in &report.lints {
        eprintln!("warning: {}: {}", shown(&lint.path), lint.lint);
    }
    problems += report.problems.len();
    valid += report.valid;
    warnings += report.lints.len();

    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut summary = Vec::new();
    if problems > 0 {
        summary.push(count(problems, "problem", "problems"));
    }
    if warnings > 0 {
        let denied = if deny_lints {
            " (denied by --deny-lints)"
        } else {
            ""
        };
        summary.push(format!(
            "{}{denied}",
            count(warnings, "lint warning", "lint warnings")
        ));
    }
    summary.push(format!(
        "{} valid, {} rejected as expected, {} linted as expected",
        count(valid, "example", "examples"),
        count(report.rejected, "invalid example", "invalid examples"),
        count(report.linted, "lint example", "lint examples"),
    ));
    println!("{}", summary.join("; "));
    // The process ends next: freeing the validators and reports piece by piece only costs
    // time (about a millisecond for the contract).
    std::mem::forget(report);
    std::mem::forget(files);
    std::mem::forget(spec);
    if problems > 0 || (deny_lints && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn one(spec_path: &Path, payload: &Payload, deny_lints: bool) -> ExitCode {
    let spec = match load(spec_path) {
        Ok(spec) => spec,
        Err(code) => return code,
    };
    let file = payload.file.display();
    let text = match read_to_string_limited(&payload.file, MAX_PAYLOAD_BYTES) {
        Ok(text) => text,
        Err(error @ ReadError::TooLarge { .. }) => {
            return unusable(&format!("cannot read {file}: {error} for a payload file"))
        }
        Err(error) => return unusable(&format!("cannot read {file}: {error}; check the path")),
    };
    let body: Value = match serde_json::from_str(&text) {
        Ok(body) => body,
        Err(error) => {
            let message = error.to_string();
            let message = message
                .find(" at line ")
                .map_or(message.as_str(), |cut| &message[..cut]);
            return unusable(&format!(
                "{file} is not valid JSON: line {}, column {}: {message}; fix the file",
                error.line(),
                error.column()
            ));
        }
    };
    let result = match payload.direction {
        Direction::Request => spec.validate_request(&payload.operation_id, &body),
        Direction::Response(status) => spec.validate_response(&payload.operation_id, status, &body),
    };
    // Lints are warnings beside the verdict, for a valid body or not.
    let linted = || {
        let lints = match payload.direction {
            Direction::Request => spec
                .lint_request(&payload.operation_id, &body)
                .unwrap_or_default(),
            Direction::Response(_) => Vec::new(),
        };
        for lint in &lints {
            eprintln!("warning: {file}: {lint}");
        }
        !lints.is_empty()
    };
    let code = match result {
        Ok(()) => {
            println!("{file}: valid");
            if linted() && deny_lints {
                eprintln!("error: {file}: lint warnings denied by --deny-lints");
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(ValidationError::Invalid(violations)) => {
            for violation in violations {
                println!("{file}: {violation}");
            }
            linted();
            ExitCode::from(1)
        }
        Err(error @ ValidationError::UnknownOperation { .. }) => {
            let known: Vec<&str> = spec.operation_ids().collect();
            unusable(&format!(
                "{error}\nknown operationIds: {}",
                known.join(", ")
            ))
        }
        Err(error) => unusable(&error.to_string()),
    };
    // The process ends next: freeing the validators piece by piece only costs time.
    std::mem::forget(spec);
    code
}

#[cfg(test)]
mod tests {
    use trillet_spec::{
        EXPECTED_FILE, FILE_NAME_RULE, INVALID_DIR, LINT_DIR, MAX_DOCUMENT_BYTES, MAX_FLOW_DEPTH,
        MAX_PAYLOAD_BYTES,
    };

    #[test]
    fn help_states_the_limits_of_the_library() {
        // The help spells the limits out; keep it in step with trillet_spec.
        let mib = |bytes: u64| format!("{} MiB", bytes / (1024 * 1024));
        assert!(super::HELP.contains(&format!(
            "at most {}\n    ({MAX_PAYLOAD_BYTES} bytes)",
            mib(MAX_PAYLOAD_BYTES)
        )));
        assert!(super::HELP.contains(&format!("most {}.", mib(MAX_DOCUMENT_BYTES))));
        assert!(super::HELP.contains(&format!("than {MAX_FLOW_DEPTH} deep")));
        assert!(super::HELP.contains(&format!("larger than {}", mib(MAX_PAYLOAD_BYTES))));
    }

    #[test]
    fn help_documents_the_file_naming_rule_of_the_library() {
        // The help spells the rule out; keep it in step with trillet_spec.
        assert!(super::HELP.contains("<operationId>.request[.<slug>].json"));
        assert!(super::HELP.contains("<operationId>.response.<status>[.<slug>].json"));
        assert_eq!(
            FILE_NAME_RULE,
            "<operationId>.request[.<slug>].json or <operationId>.response.<status>[.<slug>].json"
        );
        assert!(super::HELP.contains(&format!("{INVALID_DIR}/{EXPECTED_FILE}")));
        assert!(super::HELP.contains(&format!("{LINT_DIR}/{EXPECTED_FILE}")));
    }
}
