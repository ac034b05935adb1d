//! The subset reader against serde_norway (through `load::careful_yaml_to_json`, the
//! reader whose answer decides): wherever it answers, it answers the same.

use proptest::prelude::*;

use super::read;
use crate::bounds::MAX_FLOW_DEPTH;
use crate::load::careful_yaml_to_json;
use crate::prescan;

/// What lets `load::yaml_to_json` skip the prescan: a text this reader answers for holds
/// nothing the prescan would refuse.
fn assert_within_limits(text: &str) {
    let finding = prescan::scan(text, MAX_FLOW_DEPTH).finding;
    assert_eq!(
        finding, None,
        "{text:?} was read, yet the prescan refuses it"
    );
}

/// `read` agrees with the careful reader; `answered` says whether it must answer at all.
fn check(text: &str, answered: bool) {
    let careful = careful_yaml_to_json(text);
    match read(text) {
        Some(value) => {
            assert!(answered, "{text:?} should be left to libyaml");
            assert_eq!(careful.as_ref().ok(), Some(&value), "{text:?}");
            assert_within_limits(text);
        }
        None => assert!(!answered, "{text:?} should be read: {careful:?}"),
    }
}

/// Agrees where it answers; whether it answers is not the point.
fn agrees(text: &str) -> bool {
    match read(text) {
        Some(value) => {
            let careful = careful_yaml_to_json(text);
            assert_eq!(careful.as_ref().ok(), Some(&value), "{text:?}");
            assert_within_limits(text);
            true
        }
        None => false,
    }
}

#[test]
fn every_document_of_the_workspace_is_read_as_libyaml_reads_it() {
    for text in [
        crate::EMBEDDED_DOCUMENT,
        include_str!("../../tests/fixtures/petstore.yaml"),
        include_str!("../../tests/fixtures/lint.yaml"),
        include_str!("../../tests/fixtures/petstore.pyyaml.yaml"),
        include_str!("../../tests/fixtures/lint.pyyaml.yaml"),
    ] {
        check(text, true);
    }
}

#[test]
fn block_structures_read_the_same() {
    let read_here = [
        "a: 1\nb:\n  c: d\n  e:\n    - f\n    - g: h\n      i: j\n",
        "a:\n- x\n- y\nb: 2\n",
        "a:\n  -   k: 1\n      l: 2\n  - m\n",
        "a:\n  - k:\n    - nested\n  - |\n    block\n",
        "a:\n\n  # comment\n  b: 1   # trailing\n\nc: 2\n",
        "a: |\n  one\n\n    two more indented\n  # not a comment\n\nb: |-\n  strip\n",
        "a: [1, 'two', \"three\", {b: c, 'd': [e]}]\nb: {}\nc: []\n",
        "'quoted key': \"x\\ty \\u00e9 \\x41 \\\\ \\\"\"\n\"k2\": 'it''s'\n",
        "a: It's plain, with [brackets] and #hash and a:colon\n",
        "a: http://example.com/x#y\nb: -5\nc: -x\n",
        "a:\nb: ~\nc:\n  -\n  - \n",
        "200:\n  description: ok\n'201': x\n-1: y\n0x10: z\ntrue: t\n",
        "a: 2025-01-15T15:00:00Z\nb: +14155551234\nc: '+14155551234'\nd: 1.5e3\n",
        "a: émoji 🎉 and ünïcode\nb: \"\\U0001F389\"\n",
        "  indented: root\n  b: 2\n",
        // Scalars over several lines, folded (PyYAML writes long strings this way).
        "a: plain\n  continued\n\n  after a blank\nb: 1\n",
        "a:\n- plain item\n  continued\n- next\n",
        "a: \"multi   \n  line\\\n  \\ joined\\\n\n  empty\n\n\n  two\"\n",
        "a: 'single\n  # not a comment\n  it''s\n\n  folded'\nb: 2\n",
        "a: \"\n  starts on the next line\"\n",
        "a:\n- 'item\n  two'\n- \"x\\\n  y\"\n",
        "a:\n  - plain\n  - x\n   - y\n",
        "a: plain\n  `code` and [brackets]\n  - dash\n  'quote\n  &amp *star !bang |bar >gt %pc @at\n",
    ];
    for text in read_here {
        check(text, true);
    }
    let left_to_libyaml = [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: >\n  folded\n",
        "a: |+\n  keep\n\n",
        "a: |2\n   indented\n",
        "a: [1,\n  2]\n",
        "? complex\n: key\n",
        "<<: {a: 1}\n",
        "a:\tb\n",
        "a: 1\r\nb: 2\r\n",
        "---\na: 1\n",
        "%YAML 1.2\n---\na: 1\n",
        "a: 1\na: 2\n",
        "a: .inf\n",
        "1.5: float key\n",
        "~: null key\n",
        "a: 99999999999999999999999\n",
        "- root\n- sequence\n",
        "plain root\n",
        "",
        "a: |\n\n  leading blank\n",
        "a: plain\n  b: not a key\n",
        "a: plain # comment\n  continued\n",
        "a: plain\n  # comment\n  continued\n",
        "a: 'x\ny'\n",
        "a: \"never closed\n  b: 1\n",
        "a: |\n  x\n      \n  y\n",
        "a: \"\\q\"\n",
        "a: \"\\ud800\"\n",
        "a: 'x' y\n",
        "a: [x, ]\n",
        "a: {b}\n",
        "a: [b # c]\n",
        "a: x\u{85}y\n",
        "a: x\u{2028}y\n",
        "a: \u{7f}\n",
        "\u{feff}a: 1\n",
        "a: b: c\n",
        "a: - b\n",
        "- - nested\n",
    ];
    for text in left_to_libyaml {
        check(text, false);
    }
}

#[test]
fn nesting_deeper_than_the_limit_is_left_to_libyaml() {
    let deep = |levels: usize| {
        (0..levels)
            .map(|level| format!("{}k:\n", " ".repeat(level)))
            .collect::<String>()
    };
    check(&deep(super::MAX_DEPTH - 1), true);
    check(&deep(super::MAX_DEPTH + 2), false);
    let flow = format!("a: {}{}\n", "[".repeat(80), "]".repeat(80));
    check(&flow, false);
}

#[test]
fn whatever_the_prescan_refuses_is_left_to_libyaml_and_the_prescan() {
    let deep_flow = |levels: usize| format!("a: {}1{}\n", "[".repeat(levels), "]".repeat(levels));
    let hazards = [
        "a: &x 1\n".to_owned(),
        "a: *x\n".to_owned(),
        "&x a: 1\n".to_owned(),
        "*x : 1\n".to_owned(),
        "a:\n  - &x 1\n".to_owned(),
        "a:\n  - *x\n".to_owned(),
        "a: &x\n  b: 1\n".to_owned(),
        "a: &x |\n  text\n".to_owned(),
        "a: !!str &x 1\n".to_owned(),
        "a: [1, &x 2]\n".to_owned(),
        "a: [1, *x]\n".to_owned(),
        "a: {&x k: 1}\n".to_owned(),
        "a: {k: *x}\n".to_owned(),
        "a:\n  <<: *base\n".to_owned(),
        "a:\n  - b: &x 1\n".to_owned(),
        deep_flow(MAX_FLOW_DEPTH + 1),
        deep_flow(10 * MAX_FLOW_DEPTH),
    ];
    for text in &hazards {
        assert_ne!(
            prescan::scan(text, MAX_FLOW_DEPTH).finding,
            None,
            "{text:?} is no hazard to the prescan"
        );
        assert_eq!(read(text), None, "{text:?} was read past the prescan");
    }
    // Text that only looks like a hazard is read, and the prescan agrees.
    check(
        "a: rock & roll *live*\nb: 5 * 3 & more\nc: |\n  *emphasis* &amp;\n",
        true,
    );
}

/// Every scalar of up to three characters from the characters of numbers, and of up to
/// two with YAML's indicators too, as a value, a key, and in flow collections.
#[test]
fn short_scalars_resolve_as_serde_norway_resolves_them() {
    let words = |alphabet: &str, longest: usize| {
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..longest {
            last = last
                .iter()
                .flat_map(|prefix| alphabet.chars().map(move |c| format!("{prefix}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        words
    };
    let mut scalars = words("01+-.exob_n", 3);
    scalars.extend(words("0+-.ef:~'\"# [,", 2));
    scalars.extend(
        [
            "0x1F",
            "0o17",
            "0b101",
            "-0x1F",
            "+0x1F",
            "0x+1",
            "1_000",
            "007",
            "-007",
            "+007",
            "1e400",
            "-1e400",
            "1.",
            ".5",
            "+.5",
            "-.5",
            "1e5",
            "1E-5",
            "+inf",
            "inf",
            "nan",
            "infinity",
            ".inf",
            "-.Inf",
            ".NaN",
            "+.nan",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "Null",
            "NULL",
            "nULL",
            "True",
            "TRUE",
            "tRUE",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "2025-01-15",
        ]
        .map(str::to_owned),
    );
    let mut answered = 0;
    for scalar in &scalars {
        for text in [
            format!("k: {scalar}\n"),
            format!("{scalar}: v\n"),
            format!("k: [{scalar}]\n"),
            format!("k: {{{scalar}: v}}\n"),
            format!("k:\n  - {scalar}\n"),
        ] {
            answered += usize::from(agrees(&text));
        }
    }
    // Most of them are read here, not handed on.
    assert!(
        answered > scalars.len() * 2,
        "{answered} of {}",
        scalars.len() * 5
    );
}

/// A tree of YAML nodes, written out in the block and flow styles the subset reader
/// knows, with comments and blank lines between.
#[derive(Debug, Clone)]
enum Node {
    Scalar(String),
    Literal(Vec<String>, bool),
    Map(Vec<(String, Node)>),
    Seq(Vec<Node>),
    Flow(String),
    /// Words written over several lines: plain (0), single-quoted (1), double-quoted (2).
    Folded(Vec<String>, u8),
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9 _/.-]{0,12}",
        "[+-]?[0-9]{1,4}(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,3})?",
        "'[a-z ':#]{0,8}'".prop_map(|s| s.replace("''", "'").replacen('\'', "''", 0)),
        "\"[a-z :#]{0,8}\"",
        Just("~".to_owned()),
        Just("true".to_owned()),
        Just("null".to_owned()),
        Just("0x1f".to_owned()),
    ]
}

fn node() -> impl Strategy<Value = Node> {
    let leaf = prop_oneof![
        4 => scalar().prop_map(Node::Scalar),
        1 => (prop::collection::vec("[a-z#: ]{0,10}", 1..4), any::<bool>())
            .prop_map(|(lines, strip)| Node::Literal(lines, strip)),
        1 => prop::collection::vec(scalar(), 0..4)
            .prop_map(|items| Node::Flow(format!("[{}]", items.join(", ")))),
        1 => (prop::collection::vec("[a-z0-9#:'\\\\]{1,6}|", 1..6), 0..3u8)
            .prop_map(|(words, style)| Node::Folded(words, style)),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(("[a-z][a-z0-9_-]{0,6}", inner.clone()), 1..4)
                .prop_map(Node::Map),
            prop::collection::vec(inner, 1..4).prop_map(Node::Seq),
        ]
    })
}

fn write(node: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match node {
        Node::Map(entries) => {
            for (at, (key, value)) in entries.iter().enumerate() {
                if at % 2 == 1 {
                    out.push_str(&format!("\n{pad}# between\n"));
                }
                out.push_str(&format!("{pad}{key}:"));
                write_value(value, indent, out);
            }
        }
        Node::Seq(items) => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    Node::Map(entries) => {
                        // The compact form: the first key on the dash's line.
                        let (key, value) = &entries[0];
                        out.push_str(&format!(" {key}:"));
                        write_value(value, indent + 2, out);
                        write(&Node::Map(entries[1..].to_vec()), indent + 2, out);
                    }
                    other => write_value(other, indent, out),
                }
            }
        }
        leaf => write_value(leaf, indent, out),
    }
}

fn write_value(node: &Node, indent: usize, out: &mut String) {
    match node {
        Node::Scalar(text) | Node::Flow(text) => out.push_str(&format!(" {text}\n")),
        Node::Literal(lines, strip) => {
            out.push_str(if *strip { " |-\n" } else { " |\n" });
            for line in lines {
                out.push_str(&format!("{}  x{line}\n", " ".repeat(indent)));
            }
        }
        Node::Folded(words, style) => {
            let (open, close) = match style {
                0 => ("", ""),
                1 => ("'", "'"),
                _ => ("\"", "\""),
            };
            let pad = " ".repeat(indent + 2);
            out.push_str(&format!(
                " {open}{}{close}\n",
                words.join(&format!("\n{pad}"))
            ));
        }
        Node::Map(_) | Node::Seq(_) => {
            out.push_str("  # nested\n");
            write(node, indent + 2, out);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_documents_read_as_libyaml_reads_them(
        entries in prop::collection::vec(("[a-z][a-z0-9]{0,6}", node()), 1..5)
    ) {
        let mut text = String::new();
        write(&Node::Map(entries), 0, &mut text);
        agrees(&text);
    }
}
