//! The inline examples of a document and what each is checked against.

use std::fmt;

use serde_json::Value;

use crate::convert::Direction;
use crate::report::ValidationError;

/// One inline example of the document, with what it must conform to.
///
/// Found in: `example` and `examples` of request-body and response media types (each
/// `examples` entry may be a `$ref` to `#/components/examples`), `example`/`examples` of
/// parameters, and the `example` keyword of every schema object. Examples of non-JSON
/// media types (`text/csv`) and `externalValue` examples are skipped.
///
/// Each example is listed once per place in the document, even when a shared component
/// (`#/components/responses/ClientError`) is used by many operations: its schema is the
/// same for all of them.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// JSON pointer of the example inside the document, without `#`; for an `examples`
    /// entry that is a `$ref`, the pointer of the entry (the place that uses the example).
    /// For example `/paths/~1v1~1api~1agents/post/requestBody/content/application~1json/examples/minimal`.
    pub location: String,
    /// The operation whose contract holds the example: for an example shared through
    /// `components`, the first operation (by path, then method) that uses it; `None` for
    /// the examples of `#/components/schemas`.
    pub operation_id: Option<String>,
    /// What the example is an example of.
    pub target: ExampleTarget,
    /// The example value.
    pub value: Value,
    /// Index of the compiled schema it is validated against.
    pub(crate) validator: usize,
    /// Pointer of that schema object in the document, for the lint; `None` for a media
    /// type without a schema.
    pub(crate) schema: Option<String>,
}

/// What an [`Example`] illustrates, and so which schema it is validated against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleTarget {
    /// A request body.
    Request,
    /// A response body, under the status key of the `responses` map (`"200"`, `"4XX"`,
    /// `"default"`).
    Response {
        /// The status key as written in the document.
        status: String,
    },
    /// A parameter value, validated against the parameter's schema (request direction).
    Parameter {
        /// The parameter's name.
        name: String,
    },
    /// The `example` keyword of a schema object, validated against that schema in the
    /// direction the schema is used in: request or response when it is reached only from
    /// request bodies and parameters, or only from responses; once for each when it is
    /// reached from both, or from neither (an unused component is checked strictly).
    Schema {
        /// The direction it was validated in.
        direction: Direction,
    },
}

impl fmt::Display for ExampleTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExampleTarget::Request => f.write_str("request body"),
            ExampleTarget::Response { status } => write!(f, "response {status}"),
            ExampleTarget::Parameter { name } => write!(f, "parameter {name:?}"),
            ExampleTarget::Schema { direction } => write!(f, "schema ({direction})"),
        }
    }
}

/// The result of validating one [`Example`].
#[derive(Debug)]
pub struct ExampleOutcome<'a> {
    /// The example.
    pub example: &'a Example,
    /// `Ok` when it conforms to its schema.
    pub result: Result<(), ValidationError>,
}
