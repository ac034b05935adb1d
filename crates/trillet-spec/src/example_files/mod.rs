//! Example payload files (`openapi/examples/`), valid ones and documented mistakes.
//!
//! Shared by `cargo xtask validate` and this crate's tests, so both judge files the same way.
//! A folder is read first ([`ExampleFiles::read`], no schema needed), then checked against
//! a [`SpecValidator`] on as many threads as the caller lends ([`ExampleFileCheck`]), and
//! graded in file order into an [`ExampleFilesReport`].
//!
//! [`SpecValidator`]: crate::SpecValidator

use std::fmt;
use std::path::PathBuf;

use crate::lint::Lint;

mod check;
mod read;

pub use check::ExampleFileCheck;
pub use read::ExampleFiles;

/// Name of the folder, inside the examples folder, of payloads that must be rejected.
pub const INVALID_DIR: &str = "invalid";
/// Name of the folder, inside the examples folder, of request bodies that are valid but
/// must be linted (an unknown property: a warning, not a refusal; CURATION L1).
pub const LINT_DIR: &str = "lint";
/// Name of the file, inside [`INVALID_DIR`] and [`LINT_DIR`], that says where each of
/// their payloads fails or is linted.
pub const EXPECTED_FILE: &str = "expected.json";

/// What a folder of example files held, from [`SpecValidator::check_example_files`].
///
/// [`SpecValidator::check_example_files`]: crate::SpecValidator::check_example_files
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
    /// The file, as the folder given to [`ExampleFiles::read`] joined with the file's path
    /// inside it.
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

#[cfg(test)]
mod tests;
