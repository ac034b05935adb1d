//! Checking [`ExampleFiles`] against a [`SpecValidator`]: each body validated and linted
//! on whichever thread takes it first, then every file graded in order against what its
//! folder expects.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use super::name::{EXPECTED_FILE, INVALID_DIR, LINT_DIR};
use super::read::{Body, ExampleFiles, Expectation};
use super::report::{ExampleFileLint, ExampleFileProblem, ExampleFilesReport};
use crate::lint::Lint;
use crate::report::{mask_pointer, shown_pointer, ValidationError};
use crate::validator::SpecValidator;

/// A check of [`ExampleFiles`] that several threads can share: each thread that calls
/// [`help`](ExampleFileCheck::help) validates and lints the bodies no other thread has
/// taken, and [`report`](ExampleFileCheck::report) grades them all, in file order, the
/// same however many threads helped.
///
/// ```no_run
/// use std::path::Path;
/// use trillet_spec::{ExampleFiles, SpecValidator};
///
/// let files = ExampleFiles::read(Path::new("openapi/examples"));
/// let check = SpecValidator::embedded().example_file_check(&files);
/// std::thread::scope(|scope| {
///     scope.spawn(|| check.help());
///     check.help();
/// });
/// let report = check.report();
/// println!("{} valid", report.valid);
/// ```
pub struct ExampleFileCheck<'a> {
    spec: &'a SpecValidator,
    files: &'a ExampleFiles,
    /// Each body, in report order, with its verdict once a thread has taken it.
    bodies: Vec<(&'a Body, OnceLock<Verdict>)>,
    /// The index in `bodies` of the next body to take.
    next: AtomicUsize,
}

/// What the specification says of one body.
struct Verdict {
    result: Result<(), ValidationError>,
    lints: Vec<Lint>,
}

impl SpecValidator {
    /// Validates every `.json` file under `dir`, recursively (see
    /// [`FILE_NAME_RULE`](crate::FILE_NAME_RULE)), and lints the request bodies among them
    /// ([`SpecValidator::lint_request`]).
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
    ///
    /// The same as [`ExampleFiles::read`] then [`SpecValidator::example_file_check`] on
    /// this thread alone.
    #[must_use]
    pub fn check_example_files(&self, dir: &Path) -> ExampleFilesReport {
        let files = ExampleFiles::read(dir);
        self.example_file_check(&files).report()
    }

    /// A check of `files` (read by [`ExampleFiles::read`]) against this specification,
    /// for threads to share; see [`ExampleFileCheck`].
    #[must_use]
    pub fn example_file_check<'a>(&'a self, files: &'a ExampleFiles) -> ExampleFileCheck<'a> {
        ExampleFileCheck {
            spec: self,
            files,
            bodies: files.bodies().map(|body| (body, OnceLock::new())).collect(),
            next: AtomicUsize::new(0),
        }
    }
}

impl ExampleFileCheck<'_> {
    /// Validates and lints, on this thread, the bodies no thread has taken yet, one at a
    /// time, until none is left.
    pub fn help(&self) {
        loop {
            let index = self.next.fetch_add(1, Ordering::Relaxed);
            let Some((body, verdict)) = self.bodies.get(index) else {
                return;
            };
            verdict.get_or_init(|| verdict_of(self.spec, body));
        }
    }

    /// Every file graded, in order: the bodies no thread checked are checked here first.
    #[must_use]
    pub fn report(self) -> ExampleFilesReport {
        self.help();
        let mut report = ExampleFilesReport::default();
        let mut verdicts = self
            .bodies
            .into_iter()
            .map(|(_, verdict)| verdict.into_inner());
        for root in &self.files.roots {
            report.problems.extend(root.problems.iter().cloned());
            let mut invalid_expected = root.invalid_expected.clone();
            let mut lint_expected = root.lint_expected.clone();
            for file in &root.files {
                let path = &file.path;
                let mut problem = |message: String| {
                    report.problems.push(ExampleFileProblem {
                        path: path.clone(),
                        message,
                    });
                };
                let body = match &file.content {
                    Ok(body) => body,
                    Err(message) => {
                        problem(message.clone());
                        continue;
                    }
                };
                // `help` above took every body, so each has its verdict already.
                let Verdict { result, lints } = verdicts
                    .next()
                    .flatten()
                    .unwrap_or_else(|| verdict_of(self.spec, body));
                let status = body.name.status;
                if let Ok(relative) = path.strip_prefix(&root.lint_dir) {
                    let Some(expectation) =
                        take_expectation(lint_expected.as_mut(), LINT_DIR, relative, &mut problem)
                    else {
                        continue;
                    };
                    grade_lint_file(
                        &expectation,
                        status,
                        result,
                        &lints,
                        &mut problem,
                        &mut report.linted,
                    );
                    continue;
                }
                report
                    .lints
                    .extend(lints.into_iter().map(|lint| ExampleFileLint {
                        path: path.clone(),
                        lint,
                    }));
                let Ok(relative) = path.strip_prefix(&root.invalid_dir) else {
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
                grade_invalid_file(&expectation, result, &mut problem, &mut report.rejected);
            }
            for (folder, path, expected) in [
                (INVALID_DIR, &root.invalid_expected_path, invalid_expected),
                (LINT_DIR, &root.lint_expected_path, lint_expected),
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
        }
        report
    }
}

/// What `spec` says of `body`: its validation and, for a request that counts, its lints.
fn verdict_of(spec: &SpecValidator, body: &Body) -> Verdict {
    let Body {
        name,
        body,
        lintable,
    } = body;
    let result = match name.status {
        None => spec.validate_request(&name.operation_id, body),
        Some(status) => spec.validate_response(&name.operation_id, status, body),
    };
    let lints = match name.status {
        None if *lintable => spec
            .lint_request(&name.operation_id, body)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    Verdict { result, lints }
}

/// A file of `lint/`: a valid request body, linted where its entry says.
fn grade_lint_file(
    expectation: &Expectation,
    status: Option<u16>,
    result: Result<(), ValidationError>,
    lints: &[Lint],
    problem: &mut impl FnMut(String),
    linted: &mut usize,
) {
    let shown = shown_pointer(&expectation.pointer);
    let should = format!(
        "should be linted at {shown} ({}) and valid",
        expectation.mistake
    );
    let masked = mask_pointer(&expectation.pointer);
    match result {
        _ if status.is_some() => problem(format!(
            "only request bodies are linted; a response does not belong in {LINT_DIR}/"
        )),
        Ok(()) if lints.iter().any(|lint| lint.pointer == masked) => *linted += 1,
        Ok(()) if lints.is_empty() => problem(format!("{should}, but nothing is linted")),
        Ok(()) => problem(format!(
            "{should}, but is linted elsewhere: {}",
            joined(lints)
        )),
        Err(ValidationError::Invalid(violations)) => problem(format!(
            "{should}, but is invalid (a lint is a warning; a mistake the schema refuses \
             belongs in {INVALID_DIR}/): {}",
            joined(&violations)
        )),
        Err(other) => problem(format!("cannot be checked: {other}")),
    }
}

/// A file of `invalid/`: rejected where its entry says.
fn grade_invalid_file(
    expectation: &Expectation,
    result: Result<(), ValidationError>,
    problem: &mut impl FnMut(String),
    rejected: &mut usize,
) {
    let shown = shown_pointer(&expectation.pointer);
    match result {
        Ok(()) => problem(format!(
            "should be rejected at {shown} ({}), but it is valid",
            expectation.mistake
        )),
        Err(ValidationError::Invalid(violations)) => {
            let masked = mask_pointer(&expectation.pointer);
            if violations.iter().any(|v| v.pointer == masked) {
                *rejected += 1;
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
