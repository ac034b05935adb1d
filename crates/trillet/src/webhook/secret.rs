//! The webhook signing secret: never empty, never shown.

use std::fmt;

use hmac::KeyInit;
use sha2::Sha256;

use super::protocol::ENV_WEBHOOK_SECRET;

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

    pub(super) fn from_env_value(
        value: Result<String, std::env::VarError>,
    ) -> Result<Self, WebhookSecretError> {
        match value {
            Ok(value) if !value.trim().is_empty() => Ok(WebhookSecret(value.trim().to_string())),
            Ok(_) => Err(WebhookSecretError::EnvEmpty),
            Err(std::env::VarError::NotPresent) => Err(WebhookSecretError::EnvNotSet),
            Err(std::env::VarError::NotUnicode(_)) => Err(WebhookSecretError::EnvNotUnicode),
        }
    }

    pub(super) fn mac(&self) -> hmac::Hmac<Sha256> {
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
