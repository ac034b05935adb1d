//! Documents and files that would take minutes or gigabytes to read are refused, quickly
//! and with the line and column; the contract and the fixtures are not.

use std::fs;
use std::path::PathBuf;

use trillet_spec::{
    check_document_limits, read_to_string_limited, LoadError, ReadError, SpecValidator,
    EMBEDDED_DOCUMENT, MAX_DOCUMENT_BYTES, MAX_FLOW_DEPTH,
};

use crate::common;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Nine anchors, each a list of nine aliases of the one before: 9^9 strings from 500 bytes.
fn alias_bomb() -> String {
    let mut text = format!("{HEAD}x:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for level in 1..10 {
        let aliases = vec![format!("*a{}", level - 1); 9].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{aliases}]\n"));
    }
    text
}

/// Loads `text`, which must be refused before parsing with exactly `message`.
fn refused(text: &str, message: &str) {
    match SpecValidator::from_yaml_str(text) {
        Ok(_) => panic!("loaded, but should be refused with: {message}"),
        Err(error @ LoadError::Refused { .. }) => assert_eq!(error.to_string(), message),
        Err(other) => panic!("refused for another reason: {other}"),
    }
}

#[test]
fn deeply_nested_flow_collections_are_refused_with_line_and_column() {
    let deep = |depth: usize| format!("{HEAD}x: {}{}\n", "[".repeat(depth), "]".repeat(depth));
    for depth in [MAX_FLOW_DEPTH + 1, 100_000] {
        refused(
            &deep(depth),
            "line 4, column 68: flow collections (`[`, `{`) nested more than 64 deep; refused \
             before parsing (parsing takes time quadratic in the depth)",
        );
    }
    let mixed = format!("{HEAD}x: {}\n", "{a: [".repeat(40));
    refused(
        &mixed,
        "line 4, column 164: flow collections (`[`, `{`) nested more than 64 deep; refused \
         before parsing (parsing takes time quadratic in the depth)",
    );
    assert_eq!(check_document_limits(&deep(MAX_FLOW_DEPTH)), Ok(()));
}

#[test]
fn an_alias_bomb_is_refused_at_its_first_anchor() {
    refused(
        &alias_bomb(),
        "line 5, column 7: a YAML anchor (`&name`): anchors and aliases are refused (each alias \
         repeats its anchor, so a small file can expand without bound); write the value out, or \
         share it with an OpenAPI `$ref`",
    );
}

#[test]
fn anchors_aliases_and_merge_keys_are_refused_wherever_yaml_reads_them() {
    let cases = [
        (
            "x: &shared {type: string}\n",
            "line 4, column 4: a YAML anchor",
        ),
        ("x: [1, *shared]\n", "line 4, column 8: a YAML alias"),
        ("x:\n  <<: *base\n", "line 5, column 7: a YAML alias"),
        ("x:\n  - a\n  - *b\n", "line 6, column 5: a YAML alias"),
    ];
    for (yaml, start) in cases {
        let error = SpecValidator::from_yaml_str(&format!("{HEAD}{yaml}"))
            .err()
            .unwrap_or_else(|| panic!("{yaml:?} loaded"));
        assert!(error.to_string().starts_with(start), "{yaml:?}: {error}");
        assert!(
            matches!(error, LoadError::Refused { .. }),
            "{yaml:?}: {error}"
        );
    }
    // `*` and `&` inside text are text.
    let text = format!(
        "{HEAD}x:\n  a: 'rock & roll *live*'\n  b: 5 * 3 & more\n  c: |\n    *emphasis* &amp; [link\n"
    );
    assert_eq!(check_document_limits(&text), Ok(()));
}

#[test]
fn deep_block_nesting_is_refused_by_the_parser() {
    // Block nesting costs libyaml nothing special; serde_norway stops at 128 levels.
    let text = format!("{HEAD}x:\n{}a\n", "- ".repeat(5_000));
    let error = SpecValidator::from_yaml_str(&text).expect_err("too deep");
    assert!(
        error.to_string().contains("recursion limit exceeded"),
        "{error}"
    );
}

#[test]
fn a_document_over_the_size_limit_is_refused_before_parsing() {
    let limit = usize::try_from(MAX_DOCUMENT_BYTES).expect("fits");
    let mut text = HEAD.to_owned();
    text.push_str(&"#".repeat(limit + 1 - text.len()));
    refused(
        &text,
        "the document is 8388609 bytes, more than the limit of 8 MiB (8388608 bytes); refused \
         before parsing",
    );
    text.pop();
    assert_eq!(check_document_limits(&text), Ok(()));
}

#[test]
fn the_contract_and_the_fixtures_are_within_the_limits() {
    assert_eq!(check_document_limits(EMBEDDED_DOCUMENT), Ok(()));
    assert_eq!(check_document_limits(common::PETSTORE), Ok(()));
    assert!(SpecValidator::try_embedded().is_ok());
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let path =
        std::env::temp_dir().join(format!("trillet-spec-limits-{}-{name}", std::process::id()));
    fs::write(&path, bytes).expect("temp file written");
    path
}

#[test]
fn files_are_read_up_to_the_limit_and_refused_beyond() {
    let at_limit = temp_file("at-limit", &[b'x'; 100]);
    assert_eq!(
        read_to_string_limited(&at_limit, 100).expect("reads").len(),
        100
    );
    let error = read_to_string_limited(&at_limit, 99).expect_err("too large");
    assert!(
        matches!(error, ReadError::TooLarge { limit: 99 }),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "it is larger than the limit of 99 bytes");
    fs::remove_file(&at_limit).expect("removed");

    let not_utf8 = temp_file("not-utf8", b"\xff\xfe");
    let error = read_to_string_limited(&not_utf8, 100).expect_err("not UTF-8");
    assert!(matches!(error, ReadError::Io(_)), "{error:?}");
    fs::remove_file(&not_utf8).expect("removed");
}

#[cfg(unix)]
#[test]
fn endless_files_are_read_only_up_to_the_limit() {
    // /dev/zero has no length to check first: the bounded read stops it.
    let error = read_to_string_limited("/dev/zero".as_ref(), 1024 * 1024).expect_err("endless");
    assert_eq!(
        error.to_string(),
        "it is larger than the limit of 1 MiB (1048576 bytes)"
    );
}
