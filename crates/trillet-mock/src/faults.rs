//! Faults on demand: a request header (`x-mock-fault: 503`) or rules posted to
//! `/__mock/faults` make the mock answer as a failing server would.
//!
//! The syntax, one fault or several separated by commas:
//! - `429`, `429;retry-after=2`: rate limited (the contract's nested error shape), with a
//!   `Retry-After` header in seconds when given;
//! - any other status from 400 to 599 (`500`, `503`): an error in the contract's shape;
//! - `delay=200ms` (or `delay=2s`): wait this long (real time) before answering;
//! - `reset`: close the connection without an answer (the request is not handled);
//! - `truncate`: handle the request, then close the connection halfway through the body.

use std::time::Duration;

use serde_json::{json, Value};

/// The request header that asks for a fault.
pub const FAULT_HEADER: &str = "x-mock-fault";

/// The longest delay a fault may ask for.
pub const MAX_DELAY: Duration = Duration::from_secs(30);

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (and `Retry-After`, in seconds, when given).
    Status {
        /// The HTTP status, 400 to 599.
        status: u16,
        /// `Retry-After` in seconds.
        retry_after: Option<u64>,
    },
    /// Wait before answering.
    Delay(Duration),
    /// Close the connection without answering.
    Reset,
    /// Answer, but close the connection halfway through the body.
    Truncate,
}

/// Parses a fault list (`429;retry-after=2, delay=100ms`).
pub fn parse(text: &str) -> Result<Vec<Fault>, String> {
    text.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(parse_one)
        .collect()
}

fn parse_one(text: &str) -> Result<Fault, String> {
    let lower = text.to_ascii_lowercase();
    if lower == "reset" {
        return Ok(Fault::Reset);
    }
    if lower == "truncate" {
        return Ok(Fault::Truncate);
    }
    if let Some(delay) = lower.strip_prefix("delay=") {
        let duration = if let Some(ms) = delay.strip_suffix("ms") {
            ms.parse().ok().map(Duration::from_millis)
        } else if let Some(s) = delay.strip_suffix('s') {
            s.parse().ok().map(Duration::from_secs)
        } else {
            None
        };
        return match duration {
            Some(d) if d <= MAX_DELAY => Ok(Fault::Delay(d)),
            Some(_) => Err(format!("fault {text:?}: a delay is at most 30s")),
            None => Err(format!(
                "fault {text:?}: write a delay as `delay=200ms` or `delay=2s`"
            )),
        };
    }
    let mut pieces = lower.split(';').map(str::trim);
    let status = pieces.next().unwrap_or("");
    let Ok(status) = status.parse::<u16>() else {
        return Err(format!(
            "fault {text:?} is not one of: a status (429, 500, 503, ...), `429;retry-after=2`, \
             `delay=200ms`, `reset`, `truncate`"
        ));
    };
    if !(400..600).contains(&status) {
        return Err(format!("fault {text:?}: a fault status is 400 to 599"));
    }
    let mut retry_after = None;
    for piece in pieces {
        match piece.strip_prefix("retry-after=").map(str::parse::<u64>) {
            Some(Ok(seconds)) => retry_after = Some(seconds),
            _ => {
                return Err(format!(
                    "fault {text:?}: only `retry-after=SECONDS` may follow a status"
                ))
            }
        }
    }
    Ok(Fault::Status {
        status,
        retry_after,
    })
}

/// The body of an injected error status, in the contract's shapes: the nested
/// `rate_limit_exceeded` one for 429, the flat one otherwise.
pub fn error_body(status: u16) -> Value {
    match status {
        429 => json!({"error": {"code": "rate_limit_exceeded",
            "message": "Too many requests (fault injected by trillet-mock)."}}),
        500..=599 => json!({"error": "Internal server error",
            "message": "Fault injected by trillet-mock", "code": "UNKNOWN_ERROR"}),
        _ => json!({"error": "Request refused", "message": "Fault injected by trillet-mock",
            "code": "injected_fault"}),
    }
}

/// A rule of `/__mock/faults`: the faults for the next `count` requests of an operation
/// (or of any operation when `operation_id` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRule {
    /// The operation it applies to; `None` for every operation.
    pub operation_id: Option<String>,
    /// What to do.
    pub faults: Vec<Fault>,
    /// The text the faults were parsed from.
    pub spec: String,
    /// How many more requests it applies to.
    pub remaining: u64,
}

impl FaultRule {
    /// Reads a rule from its JSON: `{"operationId": "sendCall", "fault": "503", "count": 1}`
    /// (`operationId` optional, `count` 1 by default).
    pub fn from_json(value: &Value) -> Result<FaultRule, String> {
        let spec = value
            .get("fault")
            .and_then(Value::as_str)
            .ok_or("a fault rule needs `fault`, e.g. {\"operationId\": \"sendCall\", \"fault\": \"503\", \"count\": 1}")?;
        let faults = parse(spec)?;
        let remaining = match value.get("count") {
            None => 1,
            Some(count) => count
                .as_u64()
                .ok_or("`count` of a fault rule is a whole number")?,
        };
        Ok(FaultRule {
            operation_id: value
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            faults,
            spec: spec.to_owned(),
            remaining,
        })
    }

    /// The rule as JSON, for `GET /__mock/faults`.
    pub fn to_json(&self) -> Value {
        json!({"operationId": self.operation_id, "fault": self.spec, "count": self.remaining})
    }
}

/// Takes the faults of the first rule that applies to `operation_id`, counting it down
/// (and dropping it once spent).
pub fn take(rules: &mut Vec<FaultRule>, operation_id: &str) -> Option<(Vec<Fault>, String)> {
    let index = rules.iter().position(|r| {
        r.remaining > 0
            && r.operation_id
                .as_deref()
                .is_none_or(|id| id == operation_id)
    })?;
    let rule = &mut rules[index];
    rule.remaining -= 1;
    let taken = (rule.faults.clone(), rule.spec.clone());
    if rule.remaining == 0 {
        rules.remove(index);
    }
    Some(taken)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: Result<Vec<Fault>, &str>) {
        match (parse(text), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
            (Err(got), Err(want)) => assert!(got.contains(want), "{text}: {got}"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn fault_texts_parse_or_say_what_is_wrong() {
        let status = |status, retry_after| Fault::Status {
            status,
            retry_after,
        };
        check("503", Ok(vec![status(503, None)]));
        check("429;retry-after=2", Ok(vec![status(429, Some(2))]));
        check(
            "delay=200ms, 500",
            Ok(vec![
                Fault::Delay(Duration::from_millis(200)),
                status(500, None),
            ]),
        );
        check("reset", Ok(vec![Fault::Reset]));
        check("truncate", Ok(vec![Fault::Truncate]));
        check("200", Err("400 to 599"));
        check("delay=1h", Err("delay=200ms"));
        check("429;wait=2", Err("retry-after=SECONDS"));
        check("boom", Err("is not one of"));
    }

    #[test]
    fn a_rule_applies_count_times_to_its_operation() {
        let rule =
            FaultRule::from_json(&json!({"operationId": "sendCall", "fault": "503", "count": 2}));
        let mut rules = vec![rule.expect("valid")];
        assert!(take(&mut rules, "getAgent").is_none());
        assert!(take(&mut rules, "sendCall").is_some());
        assert!(take(&mut rules, "sendCall").is_some());
        assert!(take(&mut rules, "sendCall").is_none());
        assert!(rules.is_empty());
    }
}
