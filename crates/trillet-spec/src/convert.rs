//! OpenAPI 3.0 schema objects to JSON Schema 2020-12, per direction.
//!
//! Why 2020-12 rather than draft 4: it has boolean schemas, so a `readOnly` property in a
//! request becomes `false` and fails with its own error kind (which we turn into "readOnly
//! property must not be sent in a request"), `$ref` may have siblings, and `exclusiveMinimum`
//! is a number, which the draft-4 boolean form converts to losslessly. Draft 4 would need
//! `not: {}` tricks that cannot be told apart from a real `not` in error reports.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{json, Map, Value};

use crate::load::escape_pointer_segment;

/// Which way a body travels. `readOnly` properties may only appear in responses and
/// `writeOnly` properties only in requests, so each schema is converted once per direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// From the client to the server.
    Request,
    /// From the server to the client.
    Response,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Request => "request",
            Direction::Response => "response",
        })
    }
}

/// Where `$ref`s to component schemas point in converted schemas.
pub(crate) const DEFS_PREFIX: &str = "#/$defs/";
const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

/// Validation keywords that mean the same in OpenAPI 3.0 and JSON Schema 2020-12.
const COPIED_KEYWORDS: &[&str] = &[
    "multipleOf",
    "maximum",
    "minimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "format",
];

/// A schema conversion problem: JSON pointer of the node, and what is wrong.
pub(crate) type ConvertError = (String, String);

/// Converts schema objects of one document in one direction.
pub(crate) struct Converter<'a> {
    /// `components/schemas` of the document, to look through `$ref`s for `readOnly`/`writeOnly`.
    components: Option<&'a Map<String, Value>>,
    direction: Direction,
}

impl<'a> Converter<'a> {
    pub(crate) fn new(document: &'a Value, direction: Direction) -> Self {
        let components = document
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        Converter {
            components,
            direction,
        }
    }

    /// Converts the schema object `node` found at `pointer`, adding the names of the
    /// component schemas it refers to (directly) to `refs`.
    pub(crate) fn convert(
        &self,
        node: &Value,
        pointer: &str,
        refs: &mut BTreeSet<String>,
    ) -> Result<Value, ConvertError> {
        self.convert_at(node, &Place::Pointer(pointer), refs)
    }

    /// [`Converter::convert`] of the node at `place`, whose pointer is only written out
    /// for an error.
    fn convert_at(
        &self,
        node: &Value,
        place: &Place<'_>,
        refs: &mut BTreeSet<String>,
    ) -> Result<Value, ConvertError> {
        let object = match node {
            Value::Object(object) => object,
            // Not OpenAPI 3.0, but unambiguous.
            Value::Bool(b) => return Ok(Value::Bool(*b)),
            _ => return Err((place.pointer(), "a schema must be an object".to_owned())),
        };
        let nullable = object.get("nullable") == Some(&Value::Bool(true));
        if let Some(reference) = object.get("$ref") {
            // OpenAPI 3.0 ignores the siblings of `$ref`; `nullable` is honoured because
            // writers mean it.
            let name = self.component_name(reference, place)?;
            if !refs.contains(name) {
                refs.insert(name.to_owned());
            }
            let converted = Value::Object(Map::from_iter([(
                "$ref".to_owned(),
                Value::String(format!("{DEFS_PREFIX}{}", escape_pointer_segment(name))),
            )]));
            return Ok(if nullable {
                or_null(converted)
            } else {
                converted
            });
        }

        let composed = ["allOf", "oneOf", "anyOf", "not"]
            .iter()
            .any(|k| object.contains_key(*k));
        // With composition, null must be allowed around the whole schema; otherwise through
        // `type` and `enum`.
        let null_inside = nullable && !composed;
        let mut out = Map::new();
        for (key, value) in object {
            let here = Place::Key(place, key);
            let at = || here.pointer();
            match key.as_str() {
                "type" => {
                    let mut types = match value {
                        Value::String(_) => vec![value.clone()],
                        Value::Array(list) => list.clone(),
                        _ => return Err((at(), "`type` must be a string".to_owned())),
                    };
                    if null_inside && !types.contains(&json!("null")) {
                        types.push(json!("null"));
                    }
                    let ty = if types.len() == 1 {
                        types.swap_remove(0)
                    } else {
                        Value::Array(types)
                    };
                    out.insert(key.clone(), ty);
                }
                "enum" => {
                    let Value::Array(options) = value else {
                        return Err((at(), "`enum` must be a list".to_owned()));
                    };
                    let mut options = options.clone();
                    if null_inside && !options.contains(&Value::Null) {
                        options.push(Value::Null);
                    }
                    out.insert(key.clone(), Value::Array(options));
                }
                "properties" => {
                    let Value::Object(properties) = value else {
                        return Err((at(), "`properties` must be a mapping".to_owned()));
                    };
                    let mut converted = Map::new();
                    for (name, property) in properties {
                        let schema = if self.is_hidden(property) {
                            // Rejected if sent; `crate::report` words the error.
                            Value::Bool(false)
                        } else {
                            self.convert_at(property, &Place::Key(&here, name), refs)?
                        };
                        converted.insert(name.clone(), schema);
                    }
                    out.insert(key.clone(), Value::Object(converted));
                }
                "required" => {
                    let Value::Array(names) = value else {
                        return Err((at(), "`required` must be a list".to_owned()));
                    };
                    let properties = object.get("properties").and_then(Value::as_object);
                    let kept: Vec<Value> = names
                        .iter()
                        .filter(|name| {
                            let property = name
                                .as_str()
                                .and_then(|name| properties.and_then(|p| p.get(name)));
                            !property.is_some_and(|p| self.is_hidden(p))
                        })
                        .cloned()
                        .collect();
                    if !kept.is_empty() {
                        out.insert(key.clone(), Value::Array(kept));
                    }
                }
                "items" | "not" => {
                    out.insert(key.clone(), self.convert_at(value, &here, refs)?);
                }
                "additionalProperties" => {
                    let converted = match value {
                        Value::Bool(b) => Value::Bool(*b),
                        schema => self.convert_at(schema, &here, refs)?,
                    };
                    out.insert(key.clone(), converted);
                }
                "allOf" | "oneOf" | "anyOf" => {
                    let Value::Array(branches) = value else {
                        return Err((at(), format!("`{key}` must be a list of schemas")));
                    };
                    let mut converted = Vec::with_capacity(branches.len());
                    for (i, branch) in branches.iter().enumerate() {
                        converted.push(self.convert_at(branch, &Place::Index(&here, i), refs)?);
                    }
                    out.insert(key.clone(), Value::Array(converted));
                }
                "exclusiveMinimum" | "exclusiveMaximum" => match value {
                    // Draft-4 style: a flag on `minimum`/`maximum`, handled below.
                    Value::Bool(_) => {}
                    Value::Number(_) => {
                        out.insert(key.clone(), value.clone());
                    }
                    _ => return Err((at(), format!("`{key}` must be a boolean"))),
                },
                k if COPIED_KEYWORDS.contains(&k) => {
                    out.insert(key.clone(), value.clone());
                }
                // nullable (handled), readOnly/writeOnly (handled by the parent), and
                // annotations: description, title, default, example, discriminator, xml,
                // externalDocs, deprecated, x-*.
                _ => {}
            }
        }
        for (flag, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if object.get(flag) == Some(&Value::Bool(true)) {
                if let Some(limit) = out.remove(bound) {
                    out.insert(flag.to_owned(), limit);
                }
            }
        }
        let converted = Value::Object(out);
        Ok(if nullable && composed {
            or_null(converted)
        } else {
            converted
        })
    }

    /// Whether a property schema must not appear in this direction.
    fn is_hidden(&self, property: &Value) -> bool {
        let flag = match self.direction {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let set = |schema: &Value| schema.get(flag) == Some(&Value::Bool(true));
        if set(property) {
            return true;
        }
        // A property that is only a `$ref` takes the flag of the schema it names.
        property
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix(COMPONENT_SCHEMAS))
            .and_then(|name| self.components.and_then(|c| c.get(name)))
            .is_some_and(set)
    }

    fn component_name<'v>(
        &self,
        reference: &'v Value,
        place: &Place<'_>,
    ) -> Result<&'v str, ConvertError> {
        let at = || Place::Key(place, "$ref").pointer();
        let reference = reference
            .as_str()
            .ok_or_else(|| (at(), "`$ref` must be a string".to_owned()))?;
        let name = reference.strip_prefix(COMPONENT_SCHEMAS).ok_or_else(|| {
            (
                at(),
                format!("schema `$ref` {reference:?} must point into #/components/schemas/"),
            )
        })?;
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        {
            return Err((
                at(),
                format!("component name {name:?} may only use letters, digits, `.`, `-` and `_`"),
            ));
        }
        if !self.components.is_some_and(|c| c.contains_key(name)) {
            return Err((
                at(),
                format!("`$ref` {reference:?} names no schema in #/components/schemas"),
            ));
        }
        Ok(name)
    }
}

/// Where a node is, written out as a JSON pointer only when an error names it.
enum Place<'p> {
    /// A node whose pointer is known.
    Pointer(&'p str),
    /// The value of `key` in the object at the place.
    Key(&'p Place<'p>, &'p str),
    /// Item `index` of the list at the place.
    Index(&'p Place<'p>, usize),
}

impl Place<'_> {
    /// The JSON pointer of the place.
    fn pointer(&self) -> String {
        let mut pointer = String::new();
        self.write(&mut pointer);
        pointer
    }

    fn write(&self, out: &mut String) {
        match self {
            Place::Pointer(pointer) => out.push_str(pointer),
            Place::Key(parent, key) => {
                parent.write(out);
                out.push('/');
                out.push_str(&escape_pointer_segment(key));
            }
            Place::Index(parent, index) => {
                parent.write(out);
                out.push('/');
                out.push_str(&index.to_string());
            }
        }
    }
}

/// `schema`, or null.
fn or_null(schema: Value) -> Value {
    // Moved, not `json!`, which would serialize a copy of `schema`.
    let null = Map::from_iter([("type".to_owned(), Value::String("null".to_owned()))]);
    Value::Object(Map::from_iter([(
        "anyOf".to_owned(),
        Value::Array(vec![schema, Value::Object(null)]),
    )]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(direction: Direction, openapi: Value, expected: Value) {
        let document = json!({
            "components": { "schemas": {
                "Pet": { "type": "object" },
                "Id": { "type": "string", "readOnly": true },
            } }
        });
        let converter = Converter::new(&document, direction);
        let converted = converter
            .convert(&openapi, "", &mut BTreeSet::new())
            .expect("converts");
        assert_eq!(converted, expected);
    }

    #[test]
    fn nullable_and_draft4_keywords_become_2020_12() {
        let r = Direction::Request;
        check(
            r,
            json!({"type": "string", "nullable": true}),
            json!({"type": ["string", "null"]}),
        );
        check(
            r,
            json!({"type": "string", "enum": ["a"], "nullable": true}),
            json!({"type": ["string", "null"], "enum": ["a", null]}),
        );
        check(
            r,
            json!({"$ref": "#/components/schemas/Pet", "nullable": true}),
            json!({"anyOf": [{"$ref": "#/$defs/Pet"}, {"type": "null"}]}),
        );
        check(
            r,
            json!({"allOf": [{"$ref": "#/components/schemas/Pet"}], "nullable": true}),
            json!({"anyOf": [{"allOf": [{"$ref": "#/$defs/Pet"}]}, {"type": "null"}]}),
        );
        check(
            r,
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": false}),
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1}),
        );
        check(
            r,
            json!({"type": "string", "example": "x", "x-go-name": "X", "description": "d", "deprecated": true}),
            json!({"type": "string"}),
        );
    }

    #[test]
    fn errors_name_the_pointer_of_the_node() {
        let document = json!({"components": {"schemas": {"Pet": {"type": "object"}}}});
        let converter = Converter::new(&document, Direction::Request);
        let cases = [
            (
                json!({"properties": {"a/b": {"items": {"allOf": [{}, 5]}}}}),
                "/components/schemas/X/properties/a~1b/items/allOf/1",
                "a schema must be an object",
            ),
            (
                json!({"additionalProperties": {"type": 1}}),
                "/components/schemas/X/additionalProperties/type",
                "`type` must be a string",
            ),
            (
                json!({"not": {"$ref": "#/components/schemas/Cat"}}),
                "/components/schemas/X/not/$ref",
                "`$ref` \"#/components/schemas/Cat\" names no schema in #/components/schemas",
            ),
        ];
        for (schema, pointer, message) in cases {
            let error = converter
                .convert(&schema, "/components/schemas/X", &mut BTreeSet::new())
                .expect_err("refused");
            assert_eq!(error, (pointer.to_owned(), message.to_owned()));
        }
    }

    #[test]
    fn read_only_is_hidden_in_requests_and_write_only_in_responses() {
        let schema = json!({
            "type": "object",
            "required": ["id", "password", "name"],
            "properties": {
                "id": {"$ref": "#/components/schemas/Id"},
                "password": {"type": "string", "writeOnly": true},
                "name": {"type": "string"},
            }
        });
        check(
            Direction::Request,
            schema.clone(),
            json!({"type": "object", "required": ["password", "name"], "properties": {
                "id": false, "password": {"type": "string"}, "name": {"type": "string"}}}),
        );
        check(
            Direction::Response,
            schema,
            json!({"type": "object", "required": ["id", "name"], "properties": {
                "id": {"$ref": "#/$defs/Id"}, "password": false, "name": {"type": "string"}}}),
        );
    }
}
