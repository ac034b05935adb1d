//! Platform webhooks: when the mock is given a loopback URL and a secret, it posts the
//! `call.started`, `call.completed` and `call.failed` events of every call it simulates,
//! signed as the contract says (HMAC-SHA256 of the raw body, keyed with the whole secret,
//! lower-case hex in `X-Trillet-Signature`).
//!
//! The signature is computed here, independently of `trillet::webhook` (the tests verify
//! the mock's webhooks with that module, so each checks the other).

use std::fmt;

use hmac::{KeyInit, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::state::{CallState, State};

/// The header of the signature.
pub const SIGNATURE_HEADER: &str = "X-Trillet-Signature";

/// Where webhooks go, and the secret they are signed with.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    url: String,
    secret: String,
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &self.url)
            .field("secret", &"***")
            .finish()
    }
}

impl WebhookTarget {
    /// A target on loopback (`http://127.0.0.1:...`, `http://localhost:...`,
    /// `http://[::1]:...`): the mock never sends a request to another host.
    ///
    /// # Errors
    ///
    /// When the URL is not plain HTTP on loopback, or the secret is empty.
    pub fn new(url: impl Into<String>, secret: impl Into<String>) -> Result<WebhookTarget, String> {
        let (url, secret) = (url.into(), secret.into());
        let rest = url.strip_prefix("http://").ok_or_else(|| {
            format!("webhook URL {url:?}: only http:// URLs on loopback are allowed")
        })?;
        let host = rest.split(['/', '?']).next().unwrap_or("");
        let host = host.rsplit_once(':').map_or(host, |(h, port)| {
            if port.chars().all(|c| c.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        if !matches!(host, "127.0.0.1" | "localhost" | "[::1]") {
            return Err(format!(
                "webhook URL {url:?}: the host must be 127.0.0.1, localhost or [::1] (the mock sends nothing off this machine)"
            ));
        }
        if secret.trim().is_empty() {
            return Err(
                "the webhook secret is empty: set one (e.g. whsec_test) to sign with".to_owned(),
            );
        }
        Ok(WebhookTarget { url, secret })
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The signature of `body`: lower-case hex HMAC-SHA256 keyed with the secret.
    pub fn sign(&self, body: &[u8]) -> String {
        let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(self.secret.as_bytes())
            .expect("HMAC takes a key of any length");
        mac.update(body);
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The events that became due by `now` and were not sent yet, marked as sent.
pub fn due_events(state: &mut State, now: u64) -> Vec<Value> {
    let mut events = Vec::new();
    for call in &mut state.calls {
        let cancelled_before_start = call.cancelled_ms.is_some_and(|c| c <= call.start_ms);
        if !call.started_sent && now >= call.start_ms && !cancelled_before_start {
            call.started_sent = true;
            events.push((
                call.start_ms,
                json!({"event": "call.started", "data": {
                "callId": call.call_id, "agentId": call.agent_id, "status": "in-progress"}}),
            ));
        }
        if call.ended_sent {
            continue;
        }
        let ended = match call.state(now) {
            CallState::Completed => Some("call.completed"),
            CallState::Failed => Some("call.failed"),
            CallState::Cancelled if call.started_sent => Some("call.failed"),
            CallState::Cancelled => {
                call.ended_sent = true;
                None
            }
            CallState::Waiting | CallState::Active => None,
        };
        if let Some(event) = ended {
            call.ended_sent = true;
            let end = call.end_ms().min(call.cancelled_ms.unwrap_or(u64::MAX));
            let status = if event == "call.completed" {
                "completed"
            } else {
                "failed"
            };
            events.push((
                end,
                json!({"event": event, "data": {
                "callId": call.call_id, "agentId": call.agent_id,
                "duration": (end - call.start_ms) as f64 / 1000.0, "status": status}}),
            ));
        }
    }
    events.sort_by_key(|(at, _)| *at);
    events.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::WebhookTarget;

    #[test]
    fn the_signature_is_the_documented_one() {
        // The vector of trillet::webhook's documentation.
        let target = WebhookTarget::new(
            "http://127.0.0.1:9/hooks",
            "whsec_test_secret_for_unit_tests",
        )
        .expect("valid");
        let body = br#"{"event":"call.completed","data":{"callId":"call_xyz789","agentId":"agent_123abc","duration":125,"status":"completed"}}"#;
        assert_eq!(
            target.sign(body),
            "17128ee36d7ff83573c9c9ae9e061149b761bfb724915934637b57f08cd148bb"
        );
        assert!(!format!("{target:?}").contains("whsec"));
    }

    #[test]
    fn only_loopback_urls_and_real_secrets_are_accepted() {
        for url in [
            "http://localhost/h",
            "http://[::1]:8080/h",
            "http://127.0.0.1:1234",
        ] {
            assert!(WebhookTarget::new(url, "s").is_ok(), "{url}");
        }
        for url in [
            "https://127.0.0.1/h",
            "http://127.0.0.1.example.com/h",
            "http://127.0.0.1@example.com/h",
            "http://example.com/",
        ] {
            assert!(WebhookTarget::new(url, "s").is_err(), "{url}");
        }
        assert!(WebhookTarget::new("http://127.0.0.1/h", " ").is_err());
    }
}
