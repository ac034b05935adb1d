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

use std::fmt;

use base64::Engine as _;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::preflight::mask_number_like;

/// Name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";

/// Environment variable holding the webhook secret ([`WebhookSecret::from_env`]).
pub const ENV_WEBHOOK_SECRET: &str = "TRILLET_WEBHOOK_SECRET";

/// Most signatures one `X-Trillet-Signature` header may hold (comma-separated).
pub const MAX_SIGNATURES: usize = 8;

/// Longest `X-Trillet-Signature` header accepted, in bytes: room for
/// [`MAX_SIGNATURES`] `sha256=`-prefixed hex signatures with spaces.
pub const MAX_SIGNATURE_HEADER_LEN: usize = 1024;

/// The webhook signing secret (`whsec_...`). Never empty. Its `Debug` output never shows
/// it.
#[derive(Clone)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps the secret copied from the Trillet dashboard, used exactly as given.
    ///
    /// Fails with [`WebhookSecretError::Blank`] when `secret` is empty or only whitespace,
    /// as an unset environment variable often reads.
    pub fn new(secret: impl Into<String>) -> Result<Self, WebhookSecretError> {
        let secret = secret.into();
        if secret.trim().is_empty() {
            return Err(WebhookSecretError::Blank);
        }
        Ok(WebhookSecret(secret))
    }

    /// The secret in `TRILLET_WEBHOOK_SECRET` ([`ENV_WEBHOOK_SECRET`]), without the spaces
    /// or line break around it (as [`Client::from_env`](crate::Client::from_env) reads
    /// its variables). Fails when the variable is unset, empty or not UTF-8.
    pub fn from_env() -> Result<Self, WebhookSecretError> {
        Self::from_env_value(std::env::var(ENV_WEBHOOK_SECRET))
    }

    fn from_env_value(
        value: Result<String, std::env::VarError>,
    ) -> Result<Self, WebhookSecretError> {
        match value {
            Ok(value) if !value.trim().is_empty() => Ok(WebhookSecret(value.trim().to_string())),
            Ok(_) => Err(WebhookSecretError::EnvEmpty),
            Err(std::env::VarError::NotPresent) => Err(WebhookSecretError::EnvNotSet),
            Err(std::env::VarError::NotUnicode(_)) => Err(WebhookSecretError::EnvNotUnicode),
        }
    }

    fn mac(&self) -> hmac::Hmac<Sha256> {
        // HMAC accepts keys of any length, so this cannot fail.
        <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"))
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(<redacted>)")
    }
}

/// Why no [`WebhookSecret`] could be made. Each message says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookSecretError {
    /// [`WebhookSecret::new`] was given an empty or whitespace-only secret.
    Blank,
    /// `TRILLET_WEBHOOK_SECRET` is not set.
    EnvNotSet,
    /// `TRILLET_WEBHOOK_SECRET` is empty or only whitespace.
    EnvEmpty,
    /// `TRILLET_WEBHOOK_SECRET` is not valid UTF-8.
    EnvNotUnicode,
}

impl fmt::Display for WebhookSecretError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = match self {
            WebhookSecretError::Blank => {
                return write!(
                    f,
                    "the webhook secret is empty, and anyone could sign webhooks with it: pass the \
                     whsec_... secret from the Trillet dashboard (or set {ENV_WEBHOOK_SECRET} to it \
                     and use WebhookSecret::from_env())"
                )
            }
            WebhookSecretError::EnvNotSet => "is not set",
            WebhookSecretError::EnvEmpty => "is empty",
            WebhookSecretError::EnvNotUnicode => "is not valid UTF-8",
        };
        write!(
            f,
            "environment variable {ENV_WEBHOOK_SECRET} {problem}: set it to the whsec_... secret \
             from the Trillet dashboard"
        )
    }
}

impl std::error::Error for WebhookSecretError {}

/// Why a webhook was refused. Nothing of the body or the secret is in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The request has no `X-Trillet-Signature` header: refuse it (answer 400 or 401).
    MissingSignature,
    /// The header is not a signature (64 hex digits, optionally `sha256=`-prefixed, or
    /// base64 of 32 bytes), nor a comma-separated list of at most [`MAX_SIGNATURES`] of
    /// them in at most [`MAX_SIGNATURE_HEADER_LEN`] bytes.
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

/// Verifies the signature, then parses the body into a [`WebhookEvent`].
pub fn verify_and_parse(
    secret: &WebhookSecret,
    body: &[u8],
    signature: Option<&str>,
) -> Result<WebhookEvent, WebhookError> {
    verify(secret, body, signature)?;
    WebhookEvent::from_json(body)
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

/// Why a body is not an event, and where, without any of the body: `serde_json`'s own
/// messages quote values (``invalid type: integer `4155551234` ``).
fn payload_error(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let why = match error.classify() {
        Category::Syntax => "the body is not JSON",
        Category::Eof => "the body ends before its JSON does",
        Category::Data => "the body is not an object with a string `event` and a `data`",
        Category::Io => "the body could not be read",
    };
    format!("{why} (line {}, column {})", error.line(), error.column())
}

/// Data of the `call.*` events (the only event data the docs show). Unknown fields are kept
/// in `extra`.
///
/// Written by hand rather than re-exporting the generated
/// [`types::CallEventData`](crate::types::CallEventData) (from the spec's schema of the
/// same name): that type drops the fields it doesn't know, and webhook data is exactly
/// where the docs are thinnest, so a receiver should see everything Trillet sends.
///
/// `Debug` shows `extra`'s keys, not its values (see [the module docs](self)).
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CallEventData {
    /// Identifier of the call.
    #[serde(rename = "callId", default, skip_serializing_if = "Option::is_none")]
    pub call_id: Option<String>,
    /// Identifier of the agent.
    #[serde(rename = "agentId", default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Length of the call in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<f64>,
    /// State of the call, e.g. `completed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Fields the docs do not list yet.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for CallEventData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallEventData")
            .field("call_id", &self.call_id)
            .field("agent_id", &self.agent_id)
            .field("duration", &self.duration)
            // Ids are shown as they are (they are no personal data, and an id's digits are
            // what finds it); the status is masked like any text from outside.
            .field("status", &self.status.as_deref().map(mask_number_like))
            .field("extra", &KeysOf(&self.extra))
            .finish()
    }
}

/// A verified platform event.
///
/// `Debug` shows the keys of free-form data, not its values (see [the module docs](self)).
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `call.started`.
    CallStarted(CallEventData),
    /// `call.completed`.
    CallCompleted(CallEventData),
    /// `call.failed`.
    CallFailed(CallEventData),
    /// `sms.sent` (data undocumented, kept as JSON).
    SmsSent(Map<String, Value>),
    /// `sms.delivered` (data undocumented).
    SmsDelivered(Map<String, Value>),
    /// `agent.created` (data undocumented).
    AgentCreated(Map<String, Value>),
    /// `agent.updated` (data undocumented).
    AgentUpdated(Map<String, Value>),
    /// `flow.created` (data undocumented).
    FlowCreated(Map<String, Value>),
    /// `flow.updated` (data undocumented).
    FlowUpdated(Map<String, Value>),
    /// An event type this version does not know, or a known type whose data has an
    /// unexpected shape; nothing is lost.
    Other {
        /// The `event` field.
        event: String,
        /// The `data` field (`null` when absent).
        data: Value,
    },
}

impl fmt::Debug for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookEvent::CallStarted(call) => f.debug_tuple("CallStarted").field(call).finish(),
            WebhookEvent::CallCompleted(call) => {
                f.debug_tuple("CallCompleted").field(call).finish()
            }
            WebhookEvent::CallFailed(call) => f.debug_tuple("CallFailed").field(call).finish(),
            WebhookEvent::SmsSent(data) => f.debug_tuple("SmsSent").field(&KeysOf(data)).finish(),
            WebhookEvent::SmsDelivered(data) => {
                f.debug_tuple("SmsDelivered").field(&KeysOf(data)).finish()
            }
            WebhookEvent::AgentCreated(data) => {
                f.debug_tuple("AgentCreated").field(&KeysOf(data)).finish()
            }
            WebhookEvent::AgentUpdated(data) => {
                f.debug_tuple("AgentUpdated").field(&KeysOf(data)).finish()
            }
            WebhookEvent::FlowCreated(data) => {
                f.debug_tuple("FlowCreated").field(&KeysOf(data)).finish()
            }
            WebhookEvent::FlowUpdated(data) => {
                f.debug_tuple("FlowUpdated").field(&KeysOf(data)).finish()
            }
            WebhookEvent::Other { event, data } => f
                .debug_struct("Other")
                .field("event", &mask_number_like(event))
                .field("data", &Shape(data))
                .finish(),
        }
    }
}

/// The `Debug` of a JSON object that shows its keys (masked when number-like) and the
/// [`Shape`] of each value.
struct KeysOf<'a>(&'a Map<String, Value>);

impl fmt::Debug for KeysOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .iter()
                    .map(|(key, value)| (mask_number_like(key), Shape(value))),
            )
            .finish()
    }
}

/// The `Debug` of a JSON value without its strings and numbers: `<string>`, `<number>`,
/// `true`, `null`, objects as [`KeysOf`], arrays item by item.
struct Shape<'a>(&'a Value);

impl fmt::Debug for Shape<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Value::Null => f.write_str("null"),
            Value::Bool(value) => write!(f, "{value}"),
            Value::Number(_) => f.write_str("<number>"),
            Value::String(_) => f.write_str("<string>"),
            Value::Array(items) => f.debug_list().entries(items.iter().map(Shape)).finish(),
            Value::Object(map) => KeysOf(map).fmt(f),
        }
    }
}

impl WebhookEvent {
    /// Parses an event body **without** verifying it; prefer [`verify_and_parse`].
    pub fn from_json(body: &[u8]) -> Result<Self, WebhookError> {
        #[derive(Deserialize)]
        struct Envelope {
            event: String,
            #[serde(default)]
            data: Value,
        }
        let envelope: Envelope = serde_json::from_slice(body)
            .map_err(|e| WebhookError::InvalidPayload(payload_error(&e)))?;
        let data = envelope.data;
        let object = |data: &Value| match data {
            Value::Object(map) => Some(map.clone()),
            Value::Null => Some(Map::new()),
            _ => None,
        };
        let call = |data: &Value| serde_json::from_value::<CallEventData>(data.clone()).ok();
        let typed = match envelope.event.as_str() {
            "call.started" => call(&data).map(WebhookEvent::CallStarted),
            "call.completed" => call(&data).map(WebhookEvent::CallCompleted),
            "call.failed" => call(&data).map(WebhookEvent::CallFailed),
            "sms.sent" => object(&data).map(WebhookEvent::SmsSent),
            "sms.delivered" => object(&data).map(WebhookEvent::SmsDelivered),
            "agent.created" => object(&data).map(WebhookEvent::AgentCreated),
            "agent.updated" => object(&data).map(WebhookEvent::AgentUpdated),
            "flow.created" => object(&data).map(WebhookEvent::FlowCreated),
            "flow.updated" => object(&data).map(WebhookEvent::FlowUpdated),
            _ => None,
        };
        Ok(typed.unwrap_or(WebhookEvent::Other {
            event: envelope.event,
            data,
        }))
    }

    /// The event type, e.g. `call.completed`.
    pub fn event_type(&self) -> &str {
        match self {
            WebhookEvent::CallStarted(_) => "call.started",
            WebhookEvent::CallCompleted(_) => "call.completed",
            WebhookEvent::CallFailed(_) => "call.failed",
            WebhookEvent::SmsSent(_) => "sms.sent",
            WebhookEvent::SmsDelivered(_) => "sms.delivered",
            WebhookEvent::AgentCreated(_) => "agent.created",
            WebhookEvent::AgentUpdated(_) => "agent.updated",
            WebhookEvent::FlowCreated(_) => "flow.created",
            WebhookEvent::FlowUpdated(_) => "flow.updated",
            WebhookEvent::Other { event, .. } => event,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret_for_unit_tests";
    const BODY: &[u8] = br#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
    // Computed independently: `printf '%s' "$BODY" | openssl dgst -sha256 -hmac "$SECRET"`.
    const HEX: &str = "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb";
    const BASE64: &str = "FxKO421/+DVzycmungYRSbdhv7ckkVk0Y3tX8IzRSLs=";

    fn secret(secret: &str) -> WebhookSecret {
        WebhookSecret::new(secret).expect("not blank")
    }

    fn check(body: &[u8], secret_text: &str, header: Option<&str>) -> Result<(), WebhookError> {
        verify(&secret(secret_text), body, header)
    }

    #[test]
    fn known_good_signature_verifies_in_every_accepted_encoding() {
        let upper = HEX.to_uppercase();
        let prefixed = format!("sha256={HEX}");
        for header in [
            HEX,
            upper.as_str(),
            prefixed.as_str(),
            BASE64,
            " 17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb ",
        ] {
            assert_eq!(check(BODY, SECRET, Some(header)), Ok(()), "{header}");
        }
    }

    #[test]
    fn tampered_body_is_refused() {
        let tampered = String::from_utf8_lossy(BODY).replace("125", "126");
        assert_eq!(
            check(tampered.as_bytes(), SECRET, Some(HEX)),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn wrong_secret_is_refused() {
        assert_eq!(
            check(BODY, "whsec_another_secret", Some(HEX)),
            Err(WebhookError::SignatureMismatch)
        );
    }

    #[test]
    fn malformed_or_missing_headers_are_refused_without_panicking() {
        assert_eq!(
            check(BODY, SECRET, None),
            Err(WebhookError::MissingSignature)
        );
        let short = &HEX[..62];
        let long = format!("{HEX}00");
        for header in [
            "",
            "sha256=",
            "not-a-signature",
            short,
            long.as_str(),
            "zz128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb",
            "c2hvcnQ=",
        ] {
            assert_eq!(
                check(BODY, SECRET, Some(header)),
                Err(WebhookError::MalformedSignature),
                "{header:?}"
            );
        }
    }

    #[test]
    fn verified_call_event_is_typed() {
        let event = verify_and_parse(&secret(SECRET), BODY, Some(HEX)).expect("valid");
        let WebhookEvent::CallCompleted(call) = &event else {
            panic!("not call.completed: {event:?}")
        };
        assert_eq!(call.call_id.as_deref(), Some("call_xyz789"));
        assert_eq!(call.agent_id.as_deref(), Some("agent_123abc"));
        assert_eq!(call.duration, Some(125.0));
        assert_eq!(event.event_type(), "call.completed");
    }

    #[test]
    fn unknown_event_types_and_odd_payloads_still_parse() {
        let cases: [(&str, &str); 4] = [
            (
                r#"{"event":"call.transferred","data":{"callId":"c1"}}"#,
                "call.transferred",
            ),
            (
                r#"{"event":"call.completed","data":"not an object"}"#,
                "call.completed",
            ),
            (r#"{"event":"sms.sent"}"#, "sms.sent"),
            (
                r#"{"event":"agent.created","data":{"agentId":"a1","brandNew":true}}"#,
                "agent.created",
            ),
        ];
        for (body, event_type) in cases {
            let event = WebhookEvent::from_json(body.as_bytes()).expect(body);
            assert_eq!(event.event_type(), event_type, "{body}");
        }
        let extra = WebhookEvent::from_json(
            br#"{"event":"call.started","data":{"callId":"c2","region":"eu"}}"#,
        )
        .expect("parses");
        let WebhookEvent::CallStarted(call) = extra else {
            panic!("typed")
        };
        assert_eq!(call.extra.get("region"), Some(&Value::from("eu")));
    }

    #[test]
    fn bodies_that_are_not_events_are_invalid_payloads() {
        for body in [&b"not json"[..], b"{}", b"[]", b"{\"event\": 5}"] {
            assert!(matches!(
                WebhookEvent::from_json(body),
                Err(WebhookError::InvalidPayload(_))
            ));
        }
    }

    #[test]
    fn debug_of_the_secret_hides_it() {
        let shown = format!("{:?}", secret(SECRET));
        assert!(!shown.contains("whsec_test"), "{shown}");
    }

    fn check_secret(input: &str, expected: Result<(), WebhookSecretError>) {
        assert_eq!(WebhookSecret::new(input).map(|_| ()), expected, "{input:?}");
    }

    #[test]
    fn empty_or_blank_secrets_are_refused_at_construction() {
        check_secret("", Err(WebhookSecretError::Blank));
        check_secret(" ", Err(WebhookSecretError::Blank));
        check_secret("\t\r\n", Err(WebhookSecretError::Blank));
        check_secret(SECRET, Ok(()));
        check_secret("x", Ok(()));
        let message = WebhookSecretError::Blank.to_string();
        assert!(
            message.contains("whsec_") && message.contains("TRILLET_WEBHOOK_SECRET"),
            "{message}"
        );
    }

    fn check_env(
        value: Result<&str, std::env::VarError>,
        expected: Result<(), WebhookSecretError>,
    ) {
        let secret = WebhookSecret::from_env_value(value.clone().map(str::to_string));
        assert_eq!(secret.map(|_| ()), expected, "{value:?}");
    }

    #[test]
    fn from_env_refuses_an_unset_empty_or_garbled_variable_and_trims_a_good_one() {
        check_env(
            Err(std::env::VarError::NotPresent),
            Err(WebhookSecretError::EnvNotSet),
        );
        check_env(Ok(""), Err(WebhookSecretError::EnvEmpty));
        check_env(Ok("  \n"), Err(WebhookSecretError::EnvEmpty));
        check_env(
            Err(std::env::VarError::NotUnicode(std::ffi::OsString::new())),
            Err(WebhookSecretError::EnvNotUnicode),
        );
        check_env(Ok(SECRET), Ok(()));
        // A line break from `echo >> .env` is not part of the key.
        let trimmed = WebhookSecret::from_env_value(Ok(format!("{SECRET}\n"))).expect("a secret");
        assert_eq!(verify(&trimmed, BODY, Some(HEX)), Ok(()));
        assert_eq!(
            WebhookSecretError::EnvNotSet.to_string(),
            "environment variable TRILLET_WEBHOOK_SECRET is not set: set it to the whsec_... secret from \
             the Trillet dashboard"
        );
    }

    #[test]
    fn several_signatures_in_one_header_pass_when_any_matches() {
        const OTHER: &str = "0000000000000000000000000000000000000000000000000000000000000000";
        let eight_with_the_good_one_last = format!("{}{HEX}", format!("{OTHER},").repeat(7));
        let nine_with_the_good_one_first = format!("{HEX}{}", format!(",{OTHER}").repeat(8));
        let too_long = format!("{HEX},{}", " ".repeat(MAX_SIGNATURE_HEADER_LEN));
        let cases: &[(&str, Result<(), WebhookError>)] = &[
            (&format!("{OTHER},{HEX}"), Ok(())),
            (&format!("{HEX}, {OTHER}"), Ok(())),
            (&format!("sha256={OTHER} , {BASE64}"), Ok(())),
            (&format!(",{HEX},,"), Ok(())),
            (&eight_with_the_good_one_last, Ok(())),
            (
                &format!("{OTHER},{OTHER}"),
                Err(WebhookError::SignatureMismatch),
            ),
            (
                &nine_with_the_good_one_first,
                Err(WebhookError::MalformedSignature),
            ),
            (&too_long, Err(WebhookError::MalformedSignature)),
            (
                &format!("{HEX},not-a-signature"),
                Err(WebhookError::MalformedSignature),
            ),
            (
                &format!("t=1700000000,{HEX}"),
                Err(WebhookError::MalformedSignature),
            ),
            (
                &format!("{HEX} {HEX}"),
                Err(WebhookError::MalformedSignature),
            ),
            (" , ,", Err(WebhookError::MalformedSignature)),
        ];
        for (header, expected) in cases {
            assert_eq!(&check(BODY, SECRET, Some(header)), expected, "{header:?}");
        }
    }

    #[test]
    fn invalid_payload_messages_show_nothing_of_the_body() {
        for (body, expected) in [
            (
                &br#"{"event": 4155551234, "data": {}}"#[..],
                "the body is not an object with a string `event` and a `data` (line 1, column 20)",
            ),
            (
                b"call +14155551234",
                "the body is not JSON (line 1, column 1)",
            ),
            (
                br#"{"event": "+14155"#,
                "the body ends before its JSON does (line 1, column 17)",
            ),
        ] {
            let error = WebhookEvent::from_json(body).expect_err("not an event");
            assert_eq!(error, WebhookError::InvalidPayload(expected.to_string()));
        }
    }

    #[test]
    fn debug_of_events_shows_free_form_keys_not_values() {
        let check_debug = |body: &str, expected: &str| {
            let event = WebhookEvent::from_json(body.as_bytes()).expect(body);
            assert_eq!(format!("{event:?}"), expected, "{body}");
        };
        check_debug(
            r#"{"event":"call.completed","data":{"callId":"c1","status":"completed","from":"+14155551234","tags":["a",2,true,null],"caller":{"name":"Ada"}}}"#,
            r#"CallCompleted(CallEventData { call_id: Some("c1"), agent_id: None, duration: None, status: Some("completed"), extra: {"caller": {"name": <string>}, "from": <string>, "tags": [<string>, <number>, true, null]} })"#,
        );
        check_debug(
            r#"{"event":"sms.sent","data":{"to":"415-555-1234","+1 (415) 555-1234":"Ada"}}"#,
            r#"SmsSent({"+1 (***) ***-*234": <string>, "to": <string>})"#,
        );
        check_debug(
            r#"{"event":"call.transferred","data":["+14155551234"]}"#,
            r#"Other { event: "call.transferred", data: [<string>] }"#,
        );
    }
}
