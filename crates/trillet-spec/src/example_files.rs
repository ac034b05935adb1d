//! Example payload files (`openapi/examples/`), valid ones and documented mistakes.
//!
//! Shared by `cargo xtask validate` and this crate's tests, so both judge files the same way.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::bounds::{read_to_string_limited, MAX_PAYLOAD_BYTES};
use crate::lint::Lint;
use crate::report::{shown_pointer, ValidationError};
use crate::validator::SpecValidator;

/// Name of the folder, inside the examples folder, of payloads that must be rejected.
pub const INVALID_DIR: &str = "invalid";
/// Name of the folder, inside the examples folder, of request bodies that are valid but
/// must be linted (an unknown property: a warning, not a refusal; CURATION L1).
pub const LINT_DIR: &str = "lint";
/// Name of the file, inside [`INVALID_DIR`] and [`LINT_DIR`], that says where each of
/// their payloads fails or is linted.
pub const EXPECTED_FILE: &str = "expected.json";

/// What a folder of example files held, from [`SpecValidator::check_example_files`].
#[derive(Debug, Default)]
pub struct ExampleFilesReport {
    /// Files outside `invalid/` and `lint/` that validated.
    pub valid: usize,
    /// Files in `invalid/` that were rejected at their expected pointer.
    pub rejected: usize,
    /// Files in `lint/` that validated and were linted at their expected pointer.
    pub linted: usize,
    /// The lints of request files outside `lint/`: warnings, not problems.
    pub lints: Vec<ExampleFileLint>,
    /// Everything that does not hold, one entry per line to print.
    pub problems: Vec<ExampleFileProblem>,
}

/// One thing wrong with an example file (or with an `expected.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFileProblem {
    /// The file, as the folder given to [`SpecValidator::check_example_files`] joined with
    /// the file's path inside it.
    pub path: PathBuf,
    /// What is wrong: a violation (`<pointer>: expected ..., found ...`) or a sentence.
    pub message: String,
}

impl fmt::Display for ExampleFileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

/// One lint of an example file outside `lint/`: a warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFileLint {
    /// The file, as in [`ExampleFileProblem::path`].
    pub path: PathBuf,
    /// The unknown property.
    pub lint: Lint,
}

impl fmt::Display for ExampleFileLint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.lint)
    }
}

/// What an example file is an example of, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFileName {
    /// The operation.
    pub operation_id: String,
    /// `None` for a request body, `Some(status)` for a response body.
    pub status: Option<u16>,
    /// The free-form rest of the name, if any (`missing-name`).
    pub slug: Option<String>,
}

/// The naming rule, for messages and help texts.
pub const FILE_NAME_RULE: &str =
    "<operationId>.request[.<slug>].json or <operationId>.response.<status>[.<slug>].json";

impl ExampleFileName {
    /// Reads `createAgent.request.minimal.json` or `getBatch.response.404.json`;
    /// `None` if the name does not follow [`FILE_NAME_RULE`].
    #[must_use]
    pub fn parse(file_name: &str) -> Option<ExampleFileName> {
        let stem = file_name.strip_suffix(".json")?;
        let mut parts = stem.splitn(3, '.');
        let operation_id = parts.next().filter(|s| !s.is_empty())?.to_owned();
        let (status, rest) = match parts.next()? {
            "request" => (None, parts.next()),
            "response" => {
                let mut rest = parts.next()?.splitn(2, '.');
                let status = rest.next()?;
                let status: u16 = status
                    .parse()
                    .ok()
                    .filter(|s| (100..=599).contains(s) && status.len() == 3)?;
                (Some(status), rest.next())
            }
            _ => return None,
        };
        let slug = match rest {
            Some("") => return None,
            other => other.map(str::to_owned),
        };
        Some(ExampleFileName {
            operation_id,
            status,
            slug,
        })
    }
}

/// One entry of `invalid/expected.json`.
struct Expectation {
    pointer: String,
    mistake: String,
}

impl SpecValidator {
    /// Validates every `.json` file under `dir`, recursively (see [`FILE_NAME_RULE`]), and
    /// lints the request bodies among them ([`SpecValidator::lint_request`]).
    ///
    /// Files under `dir/invalid/` are documented mistakes: each must be rejected with a
    /// violation at the pointer that `dir/invalid/expected.json` gives for it
    /// (`{"<file name>": {"pointer": "/toNumber", "mistake": "..."}}`, names relative to
    /// `invalid/`). Files under `dir/lint/` are documented slips that the server accepts:
    /// each must be a valid request body with a lint at the pointer that
    /// `dir/lint/expected.json` gives for it (same shape). A file there that does not hold,
    /// or is not listed, is a problem, and so is an entry naming no file. The lints of
    /// other files are reported as warnings ([`ExampleFilesReport::lints`]). A missing
    /// `dir` holds nothing.
    #[must_use]
    pub fn check_example_files(&self, dir: &Path) -> ExampleFilesReport {
        let mut report = ExampleFilesReport::default();
        let mut files = Vec::new();
        // The corpus of real traffic is its own root, with its own `invalid/`.
        let corpus = dir.join(crate::wild::WILD_DIR);
        if corpus.is_dir() {
            let inner = self.check_example_files(&corpus);
            report.valid += inner.valid;
            report.rejected += inner.rejected;
            report.linted += inner.linted;
            report.lints.extend(inner.lints);
            report.problems.extend(inner.problems);
        }
        if let Err(error) = collect_json_files(dir, &corpus, &mut files) {
            report.problems.push(ExampleFileProblem {
                path: dir.to_owned(),
                message: format!("cannot read the folder: {error}"),
            });
        }
        files.sort();
        let invalid_dir = dir.join(INVALID_DIR);
        let lint_dir = dir.join(LINT_DIR);
        let invalid_expected_path = invalid_dir.join(EXPECTED_FILE);
        let lint_expected_path = lint_dir.join(EXPECTED_FILE);
        let mut invalid_expected = read_expectations(&invalid_expected_path, &mut report);
        let mut lint_expected = read_expectations(&lint_expected_path, &mut report);

        for path in files {
            if path == invalid_expected_path || path == lint_expected_path {
                continue;
            }
            let mut problem = |message: String| {
                report.problems.push(ExampleFileProblem {
                    path: path.clone(),
                    message,
                });
            };
            let file_name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let Some(name) = ExampleFileName::parse(file_name) else {
                problem(format!("the file name must be {FILE_NAME_RULE}"));
                continue;
            };
            // A corpus record's body; grade C records are guesses, never linted.
            let read = if crate::wild::in_corpus(&path) {
                crate::wild::read_record(&path).map(|record| {
                    (
                        record.body,
                        record.provenance.grade != crate::wild::Grade::C,
                    )
                })
            } else {
                read_json(&path).map(|body| (body, true))
            };
            let (body, lintable) = match read {
                Ok(read) => read,
                Err(message) => {
                    problem(message);
                    continue;
                }
            };
            let result = match name.status {
                None => self.validate_request(&name.operation_id, &body),
                Some(status) => self.validate_response(&name.operation_id, status, &body),
            };
            let lints = match name.status {
                None if lintable => self
                    .lint_request(&name.operation_id, &body)
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            if let Ok(relative) = path.strip_prefix(&lint_dir) {
                let Some(expectation) =
                    take_expectation(lint_expected.as_mut(), LINT_DIR, relative, &mut problem)
                else {
                    continue;
                };
                let shown = shown_pointer(&expectation.pointer);
                let should = format!(
                    "should be linted at {shown} ({}) and valid",
                    expectation.mistake
                );
                let masked = crate::report::mask_pointer(&expectation.pointer);
                match result {
                    _ if name.status.is_some() => problem(format!(
                        "only request bodies are linted; a response does not belong in {LINT_DIR}/"
                    )),
                    Ok(()) if lints.iter().any(|lint| lint.pointer == masked) => {
                        report.linted += 1;
                    }
                    Ok(()) if lints.is_empty() => {
                        problem(format!("{should}, but nothing is linted"))
                    }
                    Ok(()) => problem(format!(
                        "{should}, but is linted elsewhere: {}",
                        joined(&lints)
                    )),
                    Err(ValidationError::Invalid(violations)) => problem(format!(
                        "{should}, but is invalid (a lint is a warning; a mistake the schema \
                         refuses belongs in {INVALID_DIR}/): {}",
                        joined(&violations)
                    )),
                    Err(other) => problem(format!("cannot be checked: {other}")),
                }
                continue;
            }
            report
                .lints
                .extend(lints.into_iter().map(|lint| ExampleFileLint {
                    path: path.clone(),
                    lint,
                }));
            let Ok(relative) = path.strip_prefix(&invalid_dir) else {
                match result {
                    Ok(()) => report.valid += 1,
                    Err(ValidationError::Invalid(violations)) => {
                        violations.iter().for_each(|v| problem(v.to_string()));
                    }
                    Err(other) => problem(other.to_string()),
                }
                continue;
            };
            let Some(expectation) = take_expectation(
                invalid_expected.as_mut(),
                INVALID_DIR,
                relative,
                &mut problem,
            ) else {
                continue;
            };
            let shown = shown_pointer(&expectation.pointer);
            match result {
                Ok(()) => problem(format!(
                    "should be rejected at {shown} ({}), but it is valid",
                    expectation.mistake
                )),
                Err(ValidationError::Invalid(violations)) => {
                    let masked = crate::report::mask_pointer(&expectation.pointer);
                    if violations.iter().any(|v| v.pointer == masked) {
                        report.rejected += 1;
                    } else {
                        problem(format!(
                            "should be rejected at {shown} ({}), but was rejected elsewhere: {}",
                            expectation.mistake,
                            joined(&violations)
                        ));
                    }
                }
                Err(other) => problem(format!("cannot be checked: {other}")),
            }
        }
        for (folder, path, expected) in [
            (INVALID_DIR, &invalid_expected_path, invalid_expected),
            (LINT_DIR, &lint_expected_path, lint_expected),
        ] {
            for (name, _) in expected.into_iter().flatten() {
                report.problems.push(ExampleFileProblem {
                    path: path.clone(),
                    message: format!(
                        "entry {name:?} names no file in {folder}/; remove it or add the file"
                    ),
                });
            }
        }
        report
    }
}

/// The entry of `expected` for the file at `relative` (inside `folder`), removed from it;
/// `None` after saying so when there is none.
fn take_expectation(
    expected: Option<&mut BTreeMap<String, Expectation>>,
    folder: &str,
    relative: &Path,
    problem: &mut impl FnMut(String),
) -> Option<Expectation> {
    let key = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let expectation = expected.and_then(|e| e.remove(&key));
    if expectation.is_none() {
        let verb = if folder == LINT_DIR {
            "is linted"
        } else {
            "fails"
        };
        problem(format!(
            "not listed in {folder}/{EXPECTED_FILE}; add \
             {key:?}: {{\"pointer\": \"<where it {verb}>\", \"mistake\": \"<what is wrong>\"}}"
        ));
    }
    expectation
}

fn joined(items: &[impl ToString]) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Reads an `expected.json`; `None` when there is none (or it is broken, which is reported).
fn read_expectations(
    path: &Path,
    report: &mut ExampleFilesReport,
) -> Option<BTreeMap<String, Expectation>> {
    if !path.exists() {
        return None;
    }
    let mut problem = |message: String| {
        report.problems.push(ExampleFileProblem {
            path: path.to_owned(),
            message,
        });
    };
    let entries = match read_json(path) {
        Ok(Value::Object(entries)) => entries,
        Ok(_) => {
            problem(
                "must be an object mapping file names to {\"pointer\", \"mistake\"}".to_owned(),
            );
            return None;
        }
        Err(message) => {
            problem(message);
            return None;
        }
    };
    let mut expected = BTreeMap::new();
    for (name, entry) in entries {
        let pointer = entry.get("pointer").and_then(Value::as_str);
        let mistake = entry.get("mistake").and_then(Value::as_str);
        match (pointer, mistake) {
                (Some(pointer), Some(mistake)) if pointer.is_empty() || pointer.starts_with('/') => {
                    expected.insert(
                        name,
                        Expectation {
                            pointer: pointer.to_owned(),
                            mistake: mistake.to_owned(),
                        },
                    );
                }
                _ => problem(format!(
                    "entry {name:?} must be {{\"pointer\": \"<JSON pointer, \\\"\\\" for the root>\", \"mistake\": \"<text>\"}}"
                )),
            }
    }
    Some(expected)
}

/// Reads a JSON file of at most [`MAX_PAYLOAD_BYTES`]; the error says which line and column
/// are malformed.
pub(crate) fn read_json(path: &Path) -> Result<Value, String> {
    let text = read_to_string_limited(path, MAX_PAYLOAD_BYTES)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    serde_json::from_str(&text).map_err(|error| {
        format!(
            "not valid JSON at line {}, column {}: {}",
            error.line(),
            error.column(),
            strip_location(&error.to_string())
        )
    })
}

fn strip_location(message: &str) -> &str {
    message
        .find(" at line ")
        .map_or(message, |cut| &message[..cut])
}

/// Every `.json` file under `dir`, except under `skip` (a nested root checked on its own).
fn collect_json_files(dir: &Path, skip: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(error) => return Err(error),
    };
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            if path != skip {
                collect_json_files(&path, skip, files)?;
            }
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(file_name: &str, expected: Option<(&str, Option<u16>, Option<&str>)>) {
        let parsed = ExampleFileName::parse(file_name);
        let expected = expected.map(|(operation_id, status, slug)| ExampleFileName {
            operation_id: operation_id.to_owned(),
            status,
            slug: slug.map(str::to_owned),
        });
        assert_eq!(parsed, expected, "{file_name}");
    }

    #[test]
    fn file_names_say_operation_direction_and_slug() {
        check(
            "createAgent.request.json",
            Some(("createAgent", None, None)),
        );
        check(
            "createAgent.request.missing-name.json",
            Some(("createAgent", None, Some("missing-name"))),
        );
        check(
            "getBatch.response.404.json",
            Some(("getBatch", Some(404), None)),
        );
        check(
            "getBatch.response.200.a.b.json",
            Some(("getBatch", Some(200), Some("a.b"))),
        );
        check("getBatch.response.json", None);
        check("getBatch.response.4XX.json", None);
        check("getBatch.response.99.json", None);
        check("getBatch.reply.200.json", None);
        check("createAgent.request..json", None);
        check(".request.json", None);
        check("README.md", None);
    }
}
