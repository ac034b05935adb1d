//! Example payload files (`openapi/examples/`), valid ones and documented mistakes.
//!
//! Shared by `cargo xtask validate` and this crate's tests, so both judge files the same way.
//! A folder is read first ([`ExampleFiles::read`], no schema needed), then checked against
//! a [`SpecValidator`] on as many threads as the caller lends ([`ExampleFileCheck`]), and
//! graded in file order into an [`ExampleFilesReport`].
//!
//! [`SpecValidator`]: crate::SpecValidator

mod check;
mod name;
mod read;
mod report;

pub use check::ExampleFileCheck;
pub use name::{ExampleFileName, EXPECTED_FILE, FILE_NAME_RULE, INVALID_DIR, LINT_DIR};
pub use read::ExampleFiles;
pub use report::{ExampleFileLint, ExampleFileProblem, ExampleFilesReport};
