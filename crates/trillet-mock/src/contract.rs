//! The route table, read from the contract: every operation's method, path template,
//! parameters, security, request media type and documented success response.
//!
//! Nothing here is hand-kept: an operation added to the document is a route.

use serde_json::{Map, Value};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A fixed segment (`agents`).
    Literal(String),
    /// A templated segment (`{agentId}`), by parameter name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// A query parameter.
    Query,
    /// A request header.
    Header,
}

/// A parameter of an operation, its schema resolved.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// The parameter's name.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether it must be sent.
    pub required: bool,
    /// Its schema, with `$ref`s of the top level resolved.
    pub schema: Value,
}

/// The media type of an operation's request body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestMedia {
    /// `application/json`.
    Json,
    /// `multipart/form-data`.
    Multipart,
    /// Anything else, by name.
    Other(String),
}

/// An operation of the contract, as the mock serves it.
#[derive(Debug, Clone)]
pub struct Route {
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template as written (`/v1/api/agents/{agentId}`).
    pub template: String,
    /// The template split at `/`.
    pub segments: Vec<Segment>,
    /// The operationId.
    pub operation_id: String,
    /// Path, query and header parameters (path-level ones included).
    pub parameters: Vec<Parameter>,
    /// The header names of each security alternative; the request must carry all the
    /// headers of one of them. Empty when the operation needs none.
    pub security: Vec<Vec<String>>,
    /// The request body's media type, and whether the body is required.
    pub request: Option<(RequestMedia, bool)>,
    /// The documented success status (the lowest `2XX` key).
    pub success_status: u16,
    /// The documented success body: its first example, else one made from its schema;
    /// `None` when the success response has no JSON body.
    pub success_body: Option<Value>,
    /// The documented success body when it is not JSON (`text/csv`): its media type and
    /// its first example (a string).
    pub success_text: Option<(String, String)>,
    /// `x-trillet-retry` of the operation (`side-effecting`, `idempotent`, ...).
    pub retry: Option<String>,
}

/// Every route of a document.
#[derive(Debug, Clone)]
pub struct RouteTable {
    routes: Vec<Route>,
}

/// The values of a path's templated segments, by parameter name.
pub type PathValues = Vec<(String, String)>;

/// What matching a request path found.
#[derive(Debug)]
pub enum Match<'a> {
    /// The route and the values of its path parameters.
    Found(&'a Route, Vec<(String, String)>),
    /// The path exists, but not with this method; the methods it has.
    WrongMethod(Vec<String>),
    /// No template matches the path.
    NotFound,
}

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

impl RouteTable {
    /// Reads the routes of an OpenAPI 3.0 document (its JSON form).
    ///
    /// # Errors
    ///
    /// When an operation has no `operationId`: the mock names every route by it.
    pub fn from_document(document: &Value) -> Result<RouteTable, String> {
        let global_security = document.get("security");
        let schemes = document
            .pointer("/components/securitySchemes")
            .cloned()
            .unwrap_or(Value::Null);
        let mut routes = Vec::new();
        let paths = document.get("paths").and_then(Value::as_object);
        for (template, item) in paths.into_iter().flatten() {
            let shared = item.get("parameters");
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let operation_id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| {
                        format!("{} {template} has no operationId", method.to_uppercase())
                    })?
                    .to_owned();
                let mut parameters = Vec::new();
                for list in [shared, operation.get("parameters")].into_iter().flatten() {
                    for parameter in list.as_array().into_iter().flatten() {
                        if let Some(parameter) = read_parameter(document, parameter) {
                            parameters.retain(|p: &Parameter| {
                                p.name != parameter.name || p.location != parameter.location
                            });
                            parameters.push(parameter);
                        }
                    }
                }
                let security = operation.get("security").or(global_security);
                let (success_status, success_body, success_text) = success_of(document, operation);
                routes.push(Route {
                    method: method.to_uppercase(),
                    template: template.clone(),
                    segments: split_template(template),
                    operation_id,
                    parameters,
                    security: security_headers(security, &schemes),
                    request: request_of(document, operation),
                    success_status,
                    success_body,
                    success_text,
                    retry: operation
                        .get("x-trillet-retry")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                });
            }
        }
        Ok(RouteTable { routes })
    }

    /// Every route, in document order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The route of `operation_id`.
    pub fn by_operation(&self, operation_id: &str) -> Option<&Route> {
        self.routes.iter().find(|r| r.operation_id == operation_id)
    }

    /// The route for `method` and `path` (no query). Among templates that match, the one
    /// with the most literal segments wins (`/batch-calls/template` over
    /// `/batch-calls/{batchId}`).
    pub fn find(&self, method: &str, path: &str) -> Match<'_> {
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut best: Option<(usize, &Route, PathValues)> = None;
        let mut methods = Vec::new();
        for route in &self.routes {
            let Some((literals, values)) = match_segments(&route.segments, &parts) else {
                continue;
            };
            if route.method != method {
                methods.push(route.method.clone());
                continue;
            }
            if best.as_ref().is_none_or(|(b, _, _)| literals > *b) {
                best = Some((literals, route, values));
            }
        }
        match best {
            Some((_, route, values)) => Match::Found(route, values),
            None if !methods.is_empty() => Match::WrongMethod(methods),
            None => Match::NotFound,
        }
    }
}

fn split_template(template: &str) -> Vec<Segment> {
    template
        .strip_prefix('/')
        .unwrap_or(template)
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_owned()),
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect()
}

fn match_segments(segments: &[Segment], parts: &[&str]) -> Option<(usize, Vec<(String, String)>)> {
    if segments.len() != parts.len() {
        return None;
    }
    let mut literals = 0;
    let mut values = Vec::new();
    for (segment, part) in segments.iter().zip(parts) {
        match segment {
            Segment::Literal(text) if text == part => literals += 1,
            Segment::Literal(_) => return None,
            Segment::Param(_) if part.is_empty() => return None,
            Segment::Param(name) => values.push((name.clone(), percent_decode(part))),
        }
    }
    Some((literals, values))
}

/// Decodes `%XX` escapes (and leaves a malformed one as it is).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
            if let Ok(byte) = u8::from_str_radix(hex, 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Follows `$ref`s (local ones) until a node that is not one.
pub fn resolve<'d>(document: &'d Value, mut node: &'d Value) -> &'d Value {
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        match reference
            .strip_prefix('#')
            .and_then(|p| document.pointer(p))
        {
            Some(target) => node = target,
            None => return node,
        }
    }
    node
}

fn read_parameter(document: &Value, parameter: &Value) -> Option<Parameter> {
    let parameter = resolve(document, parameter);
    let location = match parameter.get("in")?.as_str()? {
        "path" => Location::Path,
        "query" => Location::Query,
        "header" => Location::Header,
        _ => return None,
    };
    Some(Parameter {
        name: parameter.get("name")?.as_str()?.to_owned(),
        location,
        required: parameter.get("required").and_then(Value::as_bool) == Some(true),
        schema: resolve(document, parameter.get("schema").unwrap_or(&Value::Null)).clone(),
    })
}

fn security_headers(security: Option<&Value>, schemes: &Value) -> Vec<Vec<String>> {
    let Some(alternatives) = security.and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for alternative in alternatives {
        let names = alternative
            .as_object()
            .into_iter()
            .flat_map(Map::keys)
            .filter_map(|scheme| {
                let scheme = schemes.get(scheme)?;
                (scheme.get("in")?.as_str()? == "header")
                    .then(|| scheme.get("name")?.as_str().map(str::to_ascii_lowercase))
                    .flatten()
            })
            .collect::<Vec<_>>();
        if names.is_empty() {
            // An empty requirement (`{}`) makes the operation public.
            return Vec::new();
        }
        out.push(names);
    }
    out
}

fn request_of(document: &Value, operation: &Value) -> Option<(RequestMedia, bool)> {
    let body = resolve(document, operation.get("requestBody")?);
    let required = body.get("required").and_then(Value::as_bool) == Some(true);
    let content = body.get("content")?.as_object()?;
    let media = if content.contains_key("application/json") {
        RequestMedia::Json
    } else if content.contains_key("multipart/form-data") {
        RequestMedia::Multipart
    } else {
        RequestMedia::Other(content.keys().next()?.clone())
    };
    Some((media, required))
}

type Success = (u16, Option<Value>, Option<(String, String)>);

fn success_of(document: &Value, operation: &Value) -> Success {
    let responses = operation.get("responses").and_then(Value::as_object);
    let mut best: Option<(u16, &Value)> = None;
    for (key, response) in responses.into_iter().flatten() {
        let status = match key.as_str() {
            "2XX" => 200,
            other => match other.parse::<u16>() {
                Ok(code) if (200..300).contains(&code) => code,
                _ => continue,
            },
        };
        if best.is_none_or(|(b, _)| status < b) {
            best = Some((status, response));
        }
    }
    let Some((status, response)) = best else {
        return (200, None, None);
    };
    let response = resolve(document, response);
    if let Some(media) = response.pointer("/content/application~1json") {
        return (status, Some(example_of(document, media)), None);
    }
    let text = response
        .get("content")
        .and_then(Value::as_object)
        .and_then(|content| content.iter().next())
        .map(|(media_type, media)| {
            let example = example_of(document, media);
            let text = example
                .as_str()
                .map_or_else(|| example.to_string(), str::to_owned);
            (media_type.clone(), text)
        });
    (status, None, text)
}

/// The first example of a media type object, else one made from its schema.
pub fn example_of(document: &Value, media: &Value) -> Value {
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        if let Some(value) = examples
            .values()
            .find_map(|e| resolve(document, e).get("value"))
        {
            return value.clone();
        }
    }
    if let Some(example) = media.get("example") {
        return example.clone();
    }
    synthesize(document, media.get("schema").unwrap_or(&Value::Null), 0)
}

/// A value of `schema` made from its examples, defaults and required properties: what the
/// mock answers for a success response the document gives no example of.
pub fn synthesize(document: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(document, schema);
    if depth > 12 {
        return Value::Null;
    }
    for key in ["example", "default"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(fields) = synthesize(document, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|b| b.first())
        {
            return synthesize(document, first, depth + 1);
        }
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => Value::Array(Vec::new()),
        Some("string") => Value::String(match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => "2026-01-01T00:00:00Z".to_owned(),
            Some("date") => "2026-01-01".to_owned(),
            Some("uri") => "https://example.com/".to_owned(),
            Some("email") => "someone@example.com".to_owned(),
            _ => "x".repeat(
                schema
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1) as usize,
            ),
        }),
        Some("integer") | Some("number") => {
            schema.get("minimum").cloned().unwrap_or(Value::from(0))
        }
        Some("boolean") => Value::Bool(false),
        Some("object") | None => {
            let mut out = Map::new();
            let required = schema.get("required").and_then(Value::as_array);
            let properties = schema.get("properties").and_then(Value::as_object);
            for name in required.into_iter().flatten().filter_map(Value::as_str) {
                let property = properties.and_then(|p| p.get(name)).unwrap_or(&Value::Null);
                out.insert(name.to_owned(), synthesize(document, property, depth + 1));
            }
            Value::Object(out)
        }
        Some(_) => Value::Null,
    }
}
