//! How the error types write text they did not write themselves: on one line, cut short,
//! phone numbers masked, the values serde quotes left out.

/// Longest message kept from a body that is not a documented error shape, and longest
/// message, detail or request id an [`ApiError`](crate::ApiError) shows.
pub(super) const MAX_TEXT_MESSAGE: usize = 200;

/// `text` on one line, at most `max` characters (then `…`), control characters replaced.
pub(super) fn shorten(text: &str, max: usize) -> String {
    let mut out: String = text
        .chars()
        .take(max)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// An error with its causes on one line, e.g. `error sending request: connection refused`.
pub(super) fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // reqwest and hyper often repeat a cause's text in their own.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// serde's message with every `"..."` emptied to `"…"`.
pub(super) fn without_quoted_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    for c in text.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…");
            }
            quoted = !quoted;
            if quoted {
                continue;
            }
            out.push('"');
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

/// Masks every phone number in `text` with the workspace's one masker (`trillet-redact`):
/// `+1 (415) 555-1234` becomes `+1 (***) ***-*234`. Phone numbers are personal data and
/// must not reach logs through error messages.
pub(crate) fn mask_phone_numbers(text: &str) -> String {
    trillet_redact::mask_phone_numbers(text).into_owned()
}
