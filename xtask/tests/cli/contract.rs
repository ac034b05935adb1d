//! `cargo xtask contract` as a user runs it: exit codes and the lines it prints.

use std::path::PathBuf;
use std::process::Command;

/// Runs `xtask contract` with `args`; returns the exit code and stdout + stderr.
fn contract(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("contract")
        .args(args)
        .output()
        .expect("xtask runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

fn temp_spec(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-contract-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("written");
    path
}

#[test]
fn the_contract_of_the_repository_passes() {
    let (code, text) = contract(&[]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("every rule of openapi/STYLE.md holds"),
        "{text}"
    );
}

#[test]
fn a_broken_rule_exits_1_with_line_pointer_and_rule() {
    let spec = temp_spec(
        "money.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Money:\n      type: number\n",
    );
    let (code, text) = contract(&["--spec", spec.to_str().expect("UTF-8")]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("/components/schemas/Money: R5 add `format: double`"),
        "{text}"
    );
}

#[test]
fn an_unreadable_or_unparsable_spec_exits_2() {
    let (code, text) = contract(&["--spec", "/nonexistent/spec.yaml"]);
    assert_eq!(code, 2, "{text}");
    let spec = temp_spec("broken.yaml", "openapi: [unclosed\n");
    let (code, text) = contract(&["--spec", spec.to_str().expect("UTF-8")]);
    assert_eq!(code, 2, "{text}");
    let (code, text) = contract(&["--frobnicate"]);
    assert_eq!(code, 2, "{text}");
}
