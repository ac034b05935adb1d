//! Why nothing was generated: one error type for every stage, each message naming the
//! input (file, line and column, or JSON pointer) and what to do.

use std::fmt;

/// Why nothing was generated (and no file was touched).
#[derive(Debug)]
pub enum GenError {
    /// A file could not be read.
    Read {
        path: String,
        source: trillet_spec::ReadError,
    },
    /// The document is not YAML, or not the shape of an OpenAPI 3.0 document.
    Parse {
        path: String,
        line: Option<(usize, usize)>,
        message: String,
    },
    /// The document breaks a rule `gen` relies on (openapi/STYLE.md), at a JSON pointer.
    Contract {
        path: String,
        pointer: String,
        message: String,
    },
    /// A node of the document no longer parses once patched (a bug of a patch in
    /// `patches`), at its JSON pointer.
    Patch { node: String, message: String },
    /// progenitor returned an error.
    Generator(String),
    /// progenitor panicked.
    Panic(String),
    /// The generated tokens are not what the syn stages expect (a generator bug).
    Tokens(String),
    /// The README has no generated block to replace.
    Readme { path: String, message: String },
}

impl fmt::Display for GenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GenError::Read { path, source } => write!(f, "cannot read {path}: {source}"),
            GenError::Parse {
                path,
                line: Some((line, column)),
                message,
            } => write!(f, "{path}:{line}:{column}: {message}"),
            GenError::Parse {
                path,
                line: None,
                message,
            } => write!(f, "{path}: {message}"),
            GenError::Contract {
                path,
                pointer,
                message,
            } => write!(f, "{path}: {pointer}: {message}"),
            GenError::Patch { node, message } => write!(
                f,
                "{node} patched for progenitor does not parse: {message}; this is a bug of xtask/src/gen/patches.rs"
            ),
            GenError::Generator(message) => {
                write!(f, "progenitor rejected the document: {message}")
            }
            GenError::Panic(message) => write!(f, "progenitor panicked: {message}"),
            GenError::Tokens(message) => {
                write!(f, "the generated code is not what xtask gen expects: {message}")
            }
            GenError::Readme { path, message } => write!(f, "{path}: {message}"),
        }
    }
}
