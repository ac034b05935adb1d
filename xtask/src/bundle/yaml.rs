//! The YAML text of the published document, written here rather than by `serde_norway`:
//! readers differ (YAML 1.1 readers such as PyYAML or SnakeYAML turn a plain
//! `2025-01-15T15:00:00Z` into a timestamp and `on` into a boolean), so every string
//! that is not plainly a word, a path or a sentence is double-quoted (JSON escapes are
//! YAML escapes), and multi-line text is a literal block. Mappings keep their order
//! (`serde_norway`'s mapping is ordered; `serde_json`'s map is sorted in this build).

use std::fmt::Write as _;

use serde_norway::{Mapping, Value};

/// Words a YAML 1.1 or 1.2 reader takes for something other than a string.
const RESERVED: &[&str] = &[
    "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
];

/// `value` as a YAML document (two-space indent, final newline).
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Mapping(map) if !map.is_empty() => write_map(&mut out, map, 0, false),
        Value::Sequence(items) if !items.is_empty() => write_list(&mut out, items, 0),
        scalar => {
            out.push_str(&inline(scalar));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &Mapping, indent: usize, first_inline: bool) {
    for (index, (key, value)) in map.iter().enumerate() {
        if !(first_inline && index == 0) {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key_text(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

fn write_list(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        out.push_str(&" ".repeat(indent));
        out.push_str("- ");
        match item {
            Value::Mapping(map) if !map.is_empty() => write_map(out, map, indent + 2, true),
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                write_list(out, inner, indent + 2);
            }
            Value::String(text) if block(text).is_some() => {
                out.pop();
                write_value(out, item, indent);
            }
            scalar => {
                out.push_str(&inline(scalar));
                out.push('\n');
            }
        }
    }
}

/// After `key:` (or `-`): the value, on this line or the next ones.
fn write_value(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Mapping(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2, false);
        }
        Value::Sequence(items) if !items.is_empty() => {
            out.push('\n');
            write_list(out, items, indent + 2);
        }
        Value::String(text) => match block(text) {
            Some(indicator) => {
                let _ = writeln!(out, " {indicator}");
                let body = text.strip_suffix('\n').unwrap_or(text);
                for line in body.split('\n') {
                    if !line.is_empty() {
                        out.push_str(&" ".repeat(indent + 2));
                        out.push_str(line);
                    }
                    out.push('\n');
                }
            }
            None => {
                let _ = writeln!(out, " {}", plain_or_quoted(text));
            }
        },
        scalar => {
            let _ = writeln!(out, " {}", inline(scalar));
        }
    }
}

/// A scalar or an empty collection on one line.
fn inline(value: &Value) -> String {
    match value {
        Value::String(text) => plain_or_quoted(text),
        Value::Mapping(_) => "{}".to_string(),
        Value::Sequence(_) => "[]".to_string(),
        Value::Null => "null".to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Tagged(tagged) => inline(&tagged.value),
    }
}

/// The chomping indicator of a literal block for `text`, when one can carry it exactly:
/// several lines, no control character but newlines, the first line not indented, and
/// no line ending in a space; at most one final newline (`|`) or none (`|-`).
fn block(text: &str) -> Option<&'static str> {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let fits = body.contains('\n')
        && !body.starts_with([' ', '\n', '\t'])
        && !body.ends_with('\n')
        && !text.chars().any(|c| c.is_control() && c != '\n')
        && body.split('\n').all(|line| !line.ends_with(' '));
    fits.then_some(if text.ends_with('\n') { "|" } else { "|-" })
}

/// A mapping key (the document's keys are strings once it has been through JSON).
fn key_text(key: &Value) -> String {
    match key {
        Value::String(text) => plain_or_quoted(text),
        other => inline(other),
    }
}

/// `text` plain when every reader reads it back as that string, else double-quoted.
fn plain_or_quoted(text: &str) -> String {
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '_' | '$'));
    let rest_ok = text.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                ' ' | '_' | '.' | ',' | '/' | '(' | ')' | '{' | '}' | '$' | '+' | '-'
            )
    });
    let plain = first_ok
        && rest_ok
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !RESERVED.contains(&text.to_ascii_lowercase().as_str());
    if plain {
        text.to_string()
    } else {
        serde_json::Value::String(text.to_string()).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_string_reads_back_as_itself() {
        let strings = [
            "plain words",
            "2025-01-15T15:00:00.000Z",
            "on",
            "No",
            "null",
            "~",
            "1.0",
            "200",
            "",
            " leading",
            "trailing ",
            "a: b",
            "# c",
            "- d",
            "*e",
            "&f",
            "!g",
            "'h'",
            "\"i\"",
            "j\tk",
            "line\nnext",
            "line\nnext\n",
            "two\n\nblank\n",
            "\nfirst empty",
            "x\n\n",
            "tail \nx",
            "/v1/api/agents/{agentId}",
            "$ref",
            "application/json",
            "+14155551234",
            "é ü",
            "{not flow}",
            "[not flow]",
            "a #b",
            "a  b",
            "\u{1}",
        ];
        for text in strings {
            let json = serde_json::json!({"key": text, "list": [text, {"k": text}], text: 1});
            let doc: Value = serde_json::from_value(json).expect("a tree");
            let yaml = to_yaml(&doc);
            let back: Value =
                serde_norway::from_str(&yaml).unwrap_or_else(|e| panic!("{text:?}: {e}\n{yaml}"));
            assert_eq!(back, doc, "{text:?}\n{yaml}");
        }
    }

    #[test]
    fn timestamps_and_yaml_1_1_words_are_quoted_and_text_is_a_block() {
        let doc: Value = serde_norway::from_str(
            "{at: '2025-01-15T15:00:00Z', flag: 'off', d: \"one\\ntwo\\n\", n: 2, e: {}, l: []}",
        )
        .expect("YAML");
        assert_eq!(
            to_yaml(&doc),
            "at: \"2025-01-15T15:00:00Z\"\nflag: \"off\"\nd: |\n  one\n  two\n\"n\": 2\ne: {}\nl: []\n"
        );
    }
}
