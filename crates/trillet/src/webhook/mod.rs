//! Verify and parse the platform webhooks Trillet sends to your endpoint.
//!
//! Trillet signs each webhook request with HMAC-SHA256 of the **raw body**, keyed with the
//! `whsec_...` secret from the dashboard, and sends it in the `X-Trillet-Signature` header.
//! Always verify before parsing: [`verify_and_parse`] does both.
//!
//! What the docs leave open, and what this module does about it (see `openapi/CURATION.md`,
//! E28):
//! - **Key**: the whole secret string, `whsec_` prefix included, is the HMAC key (the docs'
//!   example is `openssl sha256 -hmac "$SECRET"`). An empty or whitespace-only secret is
//!   refused when the [`WebhookSecret`] is made ([`WebhookSecretError`]): an unset
//!   environment variable must not turn into a key anyone can sign with.
//! - **Encoding** of the signature is not stated: lower- or upper-case hex (optionally
//!   prefixed `sha256=`) and standard base64 are accepted. The comparison is constant-time
//!   whatever the encoding.
//! - **Several signatures** in one header are not mentioned. A header may hold up to
//!   [`MAX_SIGNATURES`] signatures separated by commas (`sig1, sig2`: the HTTP list syntax,
//!   and what a server sends while it rotates its key, or what a framework makes of a
//!   header sent twice); the webhook passes when any of them matches, and each is compared
//!   in constant time. Any element that is not a signature, more than [`MAX_SIGNATURES`],
//!   or a header longer than [`MAX_SIGNATURE_HEADER_LEN`] bytes is a
//!   [`WebhookError::MalformedSignature`]: a list cannot make verification cheaper to
//!   guess or more expensive to run. To rotate the secret on your side, verify with the new
//!   secret, then with the old one while it may still be in use:
//!   `verify(&new, body, signature).or_else(|_| verify(&old, body, signature))`.
//! - **Replay protection**: the docs define no timestamp or event id, so none can be checked
//!   here. Webhooks may be retried: make your handler idempotent (for example key on
//!   `event` plus `data.callId`).
//! - **Unknown event types** parse into [`WebhookEvent::Other`] rather than failing.
//! - **`Debug`** of an event shows its documented fields (ids, duration, and the status,
//!   masked if it has seven digits or more) and, of
//!   the free-form data (`CallEventData::extra`, the data of the `sms.*`, `agent.*` and
//!   `flow.*` events and of [`WebhookEvent::Other`]), only the keys and the type of each
//!   value, never a value: free-form data may hold phone numbers in any spelling
//!   (`+1 (415) 555-1234`), which no masking finds reliably. A key with seven digits or
//!   more is masked. The values are in the fields, for code that needs them (and logs
//!   them knowingly). [`WebhookError`]'s messages hold nothing of the body either.
//!
//! ```
//! use trillet::webhook::{verify_and_parse, WebhookEvent, WebhookSecret};
//!
//! let secret = WebhookSecret::new("whsec_test_secret_for_unit_tests")?;
//! let body = br#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
//! let signature = "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb";
//! match verify_and_parse(&secret, body, Some(signature))? {
//!     WebhookEvent::CallCompleted(call) => assert_eq!(call.call_id.as_deref(), Some("call_xyz789")),
//!     other => panic!("unexpected {other:?}"),
//! }
//!
//! // An unset variable read as "" is no secret.
//! assert!(WebhookSecret::new("").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! In an HTTP handler (the README's example, kept identical by a test):
//!
//! ```
//! use trillet::webhook::{verify_and_parse, WebhookEvent, WebhookSecret, WebhookSecretError};
//!
//! /// At startup: fails when TRILLET_WEBHOOK_SECRET is unset or empty.
//! fn load_secret() -> Result<WebhookSecret, WebhookSecretError> {
//!     WebhookSecret::from_env()
//! }
//!
//! fn handle(secret: &WebhookSecret, body: &[u8], signature: Option<&str>) -> u16 {
//!     match verify_and_parse(secret, body, signature) {
//!         Ok(WebhookEvent::CallCompleted(call)) => {
//!             println!("call {:?} completed in {:?} s", call.call_id, call.duration);
//!             200
//!         }
//!         Ok(other) => {
//!             println!("{} (not handled)", other.event_type());
//!             200 // acknowledge what you don't handle, or it may be sent again
//!         }
//!         Err(refused) => {
//!             eprintln!("{refused}");
//!             401
//!         }
//!     }
//! }
//! ```

mod error;
mod event;
mod protocol;
mod secret;
mod signature;

pub use error::WebhookError;
pub use event::{CallEventData, WebhookEvent};
pub use protocol::{
    ENV_WEBHOOK_SECRET, MAX_SIGNATURES, MAX_SIGNATURE_HEADER_LEN, SIGNATURE_HEADER,
};
pub use secret::{WebhookSecret, WebhookSecretError};
pub use signature::verify;

/// Verifies the signature, then parses the body into a [`WebhookEvent`].
pub fn verify_and_parse(
    secret: &WebhookSecret,
    body: &[u8],
    signature: Option<&str>,
) -> Result<WebhookEvent, WebhookError> {
    verify(secret, body, signature)?;
    WebhookEvent::from_json(body)
}

#[cfg(test)]
mod tests;
