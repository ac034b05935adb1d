//! Stage 1: read the document within its size limit and parse it into `openapiv3::OpenAPI`,
//! every error naming `file:line:column`.

use std::path::Path;

use openapiv3::OpenAPI;

use super::error::GenError;

/// The text of the document at `path` (at most [`trillet_spec::MAX_DOCUMENT_BYTES`]).
pub fn read(path: &Path, shown: &str) -> Result<String, GenError> {
    trillet_spec::read_to_string_limited(path, trillet_spec::MAX_DOCUMENT_BYTES).map_err(|source| {
        GenError::Read {
            path: shown.to_string(),
            source,
        }
    })
}

/// Parses the YAML text into an OpenAPI document; errors name `file:line:column`.
///
/// The text first passes [`trillet_spec::check_document_limits`], as in `xtask validate`:
/// a document that is too large, nests flow collections too deeply or uses YAML anchors
/// is refused before serde_norway would spend minutes or gigabytes on it.
pub fn parse(text: &str, spec_name: &str) -> Result<OpenAPI, GenError> {
    trillet_spec::check_document_limits(text).map_err(|error| match error {
        trillet_spec::LoadError::Refused {
            message,
            line,
            column,
        } => GenError::Parse {
            path: spec_name.to_string(),
            line: line.zip(column),
            message,
        },
        other => GenError::Parse {
            path: spec_name.to_string(),
            line: None,
            message: other.to_string(),
        },
    })?;
    let parse_error = |error: serde_norway::Error| GenError::Parse {
        path: spec_name.to_string(),
        line: error.location().map(|l| (l.line(), l.column())),
        message: error.to_string(),
    };
    // YAML first: openapiv3's deserializer panics on some YAML errors (a duplicated key),
    // which would lose the file and line.
    serde_norway::from_str::<serde_norway::Value>(text).map_err(parse_error)?;
    serde_norway::from_str::<OpenAPI>(text).map_err(parse_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_names_file_line_and_column() {
        let error = parse("openapi: 3.0.3\ninfo: [unclosed\n", "openapi/trillet.yaml")
            .expect_err("not YAML");
        let message = error.to_string();
        assert!(message.starts_with("openapi/trillet.yaml:"), "{message}");
        let GenError::Parse {
            line: Some((line, _)),
            ..
        } = error
        else {
            panic!("{message}")
        };
        assert!(line >= 2, "{message}");
    }

    #[test]
    fn duplicated_yaml_key_names_file_and_line_instead_of_panicking() {
        let text = "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths: {}\n\
                    components:\n  schemas:\n    A:\n      type: string\n      \
                    description: a\n      description: b\n";
        let message = parse(text, "openapi/trillet.yaml")
            .expect_err("a duplicated key is an error")
            .to_string();
        assert!(message.starts_with("openapi/trillet.yaml:"), "{message}");
        assert!(message.contains("duplicate"), "{message}");
    }

    #[test]
    fn pathological_yaml_is_refused_before_parsing_with_file_line_and_column() {
        let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        let cases = [
            (
                format!("{head}x: {}\n", "[".repeat(100_000)),
                "t.yaml:4:68: flow collections (`[`, `{`) nested more than 64 deep",
            ),
            (
                format!("{head}a: &a [x, x]\nb: [*a, *a]\n"),
                "t.yaml:4:4: a YAML anchor (`&name`): anchors and aliases are refused",
            ),
        ];
        for (text, start) in cases {
            let message = parse(&text, "t.yaml").expect_err("refused").to_string();
            assert!(message.starts_with(start), "{message}");
        }
    }

    #[test]
    fn document_of_the_wrong_shape_is_refused() {
        let error =
            parse("openapi: 3.0.3\ninfo: 5\npaths: {}\n", "t.yaml").expect_err("not OpenAPI");
        assert!(error.to_string().starts_with("t.yaml:"), "{error}");
    }
}
