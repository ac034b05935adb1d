//! Validation errors: what failed, where, and what to do instead, with phone numbers masked.

use std::borrow::Cow;
use std::fmt;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::convert::Direction;
use crate::load::{escape_pointer_segment, unescape_pointer_segment};
// Every value and key a report shows goes through the workspace's one masker (integers
// of 7 to 15 digits included): phone numbers must never leak into logs.
pub(crate) use trillet_redact::mask_phone_numbers;

/// Why a body was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidationError {
    /// No operation has this `operationId`.
    UnknownOperation {
        /// The name that was asked for.
        operation_id: String,
        /// Known operationIds close to it, best first (may be empty).
        suggestions: Vec<String>,
    },
    /// The operation takes no request body.
    NoRequestBody {
        /// The operation.
        operation_id: String,
    },
    /// The operation documents no response for this status: no exact code, no `NXX` range
    /// and no `default`.
    NoResponse {
        /// The operation.
        operation_id: String,
        /// The status that was asked for.
        status: u16,
    },
    /// The operation documents this response without a body.
    NoResponseBody {
        /// The operation.
        operation_id: String,
        /// The status that was asked for.
        status: u16,
    },
    /// The body's media type is not JSON (for example `text/csv`), so it cannot be checked
    /// as JSON.
    NotJson {
        /// The operation.
        operation_id: String,
        /// Request or response.
        direction: Direction,
        /// The documented media type.
        media_type: String,
    },
    /// The body contradicts the schema: one entry per problem, in document order.
    Invalid(Vec<Violation>),
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationError::UnknownOperation {
                operation_id,
                suggestions,
            } => {
                write!(f, "unknown operationId {operation_id:?}")?;
                match suggestions.as_slice() {
                    [] => write!(f, " (operationIds are case-sensitive)"),
                    [one] => write!(f, "; did you mean {one:?}?"),
                    many => write!(f, "; did you mean one of {many:?}?"),
                }
            }
            ValidationError::NoRequestBody { operation_id } => {
                write!(
                    f,
                    "operation {operation_id:?} takes no request body; check its responses instead"
                )
            }
            ValidationError::NoResponse {
                operation_id,
                status,
            } => write!(
                f,
                "operation {operation_id:?} documents no response for status {status} \
                 (no exact code, no {}XX range, no default)",
                status / 100
            ),
            ValidationError::NoResponseBody {
                operation_id,
                status,
            } => write!(
                f,
                "response {status} of operation {operation_id:?} has no body"
            ),
            ValidationError::NotJson {
                operation_id,
                direction,
                media_type,
            } => write!(
                f,
                "the {direction} body of operation {operation_id:?} is {media_type:?}, not JSON; \
                 only JSON bodies are validated"
            ),
            ValidationError::Invalid(violations) => match violations.as_slice() {
                [one] => write!(f, "{one}"),
                many => {
                    write!(f, "{} problems: ", many.len())?;
                    for (i, violation) in many.iter().enumerate() {
                        if i > 0 {
                            f.write_str("; ")?;
                        }
                        write!(f, "{violation}")?;
                    }
                    Ok(())
                }
            },
        }
    }
}

impl std::error::Error for ValidationError {}

/// One place where a body contradicts its schema.
///
/// Displays as one line, `<pointer>: expected <expected>, found <found>`, with the root
/// shown as `(root)`:
///
/// ```text
/// /direction: expected one of ["outbound","inbound","bidirectional"], found string "sideways"
/// (root): expected required property "name", found object {"llmModel":"gpt-4o"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer (RFC 6901) of the offending value in the body, `""` for the body itself.
    pub pointer: String,
    /// What the schema asks for there, phrased as what to send instead.
    pub expected: String,
    /// The JSON type and a short rendering of the value found, phone numbers masked.
    pub found: String,
}

/// A JSON pointer as messages show it: `(root)` for the empty one.
pub(crate) fn shown_pointer(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(root)"
    } else {
        pointer
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = shown_pointer(&self.pointer);
        write!(
            f,
            "{pointer}: expected {}, found {}",
            self.expected, self.found
        )
    }
}

/// Longest rendering of a value in [`Violation::found`], in characters.
const FOUND_MAX_CHARS: usize = 60;

/// Turns the errors of one compiled schema into violations.
pub(crate) struct Reporter<'a> {
    /// The converted schema that was compiled, to look up allowed property names.
    pub(crate) schema: &'a Value,
    pub(crate) direction: Direction,
    /// What the instance paths of the errors start with before the body's own pointer
    /// (`/:3` when the body was validated as property `:3` of a wrapper object, see
    /// `crate::compile::Compiled`); empty when the body was validated as it is.
    pub(crate) instance_prefix: &'a str,
}

impl Reporter<'_> {
    /// The pointer of the value `error` is about, in the body.
    fn instance_pointer<'e>(&self, error: &'e jsonschema::ValidationError<'_>) -> &'e str {
        let path = error.instance_path().as_str();
        path.strip_prefix(self.instance_prefix).unwrap_or(path)
    }

    pub(crate) fn violations<'i>(
        &self,
        errors: impl Iterator<Item = jsonschema::ValidationError<'i>>,
    ) -> Vec<Violation> {
        let mut out = Vec::new();
        for error in errors {
            self.push(&error, None, &mut out);
        }
        // "expected one of [...]" says more than "expected string" about the same value.
        let listed: Vec<String> = out
            .iter()
            .filter(|v| v.expected.starts_with("one of ") || v.expected.starts_with("exactly "))
            .map(|v| v.pointer.clone())
            .collect();
        out.retain(|v| !(listed.contains(&v.pointer) && is_type_expectation(&v.expected)));
        out.dedup();
        out
    }

    /// Adds the violations of `error`; `null_at` is where null was also allowed (the error
    /// comes from the non-null branch of a `nullable` schema at that pointer).
    fn push(
        &self,
        error: &jsonschema::ValidationError<'_>,
        null_at: Option<&str>,
        out: &mut Vec<Violation>,
    ) {
        let raw_pointer = self.instance_pointer(error);
        let pointer = mask_pointer(raw_pointer);
        let instance: &Value = error.instance();
        let mut add = |expected: String| {
            out.push(Violation {
                pointer: pointer.clone(),
                expected,
                found: describe(instance),
            });
        };
        match error.kind() {
            ValidationErrorKind::Type { kind } => {
                let mut types = type_names(kind);
                if null_at == Some(raw_pointer) && !types.iter().any(|t| t == "null") {
                    types.push("null".to_owned());
                }
                add(types.join(" or "));
            }
            ValidationErrorKind::Enum { options } => {
                add(format!("one of {}", compact(options)));
            }
            ValidationErrorKind::Constant { expected_value } => {
                add(format!("exactly {}", compact(expected_value)));
            }
            ValidationErrorKind::Required { property } => {
                add(format!("required property {}", compact(property)));
            }
            ValidationErrorKind::AdditionalProperties { unexpected }
            | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                let allowed = self.allowed_properties(error.schema_path().as_str());
                for name in unexpected {
                    let hint = match closest(name, &allowed) {
                        Some(close) => format!("; did you mean {close:?}?"),
                        None if allowed.is_empty() => String::new(),
                        None => format!("; allowed: {}", quoted_list(&allowed, 12)),
                    };
                    out.push(Violation {
                        pointer: mask_pointer(&format!(
                            "{raw_pointer}/{}",
                            escape_pointer_segment(name)
                        )),
                        expected: format!(
                            "no property {:?} here (not in the schema{hint})",
                            mask_phone_numbers(name)
                        ),
                        found: instance.get(name).map_or_else(|| "it".to_owned(), describe),
                    });
                }
            }
            ValidationErrorKind::FalseSchema => {
                let name = raw_pointer
                    .rsplit('/')
                    .next()
                    .map(unescape_pointer_segment)
                    .unwrap_or_default();
                let name = mask_phone_numbers(&name);
                add(match self.direction {
                    Direction::Request => format!(
                        "no {name:?}: readOnly property must not be sent in a request (remove it)"
                    ),
                    Direction::Response => {
                        format!("no {name:?}: writeOnly property must not appear in a response")
                    }
                });
            }
            ValidationErrorKind::Format { format } => {
                let example = match format.as_str() {
                    "date-time" => " (RFC 3339, e.g. \"2025-01-15T15:00:00Z\")",
                    "date" => " (e.g. \"2025-01-15\")",
                    "time" => " (e.g. \"15:00:00Z\")",
                    "email" => " (e.g. \"name@example.com\")",
                    "uri" => " (an absolute URI, e.g. \"https://example.com/hook\")",
                    "uuid" => " (e.g. \"123e4567-e89b-12d3-a456-426614174000\")",
                    _ => "",
                };
                add(format!("a string in format {format:?}{example}"));
            }
            ValidationErrorKind::Pattern { pattern } => {
                add(format!("a string matching the pattern {pattern}"));
            }
            ValidationErrorKind::MinLength { limit } => {
                add(format!(
                    "a string of at least {limit} character{}",
                    plural(*limit)
                ));
            }
            ValidationErrorKind::MaxLength { limit } => {
                add(format!(
                    "a string of at most {limit} character{}",
                    plural(*limit)
                ));
            }
            ValidationErrorKind::Minimum { limit } => add(format!("a number >= {limit}")),
            ValidationErrorKind::Maximum { limit } => add(format!("a number <= {limit}")),
            ValidationErrorKind::ExclusiveMinimum { limit } => add(format!("a number > {limit}")),
            ValidationErrorKind::ExclusiveMaximum { limit } => add(format!("a number < {limit}")),
            ValidationErrorKind::MultipleOf { multiple_of } => {
                add(format!("a multiple of {multiple_of}"));
            }
            ValidationErrorKind::MinItems { limit } => {
                add(format!(
                    "an array of at least {limit} item{}",
                    plural(*limit)
                ));
            }
            ValidationErrorKind::MaxItems { limit } => {
                add(format!(
                    "an array of at most {limit} item{}",
                    plural(*limit)
                ));
            }
            ValidationErrorKind::UniqueItems => add("an array without duplicate items".to_owned()),
            ValidationErrorKind::MinProperties { limit } => {
                add(format!(
                    "an object with at least {limit} propert{}",
                    ies(*limit)
                ));
            }
            ValidationErrorKind::MaxProperties { limit } => {
                add(format!(
                    "an object with at most {limit} propert{}",
                    ies(*limit)
                ));
            }
            ValidationErrorKind::Not { .. } => {
                add("a value that does not match the schema under `not`".to_owned());
            }
            ValidationErrorKind::OneOfMultipleValid { context } => add(format!(
                "a value matching exactly one of the {} `oneOf` alternatives (it matches several; \
                 add the properties that tell them apart)",
                context.len()
            )),
            ValidationErrorKind::AnyOf { context }
            | ValidationErrorKind::OneOfNotValid { context } => {
                let keyword = error.kind().keyword();
                if !self.push_best_branch(raw_pointer, context, out) {
                    out.push(Violation {
                        pointer,
                        expected: format!(
                            "a value matching one of the {} `{keyword}` alternatives",
                            context.len()
                        ),
                        found: describe(instance),
                    });
                }
            }
            other => add(format!(
                "a value that passes the `{}` check",
                other.keyword()
            )),
        }
    }

    /// Explains a failed `anyOf`/`oneOf` through its most likely branch. Returns false when
    /// no branch stands out.
    fn push_best_branch(
        &self,
        pointer: &str,
        branches: &[Vec<jsonschema::ValidationError<'static>>],
        out: &mut Vec<Violation>,
    ) -> bool {
        let type_error_here = |e: &jsonschema::ValidationError<'_>| {
            self.instance_pointer(e) == pointer
                && matches!(e.kind(), ValidationErrorKind::Type { .. })
        };
        let is_null_branch = |branch: &Vec<jsonschema::ValidationError<'_>>| {
            matches!(branch.as_slice(), [e] if type_error_here(e)
                && matches!(e.kind(), ValidationErrorKind::Type { kind: TypeKind::Single(t) } if t.to_string() == "null"))
        };
        let null_allowed = branches.iter().any(is_null_branch);
        let others: Vec<&Vec<jsonschema::ValidationError<'static>>> =
            branches.iter().filter(|b| !is_null_branch(b)).collect();
        if let [only] = others.as_slice() {
            // A nullable schema: explain the real one.
            for error in *only {
                self.push(error, null_allowed.then_some(pointer), out);
            }
            return true;
        }
        // The value's type fits no branch: list the types that would.
        if !others.is_empty()
            && others
                .iter()
                .all(|b| b.len() == 1 && type_error_here(&b[0]))
        {
            let mut types: Vec<String> = Vec::new();
            for branch in &others {
                if let ValidationErrorKind::Type { kind } = branch[0].kind() {
                    for name in type_names(kind) {
                        if !types.contains(&name) {
                            types.push(name);
                        }
                    }
                }
            }
            if null_allowed {
                types.push("null".to_owned());
            }
            out.push(Violation {
                pointer: mask_pointer(pointer),
                expected: types.join(" or "),
                found: describe(branches[0][0].instance()),
            });
            return true;
        }
        // Otherwise the branch whose type fits and that fails least is the one meant.
        let best = others
            .iter()
            .filter(|b| !b.iter().any(type_error_here))
            .min_by_key(|b| b.len());
        match best {
            Some(branch) => {
                for error in *branch {
                    self.push(error, None, out);
                }
                true
            }
            None => false,
        }
    }

    /// Property names declared next to the `additionalProperties` keyword at `schema_path`.
    fn allowed_properties(&self, schema_path: &str) -> Vec<String> {
        let parent = schema_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent);
        self.schema
            .pointer(parent)
            .and_then(|schema| schema.get("properties"))
            .and_then(Value::as_object)
            .map(|properties| {
                properties
                    .iter()
                    .filter(|(_, schema)| **schema != Value::Bool(false))
                    .map(|(name, _)| name.clone())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn is_type_expectation(expected: &str) -> bool {
    const TYPES: [&str; 7] = [
        "null", "boolean", "integer", "number", "string", "array", "object",
    ];
    expected.split(" or ").all(|t| TYPES.contains(&t))
}

/// The type names of a `type` error, `null` last ("string or null").
fn type_names(kind: &TypeKind) -> Vec<String> {
    let mut names: Vec<String> = match kind {
        TypeKind::Single(t) => vec![t.to_string()],
        TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
    };
    names.sort_by_key(|name| name == "null");
    names
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn ies(n: u64) -> &'static str {
    if n == 1 {
        "y"
    } else {
        "ies"
    }
}

pub(crate) fn quoted_list(names: &[String], max: usize) -> String {
    let mut shown: Vec<String> = names.iter().take(max).map(|n| format!("{n:?}")).collect();
    if names.len() > max {
        shown.push(format!("... ({} more)", names.len() - max));
    }
    shown.join(", ")
}

/// The allowed name that `name` most likely misspells, if any.
pub(crate) fn closest<'n, S: AsRef<str>>(name: &str, allowed: &'n [S]) -> Option<&'n S> {
    let folded = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = folded(name);
    allowed
        .iter()
        .map(|candidate| {
            (
                edit_distance(&wanted, &folded(candidate.as_ref())),
                candidate,
            )
        })
        .filter(|(distance, candidate)| {
            *distance <= (candidate.as_ref().chars().count() / 4).max(1)
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, for "did you mean" hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// Renders a value as `<json type> <short value>`, phone numbers masked.
pub(crate) fn describe(value: &Value) -> String {
    let kind = match value {
        Value::Null => return "null".to_owned(),
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    // Strings are masked before rendering (so escapes like `\n` cannot hide a number),
    // numbers after (an integer can be a phone number too).
    let rendered = compact(&masked(value));
    format!(
        "{kind} {}",
        truncate(&mask_phone_numbers(&rendered), FOUND_MAX_CHARS)
    )
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "?".to_owned())
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// A copy of `value` with phone numbers masked in every string and key.
fn masked(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(mask_phone_numbers(s).into_owned()),
        Value::Array(items) => Value::Array(items.iter().map(masked).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (mask_phone_numbers(k).into_owned(), masked(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

pub(crate) fn mask_pointer(pointer: &str) -> String {
    if pointer.is_empty() {
        return String::new();
    }
    pointer
        .split('/')
        .map(|segment| {
            let raw = unescape_pointer_segment(segment);
            match mask_phone_numbers(&raw) {
                Cow::Borrowed(_) => segment.to_owned(),
                Cow::Owned(masked) => escape_pointer_segment(&masked),
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests;
