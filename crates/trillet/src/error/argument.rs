//! Arguments the client refuses before sending anything.

use std::fmt;

use super::cause::RedactedCause;
use super::text::mask_phone_numbers;

/// The cause an [`InvalidArgument`] keeps: a type of this crate whose `Display` and
/// `Debug` mask.
type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An argument the request can't be sent with
/// ([`Error::InvalidArgument`](crate::Error::InvalidArgument)): nothing was sent.
///
/// It says which argument, why, and what to do, on one line:
/// `invalid csv: batch.csv is 30.1 MB, and the API takes at most 20 MB; split the rows
/// into several files and start one batch for each`. Phone numbers are masked in
/// `Display` and `Debug`, and the `source()`, when there is one (the phone number's
/// [`InvalidPhoneNumber`](crate::InvalidPhoneNumber), or the redacted text of a
/// serialisation error), masks them too.
pub struct InvalidArgument {
    argument: &'static str,
    problem: String,
    next_step: Option<&'static str>,
    cause: Option<Cause>,
}

impl InvalidArgument {
    /// `argument` (a parameter's name, e.g. `csv`, `headers`) can't be sent: `problem`.
    /// The problem is masked here, once.
    pub(crate) fn new(argument: &'static str, problem: impl AsRef<str>) -> InvalidArgument {
        InvalidArgument {
            argument,
            problem: mask_phone_numbers(problem.as_ref()),
            next_step: None,
            cause: None,
        }
    }

    /// With what to do about it.
    pub(crate) fn with_next_step(mut self, next_step: &'static str) -> InvalidArgument {
        self.next_step = Some(next_step);
        self
    }

    /// With the error that caused it, kept as its redacted text.
    pub(crate) fn caused_by(
        mut self,
        cause: &(dyn std::error::Error + 'static),
    ) -> InvalidArgument {
        self.cause = Some(Box::new(RedactedCause::of(cause)));
        self
    }

    /// With an error of this crate that masks what it shows, kept as it is.
    fn caused_by_masked(mut self, cause: Cause) -> InvalidArgument {
        self.cause = Some(cause);
        self
    }

    /// The argument, by its parameter's name (`csv`, `file`, `sample`, `fields`,
    /// `parameters`, `headers`, `phone number`, `request`).
    pub fn argument(&self) -> &str {
        self.argument
    }

    /// Why it can't be sent (phone numbers masked).
    pub fn problem(&self) -> &str {
        &self.problem
    }

    /// What to do about it, when the problem does not say.
    pub fn next_step(&self) -> Option<&str> {
        self.next_step
    }
}

/// `invalid <argument>: <problem>; <what to do>`.
impl fmt::Display for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {}: {}", self.argument, self.problem)?;
        if let Some(next_step) = self.next_step {
            write!(f, "; {next_step}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for InvalidArgument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InvalidArgument")
            .field("argument", &self.argument)
            .field("problem", &self.problem)
            .field("next_step", &self.next_step)
            .field("cause", &self.cause)
            .finish()
    }
}

impl std::error::Error for InvalidArgument {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_deref()
            .map(|cause| cause as &(dyn std::error::Error + 'static))
    }
}

/// A phone number that is not E.164: the request is not sent. Its message and `Debug`
/// mask the number, so it is kept as the cause.
impl From<crate::InvalidPhoneNumber> for InvalidArgument {
    fn from(error: crate::InvalidPhoneNumber) -> InvalidArgument {
        // `+1******890 does not start with ...`: the problem says what E.164 is.
        let problem = match error.problem() {
            crate::PhoneNumberProblem::Empty => "it is empty".to_string(),
            problem => format!("{} {problem}", error.masked()),
        };
        InvalidArgument::new("phone number", problem).caused_by_masked(Box::new(error))
    }
}

/// A value that does not convert into a request type (an enum's text that is not one of
/// its values, a string that breaks the schema's constraints).
impl From<crate::types::error::ConversionError> for InvalidArgument {
    fn from(error: crate::types::error::ConversionError) -> InvalidArgument {
        InvalidArgument::new(
            "value",
            format!(
                "it does not convert into the request type ({})",
                RedactedCause::of(&error)
            ),
        )
        .with_next_step("use one of the values the type documents")
        .caused_by(&error)
    }
}
