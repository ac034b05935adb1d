//! The one error type of the client.
//!
//! Every method of [`Client`](crate::Client), generated or hand-written, returns
//! [`Error`]. The generated methods get it through wrappers that `cargo xtask gen` writes
//! next to progenitor's code: each forwards to progenitor's method and converts its error
//! with [`Error::from_generated`], which is async because it reads the body of an error
//! response. Error responses are not typed in progenitor's input (the generator removes
//! the 4XX/5XX responses from its copy of the spec), so every error status arrives here
//! with its status, headers and body, and is decoded once, in this module, whatever shape
//! the body has.
//!
//! Nothing printed by an [`Error`] (`Display` or `Debug`) contains a phone number: runs of
//! seven or more digits are masked. It never contains the API key either: request headers
//! are not part of any message.

use std::fmt;

use progenitor_client::Error as GeneratedError;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::types::{ErrorBody, ErrorBodyError};

/// The header carrying the server's request id, when it sends one.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest message kept from a body that is not a documented error shape.
const MAX_TEXT_MESSAGE: usize = 200;

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
    /// The request or the response did not finish within the configured time.
    Timeout(reqwest::Error),
    /// The request could not be sent or the response not received (DNS, connection,
    /// TLS, reset).
    Transport(reqwest::Error),
    /// A success response whose body does not decode into the documented type.
    Decode(serde_json::Error),
    /// The request was not sent: an argument can't be expressed (e.g. a CSV over
    /// 20 MB, an unreadable file, a phone number that is not E.164).
    InvalidRequest(String),
    /// The batch was not started: the local check of its CSV found bad rows
    /// ([`crate::preflight`]). The report has every problem with its line.
    InvalidCsv {
        /// The CSV's file name.
        file_name: String,
        /// Every problem found, with its line.
        report: Box<crate::preflight::CsvReport>,
    },
    /// [`Client::wait_for_batch`](crate::Client::wait_for_batch) gave up: the batch was
    /// still running at the deadline.
    BatchDeadline {
        /// The batch waited for.
        batch_id: String,
        /// The deadline that passed.
        waited: std::time::Duration,
        /// The last snapshot polled, if any poll succeeded.
        last: Option<Box<crate::batch_wait::BatchSnapshot>>,
    },
    /// The client could not be configured (missing environment variable, bad base URL).
    Config(String),
}

impl Error {
    /// The HTTP status of an [`Error::Api`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
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
    pub fn last_snapshot(&self) -> Option<&crate::batch_wait::BatchSnapshot> {
        match self {
            Error::BatchDeadline { last, .. } => last.as_deref(),
            _ => None,
        }
    }

    /// The pre-flight report of an [`Error::InvalidCsv`].
    pub fn csv_report(&self) -> Option<&crate::preflight::CsvReport> {
        match self {
            Error::InvalidCsv { report, .. } => Some(report),
            _ => None,
        }
    }

    /// The server's request id (`x-request-id`) of an [`Error::Api`], for support.
    pub fn request_id(&self) -> Option<&str> {
        self.api().and_then(|api| api.request_id.as_deref())
    }

    /// Whether trying again later may succeed: timeouts, transport failures, 429 and
    /// 502/503/504. The client has already retried what its [`RetryPolicy`] allows;
    /// retrying requests that place calls after this is the caller's decision.
    ///
    /// [`RetryPolicy`]: crate::retry::RetryPolicy
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout(_) | Error::Transport(_) => true,
            Error::Api(api) => matches!(api.status.as_u16(), 429 | 502 | 503 | 504),
            _ => false,
        }
    }

    /// Converts an error of the generated client, reading the body of an error response.
    pub(crate) async fn from_generated(error: GeneratedError<()>) -> Error {
        match error {
            GeneratedError::UnexpectedResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => Error::Api(Box::new(ApiError::from_parts(status, &headers, &body))),
                    Err(error) => Error::from_reqwest(error),
                }
            }
            GeneratedError::ErrorResponse(response) => Error::Api(Box::new(ApiError::from_parts(
                response.status(),
                response.headers(),
                &[],
            ))),
            GeneratedError::CommunicationError(error)
            | GeneratedError::InvalidUpgrade(error)
            | GeneratedError::ResponseBodyError(error) => Error::from_reqwest(error),
            GeneratedError::InvalidResponsePayload(_, error) => Error::Decode(error),
            GeneratedError::InvalidRequest(message) | GeneratedError::Custom(message) => {
                Error::InvalidRequest(message)
            }
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Error {
        if error.is_timeout() {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }

    fn unmasked(&self, f: &mut dyn fmt::Write) -> fmt::Result {
        match self {
            Error::Api(api) => write!(f, "{api}"),
            Error::Timeout(error) => write!(f, "timed out: {}", chain(error)),
            Error::Transport(error) => write!(f, "transport error: {}", chain(error)),
            Error::Decode(error) => write!(f, "the response does not decode: {error}"),
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
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

/// A reqwest error with its causes, e.g. `error sending request: connection refused`.
fn chain(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
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
            Error::Decode(_) => "Decode",
            Error::InvalidRequest(_) => "InvalidRequest",
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
            _ => None,
        }
    }
}

/// A phone number that is not E.164: the request is not sent. The message masks it.
impl From<crate::InvalidPhoneNumber> for Error {
    fn from(error: crate::InvalidPhoneNumber) -> Error {
        Error::InvalidRequest(error.to_string())
    }
}

impl From<crate::types::error::ConversionError> for Error {
    fn from(error: crate::types::error::ConversionError) -> Error {
        Error::InvalidRequest(error.to_string())
    }
}

/// An error status from the API, with the message decoded from its body.
///
/// The body may have any of the documented shapes (`ErrorBody` in the spec):
/// `{"error": "...", "details": "...", "code": "..."}`,
/// `{"error": {"code": "...", "message": "..."}}`,
/// `{"error": "...", "message": "...", "id": "..."}` or `{"status": "not_found"}`;
/// a body that is none of these (an HTML page from a proxy) still gives the status and
/// the start of its text.
#[derive(Clone, PartialEq)]
pub struct ApiError {
    status: StatusCode,
    message: String,
    detail: Option<String>,
    code: Option<String>,
    request_id: Option<String>,
    body: Option<ErrorBody>,
}

impl ApiError {
    /// Decodes an error response.
    pub fn from_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let decoded = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .filter(serde_json::Value::is_object)
            .and_then(|value| serde_json::from_value::<ErrorBody>(value).ok());
        let reason = || status.canonical_reason().unwrap_or("error").to_string();
        let Some(body) = decoded else {
            let text = String::from_utf8_lossy(body);
            let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
            let message = match first_line {
                Some(line) if line.chars().count() > MAX_TEXT_MESSAGE => {
                    format!(
                        "{}…",
                        line.chars().take(MAX_TEXT_MESSAGE).collect::<String>()
                    )
                }
                Some(line) => line.to_string(),
                None => reason(),
            };
            return ApiError {
                status,
                message,
                detail: None,
                code: None,
                request_id,
                body: None,
            };
        };
        let (error_text, nested) = match &body.error {
            Some(ErrorBodyError::String(text)) => (Some(text.clone()), None),
            Some(ErrorBodyError::ErrorDetail(detail)) => (None, Some(detail)),
            None => (None, None),
        };
        let nested_message = nested.and_then(|d| d.message.clone());
        // Blank texts say nothing: the next candidate, or the status's reason, is shown.
        let said = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
        let message = said(&error_text)
            .or_else(|| said(&nested_message))
            .or_else(|| said(&body.message))
            .or_else(|| said(&body.status))
            .unwrap_or_else(reason);
        // The longer explanation: `details` (flat shape) or `message` beside an error text.
        let detail = body
            .details
            .clone()
            .or_else(|| error_text.as_ref().and(body.message.clone()))
            .filter(|d| *d != message);
        let code = body
            .code
            .clone()
            .or_else(|| nested.and_then(|d| d.code.clone()));
        ApiError {
            status,
            message,
            detail,
            code,
            request_id,
            body: Some(body),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The API's short message, e.g. `Agent not found` (the canonical reason of the
    /// status when the body says nothing).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The API's longer explanation, when it gives one.
    pub fn detail(&self) -> Option<&str> {
        self.detail.as_deref()
    }

    /// The machine-readable code, e.g. `rate_limit_exceeded`, when the body has one.
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The server's request id (`x-request-id` header), when it sends one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The decoded body, when it was JSON of the documented shape (e.g. for `id` or
    /// `error.reset_at`).
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_ref()
    }
}

/// One line: `404 Not Found: Agent not found (The specified agent does not exist ...)`,
/// then `; request id <id>` when the server sent one. Phone numbers are masked.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = format!("{}: {}", self.status, self.message);
        if let Some(detail) = &self.detail {
            text.push_str(&format!(" ({detail})"));
        }
        if let Some(id) = &self.request_id {
            text.push_str(&format!("; request id {id}"));
        }
        f.write_str(&mask_phone_numbers(&text.replace(['\n', '\r'], " ")))
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("message", &mask_phone_numbers(&self.message))
            .field("detail", &self.detail.as_deref().map(mask_phone_numbers))
            .field("code", &self.code)
            .field("request_id", &self.request_id)
            .finish_non_exhaustive()
    }
}

/// Masks every phone number in `text` with the workspace's one masker (`trillet-redact`):
/// `+1 (415) 555-1234` becomes `+1 (***) ***-*234`. Phone numbers are personal data and
/// must not reach logs through error messages.
pub(crate) fn mask_phone_numbers(text: &str) -> String {
    trillet_redact::mask_phone_numbers(text).into_owned()
}
