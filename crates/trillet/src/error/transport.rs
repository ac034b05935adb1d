//! Transport failures as the client keeps them: text without the request's URL, phone
//! numbers masked.

use std::fmt;

use super::text::{chain, mask_phone_numbers, shorten, MAX_TEXT_MESSAGE};

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

/// A transport failure (of [`Error::Timeout`](crate::Error::Timeout) or
/// [`Error::Transport`](crate::Error::Transport)), kept as text with
/// its causes but without the request's URL (whose query may carry a phone number) and
/// with phone numbers masked. It has no `source()`: the underlying reqwest and hyper
/// errors would print the URL.
#[derive(Clone, PartialEq, Eq)]
pub struct TransportError {
    kind: TransportErrorKind,
    message: String,
}

impl TransportError {
    pub(super) fn new(error: reqwest::Error) -> TransportError {
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
