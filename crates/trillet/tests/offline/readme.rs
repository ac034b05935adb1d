//! The README's code is the crate's doctests, so what users copy compiles.

use std::path::Path;

/// The code block that follows `fence` after the first `after` in `text`.
fn code_block(text: &str, after: &str, fence: &str) -> String {
    let rest = &text[text.find(after).unwrap_or_else(|| panic!("no {after:?}"))..];
    let rest = &rest[rest.find(fence).unwrap_or_else(|| panic!("no {fence:?}")) + fence.len()..];
    rest[..rest.find("```").expect("closing fence")]
        .trim()
        .to_string()
}

/// The `//!` documentation of a source file of the crate, as Markdown.
fn module_docs(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Asserts that the README block (after heading `readme_after`) is the doctest of `file`.
fn check(readme_after: &str, readme_fence: &str, file: &str, docs_after: &str, docs_fence: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).expect("README.md");
    assert_eq!(
        code_block(&readme, readme_after, readme_fence),
        code_block(&module_docs(file), docs_after, docs_fence),
        "README.md ({readme_after}) differs from the doctest in crates/trillet/src/{file}; copy one onto the other"
    );
}

#[test]
fn readme_quickstart_is_the_compiled_crate_quickstart() {
    check(
        "## The Rust client",
        "```rust,no_run\n",
        "lib.rs",
        "# Quickstart",
        "```no_run\n",
    );
}

#[test]
fn readme_webhook_example_is_the_compiled_handler_doctest() {
    check(
        "### Webhooks",
        "```rust\n",
        "webhook/mod.rs",
        "In an HTTP handler",
        "```\n",
    );
}
