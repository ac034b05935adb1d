//! Folders of example payloads: valid files, documented mistakes, and what goes wrong.

mod common;

use std::path::{Path, PathBuf};

use trillet_spec::ExampleFilesReport;

use common::petstore;

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
fn a_missing_folder_holds_nothing() {
    let dir = fixture("no-such-folder");
    let report = petstore().check_example_files(&dir);
    assert!(report.problems.is_empty() && report.valid == 0 && report.rejected == 0);
}
