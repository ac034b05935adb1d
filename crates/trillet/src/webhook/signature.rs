//! Checking the `X-Trillet-Signature` header against the raw body: hex or base64
//! HMAC-SHA256, one or a short list, each compared in constant time.

use base64::Engine as _;
use hmac::Mac;

use super::error::WebhookError;
use super::protocol::{MAX_SIGNATURES, MAX_SIGNATURE_HEADER_LEN};
use super::secret::WebhookSecret;

/// Checks `signature` (the `X-Trillet-Signature` header value: one signature, or several
/// separated by commas) against the raw `body`. Passes when any signature matches.
///
/// A framework that gives a header sent twice as two values: join them with `", "`.
pub fn verify(
    secret: &WebhookSecret,
    body: &[u8],
    signature: Option<&str>,
) -> Result<(), WebhookError> {
    let header = signature.ok_or(WebhookError::MissingSignature)?;
    let candidates = decode_signatures(header).ok_or(WebhookError::MalformedSignature)?;
    let mut mac = secret.mac();
    mac.update(body);
    // Every candidate is compared, each in constant time (`verify_slice`).
    let matched = candidates.iter().fold(false, |matched, candidate| {
        mac.clone().verify_slice(candidate).is_ok() | matched
    });
    if matched {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// The signatures of a header: 1 to [`MAX_SIGNATURES`], comma-separated, with spaces
/// around them and empty elements ignored (RFC 9110's list syntax). `None` when the header
/// is too long, holds too many, or any element is not a signature.
fn decode_signatures(header: &str) -> Option<Vec<Vec<u8>>> {
    if header.len() > MAX_SIGNATURE_HEADER_LEN {
        return None;
    }
    let mut signatures = Vec::new();
    for element in header.split(',').map(str::trim).filter(|e| !e.is_empty()) {
        if signatures.len() == MAX_SIGNATURES {
            return None;
        }
        signatures.push(decode_signature(element)?);
    }
    (!signatures.is_empty()).then_some(signatures)
}

/// Decodes hex (either case, optional `sha256=` prefix) or base64 into the 32 signature bytes.
fn decode_signature(value: &str) -> Option<Vec<u8>> {
    let value = value.strip_prefix("sha256=").unwrap_or(value);
    if value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        return value
            .as_bytes()
            .chunks(2)
            .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok())
            .collect();
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(value)
        .ok()?;
    (bytes.len() == 32).then_some(bytes)
}
