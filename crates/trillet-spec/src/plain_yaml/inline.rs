//! The one-line pieces of the plain subset of YAML that `plain_yaml.rs` reads: keys,
//! quoted scalars, flow collections, and how plain scalars resolve (serde_norway's rules).

use serde_json::{Map, Number, Value};

/// Deeper nesting than this gives up, far below serde_norway's recursion limit (128).
pub(crate) const MAX_DEPTH: usize = 64;

/// Implicit keys longer than this give up (libyaml refuses simple keys over 1024 bytes).
const MAX_KEY_BYTES: usize = 1000;

pub(super) fn is_sequence_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Whether `rest` (after a dash) starts with a mapping key.
pub(super) fn starts_mapping(rest: &str) -> bool {
    match rest.as_bytes()[0] {
        b'"' | b'\'' => one_line_quoted(rest).is_some_and(|(_, after)| key_colon(after).is_some()),
        b'[' | b'{' => false,
        _ => plain_key_end(rest).is_some(),
    }
}

/// After a quoted key: `:` then a space or the end of the line; the rest after spaces.
pub(super) fn key_colon(after: &str) -> Option<&str> {
    let rest = after.strip_prefix(':')?;
    (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim_start_matches(' '))
}

/// The byte offset of the `:` that ends a plain key at the start of `content`.
pub(super) fn plain_key_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    let mut from = 0;
    loop {
        let colon = from + content[from..].find(':')?;
        if colon > MAX_KEY_BYTES {
            return None;
        }
        if matches!(bytes.get(colon + 1), None | Some(b' ')) {
            return Some(colon);
        }
        from = colon + 1;
    }
}

/// A mapping entry's key and what follows its `:` (spaces skipped).
pub(super) fn split_key(content: &str) -> Option<(String, &str)> {
    match content.as_bytes()[0] {
        b'"' | b'\'' => {
            let (key, after) = one_line_quoted(content)?;
            Some((key, key_colon(after)?))
        }
        _ => {
            let colon = plain_key_end(content)?;
            let key = &content[..colon];
            if !plain_start(key) || key.ends_with(' ') || key.contains(" #") || key.starts_with('<')
            {
                return None;
            }
            let key = resolve_key(key)?;
            Some((key, content[colon + 1..].trim_start_matches(' ')))
        }
    }
}

/// Whether a plain scalar may start like `text` (no indicator, a dash only before a
/// non-space).
pub(super) fn plain_start(text: &str) -> bool {
    match text.as_bytes() {
        [] => false,
        // libyaml reads `?x` and `:x` its own way in flow collections; `-x` is common.
        [b'-', next, ..] => *next != b' ',
        [b'-' | b'?' | b':', ..] => false,
        [first, ..] => !b",[]{}#&*!|>'\"%@`".contains(first),
    }
}

/// A plain scalar that is the rest of a block line, its comment cut off, and whether
/// there was one; `None` at a `: ` or a final `:` (a key, not a scalar).
pub(super) fn block_plain(rest: &str) -> Option<(&str, bool)> {
    let bytes = rest.as_bytes();
    let mut end = bytes.len();
    let mut commented = false;
    for (at, &byte) in bytes.iter().enumerate() {
        match byte {
            b'#' if at > 0 && bytes[at - 1] == b' ' => {
                end = at;
                commented = true;
                break;
            }
            b':' if bytes.get(at + 1) == Some(&b' ') => return None,
            _ => {}
        }
    }
    let text = rest[..end].trim_end_matches(' ');
    (plain_start(text) && !text.ends_with(':')).then_some((text, commented))
}

/// Whether only spaces, or spaces and a comment, follow on the line.
pub(super) fn ends_line(after: &str) -> bool {
    let rest = after.trim_start_matches(' ');
    rest.is_empty() || (rest.starts_with('#') && rest.len() < after.len())
}

/// How a line of a quoted scalar ends.
pub(super) enum QuotedEnd<'a> {
    /// At the closing quote; what follows it on the line.
    Closed(&'a str),
    /// At the end of the line, the scalar still open; `escaped` after a `\` (the line
    /// break is then not folded into a space).
    LineBreak { escaped: bool },
}

/// Appends to `out` what one line's `segment` of a quoted scalar holds (the text after the
/// opening quote, or a continuation line without its indentation), escapes resolved in a
/// double-quoted one; trailing spaces before a line break are dropped, as YAML folds.
pub(super) fn quoted_segment<'a>(
    segment: &'a str,
    double: bool,
    out: &mut String,
) -> Option<QuotedEnd<'a>> {
    let bytes = segment.as_bytes();
    let special = |b: &u8| {
        if double {
            *b == b'"' || *b == b'\\'
        } else {
            *b == b'\''
        }
    };
    let mut at = 0;
    loop {
        let Some(run) = bytes[at..].iter().position(special) else {
            out.push_str(segment[at..].trim_end_matches(' '));
            return Some(QuotedEnd::LineBreak { escaped: false });
        };
        out.push_str(&segment[at..at + run]);
        at += run;
        if !double {
            if bytes.get(at + 1) == Some(&b'\'') {
                out.push('\'');
                at += 2;
                continue;
            }
            return Some(QuotedEnd::Closed(&segment[at + 1..]));
        }
        if bytes[at] == b'"' {
            return Some(QuotedEnd::Closed(&segment[at + 1..]));
        }
        let Some(&escape) = bytes.get(at + 1) else {
            return Some(QuotedEnd::LineBreak { escaped: true });
        };
        at += 2;
        let simple = match escape {
            b'0' => '\0',
            b'a' => '\x07',
            b'b' => '\x08',
            b't' => '\t',
            b'n' => '\n',
            b'v' => '\x0B',
            b'f' => '\x0C',
            b'r' => '\r',
            b'e' => '\x1B',
            b' ' => ' ',
            b'"' => '"',
            b'/' => '/',
            b'\\' => '\\',
            b'N' => '\u{85}',
            b'_' => '\u{A0}',
            b'L' => '\u{2028}',
            b'P' => '\u{2029}',
            b'x' | b'u' | b'U' => {
                let digits = match escape {
                    b'x' => 2,
                    b'u' => 4,
                    _ => 8,
                };
                let hex = segment.get(at..at + digits)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                at += digits;
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            _ => return None,
        };
        out.push(simple);
    }
}

/// A quoted scalar closed on the line it starts (`text` starts at its opening quote),
/// and what follows it.
pub(super) fn one_line_quoted(text: &str) -> Option<(String, &str)> {
    let mut out = String::new();
    match quoted_segment(&text[1..], text.starts_with('"'), &mut out)? {
        QuotedEnd::Closed(after) => Some((out, after)),
        QuotedEnd::LineBreak { .. } => None,
    }
}

/// A flow collection or scalar at the start of `text` (one line), and what follows it.
pub(super) fn flow_node(text: &str, depth: usize) -> Option<(Value, &str)> {
    if depth > MAX_DEPTH {
        return None;
    }
    match text.as_bytes().first()? {
        b'[' => {
            let mut items = Vec::new();
            let mut rest = text[1..].trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix(']') {
                return Some((Value::Array(items), after));
            }
            loop {
                let (item, after) = flow_node(rest, depth + 1)?;
                items.push(item);
                let after = after.trim_start_matches(' ');
                if let Some(after) = after.strip_prefix(']') {
                    return Some((Value::Array(items), after));
                }
                rest = after.strip_prefix(',')?.trim_start_matches(' ');
                if rest.starts_with([']', ',']) {
                    return None;
                }
            }
        }
        b'{' => {
            let mut map = Map::new();
            let mut rest = text[1..].trim_start_matches(' ');
            if let Some(after) = rest.strip_prefix('}') {
                return Some((Value::Object(map), after));
            }
            loop {
                let (key, after) = flow_key(rest)?;
                let after = after.trim_start_matches(' ');
                if after.starts_with([',', '}']) {
                    return None;
                }
                let (value, after) = flow_node(after, depth + 1)?;
                if map.insert(key, value).is_some() {
                    return None;
                }
                let after = after.trim_start_matches(' ');
                if let Some(after) = after.strip_prefix('}') {
                    return Some((Value::Object(map), after));
                }
                rest = after.strip_prefix(',')?.trim_start_matches(' ');
                if rest.starts_with(['}', ',']) {
                    return None;
                }
            }
        }
        b'"' | b'\'' => one_line_quoted(text).map(|(value, after)| (Value::String(value), after)),
        _ => {
            let end = flow_plain_end(text)?;
            let plain = text[..end].trim_end_matches(' ');
            Some((resolve(plain)?, &text[end..]))
        }
    }
}

/// A flow mapping's key and what follows its `:` and space.
pub(super) fn flow_key(text: &str) -> Option<(String, &str)> {
    let (key, after) = match text.as_bytes().first()? {
        b'"' | b'\'' => one_line_quoted(text)?,
        b'[' | b'{' => return None,
        _ => {
            let end = flow_plain_end(text)?;
            let key = text[..end].trim_end_matches(' ');
            if key.starts_with('<') || text[end..].starts_with(' ') {
                return None;
            }
            (resolve_key(key)?, &text[end..])
        }
    };
    let after = after.strip_prefix(": ")?;
    Some((key, after))
}

/// Where a plain scalar in a flow collection ends: before `,`, `]`, `}`, or a `:` that
/// a space follows; `None` at a comment, a nested indicator or the end of the line.
pub(super) fn flow_plain_end(text: &str) -> Option<usize> {
    if !plain_start(text) {
        return None;
    }
    let bytes = text.as_bytes();
    for (at, byte) in bytes.iter().enumerate() {
        match byte {
            b',' | b']' | b'}' => return Some(at),
            b':' if matches!(bytes.get(at + 1), Some(b' ')) => return Some(at),
            b':' if matches!(bytes.get(at + 1), None | Some(b',' | b']' | b'}')) => return None,
            b'[' | b'{' => return None,
            b'#' if at > 0 && bytes[at - 1] == b' ' => return None,
            _ => {}
        }
    }
    None
}

/// What serde_norway reads a plain scalar as, in JSON; `None` where that is not a
/// JSON value (a non-finite float, an integer beyond 64 bits).
pub(super) fn resolve(plain: &str) -> Option<Value> {
    Some(match Scalar::of(plain) {
        Scalar::Null => Value::Null,
        Scalar::Bool(b) => Value::Bool(b),
        Scalar::Unsigned(u) => Value::from(u),
        Scalar::Signed(i) => Value::from(i),
        Scalar::Float(f) => Value::Number(Number::from_f64(f)?),
        Scalar::Unrepresentable => return None,
        Scalar::String => Value::String(plain.to_owned()),
    })
}

/// A plain mapping key as the careful reader spells it: booleans and integers as text;
/// `None` for null and float keys, which it refuses.
pub(super) fn resolve_key(plain: &str) -> Option<String> {
    match Scalar::of(plain) {
        Scalar::Bool(b) => Some(b.to_string()),
        Scalar::Unsigned(u) => Some(u.to_string()),
        Scalar::Signed(i) => Some(i.to_string()),
        Scalar::String => Some(plain.to_owned()),
        Scalar::Null | Scalar::Float(_) | Scalar::Unrepresentable => None,
    }
}

/// The kinds serde_norway resolves an untagged plain scalar to (the YAML 1.2 core schema
/// with its own spellings: `0x`, `0o` and `0b` integers, a leading `+`, no leading zeros).
#[derive(Debug, PartialEq)]
pub(super) enum Scalar {
    Null,
    Bool(bool),
    Unsigned(u64),
    Signed(i64),
    Float(f64),
    /// An integer beyond 64 bits, or a float spelled `.inf` or `.nan`.
    Unrepresentable,
    String,
}

impl Scalar {
    fn of(plain: &str) -> Scalar {
        match plain.as_bytes().first() {
            None => return Scalar::Null,
            // The common case: a word. No number starts with a letter that Rust's float
            // parser would read as finite; null and booleans are spelled out.
            Some(first) if first.is_ascii_alphabetic() || !first.is_ascii() => {
                return match plain {
                    "null" | "Null" | "NULL" => Scalar::Null,
                    "true" | "True" | "TRUE" => Scalar::Bool(true),
                    "false" | "False" | "FALSE" => Scalar::Bool(false),
                    _ => Scalar::String,
                };
            }
            _ => {}
        }
        if plain == "~" {
            return Scalar::Null;
        }
        if let Some(u) = unsigned(plain, u64::from_str_radix) {
            return Scalar::Unsigned(u);
        }
        if let Some(i) = negative(plain, i64::from_str_radix) {
            return Scalar::Signed(i);
        }
        if unsigned(plain, u128::from_str_radix).is_some()
            || negative(plain, i128::from_str_radix).is_some()
        {
            return Scalar::Unrepresentable;
        }
        if !leading_zero_digits(plain) {
            let unsigned = match plain.strip_prefix('+') {
                Some(rest) if rest.starts_with(['+', '-']) => return Scalar::String,
                Some(rest) => rest,
                None => plain,
            };
            if matches!(unsigned, ".inf" | ".Inf" | ".INF")
                || matches!(
                    plain,
                    "-.inf" | "-.Inf" | "-.INF" | ".nan" | ".NaN" | ".NAN"
                )
            {
                return Scalar::Unrepresentable;
            }
            if let Ok(float) = unsigned.parse::<f64>() {
                if float.is_finite() {
                    return Scalar::Float(float);
                }
            }
        }
        Scalar::String
    }
}

type FromStrRadix<T> = fn(&str, u32) -> Result<T, std::num::ParseIntError>;

/// An integer with an optional `+` and a `0x`, `0o` or `0b` prefix, or decimal digits
/// without a leading zero.
pub(super) fn unsigned<T>(plain: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    let digits = plain.strip_prefix('+').unwrap_or(plain);
    for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] {
        if let Some(rest) = digits.strip_prefix(prefix) {
            if rest.starts_with(['+', '-']) {
                return None;
            }
            if let Ok(int) = from_str_radix(rest, radix) {
                return Some(int);
            }
        }
    }
    if digits.starts_with(['+', '-']) || leading_zero_digits(plain) {
        return None;
    }
    from_str_radix(digits, 10).ok()
}

/// A negative integer: `-` and a `0x`, `0o` or `0b` prefix, or decimal digits without a
/// leading zero.
pub(super) fn negative<T>(plain: &str, from_str_radix: FromStrRadix<T>) -> Option<T> {
    for (prefix, radix) in [("-0x", 16), ("-0o", 8), ("-0b", 2)] {
        if let Some(rest) = plain.strip_prefix(prefix) {
            if let Ok(int) = from_str_radix(&format!("-{rest}"), radix) {
                return Some(int);
            }
        }
    }
    if leading_zero_digits(plain) {
        return None;
    }
    from_str_radix(plain, 10).ok()
}

/// Digits after a leading zero (and an optional sign): a string in YAML 1.2, not a number.
pub(super) fn leading_zero_digits(plain: &str) -> bool {
    let digits = plain.strip_prefix(['-', '+']).unwrap_or(plain);
    digits.len() > 1 && digits.starts_with('0') && digits[1..].bytes().all(|b| b.is_ascii_digit())
}

// A path of its own, so that `build.rs`, which includes this file, finds it too.
