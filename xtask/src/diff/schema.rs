//! Two schemas compared, `$ref`s resolved on both sides (a schema moved into a component
//! is no change), in the direction the value travels: a request is what callers send, a
//! response what they decode.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use trillet_spec::escape_pointer_segment as escape;

use super::change::{Change, Direction};
use super::rules::{self, Rule};

/// The keys that only document.
const DOCS_KEYS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
];
/// Upper bounds (narrowed when added or lowered).
const UPPER: &[&str] = &["maxLength", "maxItems", "maximum", "maxProperties"];
/// Lower bounds (narrowed when added or raised).
const LOWER: &[&str] = &["minLength", "minItems", "minimum", "minProperties"];
/// Constraints narrowed by any change and widened by their removal.
const OTHER_CONSTRAINTS: &[&str] = &[
    "pattern",
    "multipleOf",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "uniqueItems",
];

/// The comparison of two documents' schemas, collecting changes.
pub struct Schemas<'a> {
    /// The released document.
    pub old: &'a Value,
    /// The document now.
    pub new: &'a Value,
    /// Every change found so far.
    pub changes: Vec<Change>,
    /// Pairs of `$ref`s already compared in a direction (recursive schemas end here).
    seen: BTreeSet<(String, String, Direction)>,
}

impl<'a> Schemas<'a> {
    /// A comparison of `old` with `new`, no change found yet.
    pub fn new(old: &'a Value, new: &'a Value) -> Self {
        Schemas {
            old,
            new,
            changes: Vec::new(),
            seen: BTreeSet::new(),
        }
    }

    /// Records one change.
    pub fn push(&mut self, rule: &'static Rule, pointer: &str, detail: impl Into<String>) {
        self.changes.push(Change {
            rule,
            pointer: pointer.to_string(),
            detail: detail.into(),
        });
    }

    /// Compares two schemas reached at `at` (a pointer of the new document).
    pub fn schema(&mut self, old: &Value, new: &Value, at: &str, direction: Direction) {
        let (old, old_ref) = resolve(self.old, old);
        let (new, new_ref) = resolve(self.new, new);
        let at = new_ref.map_or(at.to_string(), |r| r.trim_start_matches('#').to_string());
        if let (Some(a), Some(b)) = (old_ref, new_ref) {
            if !self.seen.insert((a.to_string(), b.to_string(), direction)) {
                return;
            }
        }
        let (Some(old), Some(new)) = (old.as_object(), new.as_object()) else {
            if old != new {
                self.push(
                    rules::UNCLASSIFIED,
                    &at,
                    "a schema that is not an object changed",
                );
            }
            return;
        };
        self.properties(old, new, &at, direction);
        for (key, a, b) in entries(old, new) {
            if a == b
                && !matches!(
                    key.as_str(),
                    "items" | "additionalProperties" | "oneOf" | "anyOf" | "allOf" | "not"
                )
            {
                continue;
            }
            let here = format!("{at}/{}", escape(key));
            self.keyword(key, a, b, &here, direction);
        }
    }

    fn keyword(
        &mut self,
        key: &str,
        a: Option<&Value>,
        b: Option<&Value>,
        here: &str,
        direction: Direction,
    ) {
        let shown = |v: Option<&Value>| v.map_or("(none)".to_string(), Value::to_string);
        let change = format!("{} -> {}", shown(a), shown(b));
        match key {
            "properties" | "required" => {}
            "type" => self.push(rules::TYPE_CHANGED, here, change),
            "format" => self.push(rules::FORMAT_CHANGED, here, change),
            "nullable" => {
                let now_nullable = b == Some(&Value::Bool(true));
                let narrowed = now_nullable == (direction == Direction::Response);
                let rule = if narrowed {
                    rules::NULLABLE_NARROWED
                } else {
                    rules::NULLABLE_WIDENED
                };
                self.push(rule, here, change);
            }
            "enum" => self.enumeration(a, b, here, direction),
            "items" | "not" => match (a, b) {
                (Some(a), Some(b)) => self.schema(a, b, here, direction),
                (None, None) => {}
                _ => self.push(
                    rules::TYPE_CHANGED,
                    here,
                    format!("`{key}` added or removed"),
                ),
            },
            "additionalProperties" => self.additional(a, b, here, direction),
            "oneOf" | "anyOf" | "allOf" => self.variants(key, a, b, here, direction),
            "default" if direction == Direction::Request => {
                self.push(rules::REQUEST_DEFAULT_CHANGED, here, change)
            }
            "default" => self.push(rules::DOCS_CHANGED, here, change),
            "deprecated" => self.push(rules::DEPRECATED, here, change),
            _ if DOCS_KEYS.contains(&key) || key.starts_with("x-") => {
                self.push(rules::DOCS_CHANGED, here, "changed")
            }
            _ if UPPER.contains(&key)
                || LOWER.contains(&key)
                || OTHER_CONSTRAINTS.contains(&key) =>
            {
                self.constraint(key, a, b, here, direction, change);
            }
            _ => self.push(rules::UNCLASSIFIED, here, change),
        }
    }

    fn properties(
        &mut self,
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        at: &str,
        direction: Direction,
    ) {
        let required = |s: &Map<String, Value>| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .map(|names| {
                    names
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let (old_props, new_props) = (properties_of(old), properties_of(new));
        let (old_required, new_required) = (required(old), required(new));
        let names: BTreeSet<&String> = old_props.keys().chain(new_props.keys()).collect();
        let request = direction == Direction::Request;
        for name in names {
            let here = format!("{at}/properties/{}", escape(name));
            let (was, is) = (
                old_required.contains(name.as_str()),
                new_required.contains(name.as_str()),
            );
            match (old_props.get(name.as_str()), new_props.get(name.as_str())) {
                (Some(_), None) => {
                    self.push(rules::PROPERTY_REMOVED, &here, format!("`{name}` removed"))
                }
                (None, Some(_)) if !request => self.push(
                    rules::RESPONSE_PROPERTY_ADDED,
                    &here,
                    format!("`{name}` added"),
                ),
                (None, Some(_)) if is => self.push(
                    rules::REQUEST_PROPERTY_ADDED_REQUIRED,
                    &here,
                    format!("`{name}` added, required"),
                ),
                (None, Some(_)) => self.push(
                    rules::REQUEST_PROPERTY_ADDED_OPTIONAL,
                    &here,
                    format!("`{name}` added, optional"),
                ),
                (Some(a), Some(b)) => {
                    let rule = match (was, is, request) {
                        (false, true, true) => Some(rules::REQUEST_PROPERTY_BECAME_REQUIRED),
                        (true, false, true) => Some(rules::REQUEST_PROPERTY_BECAME_OPTIONAL),
                        (true, false, false) => Some(rules::RESPONSE_PROPERTY_BECAME_OPTIONAL),
                        (false, true, false) => Some(rules::RESPONSE_PROPERTY_BECAME_REQUIRED),
                        _ => None,
                    };
                    if let Some(rule) = rule {
                        self.push(
                            rule,
                            &here,
                            format!(
                                "`{name}` {}",
                                if is { "now required" } else { "now optional" }
                            ),
                        );
                    }
                    self.schema(a, b, &here, direction);
                }
                (None, None) => {}
            }
        }
    }

    fn enumeration(
        &mut self,
        a: Option<&Value>,
        b: Option<&Value>,
        here: &str,
        direction: Direction,
    ) {
        let values = |v: &Value| -> BTreeSet<String> {
            v.as_array()
                .map(|v| v.iter().map(Value::to_string).collect())
                .unwrap_or_default()
        };
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) => (values(a), values(b)),
            (None, Some(_)) => {
                return self.push(
                    rules::ENUM_ADDED,
                    here,
                    "a closed list of values where any was allowed",
                )
            }
            (Some(_), None) => {
                return self.push(
                    rules::ENUM_REMOVED,
                    here,
                    "the closed list of values is gone",
                )
            }
            (None, None) => return,
        };
        let (added, removed) = if direction == Direction::Request {
            (
                rules::REQUEST_ENUM_VALUE_ADDED,
                rules::REQUEST_ENUM_VALUE_REMOVED,
            )
        } else {
            (
                rules::RESPONSE_ENUM_VALUE_ADDED,
                rules::RESPONSE_ENUM_VALUE_REMOVED,
            )
        };
        for value in b.difference(&a) {
            self.push(added, here, format!("{value} added"));
        }
        for value in a.difference(&b) {
            self.push(removed, here, format!("{value} removed"));
        }
    }

    fn additional(
        &mut self,
        a: Option<&Value>,
        b: Option<&Value>,
        here: &str,
        direction: Direction,
    ) {
        let closed = |v: Option<&Value>| v == Some(&Value::Bool(false));
        match (a, b) {
            (Some(a @ Value::Object(_)), Some(b @ Value::Object(_))) => {
                self.schema(a, b, here, direction)
            }
            _ if a == b => {}
            _ if direction == Direction::Response => self.push(
                rules::RESPONSE_CONSTRAINT_CHANGED,
                here,
                "additionalProperties changed",
            ),
            _ if closed(b)
                || (a.is_none() || a == Some(&Value::Bool(true)))
                    && b.is_some_and(Value::is_object) =>
            {
                self.push(
                    rules::REQUEST_CONSTRAINT_NARROWED,
                    here,
                    "additionalProperties narrowed",
                )
            }
            _ if closed(a) => self.push(
                rules::REQUEST_CONSTRAINT_WIDENED,
                here,
                "additionalProperties widened",
            ),
            _ => self.push(
                rules::REQUEST_CONSTRAINT_WIDENED,
                here,
                "additionalProperties widened",
            ),
        }
    }

    fn variants(
        &mut self,
        key: &str,
        a: Option<&Value>,
        b: Option<&Value>,
        here: &str,
        direction: Direction,
    ) {
        let (a, b) = match (a.and_then(Value::as_array), b.and_then(Value::as_array)) {
            (Some(a), Some(b)) => (a.clone(), b.clone()),
            (None, None) => return,
            _ => {
                return self.push(
                    rules::TYPE_CHANGED,
                    here,
                    format!("`{key}` added or removed"),
                )
            }
        };
        for (index, (x, y)) in a.iter().zip(&b).enumerate() {
            self.schema(x, y, &format!("{here}/{index}"), direction);
        }
        if key == "allOf" && a.len() != b.len() {
            return self.push(
                rules::UNCLASSIFIED,
                here,
                format!("allOf has {} parts, had {}", b.len(), a.len()),
            );
        }
        for index in a.len()..b.len() {
            self.push(
                rules::VARIANT_ADDED,
                &format!("{here}/{index}"),
                "a new variant",
            );
        }
        let removed = if direction == Direction::Request {
            rules::REQUEST_VARIANT_REMOVED
        } else {
            rules::RESPONSE_VARIANT_REMOVED
        };
        for index in b.len()..a.len() {
            self.push(removed, &format!("{here}/{index}"), "a variant is gone");
        }
    }

    fn constraint(
        &mut self,
        key: &str,
        a: Option<&Value>,
        b: Option<&Value>,
        here: &str,
        direction: Direction,
        change: String,
    ) {
        if direction == Direction::Response {
            return self.push(rules::RESPONSE_CONSTRAINT_CHANGED, here, change);
        }
        let number = |v: Option<&Value>| v.and_then(Value::as_f64);
        let narrowed = match (number(a), number(b)) {
            (_, None) if b.is_none() => false,
            (None, _) if a.is_none() => b != Some(&Value::Bool(false)),
            (Some(a), Some(b)) if UPPER.contains(&key) => b < a,
            (Some(a), Some(b)) if LOWER.contains(&key) => b > a,
            _ => b != Some(&Value::Bool(false)),
        };
        let rule = if narrowed {
            rules::REQUEST_CONSTRAINT_NARROWED
        } else {
            rules::REQUEST_CONSTRAINT_WIDENED
        };
        self.push(rule, here, change);
    }
}

/// The `properties` of a schema (none: empty).
fn properties_of(schema: &Map<String, Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    schema
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// Follows `$ref`s (inside the document) to the schema they name; the last `$ref`
/// followed, if any. A `$ref` that leads nowhere is returned as it is.
pub fn resolve<'v>(document: &'v Value, mut node: &'v Value) -> (&'v Value, Option<&'v str>) {
    let mut last = None;
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
        {
            Some(target) => {
                last = Some(reference);
                node = target;
            }
            None => break,
        }
    }
    (node, last)
}

/// The keys of both mappings, in order, each with its value on either side.
pub(super) fn entries<'v>(
    old: &'v Map<String, Value>,
    new: &'v Map<String, Value>,
) -> impl Iterator<Item = (&'v String, Option<&'v Value>, Option<&'v Value>)> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .map(move |key| (key, old.get(key.as_str()), new.get(key.as_str())))
}

/// `value` as a mapping; an absent value or one that is not a mapping as an empty one.
pub(super) fn mapping(value: Option<&Value>) -> &Map<String, Value> {
    static EMPTY: std::sync::LazyLock<Map<String, Value>> = std::sync::LazyLock::new(Map::new);
    value.and_then(Value::as_object).unwrap_or(&EMPTY)
}
