//! Example payload files (`openapi/examples/`), valid ones and documented mistakes.
//!
//! Shared by `cargo xtask validate` and this crate's tests, so both judge files the same way.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::bounds::{read_to_string_limited, MAX_PAYLOAD_BYTES};
use crate::report::ValidationError;
use crate::validator::SpecValidator;

/// Name of the folder, inside the examples folder, of payloads that must be rejected.
pub const INVALID_DIR: &str = "invalid";
/// Name of the file, inside [`INVALID_DIR`], that says where each invalid payload fails.
pub const EXPECTED_FILE: &str = "expected.json";

/// What a folder of example files held, from [`SpecValidator::check_example_files`].
#[derive(Debug, Default)]
pub struct ExampleFilesReport {
    /// Files outside `invalid/` that validated.
    pub valid: usize,
    /// Files in `invalid/` that were rejected at their expected pointer.
    pub rejected: usize,
    /// Everything that does not hold, one entry per line to print.
    pub problems: Vec<ExampleFileProblem>,
}

/// One thing wrong with an example file (or with `invalid/expected.json`).
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
    /// Validates every `.json` file under `dir`, recursively (see [`FILE_NAME_RULE`]).
    ///
    /// Files under `dir/invalid/` are documented mistakes: each must be rejected with a
    /// violation at the pointer that `dir/invalid/expected.json` gives for it
    /// (`{"<file name>": {"pointer": "/toNumber", "mistake": "..."}}`, names relative to
    /// `invalid/`). An invalid file that validates, fails elsewhere, or is not listed is a
    /// problem, and so is an entry naming no file. A missing `dir` holds nothing.
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
        let expected_path = invalid_dir.join(EXPECTED_FILE);
        let mut expected = self.read_expectations(&expected_path, &mut report);

        for path in files {
            if path == expected_path {
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
            let read = if crate::wild::in_corpus(&path) {
                crate::wild::read_record(&path).map(|(_, body)| body)
            } else {
                read_json(&path)
            };
            let body = match read {
                Ok(body) => body,
                Err(message) => {
                    problem(message);
                    continue;
                }
            };
            let result = match name.status {
                None => self.validate_request(&name.operation_id, &body),
                Some(status) => self.validate_response(&name.operation_id, status, &body),
            };
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
            let key = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let Some(expectation) = expected.as_mut().and_then(|e| e.remove(&key)) else {
                problem(format!(
                    "not listed in {INVALID_DIR}/{EXPECTED_FILE}; add \
                     {key:?}: {{\"pointer\": \"<where it fails>\", \"mistake\": \"<what is wrong>\"}}"
                ));
                continue;
            };
            let shown = if expectation.pointer.is_empty() {
                "(root)"
            } else {
                &expectation.pointer
            };
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
                        let found: Vec<String> =
                            violations.iter().map(ToString::to_string).collect();
                        problem(format!(
                            "should be rejected at {shown} ({}), but was rejected elsewhere: {}",
                            expectation.mistake,
                            found.join("; ")
                        ));
                    }
                }
                Err(other) => problem(format!("cannot be checked: {other}")),
            }
        }
        for (name, _) in expected.into_iter().flatten() {
            report.problems.push(ExampleFileProblem {
                path: expected_path.clone(),
                message: format!(
                    "entry {name:?} names no file in {INVALID_DIR}/; remove it or add the file"
                ),
            });
        }
        report
    }

    fn read_expectations(
        &self,
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
