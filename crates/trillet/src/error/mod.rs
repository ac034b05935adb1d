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
//! Nothing printed by an [`Error`] (`Display`, `Debug`, or any error of its `source()`
//! chain) contains a phone number: every phone-number-like run of digits is masked. It
//! never contains the API key or the workspace id either: request headers are not part of
//! any message, error bodies lose every copy of them before they are decoded
//! ([`crate::bounded_body`]), transport errors are kept as redacted text without their URL
//! (which may carry a number in its query), and decoding errors lose the quoted values
//! serde shows. `Display` is one short line whatever the server sent.

use std::fmt;

use progenitor_client::Error as GeneratedError;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::types::ErrorBody;

/// The header carrying the server's request id, when it sends one.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Longest message kept from a body that is not a documented error shape, and longest
/// message, detail or request id an [`ApiError`] shows.
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
        last: Option<Box<crate::batch::snapshot::BatchSnapshot>>,
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
    pub fn last_snapshot(&self) -> Option<&crate::batch::snapshot::BatchSnapshot> {
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
    /// 502/503/504 (not redirects, not bodies over the limit). The client has already retried what its [`RetryPolicy`] allows;
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
                if status.is_redirection() {
                    return Error::redirect(status, response.headers());
                }
                let headers = response.headers().clone();
                let truncated = response
                    .extensions()
                    .get::<crate::bounded_body::BodyTruncated>()
                    .is_some();
                // The transport has read the body already (within the error-body limit).
                match response.bytes().await {
                    Ok(body) => {
                        let mut api = ApiError::from_parts(status, &headers, &body);
                        api.truncated = truncated;
                        Error::Api(Box::new(api))
                    }
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
            GeneratedError::InvalidResponsePayload(_, error) => {
                Error::Decode(DecodeError::new(&error))
            }
            GeneratedError::InvalidRequest(message) | GeneratedError::Custom(message) => {
                Error::InvalidRequest(message)
            }
        }
    }

    /// A reqwest error as the client reports it: a body over the limit, a timeout, or a
    /// transport failure kept as redacted text.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Error {
        if let Some(too_large) = crate::bounded_body::body_too_large(&error) {
            return Error::ResponseTooLarge {
                status: too_large.status,
                limit: too_large.limit,
            };
        }
        let error = TransportError::new(error);
        if error.kind == TransportErrorKind::Timeout {
            Error::Timeout(error)
        } else {
            Error::Transport(error)
        }
    }

    /// A 3xx response, naming only the host its `Location` points to.
    fn redirect(status: StatusCode, headers: &HeaderMap) -> Error {
        let location_host = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| reqwest::Url::parse(v.trim()).ok())
            .and_then(|url| url.host_str().map(str::to_string));
        Error::Redirect {
            status,
            location_host,
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

/// An error with its causes on one line, e.g. `error sending request: connection refused`.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // reqwest and hyper often repeat a cause's text in their own.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// `text` on one line, at most `max` characters (then `…`), control characters replaced.
fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// How a transport failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be opened (DNS, refused, TLS, connect timeout): nothing was sent.
    Connect,
    /// The attempt ran out of time after the connection was open.
    Timeout,
    /// The connection broke while the request or the response was on the way.
    Interrupted,
}

/// A transport failure (of [`Error::Timeout`] or [`Error::Transport`]), kept as text with
/// its causes but without the request's URL (whose query may carry a phone number) and
/// with phone numbers masked. It has no `source()`: the underlying reqwest and hyper
/// errors would print the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    fn new(error: reqwest::Error) -> TransportError {
        let kind = if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Interrupted
        };
        let error = error.without_url();
        let message = mask_phone_numbers(&shorten(&chain(&error), 2 * MAX_TEXT_MESSAGE));
        TransportError { kind, message }
    }

    /// How it happened.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Whether no connection could be opened (so nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// Whether time ran out.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
            || self.kind == TransportErrorKind::Connect && self.message.contains("timed out")
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for TransportError {}

/// A success body that does not decode into the documented type: serde's explanation
/// with the values it quotes removed (they come from the body: names, numbers), and
/// where in the body it failed.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    line: usize,
    column: usize,
}

impl DecodeError {
    fn new(error: &serde_json::Error) -> DecodeError {
        let text = error.to_string();
        // serde appends ` at line L column C`; the fields below keep them.
        let text = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(t, _)| t);
        DecodeError {
            message: mask_phone_numbers(&shorten(
                &without_quoted_values(text),
                2 * MAX_TEXT_MESSAGE,
            )),
            line: error.line(),
            column: error.column(),
        }
    }

    /// Why it does not decode, e.g. `missing field `id``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the body where decoding failed (1-based; 0 when unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the body where decoding failed (1-based; 0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }
}

/// serde's message with every `"..."` emptied to `"…"`.
fn without_quoted_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…");
            }
            quoted = !quoted;
            if quoted {
                continue;
            }
            out.push('"');
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecodeError({:?})", self.to_string())
    }
}

impl std::error::Error for DecodeError {}

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
            Error::Decode(error) => Some(error),
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
    truncated: bool,
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
                truncated: false,
            };
        };
        // `error` is a text (shapes 1 and 3) or an object with `code` and `message`.
        let (error_text, nested) = match &body.error {
            Some(serde_json::Value::String(text)) => (Some(text.clone()), None),
            Some(object @ serde_json::Value::Object(_)) => (None, Some(object)),
            _ => (None, None),
        };
        let nested_text = |key: &str| {
            nested
                .and_then(|d| d.get(key))
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        let nested_message = nested_text("message");
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
        let code = body.code.clone().or_else(|| nested_text("code"));
        ApiError {
            status,
            message,
            detail,
            code,
            request_id,
            body: Some(body),
            truncated: false,
        }
    }

    /// Whether the server's body was longer than
    /// [`max_error_body_bytes`](crate::ClientBuilder::max_error_body_bytes) and was cut
    /// there (a cut JSON body no longer decodes: the message is then its first line).
    pub fn body_truncated(&self) -> bool {
        self.truncated
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

/// One short line: `404 Not Found: Agent not found (The specified agent does not exist
/// ...)`, then `; request id <id>` when the server sent one. The message, the detail and
/// the id are each cut at 200 characters; phone numbers are masked.
impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = format!(
            "{}: {}",
            self.status,
            shorten(&self.message, MAX_TEXT_MESSAGE)
        );
        if let Some(detail) = &self.detail {
            text.push_str(&format!(" ({})", shorten(detail, MAX_TEXT_MESSAGE)));
        }
        if let Some(id) = &self.request_id {
            text.push_str(&format!("; request id {}", shorten(id, MAX_TEXT_MESSAGE)));
        }
        if self.truncated {
            text.push_str(" [body cut at the error-body limit]");
        }
        f.write_str(&mask_phone_numbers(&text))
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Each text as `Display` shows it: cut short, phone numbers masked.
        let shown = |text: &str| mask_phone_numbers(&shorten(text, MAX_TEXT_MESSAGE));
        f.debug_struct("ApiError")
            .field("status", &self.status.as_u16())
            .field("message", &shown(&self.message))
            .field("detail", &self.detail.as_deref().map(shown))
            .field("code", &self.code.as_deref().map(shown))
            .field("request_id", &self.request_id.as_deref().map(shown))
            .field("body_truncated", &self.truncated)
            .finish_non_exhaustive()
    }
}

/// Masks every phone number in `text` with the workspace's one masker (`trillet-redact`):
/// `+1 (415) 555-1234` becomes `+1 (***) ***-*234`. Phone numbers are personal data and
/// must not reach logs through error messages.
pub(crate) fn mask_phone_numbers(text: &str) -> String {
    trillet_redact::mask_phone_numbers(text).into_owned()
}
