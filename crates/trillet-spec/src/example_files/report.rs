//! What checking a folder of example files found: counts, problems and lints.

use std::fmt;
use std::path::PathBuf;

use crate::lint::Lint;

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
    /// The file, as the folder given to [`ExampleFiles::read`](crate::ExampleFiles::read) joined with the file's path
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
