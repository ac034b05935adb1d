//! Reading the YAML text into a JSON value, and saying where in the text a problem is.

use std::fmt;

use serde_json::{Map, Number, Value};

use crate::bounds::{check_document_limits, check_document_size};

/// Why an OpenAPI document could not be loaded.
///
/// Returned by [`SpecValidator::from_yaml_str`](crate::SpecValidator::from_yaml_str).
/// Its `Display` is one line that starts with the line of the document when it is known,
/// so a caller only has to prefix the file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The text is not valid YAML.
    Syntax {
        /// What the YAML parser objected to.
        message: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
    },
    /// The YAML is not an OpenAPI 3.0 document this crate can use: an unresolvable `$ref`,
    /// an operation without `operationId`, a schema that cannot be compiled, ...
    Document {
        /// JSON pointer of the offending node inside the document (`""` for the root).
        pointer: String,
        /// 1-based line of that node, found on a best-effort basis.
        line: Option<usize>,
        /// What is wrong and what to do about it.
        message: String,
    },
    /// The text was refused before parsing, because parsing it could take minutes or
    /// gigabytes: it is larger than [`MAX_DOCUMENT_BYTES`](crate::MAX_DOCUMENT_BYTES),
    /// nests flow collections deeper than [`MAX_FLOW_DEPTH`](crate::MAX_FLOW_DEPTH), or
    /// uses a YAML anchor or alias. See [`check_document_limits`](crate::check_document_limits).
    Refused {
        /// Which limit, and what to do about it.
        message: String,
        /// 1-based line where the text exceeds the limit (`None` for its size).
        line: Option<usize>,
        /// 1-based column where the text exceeds the limit (`None` for its size).
        column: Option<usize>,
    },
}

impl LoadError {
    /// The 1-based line of the document the problem is at, when known.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        match self {
            LoadError::Syntax { line, .. } => Some(*line),
            LoadError::Document { line, .. } | LoadError::Refused { line, .. } => *line,
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Syntax {
                message,
                line,
                column,
            } => write!(
                f,
                "line {line}, column {column}: YAML syntax error: {message}"
            ),
            LoadError::Document {
                pointer,
                line,
                message,
            } => {
                if let Some(line) = line {
                    write!(f, "line {line}: ")?;
                }
                write!(f, "at #{pointer}: {message}")
            }
            LoadError::Refused {
                message,
                line,
                column,
            } => match (line, column) {
                (Some(line), Some(column)) => write!(f, "line {line}, column {column}: {message}"),
                (Some(line), None) => write!(f, "line {line}: {message}"),
                _ => write!(f, "{message}"),
            },
        }
    }
}

impl std::error::Error for LoadError {}

/// Parses YAML text into JSON within the limits of [`check_document_limits`]. Mapping keys that YAML
/// reads as numbers or booleans (an unquoted `200:`) become strings, as OpenAPI means them.
pub(crate) fn yaml_to_json(text: &str) -> Result<Value, LoadError> {
    check_document_size(text)?;
    // The subset reader refuses anchors, aliases and deep nesting itself; the prescan
    // guards libyaml, so it runs only when libyaml is to read the text.
    if let Some(document) = crate::fast_yaml::json_from_plain_yaml(text) {
        return Ok(document);
    }
    check_document_limits(text)?;
    if let Some(document) = crate::fast_yaml::json_from_yaml(text) {
        return Ok(document);
    }
    careful_yaml_to_json(text)
}

/// [`yaml_to_json`] through a `serde_norway::Value`, naming the pointer of what JSON
/// cannot hold: what decides the errors.
pub(crate) fn careful_yaml_to_json(text: &str) -> Result<Value, LoadError> {
    let yaml: serde_norway::Value = serde_norway::from_str(text).map_err(|error| {
        let (line, column) = error
            .location()
            .map_or((1, 1), |at| (at.line(), at.column()));
        let mut message = error.to_string();
        // The parser appends the location we report separately.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        LoadError::Syntax {
            message,
            line,
            column,
        }
    })?;
    convert_yaml(yaml, text, &mut String::new())
}

fn convert_yaml(
    yaml: serde_norway::Value,
    text: &str,
    at: &mut String,
) -> Result<Value, LoadError> {
    use serde_norway::Value as Yaml;
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let float = n.as_f64().and_then(Number::from_f64).ok_or_else(|| {
                    document_error(text, at, "numbers must be finite (no .nan or .inf)")
                })?;
                Value::Number(float)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&index.to_string());
                out.push(convert_yaml(item, text, at)?);
                at.truncate(len);
            }
            Value::Array(out)
        }
        Yaml::Mapping(mapping) => {
            let mut out = Map::new();
            for (key, value) in mapping {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    _ => {
                        return Err(document_error(
                            text,
                            at,
                            "mapping keys must be plain strings",
                        ))
                    }
                };
                let len = at.len();
                at.push('/');
                at.push_str(&escape_pointer_segment(&key));
                let value = convert_yaml(value, text, at)?;
                at.truncate(len);
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Yaml::Tagged(tagged) => {
            return Err(document_error(
                text,
                at,
                &format!("YAML tags ({}) are not used by OpenAPI", tagged.tag),
            ))
        }
    })
}

/// A [`LoadError::Document`] at `pointer`, with its line looked up in `text`.
pub(crate) fn document_error(text: &str, pointer: &str, message: &str) -> LoadError {
    LoadError::Document {
        pointer: pointer.to_owned(),
        line: Some(line_of_pointer(text, pointer)),
        message: message.to_owned(),
    }
}

/// Escapes one JSON pointer segment (RFC 6901: `~` -> `~0`, `/` -> `~1`).
///
/// ```
/// assert_eq!(trillet_spec::escape_pointer_segment("/v1/api/~x"), "~1v1~1api~1~0x");
/// ```
pub fn escape_pointer_segment(segment: &str) -> String {
    let mut escaped = String::with_capacity(segment.len());
    push_escaped_segment(&mut escaped, segment);
    escaped
}

/// `pointer` with one more segment, escaped (`join_pointer("/paths", "/v1/x")` is
/// `/paths/~1v1~1x`). Written out rather than with `format!`: the walk of a document joins
/// thousands of pointers, and the formatting machinery was a tenth of its instructions.
pub(crate) fn join_pointer(pointer: &str, segment: &str) -> String {
    let mut joined = String::with_capacity(pointer.len() + 1 + segment.len());
    joined.push_str(pointer);
    joined.push('/');
    push_escaped_segment(&mut joined, segment);
    joined
}

/// Appends `segment` to `out`, escaped as [`escape_pointer_segment`] says.
fn push_escaped_segment(out: &mut String, segment: &str) {
    if !segment.contains(['~', '/']) {
        out.push_str(segment);
        return;
    }
    for character in segment.chars() {
        match character {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            other => out.push(other),
        }
    }
}

/// `value.pointer(pointer)` of serde_json, without allocating two strings per segment
/// (serde_json unescapes every segment with two `replace`s; here only one holding `~`).
/// Same result for every pointer: a test compares them.
pub(crate) fn pointer<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    let rest = pointer.strip_prefix('/')?;
    rest.split('/').try_fold(value, |target, token| {
        let token = if token.contains('~') {
            std::borrow::Cow::Owned(unescape_pointer_segment(token))
        } else {
            std::borrow::Cow::Borrowed(token)
        };
        match target {
            Value::Object(map) => map.get(token.as_ref()),
            Value::Array(list) => {
                if token.starts_with('+') || (token.starts_with('0') && token.len() != 1) {
                    return None;
                }
                token.parse::<usize>().ok().and_then(|i| list.get(i))
            }
            _ => None,
        }
    })
}

/// Undoes [`escape_pointer_segment`].
pub(crate) fn unescape_pointer_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// Finds the 1-based line of the node at `pointer` in block-style YAML `text`.
///
/// Best effort: it follows mapping keys and `- ` sequence items by indentation, and
/// stops at flow style (`{ a: 1 }`), returning the deepest ancestor it found.
pub(crate) fn line_of_pointer(text: &str, pointer: &str) -> usize {
    let lines: Vec<&str> = text.lines().collect();
    let mut found: Option<usize> = None;
    // The node we are inside: its children are lines indented deeper than `parent_indent`.
    let mut parent_indent: isize = -1;
    let mut start = 0;
    // Whether the parent is a sequence item, whose first key sits on its own `- ` line.
    let mut in_item = false;
    for segment in pointer.split('/').skip(1).map(unescape_pointer_segment) {
        let mut child_indent: Option<isize> = None;
        let mut sequence: Option<bool> = None;
        let mut hit = None;
        let mut items_seen = 0;
        for (i, line) in lines.iter().enumerate().skip(start) {
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let raw_indent = isize::try_from(line.len() - content.len()).unwrap_or(isize::MAX);
            let dash = content == "-" || content.starts_with("- ");
            // A `- key: value` line holds a sequence item and, two columns in, a key.
            let (key_indent, key_content) = match content.strip_prefix("- ") {
                Some(rest) => (raw_indent + 2, rest.trim_start()),
                None => (raw_indent, content),
            };
            let indent = if i == start && in_item {
                key_indent
            } else {
                raw_indent
            };
            if indent <= parent_indent {
                break;
            }
            if *sequence.get_or_insert(dash && !(i == start && in_item)) {
                let dash_indent = *child_indent.get_or_insert(raw_indent);
                if dash && raw_indent == dash_indent {
                    if segment.parse() == Ok(items_seen) {
                        hit = Some((i, raw_indent, i, true));
                        break;
                    }
                    items_seen += 1;
                }
            } else {
                let block = *child_indent.get_or_insert(key_indent);
                if key_indent == block && key_matches(key_content, &segment) {
                    hit = Some((i, key_indent, i + 1, false));
                    break;
                }
            }
        }
        let Some((line, indent, next_start, item)) = hit else {
            break;
        };
        found = Some(line + 1);
        parent_indent = indent;
        start = next_start;
        in_item = item;
    }
    found.unwrap_or(1)
}

fn key_matches(content: &str, key: &str) -> bool {
    [
        format!("{key}:"),
        format!("'{}':", key.replace('\'', "''")),
        format!("\"{key}\":"),
    ]
    .iter()
    .any(|prefix| {
        content
            .strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joined_pointers_escape_their_segment() {
        for segment in [
            "",
            "name",
            "/v1/api/agents",
            "a~b",
            "~/~1",
            "é/ü~",
            "200",
            "{id}",
        ] {
            assert_eq!(
                join_pointer("/paths", segment),
                format!("/paths/{}", segment.replace('~', "~0").replace('/', "~1")),
                "{segment:?}"
            );
        }
        assert_eq!(join_pointer("", "a/b"), "/a~1b");
    }

    const TEXT: &str = "\
openapi: 3.0.3
paths:
  /v1/pets:
    post:
      operationId: createPet
      parameters:
        - name: a
          in: query
        - name: b
          in: query
      responses:
        '200':
          description: ok
components: {}
";

    fn check(pointer: &str, expected: usize) {
        assert_eq!(line_of_pointer(TEXT, pointer), expected, "{pointer}");
    }

    #[test]
    fn pointers_are_found_by_indentation() {
        check("", 1);
        check("/paths", 2);
        check("/paths/~1v1~1pets/post", 4);
        check("/paths/~1v1~1pets/post/operationId", 5);
        check("/paths/~1v1~1pets/post/parameters/0", 7);
        check("/paths/~1v1~1pets/post/parameters/1/in", 10);
        check("/paths/~1v1~1pets/post/responses/200/description", 13);
        check("/components", 14);
        check("/paths/~1v1~1pets/get", 3);
        check("/nothing", 1);
    }

    #[test]
    fn yaml_syntax_errors_name_line_and_column() {
        let Err(LoadError::Syntax { line, .. }) = yaml_to_json("a: 1\nb: [\n") else {
            panic!("expected a syntax error");
        };
        assert_eq!(line, 3);
    }

    #[test]
    fn pointers_resolve_as_in_serde_json() {
        let value = serde_json::json!({
            "a": [1, {"b/c": {"~d": 2}}, 3], "": {"": 4}, "e~1": 5, "0": {"01": 6}
        });
        for p in [
            "",
            "/",
            "//",
            "/a",
            "/a/0",
            "/a/1",
            "/a/1/b~1c",
            "/a/1/b~1c/~0d",
            "/a/+1",
            "/a/01",
            "/a/-1",
            "/a/3",
            "/a/x",
            "/e~01",
            "/e~1",
            "/0",
            "/0/01",
            "a",
            "/a/1/b/c",
            "/a/1/b~1c/~0d/x",
            "/a/ 1",
            "/a/1 ",
        ] {
            assert_eq!(super::pointer(&value, p), value.pointer(p), "{p:?}");
        }
    }

    #[test]
    fn numeric_keys_become_strings() {
        let value = yaml_to_json("200: ok\ntrue: yes\n").expect("valid YAML");
        assert_eq!(value, serde_json::json!({"200": "ok", "true": "yes"}));
    }
}
