//! Success bodies that do not decode: serde's explanation without the values it quotes.

use std::fmt;

use super::text::{mask_phone_numbers, shorten, without_quoted_values, MAX_TEXT_MESSAGE};

/// A success body that does not decode into the documented type: serde's explanation
/// with the values it quotes removed (they come from the body: names, numbers), and
/// where in the body it failed.
#[derive(Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
    line: usize,
    column: usize,
}

impl DecodeError {
    pub(super) fn new(error: &serde_json::Error) -> DecodeError {
        let text = error.to_string();
        // serde appends ` at line L column C`; the fields below keep them.
        let text = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(t, _)| t);
        DecodeError {
            message: mask_phone_numbers(&shorten(
                &without_quoted_values(text),
                2 * MAX_TEXT_MESSAGE,
            )),
            line: error.line(),
            column: error.column(),
        }
    }

    /// Why it does not decode, e.g. `missing field `id``.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The line of the body where decoding failed (1-based; 0 when unknown).
    pub fn line(&self) -> usize {
        self.line
    }

    /// The column of the body where decoding failed (1-based; 0 when unknown).
    pub fn column(&self) -> usize {
        self.column
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecodeError({:?})", self.to_string())
    }
}

impl std::error::Error for DecodeError {}
