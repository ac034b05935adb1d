//! The spec lookups: the validator, the document as JSON, an operation's method, path,
//! success status and examples.

use std::sync::OnceLock;

use serde_json::Value;
use trillet_spec::{ExampleTarget, SpecValidator, EMBEDDED_DOCUMENT};

/// The spec's validator.
pub fn spec() -> &'static SpecValidator {
    SpecValidator::embedded()
}

/// The workspace's `README.md`, as the tests that check its tables read it (the one place
/// a test reads README text).
pub fn readme() -> &'static str {
    include_str!("../../README.md")
}

/// The spec as JSON.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        serde_norway::from_str(EMBEDDED_DOCUMENT).expect("the embedded spec is YAML")
    })
}

/// Method (upper case) and path template of an operation, from the spec.
pub fn operation(operation_id: &str) -> (String, String) {
    let paths = document()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("path item") {
            if op.get("operationId").and_then(Value::as_str) == Some(operation_id) {
                return (method.to_uppercase(), path.clone());
            }
        }
    }
    panic!("no operation {operation_id} in the spec")
}

/// The concrete path of an operation of the spec, its parameters filled in order.
pub fn path_of(operation_id: &str, values: &[&str]) -> String {
    let (_, template) = operation(operation_id);
    let mut path = String::new();
    let mut rest = template.as_str();
    let mut values = values.iter();
    while let Some(start) = rest.find('{') {
        path.push_str(&rest[..start]);
        path.push_str(values.next().unwrap_or_else(|| {
            panic!("{operation_id}: a value for every parameter of {template}")
        }));
        let end = rest.find('}').expect("a closing brace");
        rest = &rest[end + 1..];
    }
    assert!(
        values.next().is_none(),
        "{operation_id}: more values than the parameters of {template}"
    );
    path.push_str(rest);
    path
}

/// The operation's documented success status (its one `2XX` response; `201` for
/// `createFlowFolder`, `200` for the others).
pub fn success_status(operation_id: &str) -> u16 {
    let (method, path) = operation(operation_id);
    let responses = document()["paths"][path.as_str()][method.to_lowercase().as_str()]["responses"]
        .as_object()
        .expect("responses");
    let mut success = responses
        .keys()
        .filter_map(|k| k.parse::<u16>().ok())
        .filter(|s| (200..300).contains(s));
    let status = success
        .next()
        .unwrap_or_else(|| panic!("{operation_id}: no success response"));
    assert!(
        success.next().is_none(),
        "{operation_id}: more than one success response"
    );
    status
}

/// The names of the JSON examples of the operation's success response.
pub fn success_example_names(operation_id: &str) -> Vec<String> {
    let status = success_status(operation_id).to_string();
    response_examples(operation_id, &status)
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// The `example` of each query parameter of an operation, as sent in a URL (strings as
/// they are, numbers in decimal), in document order; `$ref`s to
/// `#/components/parameters` are followed.
pub fn query_examples(operation_id: &str) -> Vec<(String, String)> {
    let (method, path) = operation(operation_id);
    let item = &document()["paths"][path.as_str()];
    let parameters = item["parameters"]
        .as_array()
        .into_iter()
        .chain(item[method.to_lowercase().as_str()]["parameters"].as_array())
        .flatten();
    let mut examples = Vec::new();
    for parameter in parameters {
        let parameter = match parameter["$ref"].as_str() {
            Some(reference) => document()
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{reference} points at nothing")),
            None => parameter,
        };
        if parameter["in"] != "query" {
            continue;
        }
        let name = parameter["name"].as_str().expect("a name").to_string();
        let value = match &parameter["example"] {
            Value::String(text) => text.clone(),
            Value::Null => panic!("{operation_id}: query parameter {name} has no example"),
            other => other.to_string(),
        };
        examples.push((name, value));
    }
    examples
}

/// JSON pointer escaping of one token.
pub(crate) fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Where an operation's examples live: `/paths/<path>/<method>`.
fn operation_pointer(operation_id: &str) -> String {
    let (method, path) = operation(operation_id);
    format!("/paths/{}/{}", escape(&path), method.to_lowercase())
}

/// An example as (its name, the last segment of its location; its value).
fn named(example: &trillet_spec::Example) -> (String, Value) {
    let name = example.location.rsplit('/').next().unwrap_or_default();
    (name.to_string(), example.value.clone())
}

/// The spec's JSON examples of an operation's response with this status key, by name.
pub fn response_examples(operation_id: &str, status: &str) -> Vec<(String, Value)> {
    let prefix = format!("{}/responses/{status}/", operation_pointer(operation_id));
    spec()
        .examples()
        .iter()
        .filter(|e| e.location.starts_with(&prefix))
        .filter(|e| matches!(&e.target, ExampleTarget::Response { status: s } if s == status))
        .map(named)
        .collect()
}

/// The spec's JSON request examples of an operation, by name.
pub fn request_examples(operation_id: &str) -> Vec<(String, Value)> {
    let prefix = format!("{}/requestBody/", operation_pointer(operation_id));
    spec()
        .examples()
        .iter()
        .filter(|e| e.location.starts_with(&prefix) && e.target == ExampleTarget::Request)
        .map(named)
        .collect()
}

/// One named request example of an operation.
pub fn request_example(operation_id: &str, name: &str) -> Value {
    request_examples(operation_id)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{operation_id} has no request example {name}"))
        .1
}

/// A raw example value of the document at a JSON pointer (e.g. multipart and CSV
/// examples, which `trillet_spec` does not list).
pub fn example_at(pointer: &str) -> Value {
    document()
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer}"))
        .clone()
}
