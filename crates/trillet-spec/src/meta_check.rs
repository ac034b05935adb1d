//! Whether a converted schema passes the JSON Schema 2020-12 meta-schema, answered fast for
//! the keywords `crate::convert` writes.
//!
//! jsonschema's own meta-schema validator is built at run time (about a millisecond, once
//! per process) and is generic; checking every converted component with it took more
//! instructions than walking the whole document. [`is_valid`] checks the same rules by hand
//! for the keywords the converter writes, and answers `false` for anything else (a keyword
//! it does not know, a number it is unsure of), so that the meta-schema itself decides
//! there: its `true` is the meta-schema's `true`, its `false` only means "ask the
//! meta-schema". A test compares both on every converted schema of the workspace's
//! documents and on schemas broken in each way the rules below name.
//!
//! The rules, from the 2020-12 vocabularies (`validation`, `applicator`, `core`,
//! `format-annotation`; formats are annotations there, so `pattern`, `format` and `$ref`
//! only need to be strings):
//! - a schema is `true`, `false` or an object;
//! - `type` is one of the seven simple type names, or a non-empty list of distinct ones;
//! - `enum` is a list; `required` a list of distinct strings;
//! - `properties` an object of schemas; `items`, `not`, `additionalProperties` schemas;
//!   `allOf`, `anyOf`, `oneOf` non-empty lists of schemas;
//! - `maximum`, `minimum`, `exclusiveMaximum`, `exclusiveMinimum` numbers; `multipleOf` a
//!   number above zero; `maxLength`, `minLength`, `maxItems`, `minItems`, `maxProperties`,
//!   `minProperties` non-negative integers; `uniqueItems` a boolean.

use serde_json::{Map, Value};

/// How deep [`is_valid`] follows subschemas before it leaves the answer to the meta-schema.
const MAX_DEPTH: usize = 128;

const SIMPLE_TYPES: [&str; 7] = [
    "array", "boolean", "integer", "null", "number", "object", "string",
];

/// `true` when `schema` certainly passes the 2020-12 meta-schema; `false` when it does not,
/// or when this check cannot tell (then ask the meta-schema).
pub(crate) fn is_valid(schema: &Value) -> bool {
    schema_is_valid(schema, 0)
}

fn schema_is_valid(schema: &Value, depth: usize) -> bool {
    match schema {
        Value::Bool(_) => true,
        Value::Object(object) => depth < MAX_DEPTH && object_is_valid(object, depth + 1),
        _ => false,
    }
}

fn object_is_valid(object: &Map<String, Value>, depth: usize) -> bool {
    object
        .iter()
        .all(|(keyword, value)| match keyword.as_str() {
            "type" => match value {
                Value::String(name) => is_simple_type(name),
                Value::Array(names) => {
                    !names.is_empty()
                        && names
                            .iter()
                            .all(|name| name.as_str().is_some_and(is_simple_type))
                        && distinct(names)
                }
                _ => false,
            },
            "enum" => value.is_array(),
            "required" => value
                .as_array()
                .is_some_and(|names| names.iter().all(Value::is_string) && distinct(names)),
            "properties" => value.as_object().is_some_and(|properties| {
                properties
                    .values()
                    .all(|schema| schema_is_valid(schema, depth))
            }),
            "items" | "not" | "additionalProperties" => schema_is_valid(value, depth),
            "allOf" | "anyOf" | "oneOf" => value.as_array().is_some_and(|branches| {
                !branches.is_empty() && branches.iter().all(|schema| schema_is_valid(schema, depth))
            }),
            "maximum" | "minimum" | "exclusiveMaximum" | "exclusiveMinimum" => value.is_number(),
            "multipleOf" => value.as_f64().is_some_and(|number| number > 0.0),
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties"
            | "minProperties" => value.is_u64(),
            "uniqueItems" => value.is_boolean(),
            "pattern" | "format" | "$ref" => value.is_string(),
            // Not a keyword the converter writes: the meta-schema decides.
            _ => false,
        })
}

fn is_simple_type(name: &str) -> bool {
    SIMPLE_TYPES.contains(&name)
}

/// Whether the strings of `items` are all different (every item is a string here).
fn distinct(items: &[Value]) -> bool {
    items
        .iter()
        .enumerate()
        .all(|(i, item)| !items[..i].contains(item))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::is_valid;

    /// What the meta-schema says.
    fn meta(schema: &serde_json::Value) -> bool {
        jsonschema::draft202012::meta::validator().is_valid(schema)
    }

    /// Every `true` of the fast check is the meta-schema's `true`.
    fn agrees(schema: &serde_json::Value) {
        if is_valid(schema) {
            assert!(
                meta(schema),
                "fast check accepts, meta-schema refuses: {schema}"
            );
        }
    }

    #[test]
    fn accepts_what_the_converter_writes() {
        for schema in [
            json!(true),
            json!(false),
            json!({}),
            json!({"type": ["string", "null"], "enum": ["a", null], "minLength": 1, "maxLength": 5, "pattern": "^a", "format": "date-time"}),
            json!({"type": "object", "required": ["a"], "properties": {"a": {"$ref": "#/$defs/A"}, "b": false}, "additionalProperties": {"type": "integer"}}),
            json!({"anyOf": [{"allOf": [{"$ref": "#/$defs/Pet"}]}, {"type": "null"}], "not": {"type": "string"}}),
            json!({"type": "number", "exclusiveMinimum": 0, "maximum": 1.5, "multipleOf": 0.5}),
            json!({"type": "array", "items": {"type": "string"}, "minItems": 0, "maxItems": 3, "uniqueItems": true}),
            json!({"type": "object", "minProperties": 1, "maxProperties": 9}),
        ] {
            assert!(is_valid(&schema), "{schema}");
            assert!(meta(&schema), "{schema}");
        }
    }

    #[test]
    fn leaves_every_broken_rule_to_the_meta_schema() {
        let broken = [
            json!(1),
            json!("string"),
            json!({"type": "strin"}),
            json!({"type": []}),
            json!({"type": ["string", "string"]}),
            json!({"type": 5}),
            json!({"enum": "a"}),
            json!({"required": ["a", "a"]}),
            json!({"required": [1]}),
            json!({"required": "a"}),
            json!({"properties": []}),
            json!({"properties": {"a": 1}}),
            json!({"items": "x"}),
            json!({"not": []}),
            json!({"additionalProperties": 1}),
            json!({"allOf": []}),
            json!({"oneOf": {}}),
            json!({"anyOf": [1]}),
            json!({"minimum": "1"}),
            json!({"exclusiveMaximum": true}),
            json!({"multipleOf": 0}),
            json!({"multipleOf": -1}),
            json!({"minLength": -1}),
            json!({"maxItems": 1.5}),
            json!({"minProperties": "1"}),
            json!({"uniqueItems": 1}),
            json!({"pattern": 1}),
            json!({"format": true}),
            json!({"$ref": 1}),
        ];
        for schema in broken {
            assert!(!is_valid(&schema), "{schema}");
            assert!(!meta(&schema), "the meta-schema refuses it too: {schema}");
        }
    }

    #[test]
    fn is_unsure_where_the_meta_schema_may_still_accept() {
        // Unknown keywords and integers written as floats: the meta-schema answers.
        for schema in [
            json!({"x-go-name": "A"}),
            json!({"minLength": 1.0}),
            json!({"const": 1}),
        ] {
            assert!(!is_valid(&schema), "{schema}");
        }
        let deep = (0..200).fold(
            json!({"type": "string"}),
            |inner, _| json!({"items": inner}),
        );
        assert!(!is_valid(&deep));
        assert!(meta(&deep));
    }

    #[test]
    fn formats_are_annotations_in_the_meta_schema() {
        // Why `pattern` and `$ref` only need to be strings.
        for schema in [json!({"pattern": "("}), json!({"$ref": "not a uri %%"})] {
            assert!(is_valid(&schema));
            assert!(meta(&schema), "{schema}");
        }
    }

    /// The converted schemas (components and roots) of the embedded document and of the
    /// test fixtures.
    fn converted_schemas() -> Vec<serde_json::Value> {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
        let mut texts = vec![crate::EMBEDDED_DOCUMENT.to_owned()];
        let mut paths: Vec<_> = std::fs::read_dir(fixtures)
            .expect("the fixtures")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .map(|path| std::fs::read_to_string(path).expect("reads")),
        );
        let mut schemas = Vec::new();
        for text in &texts {
            let Ok(document) = crate::load::yaml_to_json(text) else {
                continue;
            };
            let Ok(walked) = crate::validator::Walked::new(text, &document) else {
                continue;
            };
            schemas.extend(
                walked
                    .builder
                    .defs
                    .iter()
                    .flat_map(|defs| defs.values().cloned()),
            );
            schemas.extend(walked.builder.roots.iter().map(|root| root.schema.clone()));
        }
        schemas
    }

    #[test]
    fn agrees_with_the_meta_schema_on_every_converted_schema_of_the_workspace() {
        let schemas = converted_schemas();
        assert!(schemas.len() > 300, "{}", schemas.len());
        for schema in &schemas {
            assert_eq!(is_valid(schema), meta(schema), "{schema}");
        }
    }

    #[test]
    fn agrees_with_the_meta_schema_when_any_keyword_of_them_is_broken() {
        let wrong = [
            json!(null),
            json!(true),
            json!(0),
            json!(-1),
            json!(1.5),
            json!("x"),
            json!([]),
            json!([1, 1]),
            json!(["a", "a"]),
            json!({}),
            json!({"a": 1}),
        ];
        let mut broken = 0;
        for schema in converted_schemas() {
            let serde_json::Value::Object(object) = &schema else {
                continue;
            };
            for keyword in object.keys() {
                for value in &wrong {
                    let mut changed = object.clone();
                    changed.insert(keyword.clone(), value.clone());
                    let changed = serde_json::Value::Object(changed);
                    agrees(&changed);
                    broken += usize::from(!meta(&changed));
                }
            }
        }
        assert!(broken > 1000, "{broken}");
    }
}
