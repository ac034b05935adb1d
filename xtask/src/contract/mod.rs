//! `cargo xtask contract`: the rules of `openapi/STYLE.md`, checked mechanically, so that
//! the next schema someone adds cannot bring back a pattern that breaks another team's
//! generator.
//!
//! Each rule is one function over the document (as JSON) that returns its problems, each
//! with the JSON pointer of the offending node; the command prints them with their line.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::{Map, Value};
use trillet_spec::escape_pointer_segment as escape;

const HELP: &str = "\
cargo xtask contract: check openapi/trillet.yaml against the contract style (openapi/STYLE.md)

USAGE:
    cargo xtask contract [--spec PATH]

Each problem is one line: <file>:<line> <JSON pointer>: R<n> <what to do>.

EXIT CODES:
    0   every rule holds
    1   at least one rule is broken
    2   the document could not be read or parsed
";

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The rule, e.g. `R5`.
    pub rule: &'static str,
    /// The JSON pointer of the offending node.
    pub pointer: String,
    /// What is wrong and what to do instead.
    pub message: String,
}

/// `cargo xtask contract [--spec PATH]`.
#[derive(Debug, clap::Args)]
#[command(override_help = HELP, args_override_self = true)]
pub struct Args {
    /// The OpenAPI document.
    #[arg(long, value_name = "file")]
    spec: Option<PathBuf>,
}

/// Runs `cargo xtask contract`.
pub fn run(args: Args) -> ExitCode {
    let spec = args
        .spec
        .unwrap_or_else(|| crate::workspace_root().join("openapi/trillet.yaml"));
    let text = match trillet_spec::read_to_string_limited(&spec, trillet_spec::MAX_DOCUMENT_BYTES) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: cannot read {}: {error}", spec.display());
            return ExitCode::from(2);
        }
    };
    let document = match parse(&text) {
        Ok(document) => document,
        Err(message) => {
            eprintln!("error: {}: {message}", spec.display());
            return ExitCode::from(2);
        }
    };
    let problems = check(&document);
    let lines = trillet_spec::SpecValidator::from_yaml_str(&text).ok();
    let shown = shown_path(&spec);
    for problem in &problems {
        let line = lines.as_ref().map_or(0, |v| v.line_of(&problem.pointer));
        println!(
            "{shown}:{line} {}: {} {}",
            if problem.pointer.is_empty() {
                "#"
            } else {
                &problem.pointer
            },
            problem.rule,
            problem.message
        );
    }
    if problems.is_empty() {
        println!("{shown}: every rule of openapi/STYLE.md holds");
        ExitCode::SUCCESS
    } else {
        println!(
            "{} problem(s); openapi/STYLE.md says why each rule exists",
            problems.len()
        );
        ExitCode::from(1)
    }
}

fn shown_path(spec: &Path) -> String {
    let root = crate::workspace_root();
    spec.strip_prefix(&root)
        .unwrap_or(spec)
        .display()
        .to_string()
}

/// The document as JSON, after the input limits every xtask command applies.
pub fn parse(text: &str) -> Result<Value, String> {
    trillet_spec::check_document_limits(text).map_err(|e| e.to_string())?;
    serde_norway::from_str(text).map_err(|e| format!("not YAML: {e}"))
}

/// Every problem of `document`, in rule order.
pub fn check(document: &Value) -> Vec<Problem> {
    let schemas = schema_nodes(document);
    let responses = response_reachable(&schemas);
    let mut problems = Vec::new();
    for node in &schemas {
        per_schema(node, responses.contains(&node.root), &mut problems);
    }
    shared_enum_values(document, &mut problems);
    multipart_encodings(document, &mut problems);
    binary_responses(document, &mut problems);
    retry_safety(document, &mut problems);
    descriptions(document, "", &mut problems);
    problems.sort_by(|a, b| (a.rule, &a.pointer).cmp(&(b.rule, &b.pointer)));
    problems
}

/// A schema object of the document and where it is.
struct SchemaNode<'a> {
    pointer: String,
    /// The schema root it belongs to (a component name, or the pointer of an inline root).
    root: String,
    schema: &'a Map<String, Value>,
    /// Under a parameter (whose `default` is fine).
    in_parameter: bool,
}

/// Every schema object: components, parameters, bodies, responses, headers, webhooks.
fn schema_nodes(document: &Value) -> Vec<SchemaNode<'_>> {
    let mut out = Vec::new();
    if let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        for (name, schema) in schemas {
            let pointer = format!("/components/schemas/{}", escape(name));
            walk_schema(schema, &pointer, name, false, &mut out);
        }
    }
    find_inline_roots(document, String::new(), false, &mut out);
    out
}

/// Finds the `schema` members outside `components/schemas` (media types, parameters,
/// headers) and walks them.
fn find_inline_roots<'a>(
    node: &'a Value,
    pointer: String,
    in_parameter: bool,
    out: &mut Vec<SchemaNode<'a>>,
) {
    let Value::Object(map) = node else {
        if let Value::Array(items) = node {
            for (i, item) in items.iter().enumerate() {
                find_inline_roots(item, format!("{pointer}/{i}"), in_parameter, out);
            }
        }
        return;
    };
    for (key, value) in map {
        let at = format!("{pointer}/{}", escape(key));
        match key.as_str() {
            "example" | "examples" => {}
            "schemas" if pointer == "/components" => {}
            "schema" => walk_schema(value, &at, &at, in_parameter, out),
            "parameters" => find_inline_roots(value, at, true, out),
            _ => find_inline_roots(value, at, in_parameter, out),
        }
    }
}

fn walk_schema<'a>(
    node: &'a Value,
    pointer: &str,
    root: &str,
    in_parameter: bool,
    out: &mut Vec<SchemaNode<'a>>,
) {
    let Some(schema) = node.as_object() else {
        return;
    };
    out.push(SchemaNode {
        pointer: pointer.to_owned(),
        root: root.to_owned(),
        schema,
        in_parameter,
    });
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (name, property) in properties {
            let at = format!("{pointer}/properties/{}", escape(name));
            walk_schema(property, &at, root, in_parameter, out);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = schema.get(key) {
            walk_schema(child, &format!("{pointer}/{key}"), root, in_parameter, out);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(key) {
            for (i, branch) in branches.iter().enumerate() {
                walk_schema(
                    branch,
                    &format!("{pointer}/{key}/{i}"),
                    root,
                    in_parameter,
                    out,
                );
            }
        }
    }
}

fn component_of(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// The roots (component names, inline pointers) a response decodes: response bodies,
/// their headers, and webhook bodies (which the receiver decodes), with every component
/// they reach.
fn response_reachable(schemas: &[SchemaNode<'_>]) -> BTreeSet<String> {
    let is_response_root = |root: &str| {
        root.contains("/responses/")
            || root.starts_with("/x-webhooks/")
            || root.starts_with("/components/responses/")
    };
    let mut refs_of: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for node in schemas {
        if let Some(target) = node
            .schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(component_of)
        {
            refs_of
                .entry(node.root.as_str())
                .or_default()
                .insert(target.to_owned());
        }
    }
    let mut reached: BTreeSet<String> = schemas
        .iter()
        .map(|n| n.root.clone())
        .filter(|root| is_response_root(root))
        .collect();
    let mut todo: Vec<String> = reached.iter().cloned().collect();
    while let Some(root) = todo.pop() {
        for target in refs_of.get(root.as_str()).into_iter().flatten() {
            if reached.insert(target.clone()) {
                todo.push(target.clone());
            }
        }
    }
    reached
}

fn problem(problems: &mut Vec<Problem>, rule: &'static str, pointer: &str, message: &str) {
    problems.push(Problem {
        rule,
        pointer: pointer.to_owned(),
        message: message.to_owned(),
    });
}

/// R1, R2, R3, R4, R5, R7, R9: the rules about one schema object.
fn per_schema(node: &SchemaNode<'_>, in_response: bool, problems: &mut Vec<Problem>) {
    let schema = node.schema;
    let at = |key: &str| format!("{}/{key}", node.pointer);
    if schema.get("additionalProperties") == Some(&Value::Bool(false)) {
        problem(problems, "R1", &at("additionalProperties"),
            "remove `additionalProperties: false`: the live server takes unknown fields, and generators turn it into refusing them");
    }
    if schema.contains_key("default") && !node.in_parameter {
        problem(problems, "R2", &at("default"),
            "move the default into the description (\"The default is `x`.\"): generators send it on every body or fill it into decoded responses");
    }
    if in_response {
        if schema.contains_key("enum") {
            problem(problems, "R3", &at("enum"),
                "a schema a response uses must not be a closed enum: name the values in the description");
        }
        for key in [
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ] {
            if schema.contains_key(key) {
                problem(problems, "R3", &at(key),
                    "a schema a response uses must not bound numbers: state the range in the description");
            }
        }
        for key in ["oneOf", "anyOf"] {
            if schema.contains_key(key) {
                problem(problems, "R3", &at(key),
                    "a response field of several shapes must be untyped, its shapes in the description: Go's generated oneOf decoding fails on string and array members");
            }
        }
        let open = schema.get("additionalProperties") == Some(&Value::Bool(true));
        let required = schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty());
        if required && !open {
            problem(problems, "R7", &node.pointer,
                "a response object with `required` properties must say `additionalProperties: true`: openapi-generator's go client rejects unknown fields otherwise");
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get(key) {
            let arrays = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) == Some("array"))
                .count();
            if arrays > 0 && arrays < branches.len() {
                problem(problems, "R4", &at(key),
                    "a list is a list: choose the array (typescript-fetch emits duplicate identifiers and decodes the list as one object)");
            }
        }
    }
    let type_ = schema.get("type").and_then(Value::as_str);
    if type_ == Some("number") && schema.get("format").and_then(Value::as_str) != Some("double") {
        problem(
            problems,
            "R5",
            &node.pointer,
            "add `format: double`: openapi-generator's go client makes a bare number a float32",
        );
    }
    if schema.get("nullable") == Some(&Value::Bool(true)) && type_.is_none() {
        problem(problems, "R9", &at("nullable"),
            "`nullable` needs a sibling `type` (OpenAPI 3.0): put it on a typed branch, or leave the field untyped");
    }
}

/// R6: two named enums sharing a value both carry `x-enum-varnames`, one name per value.
fn shared_enum_values(document: &Value, problems: &mut Vec<Problem>) {
    let Some(schemas) = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let mut owners: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (name, schema) in schemas {
        for value in schema
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            owners.entry(value.to_string()).or_default().insert(name);
        }
    }
    for (name, schema) in schemas {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        let pointer = format!("/components/schemas/{}", escape(name));
        match schema.get("x-enum-varnames").and_then(Value::as_array) {
            Some(names) if names.len() != values.len() => problem(problems, "R6",
                &format!("{pointer}/x-enum-varnames"),
                "give one name per value of `enum`, in its order"),
            Some(_) => {}
            None if values.iter().any(|v| owners[&v.to_string()].len() > 1) => problem(
                problems, "R6", &pointer,
                "another enum has a value of this one: add `x-enum-varnames` prefixed with the schema name (go constants collide otherwise)"),
            None => {}
        }
    }
}

/// The operations of the document, with their pointers.
fn operations(document: &Value) -> Vec<(String, &Map<String, Value>)> {
    let mut out = Vec::new();
    for (path, item) in document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(operation) = operation.as_object() {
                if operation.contains_key("responses") {
                    out.push((format!("/paths/{}/{method}", escape(path)), operation));
                }
            }
        }
    }
    out
}

/// The component a `$ref` names, or the schema itself.
fn resolved<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(component_of)
        .and_then(|name| document.pointer(&format!("/components/schemas/{}", escape(name))))
        .unwrap_or(schema)
}

/// R8: every binary part of a multipart body has an `encoding` with a `contentType`.
fn multipart_encodings(document: &Value, problems: &mut Vec<Problem>) {
    for (pointer, operation) in operations(document) {
        let Some(media) = operation
            .get("requestBody")
            .and_then(|b| b.pointer("/content/multipart~1form-data"))
        else {
            continue;
        };
        let schema = media.get("schema").map(|s| resolved(document, s));
        for (name, property) in schema
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let binary = property.get("format").and_then(Value::as_str) == Some("binary");
            let typed = media
                .pointer(&format!("/encoding/{}/contentType", escape(name)))
                .is_some();
            if binary && !typed {
                problem(problems, "R8",
                    &format!("{pointer}/requestBody/content/multipart~1form-data"),
                    &format!("add `encoding: {{{name}: {{contentType: ...}}}}`: Prism crashes on a file part without a content type"));
            }
        }
    }
}

/// R11: a binary response is `application/octet-stream` or a `text/` type.
fn binary_responses(document: &Value, problems: &mut Vec<Problem>) {
    for (pointer, operation) in operations(document) {
        for (status, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (media_type, media) in response
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                let binary =
                    media.pointer("/schema/format").and_then(Value::as_str) == Some("binary");
                let supported =
                    media_type == "application/octet-stream" || media_type.starts_with("text/");
                if binary && !supported {
                    problem(problems, "R11",
                        &format!("{pointer}/responses/{status}/content/{}", escape(media_type)),
                        "declare `application/octet-stream` and name the real types in the description: openapi-python-client skips other binary media types");
                }
            }
        }
    }
}

/// The values of `x-trillet-retry` (R12): may the operation be sent again when its fate
/// is unknown.
const RETRY_SAFETY_VALUES: [&str; 2] = ["idempotent", "side-effecting"];

/// R12: every operation says whether it may be retried, and a `GET` is never
/// `side-effecting`.
fn retry_safety(document: &Value, problems: &mut Vec<Problem>) {
    for (pointer, operation) in operations(document) {
        let value = operation.get("x-trillet-retry");
        match value.and_then(Value::as_str) {
            Some(safety) if RETRY_SAFETY_VALUES.contains(&safety) => {
                if pointer.ends_with("/get") && safety == "side-effecting" {
                    problem(problems, "R12", &format!("{pointer}/x-trillet-retry"),
                        "a GET changes nothing: mark it `idempotent`, or make the operation a POST if it does act");
                }
            }
            _ => problem(problems, "R12",
                &format!("{pointer}/x-trillet-retry"),
                &format!("add `x-trillet-retry: idempotent` (repeating it changes nothing more) or `side-effecting` (it places a call, creates or flips something); found {}",
                    value.map_or("nothing".to_string(), Value::to_string))),
        }
    }
}

/// Words that speak of one client or of this repository, not of the API.
const CLIENT_WORDS: [&str; 5] = ["Rust", "typify", "progenitor", "crate", "CURATION"];

/// R10: descriptions speak of the API (except `info.description`).
fn descriptions(node: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let at = format!("{pointer}/{}", escape(key));
                if key == "description" && at != "/info/description" {
                    if let Some(text) = value.as_str() {
                        if let Some(word) = CLIENT_WORDS.iter().find(|w| text.contains(*w)) {
                            problem(problems, "R10", &at, &format!(
                                "speak of the API, not of one client or of this repository (found `{word}`)"));
                        }
                    }
                } else if key != "example" && key != "examples" {
                    descriptions(value, &at, problems);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                descriptions(item, &format!("{pointer}/{i}"), problems);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
