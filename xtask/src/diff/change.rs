//! The leaf types of a comparison: where a value travels and one classified change.

use super::rules::Rule;

/// Where the two documents travel: requests (what callers send) or responses (what they
/// decode; webhook bodies count as responses, their receivers decode them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    /// Sent by callers.
    Request,
    /// Decoded by callers.
    Response,
}

impl Direction {
    /// The other direction (an operation's responses travel back).
    pub fn reversed(self) -> Direction {
        match self {
            Direction::Request => Direction::Response,
            Direction::Response => Direction::Request,
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The rule that classifies it.
    pub rule: &'static Rule,
    /// Where: a JSON pointer of the new document (of the old one for what was removed);
    /// inside a component when the change is reached through a `$ref`.
    pub pointer: String,
    /// What changed.
    pub detail: String,
}
