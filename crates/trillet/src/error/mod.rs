//! The one error type of the client, and the types its variants carry.
//!
//! Every method of [`Client`](crate::Client), generated or hand-written, returns
//! [`Error`]. The generated methods get it through wrappers that `cargo xtask gen` writes
//! next to progenitor's code: each forwards to progenitor's method and converts its error
//! with `Error::from_generated` (in `conversion`), which is async because it reads
//! the body of an error response. Error responses are not typed in progenitor's input (the
//! generator removes the 4XX/5XX responses from its copy of the spec), so every error
//! status arrives here with its status, headers and body, and is decoded once, in this
//! module, whatever shape the body has.
//!
//! Nothing printed by an [`Error`] (`Display`, `Debug`, or any error of its `source()`
//! chain) contains a phone number: every phone-number-like run of digits is masked. It
//! never contains the API key or the workspace id either: request headers are not part of
//! any message, error bodies lose every copy of them before they are decoded
//! ([`crate::bounded_body`]), transport errors are kept as redacted text without their URL
//! (which may carry a number in its query), and decoding errors lose the quoted values
//! serde shows. `Display` is one short line whatever the server sent, and says what to do
//! next where the client knows.
//!
//! `source()` returns the cause wherever there is one, redacted: the operating system's
//! [`std::io::Error`] of a local file (its text never holds the path), the masked
//! [`InvalidPhoneNumber`](crate::InvalidPhoneNumber), and otherwise a private
//! `RedactedCause` holding the cause's text on one line, masked and without the values
//! serde quotes (a serialisation error of a request body can quote them). A variant that
//! only wraps a type ([`Error::File`], [`Error::InvalidArgument`],
//! [`Error::UnexpectedResponse`]) shows that type's text, and its `source()` is that
//! type's cause (the wrapper is not a link of its own). `Display` stays the whole story on
//! one line, the cause's text included, for the many programs that print only it;
//! `source()` gives the cause as a value, e.g. for its `io::ErrorKind`.
//!
//! # Why hand-written impls, not `thiserror`
//!
//! Every `Display` here masks its whole text once, after writing it
//! (`mask_phone_numbers(&text)`): a phone number can come from a server message, a path,
//! a header name or a serde error, and masking the output rather than each field is what
//! makes sure none is missed. `thiserror`'s `#[error("...")]` writes the fields straight
//! to the formatter, so each field would need masking by hand, and every `Debug` must be
//! written by hand anyway (a derived one would print the unmasked fields). What is left
//! for `thiserror` is a handful of `source()` arms, which do not pay for a proc-macro
//! dependency of the client.
//!
//! The modules: `api` (the API's refusals), `transport`, `decode`, `file`, `argument` and
//! `unexpected` (one type each), `cause` (the redacted causes), `text` (shortening and
//! masking) and `conversion` (from the errors of progenitor and reqwest).

mod api;
mod argument;
mod cause;
mod conversion;
mod decode;
mod file;
mod text;
mod transport;
mod unexpected;

use std::fmt;

use reqwest::StatusCode;

pub use api::{ApiError, REQUEST_ID_HEADER};
pub use argument::InvalidArgument;
pub(crate) use cause::RedactedCause;
pub use decode::DecodeError;
pub use file::FileError;
pub(crate) use text::mask_phone_numbers;
use text::shorten;
pub use transport::{TransportError, TransportErrorKind};
pub use unexpected::UnexpectedResponse;

use crate::batch::snapshot::BatchSnapshot;
use crate::preflight::CsvReport;

/// What went wrong with a call: the one error type of every [`Client`](crate::Client)
/// method.
///
/// Match on the variant to tell the API's refusals ([`Error::Api`], with the HTTP status
/// and the API's message) from timeouts, transport failures and undecodable responses.
///
/// How generated calls return it: progenitor's methods return its own
/// `progenitor_client::Error<()>`; `cargo xtask gen` writes, beside them, a wrapper per
/// operation on [`Client`](crate::Client) with the same name, docs and arguments, which
/// awaits the generated method and converts its error here (reading the body of an error
/// response). Users never see progenitor's error, and `?` works with one type.
///
/// `Display` is one line, e.g. `404 Not Found: Agent not found (The specified agent does
/// not exist or you don't have access to it)`. Neither `Display` nor `Debug` shows a phone
/// number (runs of 7+ digits are masked) or a credential.
#[non_exhaustive]
pub enum Error {
    /// The API answered with an error status (4xx, 5xx, or any status not documented
    /// for the operation).
    Api(Box<ApiError>),
    /// The request or the response did not finish within the configured time (one
    /// attempt's [`timeout`](crate::ClientBuilder::timeout), or what remained of the
    /// call's [`deadline`](crate::ClientBuilder::deadline)).
    Timeout(TransportError),
    /// The request could not be sent or the response not received (DNS, connection,
    /// TLS, reset, a body that broke off).
    Transport(TransportError),
    /// The server answered with a redirect (3xx). The Trillet API does not redirect, so
    /// the client never follows one: the request went to the base URL only, and was not
    /// sent again. Usually a wrong base URL, or a proxy or captive portal in the way.
    Redirect {
        /// The 3xx status.
        status: StatusCode,
        /// The host the `Location` header points to (no path, query or credentials);
        /// `None` when it points to the same host or can't be read.
        location_host: Option<String>,
    },
    /// A success response whose body is longer than
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes): it was not read
    /// past the limit, nor decoded.
    ResponseTooLarge {
        /// The response's status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// A success response whose body does not decode into the documented type.
    Decode(DecodeError),
    /// A local file (or a reader) could not be read, so the request was not sent: the
    /// path (phone numbers masked), the operating system's reason as `source()`, and what
    /// to check.
    File(FileError),
    /// The request was not sent: an argument can't be sent as it is (a CSV over 20 MB, a
    /// phone number that is not E.164, an extra header the client sets itself). It says
    /// which argument, why, and what to do.
    InvalidArgument(InvalidArgument),
    /// A success response that is not what the operation returns (e.g. a CSV template
    /// that is not UTF-8 text): the operation, the status and what was expected.
    UnexpectedResponse(UnexpectedResponse),
    /// The batch was not started: the local check of its CSV found bad rows
    /// ([`crate::preflight`]). The report has every problem with its line.
    InvalidCsv {
        /// The CSV's file name.
        file_name: String,
        /// Every problem found, with its line.
        report: Box<CsvReport>,
    },
    /// [`Client::wait_for_batch`](crate::Client::wait_for_batch) gave up: the batch was
    /// still running at the deadline.
    BatchDeadline {
        /// The batch waited for.
        batch_id: String,
        /// The deadline that passed.
        waited: std::time::Duration,
        /// The last snapshot polled, if any poll succeeded.
        last: Option<Box<BatchSnapshot>>,
    },
    /// The client could not be configured (missing environment variable, bad base URL).
    Config(String),
}

impl Error {
    /// The HTTP status of an [`Error::Api`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status()),
            _ => None,
        }
    }

    /// The API's refusal, if that is what this is.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The last snapshot of an [`Error::BatchDeadline`].
    pub fn last_snapshot(&self) -> Option<&BatchSnapshot> {
        match self {
            Error::BatchDeadline { last, .. } => last.as_deref(),
            _ => None,
        }
    }

    /// The pre-flight report of an [`Error::InvalidCsv`].
    pub fn csv_report(&self) -> Option<&CsvReport> {
        match self {
            Error::InvalidCsv { report, .. } => Some(report),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id`) of an [`Error::Api`], for support.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(ApiError::request_id)
    }

    /// Whether the API answered 404 Not Found (the resource does not exist, or not in
    /// this workspace).
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// match client.get_agent("agent-1").await {
    ///     Ok(agent) => println!("{:?}", agent.name),
    ///     Err(error) if error.is_not_found() => println!("no such agent"),
    ///     Err(error) => return Err(error),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the API answered 429 Too Many Requests (after the retries the policy
    /// allows); [`retry_after`](Error::retry_after) says how long it asked to wait.
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// Whether the client ran out of time: an attempt's timeout, the call's deadline, or
    /// a connection that could not be opened in time. (A server's own 408 or 504 is an
    /// [`Error::Api`]: see [`status`](Error::status).)
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Timeout(_) => true,
            Error::Transport(error) => error.is_timeout(),
            _ => false,
        }
    }

    /// The wait the server asked for before trying again (a 429's or 503's
    /// `Retry-After`, or a 429 body's `error.reset_at`), counted from when the response
    /// arrived: see [`ApiError::retry_after`].
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.api().and_then(ApiError::retry_after)
    }

    /// Whether trying again later may succeed: timeouts, transport failures, 429 and
    /// 502/503/504 (not redirects, not bodies over the limit). The client has already retried what its [`RetryPolicy`] allows;
    /// retrying requests that place calls after this is the caller's decision.
    ///
    /// [`RetryPolicy`]: crate::retry::RetryPolicy
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) | Error::Transport(_) => true,
            Error::Api(api) => matches!(api.status().as_u16(), 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    fn unmasked(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Error::Api(api) => write!(f, "{api}"),
            Error::Timeout(error) => write!(f, "timed out: {error}"),
            Error::Transport(error) => write!(f, "transport error: {error}"),
            Error::Redirect {
                status,
                location_host,
            } => {
                let to = match location_host {
                    Some(host) => format!("host {}", shorten(host, 100)),
                    None => "the same host".to_string(),
                };
                write!(
                    f,
                    "the server redirected ({status}) to {to}; not followed, and nothing was \
                     sent there: the Trillet API does not redirect, so check the base URL \
                     (or a proxy in the way)"
                )
            }
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the response ({status}) is longer than {limit} bytes and was not read; \
                 raise ClientBuilder::max_response_bytes if it is expected, or page through \
                 the results"
            ),
            Error::Decode(error) => write!(f, "the response does not decode: {error}"),
            Error::File(error) => write!(f, "{error}"),
            Error::InvalidArgument(error) => write!(f, "{error}"),
            Error::UnexpectedResponse(error) => write!(f, "{error}"),
            Error::InvalidCsv { file_name, report } => {
                write!(
                    f,
                    "{file_name}: {} problem(s) in {} row(s), nothing was sent",
                    report.problems.len(),
                    report.rows
                )?;
                if let Some(first) = report.problems.first() {
                    write!(f, "; first: {first}")?;
                }
                Ok(())
            }
            Error::BatchDeadline {
                batch_id,
                waited,
                last,
            } => {
                write!(
                    f,
                    "batch {batch_id} still running after {:.1} s",
                    waited.as_secs_f64()
                )?;
                match last {
                    Some(last) => write!(f, "; last progress {last}"),
                    None => write!(f, "; no progress could be read"),
                }
            }
            Error::Config(message) => write!(f, "configuration: {message}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.unmasked(&mut text)?;
        f.write_str(&mask_phone_numbers(&text))
    }
}

/// Same text as `Display` (masked), with the variant: `fn main() -> Result<(), Error>`
/// prints this.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let variant = match self {
            Error::Api(_) => "Api",
            Error::Timeout(_) => "Timeout",
            Error::Transport(_) => "Transport",
            Error::Redirect { .. } => "Redirect",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::Decode(_) => "Decode",
            Error::File(_) => "File",
            Error::InvalidArgument(_) => "InvalidArgument",
            Error::UnexpectedResponse(_) => "UnexpectedResponse",
            Error::InvalidCsv { .. } => "InvalidCsv",
            Error::BatchDeadline { .. } => "BatchDeadline",
            Error::Config(_) => "Config",
        };
        write!(f, "{variant}({:?})", self.to_string())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout(error) | Error::Transport(error) => Some(error),
            Error::Decode(error) => Some(error),
            // These variants show their type's text, so the chain goes on with its cause.
            Error::File(error) => std::error::Error::source(error),
            Error::InvalidArgument(error) => std::error::Error::source(error),
            Error::UnexpectedResponse(error) => std::error::Error::source(error),
            Error::Api(_)
            | Error::Redirect { .. }
            | Error::ResponseTooLarge { .. }
            | Error::InvalidCsv { .. }
            | Error::BatchDeadline { .. }
            | Error::Config(_) => None,
        }
    }
}

/// A phone number that is not E.164: the request is not sent
/// ([`Error::InvalidArgument`]). The message masks it.
impl From<crate::InvalidPhoneNumber> for Error {
    fn from(error: crate::InvalidPhoneNumber) -> Error {
        Error::InvalidArgument(error.into())
    }
}

/// A value that does not convert into a request type ([`Error::InvalidArgument`]).
impl From<crate::types::error::ConversionError> for Error {
    fn from(error: crate::types::error::ConversionError) -> Error {
        Error::InvalidArgument(error.into())
    }
}

impl From<FileError> for Error {
    fn from(error: FileError) -> Error {
        Error::File(error)
    }
}

impl From<InvalidArgument> for Error {
    fn from(error: InvalidArgument) -> Error {
        Error::InvalidArgument(error)
    }
}

#[cfg(test)]
mod tests;
