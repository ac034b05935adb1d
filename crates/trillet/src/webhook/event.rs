//! The events a webhook carries, parsed leniently, with a `Debug` that shows the shape of
//! free-form data and none of its values.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::WebhookError;
use crate::preflight::mask_number_like;

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
/// `Debug` shows `extra`'s keys, not its values (see [the module docs](super)).
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
/// `Debug` shows the keys of free-form data, not its values (see [the module docs](super)).
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
    /// Parses an event body **without** verifying it; prefer [`verify_and_parse`](super::verify_and_parse).
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
