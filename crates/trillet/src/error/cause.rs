//! The causes an error keeps as its `source()` when the original error could print what
//! must not be printed: its text, on one line, phone numbers masked and the values serde
//! quotes left out.

use std::fmt;
use std::io;

use super::text::{chain, mask_phone_numbers, shorten, without_quoted_values, MAX_TEXT_MESSAGE};

/// The cause of an error, kept as redacted text: the original error's message and those
/// of its own causes, on one line, cut at 400 characters, every `"..."` emptied and phone
/// numbers masked. Its `Display` and `Debug` show that text only, and it has no
/// `source()` of its own (the chain is in the text).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct RedactedCause(String);

impl RedactedCause {
    /// The redacted text of `error` and its causes.
    pub(crate) fn of(error: &(dyn std::error::Error + 'static)) -> RedactedCause {
        let text = without_quoted_values(&chain(error));
        RedactedCause(mask_phone_numbers(&shorten(&text, 2 * MAX_TEXT_MESSAGE)))
    }
}

impl fmt::Display for RedactedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RedactedCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RedactedCause({:?})", self.0)
    }
}

impl std::error::Error for RedactedCause {}

/// `error` as an error of this crate may keep it. An error of the operating system, or
/// one of the standard library's fixed messages, says nothing of the file or the data
/// (`No such file or directory (os error 2)`: `std::fs` never puts the path in it), so it
/// is kept as it is; any other error (a reader's own) is replaced by an `io::Error` of the
/// same kind around its [`RedactedCause`].
pub(crate) fn redacted_io(error: io::Error) -> io::Error {
    let cause = error.get_ref().map(|inner| RedactedCause::of(inner));
    match cause {
        None => error,
        Some(cause) => io::Error::new(error.kind(), cause),
    }
}
