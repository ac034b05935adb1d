//! Keeps phone numbers and secrets out of what a program shows: the one place of the
//! workspace that decides what a phone number looks like in free text and how it is
//! masked.
//!
//! The client (`trillet`: its errors, tracing spans, batch reports and the `Debug` of every
//! generated body) and the validator (`trillet-spec`: its reports) show text that came from
//! a caller or a server. All of it goes through this crate, so a number is masked the same
//! way everywhere, and a spelling that is masked in one place is masked in all of them.
//!
//! ```
//! use trillet_redact::{mask_phone_number, mask_phone_numbers, scrub_secret};
//!
//! assert_eq!(
//!     mask_phone_numbers("call +1 (415) 555-1234 on 2025-01-15"),
//!     "call +1 (***) ***-*234 on 2025-01-15"
//! );
//! assert_eq!(mask_phone_number("+14155551234"), "+1*******234");
//! assert_eq!(scrub_secret("key=sk-live-4242", "sk-live-4242"), "key=<redacted>");
//! ```
//!
//! Masking keeps a leading `+`, the first digit and the last three digits of a number,
//! and the separators between its digits; every other digit becomes `*`. That is enough
//! to tell two numbers of one's own apart in a log, and too little to call anyone. The
//! rules of what is a phone number are on [`mask_phone_numbers`].

use std::borrow::Cow;
use std::fmt;

/// Fewest digits of a phone number in free text.
const MIN_DIGITS: usize = 7;
/// Most digits of a number written as one plain run of digits, without a `+` (two more
/// after a leading `00`). Longer runs are identifiers or card numbers, not phone numbers.
const MAX_PLAIN_DIGITS: usize = 15;
/// Most separators between two groups of digits of one number, as in `) - `.
const MAX_SEPARATORS_IN_A_ROW: usize = 3;
/// Longest masked value [`mask_phone_number`] returns, in characters.
const MAX_MASKED_VALUE_CHARS: usize = 24;
/// Fewest characters of a secret [`scrub_secret`] looks for.
pub const MIN_SECRET_CHARS: usize = 4;
/// What [`scrub_secret`] writes instead of a secret.
pub const REDACTED: &str = "<redacted>";

/// Masks everything in `text` that looks like a phone number: a leading `+`, the first
/// digit and the last three digits stay, every other digit becomes `*`, separators stay
/// (`+1 (415) 555-1234` becomes `+1 (***) ***-*234`). Text without a number is returned
/// as it is, without a copy.
///
/// A phone number is 7 or more digits, with an optional leading `+`, and between its
/// groups of digits up to three separators: spaces (also no-break and thin spaces),
/// dashes, dots and parentheses. Recognised too are the spellings the text may have been
/// encoded with on its way: `%2B` for the `+` and `%20` for a space in URLs (where a `+`
/// between digits is a space as well), and in JSON or Rust-escaped text `\n`, `\"`,
/// `\u00a0` and their kin around or inside the number.
///
/// Not phone numbers, left as they are:
/// * digits glued to a letter or an `_`, before or after, without a `+`
///   (`batch_7891011121314`, the Mongo id `676b8e123456789012345679`, `4155551234x`);
/// * a plain run of more than 15 digits without a `+` (17 after a leading `00`);
/// * dates (`2025-01-15`, `15.01.2025`, ISO timestamps), UUIDs, IPv4 addresses
///   (`192.168.100.200`), decimal numbers with one dot (`37.7749295`) and versions
///   (`1.2.3`, too few digits).
///
/// A run of digits and separators holding more than 15 digits, or two numbers written
/// side by side, is masked as one number: digits are hidden rather than shown when in
/// doubt.
///
/// ```
/// use trillet_redact::mask_phone_numbers;
///
/// assert_eq!(mask_phone_numbers("+1234567890"), "+1******890");
/// assert_eq!(mask_phone_numbers("call +44 20 7946 0958 now"), "call +4* ** **** *958 now");
/// assert_eq!(mask_phone_numbers("?to=%2B14155551234&x=1"), "?to=%2B1*******234&x=1");
/// assert_eq!(mask_phone_numbers("2025-01-15"), "2025-01-15");
/// assert_eq!(mask_phone_numbers("agent_1234567"), "agent_1234567");
/// ```
#[must_use]
pub fn mask_phone_numbers(text: &str) -> Cow<'_, str> {
    if text.bytes().filter(u8::is_ascii_digit).count() < MIN_DIGITS {
        return Cow::Borrowed(text);
    }
    let units = units(text);
    let mut hidden = Vec::new();
    let mut i = 0;
    while i < units.len() {
        if !can_start(&units, i) {
            i += 1;
            continue;
        }
        let (number, resume) = number_at(&units, i);
        if let Some(groups) = number {
            hidden.extend(hidden_digits(&groups));
        }
        i = resume.max(i + 1);
    }
    if hidden.is_empty() {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(render(text, &units, &hidden))
    }
}

/// Masks a whole value that is, or was meant to be, a phone number (a field, a CSV cell,
/// a rejected argument), so that it can appear in a message.
///
/// A value that is one phone number is masked as [`mask_phone_numbers`] masks it in text
/// (`+14155551234` becomes `+1*******234`, `+1 415 555 1234` becomes `+1 *** *** *234`).
/// Anything else (too short, letters, a control character, text around the number) is
/// masked whole, one `*` a character. Whitespace around the value shows as spaces,
/// control characters never pass through, and a value longer than 24 characters is
/// shortened with `…`.
///
/// ```
/// use trillet_redact::mask_phone_number;
///
/// assert_eq!(mask_phone_number("+1234567890"), "+1******890");
/// assert_eq!(mask_phone_number("0044 20 7946 0958"), "0*** ** **** *958");
/// assert_eq!(mask_phone_number("12345"), "*****");
/// assert_eq!(mask_phone_number("+1415555\n1234"), "*************");
/// ```
#[must_use]
pub fn mask_phone_number(value: &str) -> String {
    let trimmed = value.trim();
    let lead = value.len() - value.trim_start().len();
    let trail = &value[lead + trimmed.len()..];
    let mut masked: String = value[..lead].chars().map(|_| ' ').collect();
    match whole_number(trimmed) {
        Some(number) => masked.push_str(&number),
        None => masked.extend(trimmed.chars().map(|_| '*')),
    }
    masked.extend(trail.chars().map(|_| ' '));
    let count = masked.chars().count();
    if count <= MAX_MASKED_VALUE_CHARS {
        return masked;
    }
    let keep = (MAX_MASKED_VALUE_CHARS - 1) / 2;
    let head: String = masked.chars().take(keep).collect();
    let tail: String = masked.chars().skip(count - keep).collect();
    format!("{head}…{tail}")
}

/// Replaces every occurrence of `secret` in `text`, and of its URL-encoded spellings
/// (`%2F` and `%2f` for `/`, ...), by `<redacted>`. Text without it is returned as it is,
/// without a copy.
///
/// A secret shorter than [`MIN_SECRET_CHARS`] characters is not looked for: it would
/// match all over ordinary text, and no real key or token is that short.
///
/// ```
/// use trillet_redact::scrub_secret;
///
/// let token = "tok/en+42==";
/// assert_eq!(
///     scrub_secret("GET /hook?token=tok%2Fen%2B42%3D%3D failed for tok/en+42==", token),
///     "GET /hook?token=<redacted> failed for <redacted>"
/// );
/// assert_eq!(scrub_secret("abc", "ab"), "abc");
/// ```
#[must_use]
pub fn scrub_secret<'a>(text: &'a str, secret: &str) -> Cow<'a, str> {
    if secret.chars().count() < MIN_SECRET_CHARS {
        return Cow::Borrowed(text);
    }
    let mut spellings = vec![secret.to_owned()];
    for upper in [true, false] {
        let encoded = percent_encode(secret, upper);
        if !spellings.contains(&encoded) {
            spellings.push(encoded);
        }
    }
    let mut scrubbed = Cow::Borrowed(text);
    for spelling in &spellings {
        if scrubbed.contains(spelling.as_str()) {
            scrubbed = Cow::Owned(scrubbed.replace(spelling.as_str(), REDACTED));
        }
    }
    scrubbed
}

/// Shows the `Debug` of a value with [`mask_phone_numbers`] applied to it, keeping `{:#?}`
/// pretty-printing: for fields and values that can hold whatever a caller put in them
/// (variables, metadata, transcripts).
///
/// ```
/// use std::collections::BTreeMap;
/// use trillet_redact::MaskedDebug;
///
/// let variables = BTreeMap::from([("phone", "+14155551234")]);
/// assert_eq!(format!("{:?}", MaskedDebug(&variables)), r#"{"phone": "+1*******234"}"#);
/// ```
pub struct MaskedDebug<'a, T: ?Sized>(pub &'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for MaskedDebug<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = if f.alternate() {
            format!("{:#?}", self.0)
        } else {
            format!("{:?}", self.0)
        };
        f.write_str(&mask_phone_numbers(&shown))
    }
}

/// What a piece of text is, for the purpose of finding numbers in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// An ASCII digit.
    Digit,
    /// `+` or `%2B`.
    Plus,
    /// What may stand between the digits of a number: see [`SEPARATORS`].
    Separator,
    /// A letter, a non-ASCII digit or `_`: digits glued to one are an identifier.
    Word,
    /// Anything else, escapes such as `\n` included: it ends a number.
    Break,
}

/// A character of the text, or an escape or percent-encoding standing for one.
#[derive(Clone, Copy, Debug)]
struct Unit {
    /// Byte range in the text.
    start: usize,
    end: usize,
    kind: Kind,
    /// The character it stands for (`+` for `%2B`).
    ch: char,
    /// Written as an escape or a percent-encoding.
    encoded: bool,
}

/// What may stand between the digits of a number: spaces (no-break, figure, thin and
/// narrow no-break ones too), dashes (hyphens and en dashes too), dots and parentheses.
const SEPARATORS: &[char] = &[
    ' ', '\u{a0}', '\u{2007}', '\u{2009}', '\u{202f}', '-', '\u{2010}', '\u{2011}', '\u{2012}',
    '\u{2013}', '.', '(', ')',
];

fn is_separator(c: char) -> bool {
    SEPARATORS.contains(&c)
}

fn classify(c: char) -> Kind {
    if c.is_ascii_digit() {
        Kind::Digit
    } else if c == '+' {
        Kind::Plus
    } else if is_separator(c) {
        Kind::Separator
    } else if c.is_alphanumeric() || c == '_' {
        Kind::Word
    } else {
        Kind::Break
    }
}

/// The units of `text`, with dates and UUIDs turned into words so that no number is
/// found in them.
fn units(text: &str) -> Vec<Unit> {
    let bytes = text.as_bytes();
    let mut units = Vec::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = text[i..].chars().next() {
        let decoded = match c {
            '%' => hex_value(bytes, i + 1, 2).map(|b| (3, char::from_u32(b))),
            '\\' => escape(bytes, i),
            _ => None,
        };
        let unit = match decoded {
            // Only a plus or a separator keeps its meaning when encoded: a digit or a
            // letter spelled `%34` or `\u0034` is no part of a number.
            Some((len, ch)) => {
                let ch = ch.unwrap_or(c);
                let kind = match classify(ch) {
                    kind @ (Kind::Plus | Kind::Separator) => kind,
                    _ => Kind::Break,
                };
                Unit {
                    start: i,
                    end: i + len,
                    kind,
                    ch,
                    encoded: true,
                }
            }
            None => Unit {
                start: i,
                end: i + c.len_utf8(),
                kind: classify(c),
                ch: c,
                encoded: false,
            },
        };
        i = unit.end;
        units.push(unit);
    }
    protect(bytes, &mut units);
    units
}

/// The value of `len` hex digits at `at`.
fn hex_value(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    let digits = bytes.get(at..at + len)?;
    digits.iter().try_fold(0, |value, &b| {
        Some(value * 16 + char::from(b).to_digit(16)?)
    })
}

/// A JSON or Rust escape at `at` (a backslash): its length and the character it stands
/// for, `None` for the one-letter escapes (`\n`, `\"`, ...).
fn escape(bytes: &[u8], at: usize) -> Option<(usize, Option<char>)> {
    match bytes.get(at + 1)? {
        b'u' if bytes.get(at + 2) == Some(&b'{') => {
            let close = (at + 4..at + 10).find(|&p| bytes.get(p) == Some(&b'}'))?;
            let value = hex_value(bytes, at + 3, close - at - 3)?;
            Some((close + 1 - at, char::from_u32(value)))
        }
        b'u' => Some((6, char::from_u32(hex_value(bytes, at + 2, 4)?))),
        b'n' | b't' | b'r' | b'b' | b'f' | b'"' | b'\\' | b'/' | b'\'' => Some((2, None)),
        _ => None,
    }
}

/// Turns dates and UUIDs into words.
fn protect(bytes: &[u8], units: &mut [Unit]) {
    let mut i = 0;
    while i < units.len() {
        let at_boundary = i == 0 || !matches!(units[i - 1].kind, Kind::Digit | Kind::Word);
        let protected = if at_boundary {
            date_len(units, i).or_else(|| uuid_len(bytes, units, i))
        } else {
            None
        };
        match protected {
            Some(len) => {
                for unit in &mut units[i..i + len] {
                    unit.kind = Kind::Word;
                }
                i += len;
            }
            None => i += 1,
        }
    }
}

/// Units of a date at `i`: `2025-01-15`, `2025.01.15`, `15.01.2025`, `01-15-2025`.
fn date_len(units: &[Unit], i: usize) -> Option<usize> {
    let mut parts = [0u32; 3];
    let mut lens = [0usize; 3];
    let mut separator = None;
    let mut j = i;
    for part in 0..3 {
        while let Some(unit) = units.get(j).filter(|u| u.kind == Kind::Digit) {
            parts[part] = parts[part]
                .saturating_mul(10)
                .saturating_add(unit.ch.to_digit(10)?);
            lens[part] += 1;
            j += 1;
        }
        if part < 2 {
            let unit = units.get(j)?;
            let plain = unit.kind == Kind::Separator && !unit.encoded;
            if !plain || !matches!(unit.ch, '-' | '.') || separator.is_some_and(|s| s != unit.ch) {
                return None;
            }
            separator = Some(unit.ch);
            j += 1;
        }
    }
    // `2025-01-15-4155` goes on as a number.
    let goes_on = units.get(j).is_some_and(|u| Some(u.ch) == separator)
        && units.get(j + 1).is_some_and(|u| u.kind == Kind::Digit);
    let year = |y: u32| (1900..=2099).contains(&y);
    let day = |d: u32| (1..=31).contains(&d);
    let month = |m: u32| (1..=12).contains(&m);
    let is_date = match (lens, parts) {
        ([4, 2, 2], [y, m, d]) => year(y) && month(m) && day(d),
        ([1 | 2, 1 | 2, 4], [a, b, y]) => year(y) && day(a) && day(b) && (month(a) || month(b)),
        _ => false,
    };
    (is_date && !goes_on).then_some(j - i)
}

/// Units of a UUID (`123e4567-e89b-12d3-a456-426614174000`) at `i`.
fn uuid_len(bytes: &[u8], units: &[Unit], i: usize) -> Option<usize> {
    const LEN: usize = 36;
    let start = units[i].start;
    let candidate = bytes.get(start..start + LEN)?;
    let shaped = candidate.iter().enumerate().all(|(p, b)| match p {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    });
    let ends = bytes
        .get(start + LEN)
        .is_none_or(|b| !(b.is_ascii_alphanumeric() || *b == b'_'));
    // The UUID's characters are one byte each, so they are its next 36 units.
    (shaped && ends && units.get(i + LEN - 1)?.end == start + LEN).then_some(LEN)
}

/// Whether a number may start at unit `i`: a `+`, or a digit or `(` not glued to the
/// letter or digit before it.
fn can_start(units: &[Unit], i: usize) -> bool {
    let unit = &units[i];
    let glued = i > 0 && matches!(units[i - 1].kind, Kind::Word | Kind::Digit);
    match unit.kind {
        Kind::Plus => true,
        Kind::Digit => !glued,
        Kind::Separator => unit.ch == '(' && !glued,
        _ => false,
    }
}

/// A group of consecutive digits of a number.
#[derive(Debug)]
struct Group {
    /// Units of its first and last digit.
    first: usize,
    last: usize,
    /// The separators before it (`(` before the first group).
    gap: Vec<char>,
    /// Its value, saturating (only small groups are compared).
    value: u64,
    /// How many zeros it starts with.
    leading_zeros: usize,
}

impl Group {
    fn digits(&self) -> usize {
        self.last + 1 - self.first
    }
}

/// The phone number starting at unit `start` if there is one (its groups of digits), and
/// where to look for the next one.
fn number_at(units: &[Unit], start: usize) -> (Option<Vec<Group>>, usize) {
    let plus = units[start].kind == Kind::Plus;
    // In a URL query a `+` is a space: `to=%2B1+415+555+1234`.
    let form_encoded = (plus && units[start].encoded)
        || start
            .checked_sub(1)
            .is_some_and(|p| units[p].ch == '=' && !units[p].encoded);
    let mut groups: Vec<Group> = Vec::new();
    let mut gap: Vec<char> = Vec::new();
    let mut j = if plus { start + 1 } else { start };
    while let Some(unit) = units.get(j) {
        match unit.kind {
            Kind::Digit => {
                let digit = u64::from(unit.ch.to_digit(10).unwrap_or(0));
                match groups.last_mut() {
                    Some(group) if gap.is_empty() => {
                        if group.value == 0 && digit == 0 {
                            group.leading_zeros += 1;
                        }
                        group.last = j;
                        group.value = group.value.saturating_mul(10).saturating_add(digit);
                    }
                    _ => groups.push(Group {
                        first: j,
                        last: j,
                        gap: std::mem::take(&mut gap),
                        value: digit,
                        leading_zeros: usize::from(digit == 0),
                    }),
                }
            }
            Kind::Separator if gap.len() < MAX_SEPARATORS_IN_A_ROW => gap.push(unit.ch),
            Kind::Plus
                if form_encoded
                    && !unit.encoded
                    && gap.is_empty()
                    && !groups.is_empty()
                    && units.get(j + 1).is_some_and(|u| u.kind == Kind::Digit) =>
            {
                gap.push(' ');
            }
            _ => break,
        }
        j += 1;
    }
    // A last group glued to a word is not part of the number (`555 1234 3rd floor`), and
    // digits glued to a word are an identifier, unless a `+` says otherwise
    // (`sip_+14155551234_1`).
    while groups.len() > usize::from(plus)
        && groups
            .last()
            .is_some_and(|g| units.get(g.last + 1).is_some_and(|u| u.kind == Kind::Word))
    {
        groups.pop();
    }
    if is_phone_number(&groups, plus) {
        let resume = groups.last().map_or(j, |g| g.last + 1);
        (Some(groups), resume)
    } else {
        (None, j)
    }
}

fn is_phone_number(groups: &[Group], plus: bool) -> bool {
    let digits: usize = groups.iter().map(Group::digits).sum();
    if digits < MIN_DIGITS {
        return false;
    }
    if plus {
        return true;
    }
    let Some((first, rest)) = groups.split_first() else {
        return false;
    };
    if rest.is_empty() {
        // One run of digits: a leading `00` is the international prefix.
        let zeros = if first.leading_zeros >= 2 { 2 } else { 0 };
        return digits <= MAX_PLAIN_DIGITS + zeros;
    }
    let dots_only = rest.iter().all(|g| g.gap == ['.']);
    let decimal = dots_only && rest.len() == 1;
    let ipv4 =
        dots_only && rest.len() == 3 && groups.iter().all(|g| g.digits() <= 3 && g.value <= 255);
    !(decimal || ipv4)
}

/// The digits of a number to hide: all but the first and the last three.
fn hidden_digits(groups: &[Group]) -> Vec<usize> {
    let digits: Vec<usize> = groups.iter().flat_map(|g| g.first..=g.last).collect();
    let shown_at_end = 3.min(digits.len().saturating_sub(1));
    digits
        .get(1..digits.len() - shown_at_end)
        .unwrap_or_default()
        .to_vec()
}

/// `text` with the digits at `hidden` (unit indices, ascending) replaced by `*`.
fn render(text: &str, units: &[Unit], hidden: &[usize]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut next = hidden.iter().peekable();
    for (i, unit) in units.iter().enumerate() {
        if next.peek() == Some(&&i) {
            next.next();
            out.push('*');
        } else {
            out.push_str(&text[unit.start..unit.end]);
        }
    }
    out
}

/// `text` masked if it is exactly one phone number.
fn whole_number(text: &str) -> Option<String> {
    let units = units(text);
    if units.is_empty() || !can_start(&units, 0) {
        return None;
    }
    let groups = number_at(&units, 0).0?;
    if groups.last()?.last != units.len() - 1 {
        return None;
    }
    Some(render(text, &units, &hidden_digits(&groups)))
}

fn percent_encode(text: &str, upper: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else if upper {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests;
