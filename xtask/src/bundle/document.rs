//! The contract as the published documents: one JSON and one YAML file, each
//! self-contained (every `$ref` points inside the document) and byte-identical for the
//! same input.
//!
//! Key order is the curated order of `openapi/trillet.yaml` (tags, then paths in the
//! order the document groups them), carried by `serde_norway`'s ordered mapping into both
//! texts; it does not depend on which features of `serde_json` the build unifies.

use serde_json::Value;

/// The published texts of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Documents {
    /// `trillet.json`: pretty-printed, two-space indent, final newline.
    pub json: String,
    /// `trillet.yaml`: the same tree as YAML (every mapping key a string).
    pub yaml: String,
    /// `info.version`.
    pub version: String,
}

/// Renders the published documents from the YAML (or JSON) text of the contract.
pub fn render(text: &str) -> Result<Documents, String> {
    trillet_spec::check_document_limits(text).map_err(|e| e.to_string())?;
    let ordered: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    // Through JSON once: integer keys (`200:`) become strings, as in the JSON file.
    let compact = serde_json::to_string(&ordered).map_err(|e| {
        format!("cannot be written as JSON (a key that is not a string or number?): {e}")
    })?;
    let tree: Value = serde_json::from_str(&compact).map_err(|e| e.to_string())?;
    let problems = external_references(&tree);
    if !problems.is_empty() {
        return Err(format!(
            "the document is not self-contained:\n  {}\nmove each target into #/components",
            problems.join("\n  ")
        ));
    }
    let version = tree
        .pointer("/info/version")
        .and_then(Value::as_str)
        .ok_or("/info/version is missing or not a string")?
        .to_string();
    let ordered: serde_norway::Value = serde_json::from_str(&compact).map_err(|e| e.to_string())?;
    let mut json = serde_json::to_string_pretty(&ordered).map_err(|e| e.to_string())?;
    json.push('\n');
    let yaml = super::yaml::to_yaml(&ordered);
    Ok(Documents {
        json,
        yaml,
        version,
    })
}

/// Every `$ref` that leaves the document or points at nothing, as `pointer: $ref`.
/// Examples are data, not schema: their `$ref` keys are not references.
pub fn external_references(document: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    walk(document, document, "", &mut problems);
    problems
}

fn walk(document: &Value, node: &Value, pointer: &str, problems: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let target = reference
                    .strip_prefix('#')
                    .and_then(|inner| document.pointer(inner));
                if target.is_none() {
                    problems.push(format!("{pointer}/$ref: {reference}"));
                }
            }
            for (key, value) in map {
                if (key == "example" || key == "examples") && !pointer.ends_with("/properties") {
                    continue;
                }
                let child = format!("{pointer}/{}", trillet_spec::escape_pointer_segment(key));
                walk(document, value, &child, problems);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                walk(document, item, &format!("{pointer}/{index}"), problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(yaml: &str, expected: Result<&str, &str>) {
        match (render(yaml), expected) {
            (Ok(documents), Ok(needle)) => {
                assert!(documents.json.contains(needle), "{documents:?}")
            }
            (Err(message), Err(needle)) => assert!(message.contains(needle), "{message}"),
            (got, want) => panic!("{yaml}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn documents_are_checked_and_rendered_in_source_order() {
        let head = "openapi: 3.0.3\ninfo: {title: t, version: 1.2.3}\n";
        check(
            &format!("{head}paths: {{}}\n"),
            Ok("\"openapi\": \"3.0.3\",\n  \"info\""),
        );
        check(
            &format!("{head}paths:\n  /b: {{}}\n  /a: {{}}\n"),
            Ok("\"/b\": {},\n    \"/a\""),
        );
        check(
            &format!("{head}paths:\n  /a:\n    get:\n      responses:\n        200: {{description: ok}}\n"),
            Ok("\"200\": {"),
        );
        check(
            &format!("{head}components:\n  schemas:\n    A: {{$ref: 'other.yaml#/B'}}\n"),
            Err("/components/schemas/A/$ref: other.yaml#/B"),
        );
        check(
            &format!("{head}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n"),
            Err("/components/schemas/A/$ref: #/components/schemas/B"),
        );
        check(
            &format!(
                "{head}components:\n  schemas:\n    A: {{type: object, example: {{$ref: x}}}}\n"
            ),
            Ok("\"$ref\": \"x\""),
        );
        check("openapi: 3.0.3\ninfo: {title: t}\n", Err("/info/version"));
        check("openapi: [\n", Err("not YAML"));
    }

    #[test]
    fn the_yaml_has_string_keys_and_the_same_tree() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n";
        let documents = render(text).expect("renders");
        assert!(documents.yaml.contains("\"200\":"), "{}", documents.yaml);
        let from_yaml: Value = serde_norway::from_str(&documents.yaml).expect("YAML");
        let from_json: Value = serde_json::from_str(&documents.json).expect("JSON");
        assert_eq!(from_yaml, from_json);
        assert_eq!(documents.version, "1.0.0");
    }

    #[test]
    fn the_yaml_keeps_the_order_of_the_json() {
        let text = "openapi: 3.0.3\ninfo: {version: 1.0.0, title: t}\npaths: {/b: {}, /a: {}}\n";
        let documents = render(text).expect("renders");
        assert_eq!(documents.yaml, "openapi: \"3.0.3\"\ninfo:\n  version: \"1.0.0\"\n  title: t\npaths:\n  /b: {}\n  /a: {}\n");
    }
}
