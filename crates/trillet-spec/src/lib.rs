//! Validates JSON request and response bodies against the Trillet OpenAPI document.
//!
//! The document (`openapi/trillet.yaml`) is embedded at compile time, so nothing is read
//! at run time. Its OpenAPI 3.0 schemas are converted to JSON Schema (per direction, since
//! `readOnly` and `writeOnly` differ), each compiled once, and bodies are validated by
//! `operationId`. Errors name the JSON pointer of each offending value, say what was
//! expected instead, and never show a phone number in full.
//!
//! ```
//! use serde_json::json;
//! use trillet_spec::{SpecValidator, ValidationError};
//!
//! let spec = SpecValidator::embedded();
//! let body = json!({"agentId": "64f8e3b1c12d8e9a4f3c2d1e", "toNumber": 14155551234_u64});
//! match spec.validate_request("sendCall", &body) {
//!     Err(ValidationError::Invalid(violations)) => {
//!         assert_eq!(violations[0].pointer, "/toNumber");
//!         println!("{}", violations[0]); // /toNumber: expected string, found integer 14155551234
//!     }
//!     other => panic!("{other:?}"),
//! }
//! ```
//!
//! Request schemas are open (the live server accepts fields the docs do not list), so
//! request bodies are also linted ([`SpecValidator::lint_request`]): a property that no
//! schema declares where the schemas there are closed is a [`Lint`], a warning with a
//! did-you-mean or a reason (read-only, the other page's spelling), never a refusal.
//!
//! The same checks run over every example of the document ([`SpecValidator::examples`],
//! [`SpecValidator::validate_examples`]) and over the payload files of `openapi/examples/`
//! ([`SpecValidator::check_example_files`]); `cargo xtask validate` reports them.
//!
//! Inputs are bounded: a document is checked before it is parsed
//! ([`check_document_limits`]: at most [`MAX_DOCUMENT_BYTES`], flow collections nested at
//! most [`MAX_FLOW_DEPTH`] deep, no YAML anchors or aliases), and files are read with
//! [`read_to_string_limited`] (example files: at most [`MAX_PAYLOAD_BYTES`]).
//!
//! The target dialect is JSON Schema 2020-12 rather than draft 4: its boolean schemas let a
//! `readOnly` property in a request become `false`, which fails with an error of its own
//! (reported as "readOnly property must not be sent in a request"), where draft 4 would
//! need a `not: {}` that reports like any other `not`.
//!
//! How OpenAPI 3.0 maps to JSON Schema 2020-12: `nullable: true` allows null (also in
//! `enum`; a nullable `$ref` or composition becomes `anyOf` with `{type: null}`);
//! `$ref: '#/components/schemas/X'` points into `$defs`; a `readOnly` property is
//! dropped from `required` and rejected in requests, a `writeOnly` one likewise in
//! responses; `exclusiveMinimum: true` moves `minimum` into `exclusiveMinimum`;
//! `example`, `discriminator`, `xml`, `externalDocs`, `deprecated` and `x-*` are dropped.
//! Formats JSON Schema knows (`date-time`, `email`, `uri`, ...) are checked; OpenAPI's own
//! (`int32`, `binary`, ...) are not. `oneOf` keeps its JSON Schema meaning (exactly one
//! branch), whatever the `discriminator` says.

mod bounds;
mod compile;
mod convert;
mod example_files;
mod examples;
mod fast_yaml;
mod lint;
mod load;
mod meta_check;
#[doc(hidden)]
pub mod phases;
mod plain_yaml;
mod prescan;
mod report;
mod validator;
pub mod wild;

pub use bounds::{
    check_document_limits, read_to_string_limited, ReadError, MAX_DOCUMENT_BYTES, MAX_FLOW_DEPTH,
    MAX_PAYLOAD_BYTES,
};
pub use convert::Direction;
pub use example_files::{
    ExampleFileCheck, ExampleFileLint, ExampleFileName, ExampleFileProblem, ExampleFiles,
    ExampleFilesReport, EXPECTED_FILE, FILE_NAME_RULE, INVALID_DIR, LINT_DIR,
};
pub use examples::{Example, ExampleOutcome, ExampleTarget};
pub use lint::{Lint, LintReason, READ_ONLY_IN_UPDATES};
pub use load::{escape_pointer_segment, LoadError};
pub use report::{ValidationError, Violation};
/// The masker every report goes through: the workspace's one, from `trillet-redact`.
pub use trillet_redact::mask_phone_numbers;
pub use validator::{SpecValidator, EMBEDDED_DOCUMENT};
