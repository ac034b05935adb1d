//! Verify and parse the platform webhooks Trillet sends to your endpoint.
//!
//! Trillet signs each webhook request with HMAC-SHA256 of the **raw body**, keyed with the
//! `whsec_...` secret from the dashboard, and sends it in the `X-Trillet-Signature` header.
//! Always verify before parsing: [`verify_and_parse`] does both.
//!
//! What the docs leave open, and what this module does about it (see `openapi/CURATION.md`,
//! E28):
//! - **Key**: the whole secret string, `whsec_` prefix included, is the HMAC key (the docs'
//!   example is `openssl sha256 -hmac "$SECRET"`).
//! - **Encoding** of the signature is not stated: lower- or upper-case hex (optionally
//!   prefixed `sha256=`) and standard base64 are accepted. The comparison is constant-time
//!   whatever the encoding.
//! - **Replay protection**: the docs define no timestamp or event id, so none can be checked
//!   here. Webhooks may be retried: make your handler idempotent (for example key on
//!   `event` plus `data.callId`).
//! - **Unknown event types** parse into [`WebhookEvent::Other`] rather than failing.
//!
//! ```
//! use trillet::webhook::{verify_and_parse, WebhookEvent, WebhookSecret};
//!
//! let secret = WebhookSecret::new("whsec_test_secret_for_unit_tests");
//! let body = br#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
//! let signature = "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb";
//! match verify_and_parse(&secret, body, Some(signature))? {
//!     WebhookEvent::CallCompleted(call) => assert_eq!(call.call_id.as_deref(), Some("call_xyz789")),
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), trillet::webhook::WebhookError>(())
//! ```
//!
//! In an HTTP handler (the README's example, kept identical by a test):
//!
//! ```
//! use trillet::webhook::{verify_and_parse, WebhookEvent, WebhookSecret};
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

/// Name of the header that carries the signature.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";

/// The webhook signing secret (`whsec_...`). Its `Debug` output never shows it.
#[derive(Clone)]
pub struct WebhookSecret(String);

impl WebhookSecret {
    /// Wraps the secret copied from the Trillet dashboard.
    pub fn new(secret: impl Into<String>) -> Self {
        WebhookSecret(secret.into())
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

/// Why a webhook was refused. Nothing of the body or the secret is in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WebhookError {
    /// The request has no `X-Trillet-Signature` header: refuse it (answer 400 or 401).
    MissingSignature,
    /// The header is neither 64 hex digits (optionally `sha256=`-prefixed) nor base64 of 32
    /// bytes.
    MalformedSignature,
    /// The signature does not match the body: the body was altered, or the secret is wrong.
    SignatureMismatch,
    /// The body is signed correctly but is not a webhook event (`{"event": ..., "data": ...}`).
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
                "webhook refused: {SIGNATURE_HEADER} is not a hex or base64 HMAC-SHA256"
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

/// Checks `signature` (the `X-Trillet-Signature` header value) against the raw `body`.
pub fn verify(
    secret: &WebhookSecret,
    body: &[u8],
    signature: Option<&str>,
) -> Result<(), WebhookError> {
    let signature = signature.ok_or(WebhookError::MissingSignature)?;
    let expected = decode_signature(signature).ok_or(WebhookError::MalformedSignature)?;
    let mut mac = secret.mac();
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| WebhookError::SignatureMismatch)
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

/// Decodes hex (either case, optional `sha256=` prefix) or base64 into the 32 signature bytes.
fn decode_signature(header: &str) -> Option<Vec<u8>> {
    let value = header.trim();
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

/// Data of the `call.*` events (the only event data the docs show). Unknown fields are kept
/// in `extra`.
///
/// Written by hand rather than re-exporting the generated
/// [`types::CallEventData`](crate::types::CallEventData) (from the spec's schema of the
/// same name): that type drops the fields it doesn't know, and webhook data is exactly
/// where the docs are thinnest, so a receiver should see everything Trillet sends.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
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

/// A verified platform event.
#[derive(Debug, Clone, PartialEq)]
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
            .map_err(|e| WebhookError::InvalidPayload(e.to_string()))?;
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

    fn check(body: &[u8], secret: &str, header: Option<&str>) -> Result<(), WebhookError> {
        verify(&WebhookSecret::new(secret), body, header)
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
        let event = verify_and_parse(&WebhookSecret::new(SECRET), BODY, Some(HEX)).expect("valid");
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
        let shown = format!("{:?}", WebhookSecret::new(SECRET));
        assert!(!shown.contains("whsec_test"), "{shown}");
    }
}
