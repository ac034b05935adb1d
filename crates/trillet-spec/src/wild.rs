//! The corpus of real traffic (`openapi/examples/wild/`): request and response bodies
//! that independent clients of the live API send and read, each with its provenance.
//!
//! A corpus file is named like any example file (see
//! [`FILE_NAME_RULE`](crate::FILE_NAME_RULE)) and holds a record:
//!
//! ```json
//! {
//!   "source": {"repo": "owner/name", "commit": "<40 hex>", "path": "lib/trillet.ts", "lines": "19-48"},
//!   "grade": "A",
//!   "why": "what the code shows and why it is graded so",
//!   "method": "GET", "path": "/v1/api/call-flows", "direction": "response", "status": 200,
//!   "body": [ ... ]
//! }
//! ```
//!
//! Grades: **A**, the client ran against the live server and was corrected by what the
//! server did; **B**, production code with no such evidence; **C**, speculative. The
//! `body` is what is validated; everything else must be present so that every piece of
//! evidence can be traced to its source.

use std::path::Path;

use serde_json::Value;

use crate::bounds::read_json;

/// Name of the folder, inside the examples folder, of the corpus of real traffic.
pub const WILD_DIR: &str = "wild";

/// How much a piece of real traffic is worth as evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grade {
    /// Ran against the live server and was corrected by what the server did.
    A,
    /// Production code, no evidence that the server shaped it.
    B,
    /// Speculative; never overrides the docs.
    C,
}

/// Where a corpus record comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provenance {
    /// The public repository, `owner/name` (or a package registry reference).
    pub repo: String,
    /// The commit read (40 hex digits), or `None` for a registry package.
    pub commit: Option<String>,
    /// The file within the repository.
    pub path: String,
    /// The grade of the evidence.
    pub grade: Grade,
}

/// Whether `path` lies in a corpus folder (some component is [`WILD_DIR`]).
pub(crate) fn in_corpus(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == WILD_DIR)
}

/// A corpus record: where it comes from, which request or response it is, and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Where it comes from.
    pub provenance: Provenance,
    /// The HTTP method of the operation, e.g. `GET`.
    pub method: String,
    /// The path template of the operation, e.g. `/v1/api/call-flows`.
    pub path: String,
    /// `request` or `response`.
    pub direction: String,
    /// The body: what is validated.
    pub body: Value,
}

/// Reads a corpus record; the error says what is missing.
pub fn read_record(path: &Path) -> Result<Record, String> {
    let record = read_json(path)?;
    let field = |name: &str| record.get(name);
    let text = |value: Option<&Value>, what: &str| -> Result<String, String> {
        value
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .ok_or_else(|| format!("a corpus record needs {what} (see {WILD_DIR}/README.md)"))
    };
    let source = field("source");
    let repo = text(source.and_then(|s| s.get("repo")), "`source.repo`")?;
    let source_path = text(source.and_then(|s| s.get("path")), "`source.path`")?;
    let commit = match source.and_then(|s| s.get("commit")) {
        None | Some(Value::Null) => None,
        Some(Value::String(c)) if c.len() == 40 && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
            Some(c.clone())
        }
        Some(_) => {
            return Err(
                "`source.commit` must be the 40 hex digits of the commit read, or null for a \
                 registry package"
                    .to_owned(),
            )
        }
    };
    let grade = match text(field("grade"), "`grade`")?.as_str() {
        "A" => Grade::A,
        "B" => Grade::B,
        "C" => Grade::C,
        other => return Err(format!("`grade` must be A, B or C, not {other:?}")),
    };
    text(field("why"), "`why`")?;
    let method = text(field("method"), "`method`")?;
    let operation_path = text(field("path"), "`path`")?;
    let direction = text(field("direction"), "`direction`")?;
    let Some(body) = record.get("body").cloned() else {
        return Err("a corpus record needs `body`".to_owned());
    };
    Ok(Record {
        provenance: Provenance {
            repo,
            commit,
            path: source_path,
            grade,
        },
        method,
        path: operation_path,
        direction,
        body,
    })
}
