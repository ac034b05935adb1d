//! Success responses that are not what the operation returns (and not a body that fails
//! to decode into its type, which is a [`DecodeError`](crate::DecodeError)).

use std::fmt;

use reqwest::StatusCode;

/// The cause an [`UnexpectedResponse`] keeps: an error whose text holds nothing of the
/// body (e.g. a UTF-8 error, which gives byte positions only).
type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The server answered with success, but not with what the operation returns
/// ([`Error::UnexpectedResponse`](crate::Error::UnexpectedResponse)), e.g. a CSV
/// template that is not UTF-8 text.
///
/// `Display` names the operation, the status and what was expected, on one line, and
/// shows nothing of the body.
pub struct UnexpectedResponse {
    operation: &'static str,
    status: StatusCode,
    expected: &'static str,
    cause: Cause,
}

impl UnexpectedResponse {
    /// `operation` answered `status` with a body that is not `expected`, because of
    /// `cause` (whose text must hold nothing of the body).
    pub(crate) fn new(
        operation: &'static str,
        status: StatusCode,
        expected: &'static str,
        cause: Cause,
    ) -> UnexpectedResponse {
        UnexpectedResponse {
            operation,
            status,
            expected,
            cause,
        }
    }

    /// The operation, by its operationId (e.g. `getBatchTemplate`).
    pub fn operation(&self) -> &str {
        self.operation
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What the operation documents, e.g. `UTF-8 CSV text`.
    pub fn expected(&self) -> &str {
        self.expected
    }
}

/// `getBatchTemplate answered 200 OK with a body that is not UTF-8 CSV text (invalid
/// utf-8 sequence of 1 bytes from index 3); the API may have changed: retry later, or
/// report it to Trillet support`.
impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} answered {} with a body that is not {}",
            self.operation, self.status, self.expected
        )?;
        write!(f, " ({})", self.cause)?;
        f.write_str("; the API may have changed: retry later, or report it to Trillet support")
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("operation", &self.operation)
            .field("status", &self.status.as_u16())
            .field("expected", &self.expected)
            .field("cause", &self.cause)
            .finish()
    }
}

impl std::error::Error for UnexpectedResponse {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.cause)
    }
}
