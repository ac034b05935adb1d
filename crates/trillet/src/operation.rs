//! What an operation of the contract is, as the client knows it: its ids, method, path
//! template, whether it may be sent again (`x-trillet-retry`) and whether its method is
//! generated or written by hand. The values are generated from `openapi/trillet.yaml` into
//! `generated/operations.rs`; this leaf module only defines their type, so that every
//! other module can name an operation without depending on the generated code.

use std::fmt;

/// One operation of `openapi/trillet.yaml` (a constant of `generated/operations.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Operation {
    /// progenitor's snake_case id, the hooks' `OperationInfo::operation_id`
    /// (`start_batch`).
    pub(crate) id: &'static str,
    /// The spec's operationId (`startBatch`).
    pub(crate) operation_id: &'static str,
    /// The HTTP method.
    pub(crate) method: HttpMethod,
    /// The path template, e.g. `/v1/api/batch-calls/{batchId}/status`.
    pub(crate) path: &'static str,
    /// Whether it may be sent again, as its `x-trillet-retry` says.
    pub(crate) retry: RetrySafety,
    /// Whether its method is generated or hand-written.
    pub(crate) source: OperationSource,
}

/// The HTTP method of an operation: the eight an OpenAPI path item knows, whichever the
/// contract uses today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(
    dead_code,
    reason = "xtask gen writes any of the eight; today's contract uses five"
)]
pub(crate) enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

/// Whether an operation may be sent again when its fate is unknown (`x-trillet-retry`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RetrySafety {
    /// `idempotent`: sending it again changes nothing more.
    Idempotent,
    /// `side-effecting`: sending it again may act twice (place a second call, start a
    /// second batch, create a second agent).
    SideEffecting,
}

/// Who writes the method of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OperationSource {
    /// progenitor, from the spec.
    Generated,
    /// This crate, by hand: its request body is a media type progenitor cannot generate
    /// (`multipart/form-data`, `text/csv`).
    HandWritten,
}

impl HttpMethod {
    /// The method as sent, upper case.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
        }
    }
}

impl HttpMethod {
    /// The method as reqwest names it.
    pub(crate) fn as_reqwest(self) -> reqwest::Method {
        match self {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Delete => reqwest::Method::DELETE,
            HttpMethod::Options => reqwest::Method::OPTIONS,
            HttpMethod::Head => reqwest::Method::HEAD,
            HttpMethod::Patch => reqwest::Method::PATCH,
            HttpMethod::Trace => reqwest::Method::TRACE,
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Operation {
    /// The path with each `{name}` of the template replaced by the value given for `name`,
    /// percent-encoded as progenitor encodes path parameters
    /// (`progenitor_client::encode_path`), so hand-written operations build their URLs as
    /// generated ones do. `None` when a placeholder has no value or a value names no
    /// placeholder: a bug of the caller, which should say so rather than send a wrong path.
    pub(crate) fn path_with(&self, values: &[(&str, &str)]) -> Option<String> {
        let mut path = String::with_capacity(self.path.len() + 16);
        let mut used = 0;
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}')? + open;
            let name = &rest[open + 1..close];
            let (_, value) = values.iter().find(|(key, _)| *key == name)?;
            path.push_str(&rest[..open]);
            path.push_str(&progenitor_client::encode_path(value));
            used += 1;
            rest = &rest[close + 1..];
        }
        path.push_str(rest);
        (used == values.len()).then_some(path)
    }
}

impl Operation {
    /// Whether the concrete `path` (no query) is one of this operation's: the same
    /// segments, each `{name}` of the template matching one non-empty segment.
    pub(crate) fn matches_path(&self, path: &str) -> bool {
        let mut template = self.path.split('/');
        let mut concrete = path.split('/');
        loop {
            match (template.next(), concrete.next()) {
                (None, None) => return true,
                (Some(expected), Some(got)) => {
                    let placeholder = expected.starts_with('{') && expected.ends_with('}');
                    if placeholder && got.is_empty() || !placeholder && expected != got {
                        return false;
                    }
                }
                _ => return false,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concrete_paths_match_their_template_only() {
        for (path, expected) in [
            ("/v1/api/knowledgebase/kb-1/files", true),
            ("/v1/api/knowledgebase/a%2Fb/files", true),
            ("/v1/api/knowledgebase//files", false),
            ("/v1/api/knowledgebase/kb-1/files/", false),
            ("/v1/api/knowledgebase/kb-1", false),
            ("/v1/api/knowledgebase/kb-1/file", false),
            ("/v2/api/knowledgebase/kb-1/files", false),
        ] {
            assert_eq!(UPLOAD.matches_path(path), expected, "{path}");
        }
    }

    const UPLOAD: Operation = Operation {
        id: "upload_knowledge_base_file",
        operation_id: "uploadKnowledgeBaseFile",
        method: HttpMethod::Post,
        path: "/v1/api/knowledgebase/{knowledgeBaseId}/files",
        retry: RetrySafety::SideEffecting,
        source: OperationSource::HandWritten,
    };

    #[test]
    fn path_parameters_are_expanded_and_percent_encoded() {
        let check = |values: &[(&str, &str)], expected: Option<&str>| {
            assert_eq!(UPLOAD.path_with(values).as_deref(), expected, "{values:?}");
        };
        check(
            &[("knowledgeBaseId", "kb-1")],
            Some("/v1/api/knowledgebase/kb-1/files"),
        );
        check(
            &[("knowledgeBaseId", "a/b c")],
            Some("/v1/api/knowledgebase/a%2Fb%20c/files"),
        );
        check(&[], None);
        check(&[("kb", "kb-1")], None);
        check(&[("knowledgeBaseId", "kb-1"), ("other", "x")], None);
        let two = Operation {
            path: "/v1/api/flows/{flowId}/folders/{folderId}",
            ..UPLOAD
        };
        assert_eq!(
            two.path_with(&[("folderId", "f"), ("flowId", "c")])
                .as_deref(),
            Some("/v1/api/flows/c/folders/f")
        );
        let none = Operation {
            path: "/v1/api/agents",
            ..UPLOAD
        };
        assert_eq!(none.path_with(&[]).as_deref(), Some("/v1/api/agents"));
    }

    #[test]
    fn methods_are_spelled_as_sent() {
        for (method, sent) in [
            (HttpMethod::Get, reqwest::Method::GET),
            (HttpMethod::Post, reqwest::Method::POST),
            (HttpMethod::Patch, reqwest::Method::PATCH),
        ] {
            assert_eq!(method.as_str(), sent.as_str());
            assert_eq!(method.to_string(), sent.to_string());
        }
    }
}
