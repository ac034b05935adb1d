//! The API's refusals: an error status with the message decoded from its body, whatever
//! documented shape (or none) the body has.

use std::fmt;

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::StatusCode;

use super::text::{mask_phone_numbers, shorten, MAX_TEXT_MESSAGE};
use crate::types::ErrorBody;

/// The header carrying the server's request id, when it sends one.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

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
    retry_after: Option<Duration>,
    headers: HeaderMap,
    body: Option<ErrorBody>,
    pub(super) truncated: bool,
}

impl ApiError {
    /// Decodes an error response.
    pub fn from_parts(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> ApiError {
        let request_id = headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = server_wait(status, headers, body);
        let headers = headers.clone();
        let decoded = serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .filter(serde_json::Value::is_object)
            .and_then(|value| serde_json::from_value::<ErrorBody>(value).ok());
        let reason = || status.canonical_reason().unwrap_or("error").to_string();
        let Some(body) = decoded else {
            let text = String::from_utf8_lossy(body);
            let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
            let message = match first_line {
                Some(line) => shorten(line, MAX_TEXT_MESSAGE),
                None => reason(),
            };
            return ApiError {
                status,
                message,
                detail: None,
                code: None,
                request_id,
                retry_after,
                headers,
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
            retry_after,
            headers,
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

    /// The headers of the error response (e.g. a rate limit's `x-ratelimit-*`).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The wait the server asked for before trying again, from when the response
    /// arrived: a 429's or 503's `Retry-After` (seconds or an HTTP date), else a 429
    /// body's `error.reset_at`. `None` for other statuses or when it says nothing.
    pub fn retry_after(&self) -> Option<Duration> {
        self.retry_after
    }

    /// The decoded body, when it was JSON of the documented shape (e.g. for `id` or
    /// `error.reset_at`).
    pub fn body(&self) -> Option<&ErrorBody> {
        self.body.as_ref()
    }
}

/// The wait a 429 or 503 asks for (the rules of the retry policy, `crate::retry`).
fn server_wait(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> Option<Duration> {
    let limited = status == StatusCode::TOO_MANY_REQUESTS;
    if !limited && status != StatusCode::SERVICE_UNAVAILABLE {
        return None;
    }
    let now = SystemTime::now();
    let header = headers
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| crate::retry::parse_retry_after(value, now));
    match header {
        Some(wait) => Some(wait),
        None if limited => crate::retry::rate_limit_reset(body, now),
        None => None,
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
