//! Limits on what is read and parsed, so that no input can take minutes or gigabytes:
//! files are read with a bound ([`read_to_string_limited`]), and OpenAPI documents are
//! checked before a YAML parser sees them ([`check_document_limits`]).

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::load::LoadError;
use crate::prescan::{self, Hazard};

/// The largest OpenAPI document accepted: 8 MiB. `openapi/trillet.yaml` is about 0.23 MB,
/// so this leaves room for thirty times the contract, and parsing that many bytes still
/// takes well under a second.
pub const MAX_DOCUMENT_BYTES: u64 = 8 * 1024 * 1024;

/// The deepest nesting of YAML flow collections (`[...]`, `{...}`) accepted in a
/// document: 64. libyaml, under serde_norway, takes time quadratic in this depth (100,000
/// nested `[` take 34 s); the contract nests 15 levels deep all told (flow collections: 1),
/// and serde_norway refuses any nesting beyond 128 levels anyway.
pub const MAX_FLOW_DEPTH: usize = 64;

/// The largest payload file read (`cargo xtask validate --request <file>`, the files of
/// `openapi/examples/`): 20 MiB, the size of the largest body the API documents (a batch
/// CSV may be 20 MB).
pub const MAX_PAYLOAD_BYTES: u64 = 20 * 1024 * 1024;

/// What [`check_document_limits`] says of an anchor or alias.
const ANCHORS: &str = "anchors and aliases are refused (each alias repeats its anchor, so a \
                       small file can expand without bound); write the value out, or share \
                       it with an OpenAPI `$ref`";

/// Refuses, before any parsing, a document that would be slow or huge to parse: one larger
/// than [`MAX_DOCUMENT_BYTES`], one with flow collections nested deeper than
/// [`MAX_FLOW_DEPTH`], or one with a YAML anchor (`&name`) or alias (`*name`).
///
/// Anchors are refused outright because each alias repeats its anchor's content: a few
/// kilobytes of aliases of aliases expand to gigabytes. The contract uses none; OpenAPI
/// shares a definition with `$ref` instead.
///
/// [`SpecValidator::from_yaml_str`](crate::SpecValidator::from_yaml_str) calls this
/// first; so does `cargo xtask gen`, which parses the document itself. One linear pass
/// over the text (about a millisecond for the contract).
///
/// # Errors
///
/// [`LoadError::Refused`] naming the limit, and the line and column where the document
/// exceeds it (none for its size).
pub fn check_document_limits(text: &str) -> Result<(), LoadError> {
    check_document_size(text)?;
    let Some(finding) = prescan::scan(text, MAX_FLOW_DEPTH).finding else {
        return Ok(());
    };
    let message = match finding.hazard {
        Hazard::TooDeep => format!(
            "flow collections (`[`, `{{`) nested more than {MAX_FLOW_DEPTH} deep; refused \
             before parsing (parsing takes time quadratic in the depth)"
        ),
        Hazard::Anchor => format!("a YAML anchor (`&name`): {ANCHORS}"),
        Hazard::Alias => format!("a YAML alias (`*name`): {ANCHORS}"),
    };
    Err(LoadError::Refused {
        message,
        line: Some(finding.line),
        column: Some(finding.column),
    })
}

/// The size limit of [`check_document_limits`] alone: what a reader that refuses anchors,
/// aliases and deep nesting by itself (`plain_yaml.rs`) needs checked first.
pub(crate) fn check_document_size(text: &str) -> Result<(), LoadError> {
    let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
    if len > MAX_DOCUMENT_BYTES {
        return Err(LoadError::Refused {
            message: format!(
                "the document is {len} bytes, more than the limit of {}; refused before parsing",
                size(MAX_DOCUMENT_BYTES)
            ),
            line: None,
            column: None,
        });
    }
    Ok(())
}

/// Why [`read_to_string_limited`] returned no text.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read, or is not UTF-8.
    Io(io::Error),
    /// The file holds more than `limit` bytes. At most `limit + 1` bytes were read.
    TooLarge {
        /// The limit it exceeds, in bytes.
        limit: u64,
    },
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "{error}"),
            ReadError::TooLarge { limit } => {
                write!(f, "it is larger than the limit of {}", size(*limit))
            }
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(error) => Some(error),
            ReadError::TooLarge { .. } => None,
        }
    }
}

impl From<io::Error> for ReadError {
    fn from(error: io::Error) -> Self {
        ReadError::Io(error)
    }
}

/// Reads a UTF-8 file of at most `limit` bytes, never more than `limit + 1` bytes of it:
/// a regular file's length is checked first, and every file (a FIFO, `/dev/zero`, a file
/// that grows) is read through [`Read::take`].
///
/// # Errors
///
/// [`ReadError::TooLarge`] when the file holds more than `limit` bytes;
/// [`ReadError::Io`] when it cannot be opened or read, or is not UTF-8.
pub fn read_to_string_limited(path: &Path, limit: u64) -> Result<String, ReadError> {
    let file = File::open(path)?;
    let known = file
        .metadata()
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map(|metadata| metadata.len());
    if known.is_some_and(|len| len > limit) {
        return Err(ReadError::TooLarge { limit });
    }
    let capacity = known.map_or(0, |len| usize::try_from(len).unwrap_or(0));
    let mut bytes = Vec::with_capacity(capacity);
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > limit {
        return Err(ReadError::TooLarge { limit });
    }
    String::from_utf8(bytes).map_err(|_| {
        ReadError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// Reads a JSON file of at most [`MAX_PAYLOAD_BYTES`] (an example file, a corpus record);
/// the error says which line and column are malformed.
pub(crate) fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = read_to_string_limited(path, MAX_PAYLOAD_BYTES)
        .map_err(|error| format!("cannot read the file: {error}"))?;
    serde_json::from_str(&text).map_err(|error| {
        let message = error.to_string();
        let message = message
            .find(" at line ")
            .map_or(message.as_str(), |cut| &message[..cut]);
        format!(
            "not valid JSON at line {}, column {}: {message}",
            error.line(),
            error.column(),
        )
    })
}

/// `20 MiB (20971520 bytes)`, or `1000 bytes`.
fn size(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB ({bytes} bytes)", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_shown_in_mebibytes_and_bytes() {
        assert_eq!(size(MAX_PAYLOAD_BYTES), "20 MiB (20971520 bytes)");
        assert_eq!(size(1000), "1000 bytes");
    }
}
