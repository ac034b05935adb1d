//! Reading a folder of example files before any schema is at hand: which files there are,
//! their bodies, and the `expected.json` of `invalid/` and `lint/`. What cannot be read is
//! kept as the problem it will be reported as, in its place.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::name::{ExampleFileName, EXPECTED_FILE, FILE_NAME_RULE, INVALID_DIR, LINT_DIR};
use super::report::ExampleFileProblem;
use crate::bounds::read_json;
use crate::wild::{in_corpus, read_record, Grade, WILD_DIR};

/// The example files of a folder, read and parsed, ready to be checked against a
/// specification ([`SpecValidator::example_file_check`]).
///
/// Reading needs no [`SpecValidator`], so a caller can read the files while the
/// specification loads.
///
/// [`SpecValidator`]: crate::SpecValidator
/// [`SpecValidator::example_file_check`]: crate::SpecValidator::example_file_check
#[derive(Debug)]
pub struct ExampleFiles {
    /// The corpus of real traffic (`wild/`, itself a root with its own `invalid/`) before
    /// the folder holding it, recursively: the order of the report.
    pub(super) roots: Vec<Root>,
}

/// One folder checked on its own: its files, in path order, and its expectations.
#[derive(Debug)]
pub(super) struct Root {
    pub(super) invalid_dir: PathBuf,
    pub(super) lint_dir: PathBuf,
    pub(super) invalid_expected_path: PathBuf,
    pub(super) lint_expected_path: PathBuf,
    /// What went wrong reading the folder and its `expected.json` files, reported before
    /// any file.
    pub(super) problems: Vec<ExampleFileProblem>,
    /// `None` when there is no `invalid/expected.json` (or it is broken: a problem).
    pub(super) invalid_expected: Option<BTreeMap<String, Expectation>>,
    /// The same for `lint/expected.json`.
    pub(super) lint_expected: Option<BTreeMap<String, Expectation>>,
    pub(super) files: Vec<File>,
}

/// One entry of an `expected.json`: where the file fails or is linted, and why.
#[derive(Debug, Clone)]
pub(super) struct Expectation {
    pub(super) pointer: String,
    pub(super) mistake: String,
}

/// One example file: its body, or the problem that stands in its place.
#[derive(Debug)]
pub(super) struct File {
    pub(super) path: PathBuf,
    pub(super) content: Result<Body, String>,
}

/// An example file's body and what it is an example of.
#[derive(Debug)]
pub(super) struct Body {
    pub(super) name: ExampleFileName,
    pub(super) body: Value,
    /// Whether its lints count: a corpus record of grade C is a guess, never linted.
    pub(super) lintable: bool,
}

impl ExampleFiles {
    /// Reads every `.json` file under `dir`, recursively, and the `expected.json` files of
    /// its `invalid/` and `lint/` folders (see [`SpecValidator::check_example_files`] for
    /// what they mean). A missing `dir` holds nothing. Nothing fails here: a file that
    /// cannot be read, parsed or named is a problem of the report.
    ///
    /// [`SpecValidator::check_example_files`]: crate::SpecValidator::check_example_files
    #[must_use]
    pub fn read(dir: &Path) -> ExampleFiles {
        let mut roots = Vec::new();
        read_root(dir, &mut roots);
        ExampleFiles { roots }
    }

    /// The files with a body, in report order.
    pub(super) fn bodies(&self) -> impl Iterator<Item = &Body> {
        self.roots
            .iter()
            .flat_map(|root| &root.files)
            .filter_map(|file| file.content.as_ref().ok())
    }
}

/// Reads the corpus under `dir` (if any), then `dir` itself, into `roots`.
fn read_root(dir: &Path, roots: &mut Vec<Root>) {
    let corpus = dir.join(WILD_DIR);
    if corpus.is_dir() {
        read_root(&corpus, roots);
    }
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    if let Err(error) = collect_json_files(dir, &corpus, &mut paths) {
        problems.push(ExampleFileProblem {
            path: dir.to_owned(),
            message: format!("cannot read the folder: {error}"),
        });
    }
    paths.sort();
    let invalid_dir = dir.join(INVALID_DIR);
    let lint_dir = dir.join(LINT_DIR);
    let invalid_expected_path = invalid_dir.join(EXPECTED_FILE);
    let lint_expected_path = lint_dir.join(EXPECTED_FILE);
    let invalid_expected = read_expectations(&invalid_expected_path, &mut problems);
    let lint_expected = read_expectations(&lint_expected_path, &mut problems);
    let files = paths
        .into_iter()
        .filter(|path| *path != invalid_expected_path && *path != lint_expected_path)
        .map(|path| File {
            content: read_file(&path),
            path,
        })
        .collect();
    roots.push(Root {
        invalid_dir,
        lint_dir,
        invalid_expected_path,
        lint_expected_path,
        problems,
        invalid_expected,
        lint_expected,
        files,
    });
}

/// The body of the example file at `path`, or why there is none.
fn read_file(path: &Path) -> Result<Body, String> {
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let name = ExampleFileName::parse(file_name)
        .ok_or_else(|| format!("the file name must be {FILE_NAME_RULE}"))?;
    let (body, lintable) = if in_corpus(path) {
        let record = read_record(path)?;
        (record.body, record.provenance.grade != Grade::C)
    } else {
        (read_json(path)?, true)
    };
    Ok(Body {
        name,
        body,
        lintable,
    })
}

/// Reads an `expected.json`; `None` when there is none (or it is broken, which goes into
/// `problems`).
fn read_expectations(
    path: &Path,
    problems: &mut Vec<ExampleFileProblem>,
) -> Option<BTreeMap<String, Expectation>> {
    if !path.exists() {
        return None;
    }
    let mut problem = |message: String| {
        problems.push(ExampleFileProblem {
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
