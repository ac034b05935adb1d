//! Folders of example payloads: valid files, documented mistakes, and what goes wrong.

use crate::common;

use std::path::{Path, PathBuf};

use trillet_spec::{ExampleFiles, ExampleFilesReport};

use common::{kennels, petstore};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The problems of a report as `(path inside the folder, message)`.
fn problems(report: &ExampleFilesReport, dir: &Path) -> Vec<(String, String)> {
    report
        .problems
        .iter()
        .map(|p| {
            let relative = p.path.strip_prefix(dir).unwrap_or(&p.path);
            (
                relative.to_string_lossy().replace('\\', "/"),
                p.message.clone(),
            )
        })
        .collect()
}

#[test]
fn a_folder_whose_files_all_hold_has_no_problems() {
    let dir = fixture("petstore-examples");
    let report = petstore().check_example_files(&dir);
    assert_eq!(problems(&report, &dir), Vec::<(String, String)>::new());
    assert_eq!(
        (report.valid, report.rejected),
        (4, 2),
        "nested folders count, README.md does not"
    );
}

#[test]
fn every_kind_of_broken_example_file_is_reported() {
    let dir = fixture("petstore-examples-broken");
    let report = petstore().check_example_files(&dir);
    let expected: Vec<(&str, &str)> = vec![
        (
            "createPet.reply.json",
            "the file name must be <operationId>.request[.<slug>].json or <operationId>.response.<status>[.<slug>].json",
        ),
        (
            "createPet.request.malformed.json",
            "not valid JSON at line 3, column 1: trailing comma",
        ),
        (
            "createPet.request.wrong-kind.json",
            r#"/kind: expected one of ["dog","cat"], found string "bird""#,
        ),
        (
            "invalid/createPet.request.actually-valid.json",
            "should be rejected at /kind (meant to have a wrong kind), but it is valid",
        ),
        (
            "invalid/createPet.request.elsewhere.json",
            r#"should be rejected at (root) (meant to miss the name), but was rejected elsewhere: /kind: expected one of ["dog","cat"], found string "bird""#,
        ),
        (
            "invalid/createPet.request.unlisted.json",
            r#"not listed in invalid/expected.json; add "createPet.request.unlisted.json": {"pointer": "<where it fails>", "mistake": "<what is wrong>"}"#,
        ),
        (
            "launchRocket.request.json",
            r#"unknown operationId "launchRocket" (operationIds are case-sensitive)"#,
        ),
        (
            "invalid/expected.json",
            r#"entry "ghost.json" names no file in invalid/; remove it or add the file"#,
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .into_iter()
        .map(|(path, message)| (path.to_owned(), message.to_owned()))
        .collect();
    assert_eq!(problems(&report, &dir), expected);
    assert_eq!((report.valid, report.rejected), (0, 0));
}

#[test]
fn lint_files_must_be_valid_and_lint_where_expected_and_other_lints_are_warnings() {
    let dir = fixture("lint-examples");
    let report = kennels().check_example_files(&dir);
    assert_eq!(problems(&report, &dir), Vec::<(String, String)>::new());
    assert_eq!(
        (report.valid, report.rejected, report.linted),
        (3, 1, 2),
        "a file that lints is still valid; the response file is not linted"
    );
    let lints: Vec<(String, String)> = report
        .lints
        .iter()
        .map(|l| {
            let relative = l.path.strip_prefix(&dir).unwrap_or(&l.path);
            (relative.to_string_lossy().into_owned(), l.lint.to_string())
        })
        .collect();
    assert_eq!(
        lints,
        [(
            "updateKennel.request.typo.json".to_owned(),
            r#"/nam: unknown property "nam"; did you mean "name"?"#.to_owned()
        )]
    );
}

#[test]
fn every_kind_of_broken_lint_file_is_reported() {
    let dir = fixture("lint-examples-broken");
    let report = kennels().check_example_files(&dir);
    let should = "should be linted at /nam (meant to misspell name) and valid";
    let expected: Vec<(String, String)> = [
        (
            "lint/createKennel.request.clean.json",
            format!("{should}, but nothing is linted"),
        ),
        (
            "lint/createKennel.request.elsewhere.json",
            format!(
                r#"{should}, but is linted elsewhere: /dog: unknown property "dog"; did you mean "dogs"?"#
            ),
        ),
        (
            "lint/createKennel.request.invalid.json",
            format!(
                r#"{should}, but is invalid (a lint is a warning; a mistake the schema refuses belongs in invalid/): (root): expected required property "name", found object {{"nam":"Barks"}}"#
            ),
        ),
        (
            "lint/createKennel.request.unlisted.json",
            r#"not listed in lint/expected.json; add "createKennel.request.unlisted.json": {"pointer": "<where it is linted>", "mistake": "<what is wrong>"}"#.to_owned(),
        ),
        (
            "lint/getKennel.response.200.json",
            "only request bodies are linted; a response does not belong in lint/".to_owned(),
        ),
        (
            "lint/expected.json",
            r#"entry "ghost.json" names no file in lint/; remove it or add the file"#.to_owned(),
        ),
    ]
    .into_iter()
    .map(|(path, message)| (path.to_owned(), message))
    .collect();
    assert_eq!(problems(&report, &dir), expected);
    assert_eq!((report.valid, report.linted), (0, 0));
    assert!(report.lints.is_empty(), "lint/ files are never warnings");
}

#[test]
fn a_missing_folder_holds_nothing() {
    let dir = fixture("no-such-folder");
    let report = petstore().check_example_files(&dir);
    assert!(report.problems.is_empty() && report.valid == 0 && report.rejected == 0);
}

/// Everything a report says, to compare two reports.
fn summary(report: &ExampleFilesReport) -> (Vec<String>, Vec<String>, [usize; 3]) {
    (
        report.problems.iter().map(ToString::to_string).collect(),
        report.lints.iter().map(ToString::to_string).collect(),
        [report.valid, report.rejected, report.linted],
    )
}

#[test]
fn threads_sharing_a_check_report_what_one_thread_reports() {
    let openapi_examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi/examples");
    let cases = [
        (petstore(), fixture("petstore-examples-broken")),
        (kennels(), fixture("lint-examples-broken")),
        (trillet_spec::SpecValidator::embedded(), openapi_examples),
    ];
    for (spec, dir) in &cases {
        let alone = spec.check_example_files(dir);
        // Read before any specification is at hand, then checked on four threads.
        let files = ExampleFiles::read(dir);
        let check = spec.example_file_check(&files);
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| check.help());
            }
            check.help();
        });
        let shared = check.report();
        assert_eq!(summary(&shared), summary(&alone), "{}", dir.display());
        assert!(
            !alone.problems.is_empty() || alone.valid > 0,
            "{} holds files",
            dir.display()
        );
    }
}
