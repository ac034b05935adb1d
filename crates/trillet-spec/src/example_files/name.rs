//! What an example file is, from its name and its folder: the naming rule, and the
//! folders of documented mistakes and slips.

/// Name of the folder, inside the examples folder, of payloads that must be rejected.
pub const INVALID_DIR: &str = "invalid";
/// Name of the folder, inside the examples folder, of request bodies that are valid but
/// must be linted (an unknown property: a warning, not a refusal; CURATION L1).
pub const LINT_DIR: &str = "lint";
/// Name of the file, inside [`INVALID_DIR`] and [`LINT_DIR`], that says where each of
/// their payloads fails or is linted.
pub const EXPECTED_FILE: &str = "expected.json";

/// What an example file is an example of, from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFileName {
    /// The operation.
    pub operation_id: String,
    /// `None` for a request body, `Some(status)` for a response body.
    pub status: Option<u16>,
    /// The free-form rest of the name, if any (`missing-name`).
    pub slug: Option<String>,
}

/// The naming rule, for messages and help texts.
pub const FILE_NAME_RULE: &str =
    "<operationId>.request[.<slug>].json or <operationId>.response.<status>[.<slug>].json";

impl ExampleFileName {
    /// Reads `createAgent.request.minimal.json` or `getBatch.response.404.json`;
    /// `None` if the name does not follow [`FILE_NAME_RULE`].
    #[must_use]
    pub fn parse(file_name: &str) -> Option<ExampleFileName> {
        let stem = file_name.strip_suffix(".json")?;
        let mut parts = stem.splitn(3, '.');
        let operation_id = parts.next().filter(|s| !s.is_empty())?.to_owned();
        let (status, rest) = match parts.next()? {
            "request" => (None, parts.next()),
            "response" => {
                let mut rest = parts.next()?.splitn(2, '.');
                let status = rest.next()?;
                let status: u16 = status
                    .parse()
                    .ok()
                    .filter(|s| (100..=599).contains(s) && status.len() == 3)?;
                (Some(status), rest.next())
            }
            _ => return None,
        };
        let slug = match rest {
            Some("") => return None,
            other => other.map(str::to_owned),
        };
        Some(ExampleFileName {
            operation_id,
            status,
            slug,
        })
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
