//! Reading a response body within limits, inside the attempt that received it.
//!
//! Every response is read here, chunk by chunk, before the retry policy decides on the
//! attempt: a body that breaks or stalls is a failed attempt like a connection that broke
//! before the headers (see [`crate::retry`]). Nothing is buffered beyond the limit:
//!
//! - a success body longer than [`ResponseLimits::max_body`] is refused as soon as it is
//!   known to be (from `Content-Length`, or while reading); the call fails with
//!   [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge);
//! - an error body (any status that is not 2xx) is cut at
//!   [`ResponseLimits::max_error_body`]; the rest is dropped unread and the error is
//!   marked [`ApiError::body_truncated`](crate::ApiError::body_truncated).
//!
//! Error bodies also lose every copy of the client's own credentials (a server or proxy
//! that echoes the request's headers would otherwise put the API key in an error
//! message). The body handed on is the bytes read, so decoding it cannot reach the
//! network again.

use std::fmt;

use reqwest::header::HeaderMap;
use reqwest::{Response, StatusCode};

/// Default largest success body: 64 MiB.
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;
/// Default largest error body kept: 64 KiB (the rest is dropped).
pub const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;

/// How much of a response the client reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResponseLimits {
    /// The largest success (2xx) body decoded; a longer one fails the call.
    pub max_body: usize,
    /// The largest part of an error body kept; the rest is dropped.
    pub max_error_body: usize,
}

impl Default for ResponseLimits {
    fn default() -> ResponseLimits {
        ResponseLimits {
            max_body: DEFAULT_MAX_BODY,
            max_error_body: DEFAULT_MAX_ERROR_BODY,
        }
    }
}

/// The values scrubbed from error bodies: the API key and the workspace id.
#[derive(Clone, Default)]
pub(crate) struct Credentials {
    values: Vec<String>,
}

impl Credentials {
    /// Scrubs `values` (those too short to be a credential are ignored by the masker).
    pub(crate) fn new<'a>(values: impl IntoIterator<Item = &'a str>) -> Credentials {
        let mut values: Vec<String> = values.into_iter().map(str::to_string).collect();
        // The longest first, so that a credential containing another is scrubbed whole.
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        Credentials { values }
    }

    /// `body` with every occurrence of a credential (as is or URL-encoded) replaced by
    /// `<redacted>`. A body holding one is returned as UTF-8 text (invalid bytes
    /// replaced), which is how an error message shows it anyway.
    pub(crate) fn scrub(&self, body: Vec<u8>) -> Vec<u8> {
        let text = String::from_utf8_lossy(&body);
        let mut scrubbed = std::borrow::Cow::Borrowed(text.as_ref());
        for value in &self.values {
            if let std::borrow::Cow::Owned(changed) = trillet_redact::scrub_secret(&scrubbed, value)
            {
                scrubbed = std::borrow::Cow::Owned(changed);
            }
        }
        match scrubbed {
            std::borrow::Cow::Owned(changed) => changed.into_bytes(),
            std::borrow::Cow::Borrowed(_) => body,
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credentials(<{} redacted>)", self.values.len())
    }
}

/// A success body over [`ResponseLimits::max_body`]: the source of the reqwest error that
/// reading the handed-on response gives, turned into
/// [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct BodyTooLarge {
    /// The response's status.
    pub(crate) status: StatusCode,
    /// The limit it went over.
    pub(crate) limit: usize,
}

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "response body over {} bytes", self.limit)
    }
}

impl std::error::Error for BodyTooLarge {}

/// Marks a response whose error body was cut at [`ResponseLimits::max_error_body`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct BodyTruncated;

/// A response whose body was read within the limits: what the retry policy looks at
/// (status, headers, the bytes of a 429), then handed on as a [`Response`].
pub(crate) struct Received {
    status: StatusCode,
    version: http::Version,
    headers: HeaderMap,
    /// The bytes read, or the limit a success body went over.
    body: Result<Vec<u8>, BodyTooLarge>,
    /// An error body cut at the limit.
    truncated: bool,
}

impl Received {
    /// The status of the response.
    pub(crate) fn status(&self) -> StatusCode {
        self.status
    }

    /// The headers of the response.
    pub(crate) fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The bytes read (none for a body over the limit).
    pub(crate) fn body(&self) -> &[u8] {
        self.body.as_deref().unwrap_or_default()
    }

    /// A response holding the bytes read; one over the limit fails to read with
    /// [`BodyTooLarge`].
    pub(crate) fn into_response(self) -> Response {
        let body = match self.body {
            Ok(bytes) => reqwest::Body::from(bytes),
            Err(too_large) => reqwest::Body::wrap_stream(futures_util::stream::once(async move {
                Err::<Vec<u8>, BodyTooLarge>(too_large)
            })),
        };
        let mut rebuilt = http::Response::new(body);
        *rebuilt.status_mut() = self.status;
        *rebuilt.version_mut() = self.version;
        *rebuilt.headers_mut() = headers_without_length(self.headers);
        if self.truncated {
            rebuilt.extensions_mut().insert(BodyTruncated);
        }
        Response::from(rebuilt)
    }
}

/// Reads the body of `response` within `limits` (error bodies scrubbed of
/// `credentials`). Fails as reading the body fails (a broken or stalled connection, the
/// attempt's timeout).
pub(crate) async fn read_within_limits(
    mut response: Response,
    limits: ResponseLimits,
    credentials: &Credentials,
) -> reqwest::Result<Received> {
    let status = response.status();
    let version = response.version();
    let declared = response.content_length();
    let headers = std::mem::take(response.headers_mut());
    let success = status.is_success();
    let limit = if success {
        limits.max_body
    } else {
        limits.max_error_body
    };
    let received = |body, truncated| Received {
        status,
        version,
        headers,
        body,
        truncated,
    };
    if success && declared.is_some_and(|n| n > limit as u64) {
        return Ok(received(Err(BodyTooLarge { status, limit }), false));
    }
    let expected = declared.map_or(0, |n| usize::try_from(n).unwrap_or(usize::MAX));
    let mut body = Vec::with_capacity(expected.min(limit).min(DEFAULT_MAX_ERROR_BODY));
    let mut cut = false;
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            cut = true;
            break;
        }
        body.extend_from_slice(&chunk);
    }
    // The rest of a cut body is never read: dropping `response` closes its connection.
    drop(response);
    Ok(match (success, cut) {
        (true, true) => received(Err(BodyTooLarge { status, limit }), false),
        (true, false) => received(Ok(body), false),
        (false, cut) => received(Ok(credentials.scrub(body)), cut),
    })
}

/// The body handed on is not the one the server framed: its length is the bytes read.
fn headers_without_length(mut headers: HeaderMap) -> HeaderMap {
    headers.remove(reqwest::header::CONTENT_LENGTH);
    headers.remove(reqwest::header::TRANSFER_ENCODING);
    headers
}

/// The [`BodyTooLarge`] somewhere in `error`'s chain of causes.
pub(crate) fn body_too_large(error: &(dyn std::error::Error + 'static)) -> Option<BodyTooLarge> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(found) = error.downcast_ref::<BodyTooLarge>() {
            return Some(*found);
        }
        current = error.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_scrub(credentials: &[&str], body: &str, expected: &str) {
        let scrubbed = Credentials::new(credentials.iter().copied()).scrub(body.into());
        assert_eq!(String::from_utf8_lossy(&scrubbed), expected, "{body}");
    }

    #[test]
    fn credentials_are_scrubbed_from_error_bodies() {
        check_scrub(&["sk-123456"], "bad key sk-123456", "bad key <redacted>");
        check_scrub(
            &["sk-123456"],
            r#"{"echo":{"x-api-key":"sk-123456","again":"sk-123456"}}"#,
            r#"{"echo":{"x-api-key":"<redacted>","again":"<redacted>"}}"#,
        );
        check_scrub(
            &["ws42", "ws42-long"],
            "ws42-long ws42",
            "<redacted> <redacted>",
        );
        check_scrub(
            &["abc"],
            "abc is too short to be a credential",
            "abc is too short to be a credential",
        );
        check_scrub(&["sk-123456"], "nothing here", "nothing here");
    }

    #[test]
    fn debug_of_credentials_shows_only_their_count() {
        let shown = format!("{:?}", Credentials::new(["sk-123456", "workspace-1"]));
        assert_eq!(shown, "Credentials(<2 redacted>)");
    }
}
