//! Values that must not show up in logs: secrets and phone numbers as the API reports them.
//!
//! The spec marks them with two named schemas, `Secret` (`format: password`) and
//! `PhoneNumberText`; `cargo xtask gen` makes every field that refers to them one of the
//! types below instead of a `String`, so the derived `Debug` of every generated body
//! (an agent with its ElevenLabs key, a batch call with its number, ...) hides them. On
//! the wire they are plain JSON strings.
//!
//! Every other field of a generated type that can hold text (variables, metadata,
//! transcripts, any free-form object) is shown by the `Debug` that `cargo xtask gen`
//! writes for it through [`MaskedDebug`], which masks the phone numbers in it.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::phone::mask_phone_number;
/// The `Debug` of generated fields that can hold a caller's text: phone numbers masked.
pub(crate) use trillet_redact::MaskedDebug;

/// A secret sent to or received from the API (an ElevenLabs key, a Twilio auth token, a
/// web-call token). `Debug` prints `<redacted>`; [`expose`](Secret::expose) gives the
/// value when you really need it.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Secret {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Secret {
        Secret(value.to_string())
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<Secret, Self::Err> {
        Ok(Secret::from(value))
    }
}

/// A phone number as the API reports it (not checked: the server's own examples hold
/// numbers such as `+00000000000`). `Debug` masks it (`+1******890`); use
/// [`as_str`](PhoneNumberText::as_str) or `Deref` for the number itself. To *send* a number,
/// the API takes [`E164PhoneNumber`](crate::E164PhoneNumber), which is checked.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PhoneNumberText(String);

impl PhoneNumberText {
    /// Wraps a number as reported.
    pub fn new(value: impl Into<String>) -> PhoneNumberText {
        PhoneNumberText(value.into())
    }

    /// The number in full.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number masked for display, e.g. `+1******890`.
    pub fn masked(&self) -> String {
        mask_phone_number(&self.0)
    }
}

impl fmt::Debug for PhoneNumberText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNumberText({:?})", self.masked())
    }
}

impl std::ops::Deref for PhoneNumberText {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl From<String> for PhoneNumberText {
    fn from(value: String) -> PhoneNumberText {
        PhoneNumberText(value)
    }
}

impl From<&str> for PhoneNumberText {
    fn from(value: &str) -> PhoneNumberText {
        PhoneNumberText(value.to_string())
    }
}

impl std::str::FromStr for PhoneNumberText {
    type Err = std::convert::Infallible;

    fn from_str(value: &str) -> Result<PhoneNumberText, Self::Err> {
        Ok(PhoneNumberText::from(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets_and_masks_numbers_but_the_wire_keeps_them() {
        let secret = Secret::new("sk-live-123456");
        let number = PhoneNumberText::new("+14155551234");
        let shown = format!("{secret:?} {number:?} {secret:#?} {number:#?}");
        assert!(!shown.contains("sk-live"), "{shown}");
        assert!(!shown.contains("4155551234"), "{shown}");
        assert_eq!(
            serde_json::to_string(&secret).ok().as_deref(),
            Some("\"sk-live-123456\"")
        );
        assert_eq!(
            serde_json::to_string(&number).ok().as_deref(),
            Some("\"+14155551234\"")
        );
        let back: PhoneNumberText = serde_json::from_str("\"+14155551234\"").expect("a string");
        assert_eq!(back.as_str(), "+14155551234");
    }
}
