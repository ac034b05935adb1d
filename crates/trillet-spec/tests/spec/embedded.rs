//! The document compiled into the crate: it loads, its examples hold, and so do the files
//! of `openapi/examples/`.

use std::path::Path;

use trillet_spec::SpecValidator;

fn workspace_root() -> &'static Path {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    crate_dir.ancestors().nth(2).unwrap_or(crate_dir)
}

#[test]
fn embedded_document_loads() {
    let spec = SpecValidator::try_embedded()
        .unwrap_or_else(|error| panic!("openapi/trillet.yaml: {error}"));
    assert!(
        spec.operation_ids().next().is_some(),
        "the document has operations"
    );
}

#[test]
fn every_inline_example_of_the_embedded_document_validates() {
    let spec = SpecValidator::embedded();
    let failures: Vec<String> = spec
        .validate_examples()
        .into_iter()
        .filter_map(|outcome| {
            let error = outcome.result.err()?;
            let at = &outcome.example.location;
            Some(format!(
                "openapi/trillet.yaml:{} #{at}: {error}",
                spec.line_of(at)
            ))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "invalid examples:\n{}",
        failures.join("\n")
    );
}

#[test]
fn no_inline_example_of_the_embedded_document_lints() {
    // The documents stay clean: an unknown property in an example is a slip of the spec
    // (or a field the schema should declare), not something to teach.
    let spec = SpecValidator::embedded();
    let lints: Vec<String> = spec
        .examples()
        .iter()
        .flat_map(|example| {
            spec.lint_example(example)
                .into_iter()
                .map(move |lint| format!("#{}: {lint}", example.location))
        })
        .collect();
    assert!(
        lints.is_empty(),
        "examples that lint:\n{}",
        lints.join("\n")
    );
}

#[test]
fn every_example_file_of_openapi_examples_holds() {
    // Valid files validate, each file of invalid/ fails at the pointer that
    // invalid/expected.json gives for it, each file of lint/ is valid and linted where
    // lint/expected.json says, and no other file lints (the checks of `cargo xtask
    // validate --deny-lints`).
    let dir = workspace_root().join("openapi/examples");
    let report = SpecValidator::embedded().check_example_files(&dir);
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(
        problems.is_empty(),
        "example file problems:\n{}",
        problems.join("\n")
    );
    let lints: Vec<String> = report.lints.iter().map(ToString::to_string).collect();
    assert!(
        lints.is_empty(),
        "example files that lint:\n{}",
        lints.join("\n")
    );
    assert_eq!(
        report.linted, 3,
        "the three files of openapi/examples/lint/"
    );
}

#[test]
fn documented_mistakes_against_the_real_document_are_rejected_where_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/trillet-examples");
    let report = SpecValidator::embedded().check_example_files(&dir);
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(report.rejected, 3);
}
