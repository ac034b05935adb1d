//! `cargo xtask validate`, run as a program: output and exit codes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use trillet_spec::{MAX_DOCUMENT_BYTES, MAX_PAYLOAD_BYTES};

fn path(relative: &str) -> String {
    let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask_dir.join(relative).to_string_lossy().into_owned()
}

fn petstore() -> String {
    path("../crates/trillet-spec/tests/fixtures/petstore.yaml")
}

fn payload(name: &str) -> String {
    path(&format!("tests/payloads/{name}"))
}

/// Runs `xtask validate <args>` and checks its exit code, and that stdout and stderr
/// contain the given lines (exactly those lines for stdout when `stdout` is non-empty).
fn check(args: &[String], code: i32, stdout: &[String], stderr: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("validate")
        .args(args)
        .output()
        .expect("xtask runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{args:?}\nstdout:\n{out}\nstderr:\n{err}"
    );
    if !stdout.is_empty() {
        assert_eq!(out.lines().collect::<Vec<_>>(), stdout, "{args:?}");
    }
    assert!(
        err.contains(stderr),
        "{args:?}: stderr should contain {stderr:?}:\n{err}"
    );
    assert!(!err.contains("panicked"), "{args:?} panicked:\n{err}");
}

fn args(list: &[&str]) -> Vec<String> {
    let mut all = vec!["--spec".to_owned(), petstore()];
    all.extend(list.iter().map(|s| (*s).to_owned()));
    all
}

#[test]
fn a_valid_payload_exits_0() {
    let pet = payload("pet.json");
    check(
        &args(&["--operation", "createPet", "--request", &pet]),
        0,
        &[format!("{pet}: valid")],
        "",
    );
    let error = payload("error.json");
    check(
        &args(&["--operation=createPet", "--response=404", &error]),
        0,
        &[format!("{error}: valid")],
        "",
    );
}

#[test]
fn an_invalid_payload_exits_1_with_one_line_per_problem() {
    let pet = payload("pet-wrong-kind.json");
    check(
        &args(&["--operation", "createPet", "--request", &pet]),
        1,
        &[
            format!(r#"{pet}: /kind: expected one of ["dog","cat"], found string "bird""#),
            format!(
                r#"{pet}: /owner/phone: expected a string matching the pattern ^\+[1-9][0-9]{{7,14}}$, found string "4**-***-*234""#
            ),
        ],
        "",
    );
}

#[test]
fn unusable_input_exits_2_and_says_what_to_do() {
    let pet = payload("pet.json");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            args(&["--operation", "createPet", "--request", &payload("malformed.json")]),
            "malformed.json is not valid JSON: line 3, column 1: trailing comma; fix the file",
        ),
        (
            args(&["--operation", "createPet", "--request", &payload("missing.json")]),
            "missing.json: ",
        ),
        (
            args(&["--operation", "creatPet", "--request", &pet]),
            "unknown operationId \"creatPet\"; did you mean \"createPet\"?\nknown operationIds: callOwner, createPet,",
        ),
        (args(&["--operation", "createPet", &pet]), "say which body the payload is: --request, or --response <status>"),
        (
            args(&["--operation", "createPet", "--request", "--response", "200", &pet]),
            "give either --request or --response <status>, not both",
        ),
        (args(&["--request", &pet]), "name its operation: --operation <operationId>"),
        (args(&["--operation", "createPet", "--request"]), "give the payload file to validate"),
        (
            args(&["--operation", "createPet", "--response", "OK", &pet]),
            "--response needs an HTTP status from 100 to 599, not \"OK\"",
        ),
        (args(&["--operation"]), "--operation needs an operationId"),
        (args(&["--frobnicate"]), "unknown option `--frobnicate`"),
        (args(&["--operation", "deletePet", "--request", &pet]), "operation \"deletePet\" takes no request body"),
        (
            args(&["--operation", "exportPets", "--response", "200", &pet]),
            "is \"text/csv\", not JSON",
        ),
        (
            vec!["--spec".to_owned(), payload("broken.yaml"), "--operation".to_owned(), "createPet".to_owned(), "--request".to_owned(), pet.clone()],
            "broken.yaml: line 5, column 1: YAML syntax error",
        ),
        (
            vec!["--spec".to_owned(), payload("nothing.yaml")],
            "cannot read",
        ),
    ];
    for (arguments, message) in cases {
        check(&arguments, 2, &[], message);
    }
}

/// A file of this test run in the temporary folder, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        Scratch(
            std::env::temp_dir().join(format!("xtask-validate-test-{}-{name}", std::process::id())),
        )
    }

    fn with(name: &str, contents: &[u8]) -> Scratch {
        let scratch = Scratch::new(name);
        fs::write(&scratch.0, contents).expect("scratch file written");
        scratch
    }

    fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

#[test]
fn a_payload_at_the_size_limit_is_checked_and_one_byte_more_exits_2() {
    let limit = usize::try_from(MAX_PAYLOAD_BYTES).expect("fits");
    // pet.json, padded with trailing spaces (still JSON) to exactly `limit` bytes.
    let mut body = fs::read(payload("pet.json")).expect("pet.json");
    body.resize(limit, b' ');
    let at_limit = Scratch::with("at-limit.json", &body);
    check(
        &args(&["--operation", "createPet", "--request", &at_limit.path()]),
        0,
        &[format!("{}: valid", at_limit.path())],
        "",
    );
    body.push(b' ');
    let over = Scratch::with("over-limit.json", &body);
    check(
        &args(&["--operation", "createPet", "--request", &over.path()]),
        2,
        &[],
        &format!(
            "error: cannot read {}: it is larger than the limit of 20 MiB (20971520 bytes) for a payload file",
            over.path()
        ),
    );
}

#[cfg(unix)]
#[test]
fn endless_payloads_are_read_only_up_to_the_limit_and_exit_2() {
    let refused = |file: &str| {
        format!("error: cannot read {file}: it is larger than the limit of 20 MiB (20971520 bytes) for a payload file")
    };
    check(
        &args(&["--operation", "createPet", "--response", "200", "/dev/zero"]),
        2,
        &[],
        &refused("/dev/zero"),
    );

    // A FIFO fed without end by `yes`: no length to check first, only the bounded read.
    let fifo = Scratch::new("endless.fifo");
    let made = Command::new("mkfifo")
        .arg(&fifo.0)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "mkfifo failed");
    let mut writer = Command::new("sh")
        .args(["-c", "exec yes > \"$0\"", &fifo.path()])
        .spawn()
        .expect("yes runs");
    check(
        &args(&["--operation", "createPet", "--request", &fifo.path()]),
        2,
        &[],
        &refused(&fifo.path()),
    );
    // `yes` ends on its own (a broken pipe) once xtask closes the FIFO.
    let _ = writer.kill();
    let _ = writer.wait();
}

#[test]
fn a_pathological_spec_exits_2_with_file_line_and_column() {
    let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let mut bomb = format!("{head}x:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
        bomb.push_str(&format!("  a{level}: &a{level} [{aliases}]\n"));
    }
    let limit = usize::try_from(MAX_DOCUMENT_BYTES).expect("fits");
    let mut huge = head.to_owned();
    huge.push_str(&"#".repeat(limit + 1 - huge.len()));
    let cases = [
        (
            "deep.yaml",
            format!("{head}x: {}\n", "[".repeat(100_000)),
            "deep.yaml: line 4, column 68: flow collections (`[`, `{`) nested more than 64 deep; \
             refused before parsing",
        ),
        (
            "bomb.yaml",
            bomb,
            "bomb.yaml: line 5, column 7: a YAML anchor (`&name`): anchors and aliases are refused",
        ),
        (
            "huge.yaml",
            huge,
            "huge.yaml: it is larger than the limit of 8 MiB (8388608 bytes)",
        ),
    ];
    for (name, text, message) in cases {
        let spec = Scratch::with(name, text.as_bytes());
        let pet = payload("pet.json");
        for arguments in [
            vec!["--spec", &spec.path()],
            vec![
                "--spec",
                &spec.path(),
                "--operation",
                "createPet",
                "--request",
                &pet,
            ],
        ] {
            let arguments: Vec<String> = arguments.into_iter().map(str::to_owned).collect();
            check(&arguments, 2, &[], message);
        }
    }
}

#[test]
fn checking_all_examples_exits_0_when_everything_holds_and_1_otherwise() {
    let fixtures = PathBuf::from(path("../crates/trillet-spec/tests/fixtures"));
    let good = fixtures
        .join("petstore-examples")
        .to_string_lossy()
        .into_owned();
    check(
        &args(&["--examples", &good]),
        0,
        &[
            "19 examples valid, 2 invalid examples rejected as expected, \
             0 lint examples linted as expected"
                .to_owned(),
        ],
        "",
    );
    let broken = fixtures
        .join("petstore-examples-broken")
        .to_string_lossy()
        .into_owned();
    check(&args(&["--examples", &broken]), 1, &[], "");
}

fn fixture(relative: &str) -> String {
    path(&format!("../crates/trillet-spec/tests/fixtures/{relative}"))
}

/// `--spec` the lint fixture (a create and an update of kennels), then `list`.
fn kennel_args(list: &[&str]) -> Vec<String> {
    let mut all = vec!["--spec".to_owned(), fixture("lint.yaml")];
    all.extend(list.iter().map(|s| (*s).to_owned()));
    all
}

#[test]
fn lint_warnings_go_to_stderr_and_exit_0_unless_denied() {
    let examples = fixture("lint-examples");
    let spec = fixture("lint.yaml");
    // Paths in messages are shown relative to the workspace root, as xtask finds it.
    let shown = |absolute: &str| {
        let xtask_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let root = xtask_dir.parent().unwrap_or(xtask_dir);
        Path::new(absolute)
            .strip_prefix(root)
            .map_or(absolute.to_owned(), |p| p.to_string_lossy().into_owned())
    };
    let warnings = [
        format!(
            r#"warning: {}:26 #/paths/~1kennels/post/requestBody/content/application~1json/examples/typo: /dog: unknown property "dog"; did you mean "dogs"?"#,
            shown(&spec)
        ),
        format!(
            r#"warning: {}:188 #/components/schemas/Collar/example: /sise: unknown property "sise"; did you mean "size"?"#,
            shown(&spec)
        ),
        format!(
            r#"warning: {}/updateKennel.request.typo.json: /nam: unknown property "nam"; did you mean "name"?"#,
            shown(&examples)
        ),
    ]
    .join("\n");
    let counts = "8 examples valid, 1 invalid example rejected as expected, \
                  2 lint examples linted as expected";
    check(
        &kennel_args(&["--examples", &examples]),
        0,
        &[format!("3 lint warnings; {counts}")],
        &warnings,
    );
    check(
        &kennel_args(&["--examples", &examples, "--deny-lints"]),
        1,
        &[format!(
            "3 lint warnings (denied by --deny-lints); {counts}"
        )],
        &warnings,
    );

    // One payload: the verdict on stdout, the lints on stderr.
    let typo = format!("{examples}/updateKennel.request.typo.json");
    let warning = format!(r#"warning: {typo}: /nam: unknown property "nam"; did you mean "name"?"#);
    let request = ["--operation", "updateKennel", "--request", &typo];
    check(
        &kennel_args(&request),
        0,
        &[format!("{typo}: valid")],
        &warning,
    );
    let denied = [&request[..], &["--deny-lints"]].concat();
    check(
        &kennel_args(&denied),
        1,
        &[format!("{typo}: valid")],
        &format!("{warning}\nerror: {typo}: lint warnings denied by --deny-lints"),
    );
    // Responses are not linted.
    let response = format!("{examples}/getKennel.response.200.json");
    check(
        &kennel_args(&[
            "--operation",
            "getKennel",
            "--response",
            "200",
            &response,
            "--deny-lints",
        ]),
        0,
        &[format!("{response}: valid")],
        "",
    );
}

#[test]
fn a_lint_file_that_does_not_lint_fails_the_run_even_without_deny_lints() {
    let broken = fixture("lint-examples-broken");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("validate")
        .args(kennel_args(&["--examples", &broken]))
        .output()
        .expect("xtask runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    for needle in [
        "lint/createKennel.request.clean.json: should be linted at /nam (meant to misspell name) and valid, but nothing is linted",
        "lint/createKennel.request.invalid.json: should be linted at /nam (meant to misspell name) and valid, but is invalid",
        "lint/expected.json: entry \"ghost.json\" names no file in lint/",
        "6 problems; 2 lint warnings; 5 examples valid, 0 invalid examples rejected as expected, 0 lint examples linted as expected",
    ] {
        assert!(out.contains(needle), "stdout should contain {needle:?}:\n{out}");
    }
}

#[test]
fn the_examples_of_the_repository_lint_clean() {
    // What .ci/run checks: openapi/trillet.yaml and openapi/examples/, lints denied.
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["validate", "--deny-lints"])
        .output()
        .expect("xtask runs");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{out}{err}");
    assert!(err.is_empty(), "nothing lints, nothing is wrong:\n{err}");
    assert!(
        out.contains(" lint examples linted as expected") && !out.contains(" 0 lint examples"),
        "the files of openapi/examples/lint/ are checked: {out}"
    );
}

#[test]
fn help_explains_commands_and_exit_codes() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["validate", "--help"])
        .output()
        .expect("xtask runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "EXIT CODES",
        "LIMITS",
        "LINTS",
        "--deny-lints",
        "lint/expected.json",
        "invalid/expected.json",
        "--operation <operationId> --request <file.json>",
    ] {
        assert!(help.contains(needle), "{needle}");
    }
    let top = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--help")
        .output()
        .expect("xtask runs");
    assert!(String::from_utf8_lossy(&top.stdout).contains("validate"));
    let unknown = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("frobnicate")
        .output()
        .expect("xtask runs");
    assert_eq!(unknown.status.code(), Some(2));
}
