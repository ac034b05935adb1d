//! The checks of path, query and header parameters against their schemas (what
//! `trillet-spec` validates for bodies, done here for the values of a URL and headers).

use serde_json::Value;

use crate::contract::{Location, Parameter};

/// Checks `value` (as sent, a string) against the schema of `parameter`; the problem, in
/// words that name the parameter, when it does not conform.
pub fn check_value(parameter: &Parameter, value: &str) -> Result<(), String> {
    let place = match parameter.location {
        Location::Path => "path parameter",
        Location::Query => "query parameter",
        Location::Header => "header",
    };
    let name = &parameter.name;
    let schema = &parameter.schema;
    let shown = trillet_redact::mask_phone_numbers(value);
    let problem = |expected: String| {
        Err(format!(
            "{place} {name}: expected {expected}, found {shown:?}"
        ))
    };
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed
            .iter()
            .any(|a| scalar_text(a).as_deref() == Some(value))
        {
            let list: Vec<String> = allowed.iter().filter_map(scalar_text).collect();
            return problem(format!("one of {}", list.join(", ")));
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("integer") => {
            let Ok(number) = value.parse::<i64>() else {
                return problem("an integer".to_owned());
            };
            if let Some(min) = schema.get("minimum").and_then(Value::as_i64) {
                if number < min {
                    return problem(format!("an integer ≥ {min}"));
                }
            }
            if let Some(max) = schema.get("maximum").and_then(Value::as_i64) {
                if number > max {
                    return problem(format!("an integer ≤ {max}"));
                }
            }
        }
        Some("number") => {
            if value.parse::<f64>().map_or(true, |n| !n.is_finite()) {
                return problem("a number".to_owned());
            }
        }
        Some("boolean") => {
            if value != "true" && value != "false" {
                return problem("true or false".to_owned());
            }
        }
        _ => {
            let length = value.chars().count() as u64;
            if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
                if length < min {
                    return problem(format!("at least {min} characters"));
                }
            }
            if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
                if length > max {
                    return problem(format!("at most {max} characters"));
                }
            }
        }
    }
    Ok(())
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Splits a query string into decoded `(name, value)` pairs (`+` is a space).
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| crate::contract::percent_decode(&s.replace('+', " "));
            (decode(name), decode(value))
        })
        .collect()
}
