//! The README's quickstart is the crate's doctest quickstart, so what users copy compiles.

use std::path::Path;

/// The first code block after `opening` in `text`, up to the closing fence.
fn code_block<'a>(text: &'a str, opening: &str) -> &'a str {
    let start = text
        .find(opening)
        .map(|i| i + opening.len())
        .expect("opening fence");
    let rest = &text[start..];
    let end = rest.find("```").expect("closing fence");
    rest[..end].trim()
}

#[test]
fn readme_quickstart_is_the_compiled_crate_quickstart() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("../../README.md")).expect("README.md");
    let lib = std::fs::read_to_string(root.join("src/lib.rs")).expect("src/lib.rs");
    let crate_docs: String = lib
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        code_block(&readme, "```rust,no_run\n"),
        code_block(&crate_docs, "```no_run\n"),
        "README.md's quickstart differs from the doctest in crates/trillet/src/lib.rs; copy one onto the other"
    );
}
