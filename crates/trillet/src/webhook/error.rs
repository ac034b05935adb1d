//! Why a webhook was refused.

use std::fmt;

use super::protocol::{MAX_SIGNATURES, SIGNATURE_HEADER};

/// Why a webhook was refused. Nothing of the body or the secret is in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The request has no `X-Trillet-Signature` header: refuse it (answer 400 or 401).
    MissingSignature,
    /// The header is not a signature (64 hex digits, optionally `sha256=`-prefixed, or
    /// base64 of 32 bytes), nor a comma-separated list of at most [`MAX_SIGNATURES`] of
    /// them in at most [`MAX_SIGNATURE_HEADER_LEN`](super::MAX_SIGNATURE_HEADER_LEN) bytes.
    MalformedSignature,
    /// No signature of the header matches the body: the body was altered, or the secret is
    /// wrong.
    SignatureMismatch,
    /// The body is signed correctly but is not a webhook event (`{"event": ..., "data": ...}`).
    /// The message says why and where (line and column), without any of the body.
    InvalidPayload(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::MissingSignature => {
                write!(f, "webhook refused: no {SIGNATURE_HEADER} header")
            }
            WebhookError::MalformedSignature => write!(
                f,
                "webhook refused: {SIGNATURE_HEADER} is not a hex or base64 HMAC-SHA256 (or a \
                 comma-separated list of at most {MAX_SIGNATURES})"
            ),
            WebhookError::SignatureMismatch => write!(
                f,
                "webhook refused: signature does not match the body (check the whsec_ secret, and verify the raw body before any parsing)"
            ),
            WebhookError::InvalidPayload(why) => {
                write!(f, "webhook signed but not an event: {why}")
            }
        }
    }
}

impl std::error::Error for WebhookError {}
