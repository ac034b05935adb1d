//! `cargo xtask bundle` as a user runs it: byte-stable artefacts, `--check` on the
//! committed ones and on stale copies. Needs Redocly CLI (`cd tools && npm ci`, as
//! `.ci/run` does first); the screenshot is left to `.ci/run` (it needs Chromium).

use std::path::{Path, PathBuf};
use std::process::Command;

const TEXT_ARTEFACTS: &[&str] = &["trillet.json", "trillet.yaml", "reference.html"];

fn bundle(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("bundle")
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

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-bundle-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

fn dist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("root")
        .join("dist")
}

fn path(dir: &Path) -> &str {
    dir.to_str().expect("UTF-8")
}

#[test]
fn two_runs_write_identical_bytes_equal_to_the_committed_ones() {
    let (first, second) = (scratch("first"), scratch("second"));
    for dir in [&first, &second] {
        let (code, text) = bundle(&["--no-screenshot", "--out", path(dir)]);
        assert_eq!(code, 0, "{text}");
    }
    for name in TEXT_ARTEFACTS {
        let a = std::fs::read(first.join(name)).expect("written");
        let b = std::fs::read(second.join(name)).expect("written");
        assert!(a == b, "{name} differs between two runs");
        assert!(a.len() > 100_000, "{name} is only {} bytes", a.len());
        let committed = std::fs::read(dist().join(name)).expect("committed");
        assert!(
            a == committed,
            "dist/{name} is stale: run `cargo xtask bundle`"
        );
    }
    let page = String::from_utf8(std::fs::read(first.join("reference.html")).expect("page"))
        .expect("UTF-8");
    assert!(
        !page.contains("<script src=\"http"),
        "the page loads a script from the network"
    );
    assert!(
        page.contains("Content-Security-Policy"),
        "the page has no policy"
    );
    assert!(
        !page.contains("https://cdn.redoc.ly/redoc/logo"),
        "the CDN logo is still there"
    );
}

#[test]
fn the_committed_artefacts_are_current() {
    let (code, text) = bundle(&["--check"]);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("every published artefact is current"),
        "{text}"
    );
}

#[test]
fn check_names_each_stale_or_missing_artefact() {
    let dir = scratch("stale");
    for name in TEXT_ARTEFACTS.iter().chain(&["reference.png"]) {
        std::fs::copy(dist().join(name), dir.join(name)).expect("copied");
    }
    let (code, text) = bundle(&["--check", "--out", path(&dir)]);
    assert_eq!(code, 0, "{text}");
    let yaml = dir.join("trillet.yaml");
    let stale = std::fs::read_to_string(&yaml).expect("yaml").replacen(
        "title: Trillet AI API",
        "title: Old",
        1,
    );
    std::fs::write(&yaml, stale).expect("written");
    std::fs::write(dir.join("reference.png"), b"GIF89a not a png").expect("written");
    std::fs::remove_file(dir.join("reference.html")).expect("removed");
    let (code, text) = bundle(&["--check", "--out", path(&dir)]);
    assert_eq!(code, 1, "{text}");
    for needle in [
        "trillet.yaml is stale",
        "(first difference at line 3)",
        "reference.html is missing",
        "reference.png: not a PNG file",
        "run `cargo xtask bundle`",
    ] {
        assert!(text.contains(needle), "{needle}\n{text}");
    }
    assert!(!text.contains("trillet.json is stale"), "{text}");
}

#[test]
fn a_document_that_is_not_self_contained_exits_2() {
    let dir = scratch("external");
    let spec = dir.join("spec.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths: {}\ncomponents:\n  schemas:\n    A: {$ref: 'other.yaml#/B'}\n",
    )
    .expect("written");
    let (code, text) = bundle(&[
        "--check",
        "--spec",
        spec.to_str().expect("UTF-8"),
        "--out",
        path(&dir),
    ]);
    assert_eq!(code, 2, "{text}");
    assert!(text.contains("not self-contained"), "{text}");
    assert!(
        text.contains("/components/schemas/A/$ref: other.yaml#/B"),
        "{text}"
    );
}
