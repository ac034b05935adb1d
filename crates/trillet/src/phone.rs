//! E.164 phone numbers: the one check every number goes through before it leaves the
//! machine (the bodies of `sendCall` and `initiateCall`, every row of a batch CSV), and
//! the masking that keeps numbers out of messages, logs and `Debug` output.
//!
//! ```
//! use trillet::E164PhoneNumber;
//!
//! let number: E164PhoneNumber = "+14155551234".parse()?;
//! assert_eq!(number.as_str(), "+14155551234");
//! assert_eq!(format!("{number:?}"), "E164PhoneNumber(\"+1*******234\")");
//!
//! let error = "+1 415 555 1234".parse::<E164PhoneNumber>().expect_err("spaces");
//! assert_eq!(
//!     error.to_string(),
//!     "phone number +1 *** *** *234 contains characters other than digits after the `+` \
//!      (remove spaces, dashes, dots and parentheses)"
//! );
//! # Ok::<(), trillet::InvalidPhoneNumber>(())
//! ```

use std::fmt;
use std::str::FromStr;

/// The pattern of the spec's `E164PhoneNumber` schema, which [`check_e164`] implements:
/// `+`, a first digit 1-9, then 7 to 14 more digits.
pub const E164_PATTERN: &str = r"^\+[1-9][0-9]{7,14}$";

/// Fewest digits of an E.164 number, country code included.
pub const E164_MIN_DIGITS: usize = 8;
/// Most digits of an E.164 number, country code included.
pub const E164_MAX_DIGITS: usize = 15;

/// Why a text is not an E.164 phone number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneNumberProblem {
    /// Nothing at all.
    Empty,
    /// Spaces or tabs before or after the number.
    SurroundingWhitespace,
    /// The first character is not `+`.
    MissingPlus,
    /// Something other than a digit after the `+` (a space, dash, dot, parenthesis, letter).
    NotDigits,
    /// The digit after the `+` is 0: country codes start with 1 to 9.
    CountryCodeStartsWithZero,
    /// Fewer than 8 digits.
    TooFewDigits {
        /// How many digits there are.
        digits: usize,
    },
    /// More than 15 digits.
    TooManyDigits {
        /// How many digits there are.
        digits: usize,
    },
}

impl fmt::Display for PhoneNumberProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PhoneNumberProblem::Empty => f.write_str("is empty"),
            PhoneNumberProblem::SurroundingWhitespace => f.write_str("has spaces around it"),
            PhoneNumberProblem::MissingPlus => f.write_str(
                "does not start with `+` (E.164 is `+`, the country code, then the number)",
            ),
            PhoneNumberProblem::NotDigits => f.write_str(
                "contains characters other than digits after the `+` \
                 (remove spaces, dashes, dots and parentheses)",
            ),
            PhoneNumberProblem::CountryCodeStartsWithZero => {
                f.write_str("has 0 right after the `+` (country codes start with 1 to 9)")
            }
            PhoneNumberProblem::TooFewDigits { digits }
            | PhoneNumberProblem::TooManyDigits { digits } => {
                write!(
                    f,
                    "has {digits} digits; E.164 allows {E164_MIN_DIGITS} to {E164_MAX_DIGITS}"
                )
            }
        }
    }
}

/// Checks that `text` is an E.164 phone number (the spec's pattern [`E164_PATTERN`]),
/// and says why not. Allocates nothing.
///
/// ```
/// use trillet::{check_e164, PhoneNumberProblem};
///
/// assert_eq!(check_e164("+14155551234"), Ok(()));
/// assert_eq!(check_e164("14155551234"), Err(PhoneNumberProblem::MissingPlus));
/// assert_eq!(check_e164("+1415555"), Err(PhoneNumberProblem::TooFewDigits { digits: 7 }));
/// ```
pub fn check_e164(text: &str) -> Result<(), PhoneNumberProblem> {
    if text.is_empty() {
        return Err(PhoneNumberProblem::Empty);
    }
    if text.trim() != text {
        return Err(PhoneNumberProblem::SurroundingWhitespace);
    }
    let Some(digits) = text.strip_prefix('+') else {
        return Err(PhoneNumberProblem::MissingPlus);
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PhoneNumberProblem::NotDigits);
    }
    if digits.starts_with('0') {
        return Err(PhoneNumberProblem::CountryCodeStartsWithZero);
    }
    match digits.len() {
        n if n < E164_MIN_DIGITS => Err(PhoneNumberProblem::TooFewDigits { digits: n }),
        n if n > E164_MAX_DIGITS => Err(PhoneNumberProblem::TooManyDigits { digits: n }),
        _ => Ok(()),
    }
}

/// Masks a value that is, or was meant to be, a phone number, so that it can appear in
/// a message: a leading `+`, the first digit and the last three digits stay, the other
/// digits become `*` and separators stay (`+14155551234` becomes `+1*******234`, exactly
/// as [`mask_phone_numbers`](crate::mask_phone_numbers) masks it in free text). A value
/// that is not one phone number (too short, letters, a control character) is masked
/// whole; long values are shortened. The workspace's one masker, `trillet-redact`.
///
/// ```
/// assert_eq!(trillet::mask_phone_number("+1234567890"), "+1******890");
/// assert_eq!(trillet::mask_phone_number("+1 415 555 1234"), "+1 *** *** *234");
/// assert_eq!(trillet::mask_phone_number("12345"), "*****");
/// ```
pub fn mask_phone_number(value: &str) -> String {
    trillet_redact::mask_phone_number(value)
}

/// A text that is not an E.164 phone number: the masked text and the reason.
///
/// Its messages never show the number in full.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPhoneNumber {
    masked: String,
    problem: PhoneNumberProblem,
}

impl InvalidPhoneNumber {
    /// The error for `text`, refused for `problem`.
    pub(crate) fn new(text: &str, problem: PhoneNumberProblem) -> InvalidPhoneNumber {
        InvalidPhoneNumber {
            masked: mask_phone_number(text),
            problem,
        }
    }

    /// Why the text was refused.
    pub fn problem(&self) -> PhoneNumberProblem {
        self.problem
    }

    /// The text as this error shows it, masked by [`mask_phone_number`].
    pub fn masked(&self) -> &str {
        &self.masked
    }
}

impl fmt::Display for InvalidPhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.problem == PhoneNumberProblem::Empty {
            return f.write_str("phone number is empty");
        }
        write!(f, "phone number {} {}", self.masked, self.problem)
    }
}

impl std::error::Error for InvalidPhoneNumber {}

/// A phone number in E.164 format (`+` then 8 to 15 digits, the first one 1 to 9), the
/// type of `toNumber` in `sendCall` and of `to` in `initiateCall`.
///
/// It can only be built from a valid number ([`FromStr`], [`TryFrom`], deserializing),
/// so a call to an invalid number fails before any request is made, with an
/// [`InvalidPhoneNumber`] that says why. `Debug` masks the number; [`as_str`] gives it.
///
/// [`as_str`]: E164PhoneNumber::as_str
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct E164PhoneNumber(String);

impl E164PhoneNumber {
    /// The number, if `text` is in E.164.
    pub fn new(text: impl Into<String>) -> Result<E164PhoneNumber, InvalidPhoneNumber> {
        let text = text.into();
        match check_e164(&text) {
            Ok(()) => Ok(E164PhoneNumber(text)),
            Err(problem) => Err(InvalidPhoneNumber::new(&text, problem)),
        }
    }

    /// The number, e.g. `+14155551234`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number masked for messages, e.g. `+1*******234`.
    pub fn masked(&self) -> String {
        mask_phone_number(&self.0)
    }
}

impl fmt::Debug for E164PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("E164PhoneNumber")
            .field(&self.masked())
            .finish()
    }
}

impl std::ops::Deref for E164PhoneNumber {
    type Target = String;

    fn deref(&self) -> &String {
        &self.0
    }
}

impl AsRef<str> for E164PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<E164PhoneNumber> for String {
    fn from(number: E164PhoneNumber) -> String {
        number.0
    }
}

impl FromStr for E164PhoneNumber {
    type Err = InvalidPhoneNumber;

    fn from_str(text: &str) -> Result<E164PhoneNumber, InvalidPhoneNumber> {
        E164PhoneNumber::new(text)
    }
}

impl TryFrom<&str> for E164PhoneNumber {
    type Error = InvalidPhoneNumber;

    fn try_from(text: &str) -> Result<E164PhoneNumber, InvalidPhoneNumber> {
        E164PhoneNumber::new(text)
    }
}

impl TryFrom<String> for E164PhoneNumber {
    type Error = InvalidPhoneNumber;

    fn try_from(text: String) -> Result<E164PhoneNumber, InvalidPhoneNumber> {
        E164PhoneNumber::new(text)
    }
}

impl<'de> serde::Deserialize<'de> for E164PhoneNumber {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<E164PhoneNumber, D::Error> {
        let text = String::deserialize(deserializer)?;
        E164PhoneNumber::new(text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<(), PhoneNumberProblem>) {
        assert_eq!(check_e164(text), expected, "{text:?}");
    }

    #[test]
    fn e164_check_accepts_the_spec_pattern_and_names_each_departure() {
        use PhoneNumberProblem::*;
        check("+14155551234", Ok(()));
        check("+12345678", Ok(()));
        check("+123456789012345", Ok(()));
        check("", Err(Empty));
        check(" +14155551234", Err(SurroundingWhitespace));
        check("+14155551234\t", Err(SurroundingWhitespace));
        check("14155551234", Err(MissingPlus));
        check("0014155551234", Err(MissingPlus));
        check("+", Err(TooFewDigits { digits: 0 }));
        check("+1 415 555 1234", Err(NotDigits));
        check("+1-415-555-1234", Err(NotDigits));
        check("+1(415)5551234", Err(NotDigits));
        check("+1415555123４", Err(NotDigits));
        check("++14155551234", Err(NotDigits));
        check("+04155551234", Err(CountryCodeStartsWithZero));
        check("+1234567", Err(TooFewDigits { digits: 7 }));
        check("+1234567890123456", Err(TooManyDigits { digits: 16 }));
    }

    #[test]
    fn masking_keeps_the_first_and_the_last_three_digits() {
        // Every spelling is tested in trillet-redact; these are the messages of this crate.
        assert_eq!(mask_phone_number("+1234567890"), "+1******890");
        assert_eq!(mask_phone_number("+14155551234"), "+1*******234");
        assert_eq!(mask_phone_number("4155551234"), "4******234");
        assert_eq!(
            mask_phone_number("4155551234"),
            crate::mask_phone_numbers("4155551234")
        );
        assert_eq!(mask_phone_number("123456"), "******");
        assert_eq!(mask_phone_number(""), "");
        assert_eq!(mask_phone_number("+1\n34567890"), "***********");
        assert_eq!(
            mask_phone_number(&"9".repeat(40)),
            "***********…***********"
        );
    }

    #[test]
    fn invalid_number_message_is_masked_and_gives_the_reason() {
        let error = E164PhoneNumber::new("+12345678901234567").expect_err("17 digits");
        assert_eq!(
            error.problem(),
            PhoneNumberProblem::TooManyDigits { digits: 17 }
        );
        assert_eq!(
            error.to_string(),
            "phone number +1*************567 has 17 digits; E.164 allows 8 to 15"
        );
        assert_eq!(
            E164PhoneNumber::new("").expect_err("empty").to_string(),
            "phone number is empty"
        );
    }

    #[test]
    fn debug_of_a_number_is_masked() {
        let number = E164PhoneNumber::new("+14155551234").expect("valid");
        assert_eq!(format!("{number:?}"), "E164PhoneNumber(\"+1*******234\")");
        assert!(!format!("{number:#?}").contains("5551234"));
    }

    #[test]
    fn numbers_serialize_as_strings_and_deserializing_checks_them() {
        let number: E164PhoneNumber = serde_json::from_str("\"+14155551234\"").expect("valid");
        assert_eq!(
            serde_json::to_string(&number).expect("serializes"),
            "\"+14155551234\""
        );
        let error = serde_json::from_str::<E164PhoneNumber>("\"4155551234\"").expect_err("no plus");
        assert!(
            error.to_string().contains("does not start with `+`"),
            "{error}"
        );
        assert!(!error.to_string().contains("4155551234"), "{error}");
    }
}
