//! [`SpecValidator`]: the document's operations, their compiled schemas and its examples.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::compile::{self, slot, Root, Schemas, Way};
use crate::convert::{Converter, Direction};
use crate::examples::{Example, ExampleOutcome, ExampleTarget};
use crate::load::{
    document_error, escape_pointer_segment, line_of_pointer, yaml_to_json, LoadError,
};
use crate::report::{edit_distance, Reporter, ValidationError};

/// The OpenAPI document compiled into body validators, one per operation and direction.
///
/// Build it with [`SpecValidator::embedded`] (the copy of `openapi/trillet.yaml` compiled
/// into this crate) or [`SpecValidator::from_yaml_str`]. Every schema is converted and
/// compiled once, when the validator is built; validating is then cheap and needs `&self`
/// only, so one validator can be shared by threads.
pub struct SpecValidator {
    pub(crate) operations: BTreeMap<String, Operation>,
    pub(crate) schemas: Vec<CompiledSchema>,
    /// What the reporter reads the names a schema allows from.
    pub(crate) reported: Schemas,
    examples: Vec<Example>,
    /// The YAML text, to find the line of a pointer when reporting.
    text: String,
    /// The document itself: the lint reads its schema objects (`crate::lint`).
    pub(crate) document: Value,
    /// Compiled request-direction validators of the `oneOf`/`anyOf` branches reachable
    /// from request bodies, by the branch's pointer, so the lint can tell which branch a
    /// value matches.
    pub(crate) branches: HashMap<String, usize>,
}

impl std::fmt::Debug for SpecValidator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpecValidator")
            .field("operations", &self.operations.len())
            .field("schemas", &self.schemas.len())
            .field("examples", &self.examples.len())
            .finish_non_exhaustive()
    }
}

pub(crate) struct CompiledSchema {
    pub(crate) validator: jsonschema::Validator,
    direction: Direction,
}

#[derive(Default)]
pub(crate) struct Operation {
    pub(crate) request: Option<Body>,
    /// Keyed by status key, upper-cased (`"200"`, `"4XX"`, `"DEFAULT"`).
    responses: HashMap<String, Body>,
    /// The HTTP method, lower-case (`"put"`).
    pub(crate) method: &'static str,
    /// The path template (`/v1/api/agents/{agentId}`).
    path: String,
    /// Pointers of the schemas of the JSON success (`2..`) responses, for the lint.
    pub(crate) success_schemas: Vec<String>,
    /// The create operation of an update, or the update of a create (see
    /// [`sibling_operations`]).
    pub(crate) sibling: Option<String>,
}

pub(crate) enum Body {
    Json {
        /// Index into `schemas`.
        validator: usize,
        /// Pointer of the schema object in the document; `None` when the media type has
        /// no schema.
        schema: Option<String>,
    },
    NotJson(String),
    Empty,
}

/// The copy of `openapi/trillet.yaml` compiled into this crate.
pub const EMBEDDED_DOCUMENT: &str = include_str!("../../../openapi/trillet.yaml");

static EMBEDDED: OnceLock<Result<SpecValidator, LoadError>> = OnceLock::new();

/// The JSON form of [`EMBEDDED_DOCUMENT`], derived by `build.rs`; empty when the document
/// is left to the careful reader at run time.
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/trillet.json"));

/// The embedded document, from its JSON copy (within the limits of the YAML text, as
/// [`SpecValidator::from_yaml_str`] checks them); `None` to read the YAML instead.
pub(crate) fn embedded_json() -> Option<Value> {
    if EMBEDDED_JSON.is_empty() || crate::check_document_limits(EMBEDDED_DOCUMENT).is_err() {
        return None;
    }
    serde_json::from_str(EMBEDDED_JSON).ok()
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

impl SpecValidator {
    /// The validator of the embedded `openapi/trillet.yaml`, built on first use.
    ///
    /// # Panics
    ///
    /// If the embedded document cannot be loaded. The crate's tests load it, so a
    /// released build cannot; use [`SpecValidator::try_embedded`] to handle it anyway.
    #[must_use]
    pub fn embedded() -> &'static SpecValidator {
        match Self::try_embedded() {
            Ok(validator) => validator,
            Err(error) => panic!(
                "the openapi/trillet.yaml embedded in trillet-spec is broken: {error} \
                 (run `cargo xtask validate` for details)"
            ),
        }
    }

    /// The validator of the embedded `openapi/trillet.yaml`, built on first use, or why it
    /// could not be built.
    pub fn try_embedded() -> Result<&'static SpecValidator, &'static LoadError> {
        EMBEDDED
            .get_or_init(|| match embedded_json() {
                Some(document) => Self::from_document(EMBEDDED_DOCUMENT, document, Way::Shared),
                None => Self::from_yaml_str(EMBEDDED_DOCUMENT),
            })
            .as_ref()
    }

    /// Loads an OpenAPI 3.0 document from YAML (or JSON) text and compiles every schema.
    ///
    /// # Errors
    ///
    /// [`LoadError::Syntax`] (with line and column) when the text is not YAML;
    /// [`LoadError::Document`] when it is not a usable OpenAPI 3.0 document: a missing or
    /// duplicate `operationId`, a `$ref` that points at nothing, an example without `value`,
    /// a schema that cannot be compiled; [`LoadError::Refused`], before any parsing, when
    /// the text exceeds a limit of [`check_document_limits`](crate::check_document_limits)
    /// (size, nesting of flow collections, YAML anchors and aliases).
    pub fn from_yaml_str(text: &str) -> Result<SpecValidator, LoadError> {
        let document = yaml_to_json(text)?;
        Self::from_document(text, document, Way::Shared)
    }

    /// Builds the validator of `document`, the JSON form of the YAML `text`.
    pub(crate) fn from_document(
        text: &str,
        document: Value,
        way: Way,
    ) -> Result<SpecValidator, LoadError> {
        let mut walked = Walked::new(text, &document)?;
        let compiled = compile::compile(
            std::mem::take(&mut walked.builder.roots),
            std::mem::take(&mut walked.builder.defs),
            way,
        )
        .map_err(|(pointer, message)| walked.builder.error(&pointer, &message))?;
        let schemas = compiled
            .validators
            .into_iter()
            .zip(walked.directions)
            .map(|(validator, direction)| CompiledSchema {
                validator,
                direction,
            })
            .collect();
        let Walked {
            builder, branches, ..
        } = walked;
        let Builder {
            operations,
            examples,
            ..
        } = builder;
        Ok(SpecValidator {
            operations,
            schemas,
            reported: compiled.schemas,
            examples,
            text: text.to_owned(),
            document,
            branches,
        })
    }

    /// The operationIds of the document, sorted.
    pub fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    /// Validates a request body of `operation_id`.
    ///
    /// A `multipart/form-data` body is validated as the JSON object of its form fields,
    /// with a file field given as a string.
    ///
    /// # Errors
    ///
    /// [`ValidationError::Invalid`] with every violation when the body contradicts the
    /// schema; the other variants when there is nothing to validate against.
    pub fn validate_request(
        &self,
        operation_id: &str,
        body: &Value,
    ) -> Result<(), ValidationError> {
        let operation = self.operation(operation_id)?;
        match &operation.request {
            Some(Body::Json { validator, .. }) => self.check(*validator, body),
            Some(Body::NotJson(media_type)) => Err(ValidationError::NotJson {
                operation_id: operation_id.to_owned(),
                direction: Direction::Request,
                media_type: media_type.clone(),
            }),
            None | Some(Body::Empty) => Err(ValidationError::NoRequestBody {
                operation_id: operation_id.to_owned(),
            }),
        }
    }

    /// Validates a response body of `operation_id` with HTTP status `status`, against the
    /// response documented for that exact code, else for its range (`4XX`), else `default`.
    ///
    /// # Errors
    ///
    /// [`ValidationError::Invalid`] with every violation when the body contradicts the
    /// schema; the other variants when there is nothing to validate against.
    pub fn validate_response(
        &self,
        operation_id: &str,
        status: u16,
        body: &Value,
    ) -> Result<(), ValidationError> {
        let operation = self.operation(operation_id)?;
        let response = [
            status.to_string(),
            format!("{}XX", status / 100),
            "DEFAULT".to_owned(),
        ]
        .iter()
        .find_map(|key| operation.responses.get(key));
        match response {
            Some(Body::Json { validator, .. }) => self.check(*validator, body),
            Some(Body::NotJson(media_type)) => Err(ValidationError::NotJson {
                operation_id: operation_id.to_owned(),
                direction: Direction::Response,
                media_type: media_type.clone(),
            }),
            Some(Body::Empty) => Err(ValidationError::NoResponseBody {
                operation_id: operation_id.to_owned(),
                status,
            }),
            None => Err(ValidationError::NoResponse {
                operation_id: operation_id.to_owned(),
                status,
            }),
        }
    }

    /// Every inline example of the document, in a stable order (by path, method, then
    /// place), followed by the examples of `#/components/schemas`.
    #[must_use]
    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Validates every inline example against its schema (see [`Example`]).
    #[must_use]
    pub fn validate_examples(&self) -> Vec<ExampleOutcome<'_>> {
        self.examples
            .iter()
            .map(|example| ExampleOutcome {
                example,
                result: self.check(example.validator, &example.value),
            })
            .collect()
    }

    /// The 1-based line of the document where the node at `pointer` (as in
    /// [`Example::location`]) starts; best effort, for reports.
    #[must_use]
    pub fn line_of(&self, pointer: &str) -> usize {
        line_of_pointer(&self.text, pointer)
    }

    pub(crate) fn operation(&self, operation_id: &str) -> Result<&Operation, ValidationError> {
        self.operations.get(operation_id).ok_or_else(|| {
            let mut close: Vec<(usize, &String)> = self
                .operations
                .keys()
                .map(|known| {
                    let distance =
                        edit_distance(&operation_id.to_lowercase(), &known.to_lowercase());
                    (distance, known)
                })
                .filter(|(distance, known)| *distance <= (known.len() / 4).max(2))
                .collect();
            close.sort();
            // Only a difference of case: that is the one.
            if close.first().is_some_and(|(distance, _)| *distance == 0) {
                close.truncate(1);
            }
            ValidationError::UnknownOperation {
                operation_id: operation_id.to_owned(),
                suggestions: close.into_iter().take(3).map(|(_, k)| k.clone()).collect(),
            }
        })
    }

    pub(crate) fn check(&self, index: usize, body: &Value) -> Result<(), ValidationError> {
        let compiled = &self.schemas[index];
        if compiled.validator.is_valid(body) {
            return Ok(());
        }
        let schema = match &self.reported {
            Schemas::Shared(resources) => &resources[slot(compiled.direction)],
            Schemas::Own(schemas) => &schemas[index],
        };
        let reporter = Reporter {
            schema,
            direction: compiled.direction,
        };
        Err(ValidationError::Invalid(
            reporter.violations(compiled.validator.iter_errors(body)),
        ))
    }
}

/// Pairs each create (a POST on a collection, `/call-flows`) with the update of one of its
/// items (a PUT, else a PATCH, on `/call-flows/{flowId}`), both ways, so that the lint can
/// say which of the two a key belongs to.
fn sibling_operations(operations: &mut BTreeMap<String, Operation>) {
    fn collection_of(path: &str) -> Option<&str> {
        let (collection, last) = path.rsplit_once('/')?;
        (last.starts_with('{') && last.ends_with('}') && !collection.is_empty())
            .then_some(collection)
    }
    // Indexed by path, in operationId order, so that the pairing takes linear time.
    let mut updates: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
    let mut creates: HashMap<&str, Vec<&str>> = HashMap::new();
    for (id, operation) in operations.iter() {
        match operation.method {
            "post" => creates.entry(&operation.path).or_default().push(id),
            "put" | "patch" => {
                if let Some(collection) = collection_of(&operation.path) {
                    updates
                        .entry(collection)
                        .or_default()
                        .push((id, operation.method));
                }
            }
            _ => {}
        }
    }
    let pairs: Vec<(String, Option<String>)> = operations
        .iter()
        .map(|(id, operation)| {
            let sibling = match operation.method {
                // The PUT, else the first PATCH.
                "post" => updates.get(operation.path.as_str()).and_then(|found| {
                    found
                        .iter()
                        .find(|(_, method)| *method == "put")
                        .or_else(|| found.first())
                        .map(|(id, _)| *id)
                }),
                "put" | "patch" => collection_of(&operation.path)
                    .and_then(|collection| creates.get(collection))
                    .and_then(|found| found.first().copied()),
                _ => None,
            };
            (id.clone(), sibling.map(str::to_owned))
        })
        .collect();
    for (id, sibling) in pairs {
        if let Some(operation) = operations.get_mut(&id) {
            operation.sibling = sibling;
        }
    }
}

/// The document walked: its operations and examples, and its schemas converted, ready to
/// be compiled.
pub(crate) struct Walked<'d> {
    pub(crate) builder: Builder<'d>,
    pub(crate) branches: HashMap<String, usize>,
    /// The direction of each root schema.
    pub(crate) directions: Vec<Direction>,
}

impl<'d> Walked<'d> {
    pub(crate) fn new(text: &'d str, document: &'d Value) -> Result<Self, LoadError> {
        let mut builder = Builder::new(text, document)?;
        let walked = builder.operations().and_then(|()| {
            builder.component_schema_examples()?;
            builder.branch_validators()
        });
        let branches = match walked {
            Ok(branches) => branches,
            Err(error) => {
                // The schemas met before the problem were compiled before it, one by one,
                // so a schema that does not compile is the first problem.
                if let Err((pointer, message)) = compile::legacy(&builder.roots, &builder.defs) {
                    return Err(builder.error(&pointer, &message));
                }
                return Err(error);
            }
        };
        sibling_operations(&mut builder.operations);
        let directions = builder.roots.iter().map(|root| root.direction).collect();
        Ok(Walked {
            builder,
            branches,
            directions,
        })
    }
}

/// Walks the document once, converting schemas and collecting examples.
pub(crate) struct Builder<'d> {
    text: &'d str,
    document: &'d Value,
    converters: [Converter<'d>; 2],
    /// Converted `components/schemas`, per direction.
    pub(crate) defs: [Map<String, Value>; 2],
    /// Component schemas each component schema refers to directly, per direction.
    refs: [HashMap<String, BTreeSet<String>>; 2],
    /// Component schemas reached from operations, per direction.
    used: [BTreeSet<String>; 2],
    cache: HashMap<(String, Direction), usize>,
    /// The converted schemas to compile, in the order they were met.
    pub(crate) roots: Vec<Root>,
    operations: BTreeMap<String, Operation>,
    /// Where each operationId was defined, to report duplicates.
    operation_pointers: HashMap<String, String>,
    examples: Vec<Example>,
    seen_examples: HashSet<(String, Option<Direction>)>,
}

fn join(pointer: &str, segment: &str) -> String {
    format!("{pointer}/{}", escape_pointer_segment(segment))
}

/// Media types validated as JSON: JSON itself, `+json` types, and form bodies (their
/// fields as a JSON object).
fn is_json_like(media_type: &str, direction: Direction) -> bool {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence.ends_with("+json")
        || direction == Direction::Request
            && (essence == "multipart/form-data" || essence == "application/x-www-form-urlencoded")
}

impl<'d> Builder<'d> {
    fn new(text: &'d str, document: &'d Value) -> Result<Self, LoadError> {
        let version = document
            .get("openapi")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !version.starts_with("3.0") {
            return Err(document_error(
                text,
                "/openapi",
                &format!("only OpenAPI 3.0.x documents are supported, this one says {version:?}"),
            ));
        }
        let mut builder = Builder {
            text,
            document,
            converters: [
                Converter::new(document, Direction::Request),
                Converter::new(document, Direction::Response),
            ],
            defs: [Map::new(), Map::new()],
            refs: [HashMap::new(), HashMap::new()],
            used: [BTreeSet::new(), BTreeSet::new()],
            cache: HashMap::new(),
            roots: Vec::new(),
            operations: BTreeMap::new(),
            operation_pointers: HashMap::new(),
            examples: Vec::new(),
            seen_examples: HashSet::new(),
        };
        if let Some(components) = document.pointer("/components/schemas") {
            let components = components
                .as_object()
                .ok_or_else(|| builder.error("/components/schemas", "must be a mapping"))?;
            // Both directions at once when there are two cores; the request direction's
            // first problem is reported first, as when one converted after the other.
            type Converted = (Map<String, Value>, HashMap<String, BTreeSet<String>>);
            let convert_all = |converter: &Converter<'d>| -> Result<Converted, (String, String)> {
                let mut defs = Map::new();
                let mut all_refs = HashMap::with_capacity(components.len());
                for (name, schema) in components {
                    let mut refs = BTreeSet::new();
                    let converted =
                        converter.convert(schema, &join("/components/schemas", name), &mut refs)?;
                    defs.insert(name.clone(), converted);
                    all_refs.insert(name.clone(), refs);
                }
                Ok((defs, all_refs))
            };
            let [request, response] = &builder.converters;
            let parallel = components.len() > 1
                && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
            let (request, response) = if parallel {
                std::thread::scope(|scope| {
                    let response = scope.spawn(|| convert_all(response));
                    let request = convert_all(request);
                    let response = response
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                    (request, response)
                })
            } else {
                let request = convert_all(request);
                (request, convert_all(response))
            };
            for (direction, converted) in [
                (Direction::Request, request),
                (Direction::Response, response),
            ] {
                let (defs, refs) =
                    converted.map_err(|(pointer, message)| builder.error(&pointer, &message))?;
                builder.defs[slot(direction)] = defs;
                builder.refs[slot(direction)] = refs;
            }
        }
        Ok(builder)
    }

    pub(crate) fn error(&self, pointer: &str, message: &str) -> LoadError {
        document_error(self.text, pointer, message)
    }

    /// Follows local `$ref`s (to responses, request bodies, parameters, examples).
    fn resolve(&self, node: &'d Value, pointer: &str) -> Result<(&'d Value, String), LoadError> {
        let mut node = node;
        let mut pointer = pointer.to_owned();
        for _ in 0..32 {
            let Some(reference) = node.get("$ref") else {
                return Ok((node, pointer));
            };
            let at = join(&pointer, "$ref");
            let target = reference
                .as_str()
                .and_then(|r| r.strip_prefix('#'))
                .ok_or_else(|| self.error(&at, "only local `$ref`s (\"#/...\") are supported"))?;
            node = crate::load::pointer(self.document, target).ok_or_else(|| {
                self.error(
                    &at,
                    &format!("`$ref` \"#{target}\" points at nothing in this document"),
                )
            })?;
            pointer = target.to_owned();
        }
        Err(self.error(&pointer, "`$ref`s form a cycle"))
    }

    fn operations(&mut self) -> Result<(), LoadError> {
        let Some(paths) = self.document.get("paths") else {
            return Ok(());
        };
        let paths = paths
            .as_object()
            .ok_or_else(|| self.error("/paths", "must be a mapping"))?;
        for (path, item) in paths {
            let item_pointer = join("/paths", path);
            let (item, item_pointer) = self.resolve(item, &item_pointer)?;
            let shared = item.get("parameters");
            for method in METHODS {
                if let Some(operation) = item.get(method) {
                    let pointer = join(&item_pointer, method);
                    let shared = shared.map(|p| (p, join(&item_pointer, "parameters")));
                    let place = (path.as_str(), method);
                    self.operation(operation, &pointer, place, shared)?;
                }
            }
        }
        Ok(())
    }

    fn operation(
        &mut self,
        operation: &'d Value,
        pointer: &str,
        (path, method): (&str, &'static str),
        shared_parameters: Option<(&'d Value, String)>,
    ) -> Result<(), LoadError> {
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(pointer, "every operation needs an `operationId`"))?
            .to_owned();
        if let Some(first) = self
            .operation_pointers
            .insert(id.clone(), pointer.to_owned())
        {
            return Err(self.error(
                pointer,
                &format!(
                    "operationId {id:?} is already used at #{first}; operationIds must be unique"
                ),
            ));
        }
        let mut entry = Operation {
            method,
            path: path.to_owned(),
            ..Operation::default()
        };

        // Parameters: the operation's own replace the path item's of the same name and place.
        let mut parameters: Vec<(&'d Value, String)> = Vec::new();
        let own = operation
            .get("parameters")
            .map(|p| (p, join(pointer, "parameters")));
        for (list, list_pointer) in shared_parameters.into_iter().chain(own) {
            let list = list
                .as_array()
                .ok_or_else(|| self.error(&list_pointer, "`parameters` must be a list"))?;
            for (i, parameter) in list.iter().enumerate() {
                let (parameter, at) = self.resolve(parameter, &format!("{list_pointer}/{i}"))?;
                let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
                parameters.retain(|(known, _)| key(known) != key(parameter));
                parameters.push((parameter, at));
            }
        }
        for (parameter, at) in parameters {
            self.parameter(parameter, &at, &id)?;
        }

        if let Some(body) = operation.get("requestBody") {
            let (body, at) = self.resolve(body, &join(pointer, "requestBody"))?;
            entry.request =
                Some(self.content(body, &at, &id, Direction::Request, &ExampleTarget::Request)?);
        }
        if let Some(responses) = operation.get("responses") {
            let responses_pointer = join(pointer, "responses");
            let responses = responses
                .as_object()
                .ok_or_else(|| self.error(&responses_pointer, "`responses` must be a mapping"))?;
            for (status, response) in responses {
                let (response, at) = self.resolve(response, &join(&responses_pointer, status))?;
                let target = ExampleTarget::Response {
                    status: status.clone(),
                };
                let body = self.content(response, &at, &id, Direction::Response, &target)?;
                if let Body::Json {
                    schema: Some(schema),
                    ..
                } = &body
                {
                    if status.starts_with('2') {
                        entry.success_schemas.push(schema.clone());
                    }
                }
                entry.responses.insert(status.to_ascii_uppercase(), body);
            }
        }
        self.operations.insert(id, entry);
        Ok(())
    }

    fn parameter(
        &mut self,
        parameter: &'d Value,
        pointer: &str,
        operation_id: &str,
    ) -> Result<(), LoadError> {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| self.error(pointer, "a parameter needs a `name`"))?;
        let Some(schema) = parameter.get("schema") else {
            return Ok(());
        };
        let schema_pointer = join(pointer, "schema");
        let index = self.compile(schema, &schema_pointer, Direction::Request)?;
        let target = ExampleTarget::Parameter {
            name: name.to_owned(),
        };
        let validator = (index, Some(schema_pointer.as_str()));
        self.examples_of(
            parameter,
            pointer,
            Some(operation_id),
            &target,
            validator,
            None,
        )?;
        self.schema_examples(
            schema,
            &schema_pointer,
            &[Direction::Request],
            Some(operation_id),
        )
    }

    /// Compiles the JSON media types of a request body or response and collects their
    /// examples; returns what a body of it is validated against.
    fn content(
        &mut self,
        holder: &'d Value,
        pointer: &str,
        operation_id: &str,
        direction: Direction,
        target: &ExampleTarget,
    ) -> Result<Body, LoadError> {
        let Some(content) = holder.get("content") else {
            return Ok(Body::Empty);
        };
        let content_pointer = join(pointer, "content");
        let content = content
            .as_object()
            .ok_or_else(|| self.error(&content_pointer, "`content` must be a mapping"))?;
        let mut body = None;
        for (media_type, entry) in content {
            if !is_json_like(media_type, direction) {
                continue;
            }
            let at = join(&content_pointer, media_type);
            let schema_pointer = join(&at, "schema");
            let schema = entry.get("schema").unwrap_or(&Value::Bool(true));
            let index = self.compile(schema, &schema_pointer, direction)?;
            let raw = entry.get("schema").map(|_| schema_pointer.clone());
            self.examples_of(
                entry,
                &at,
                Some(operation_id),
                target,
                (index, raw.as_deref()),
                None,
            )?;
            if let Some(schema) = entry.get("schema") {
                self.schema_examples(schema, &schema_pointer, &[direction], Some(operation_id))?;
            }
            body.get_or_insert(Body::Json {
                validator: index,
                schema: raw,
            });
        }
        Ok(match body {
            Some(body) => body,
            None => match content.keys().next() {
                Some(media_type) => Body::NotJson(media_type.clone()),
                None => Body::Empty,
            },
        })
    }

    /// Collects `example` and `examples` of a media type or parameter, checked against
    /// `validator`, the compiled form of the schema at the pointer beside it (if any).
    fn examples_of(
        &mut self,
        holder: &'d Value,
        pointer: &str,
        operation_id: Option<&str>,
        target: &ExampleTarget,
        validator: (usize, Option<&str>),
        direction: Option<Direction>,
    ) -> Result<(), LoadError> {
        if let Some(value) = holder.get("example") {
            self.add_example(
                join(pointer, "example"),
                operation_id,
                target,
                value,
                validator,
                direction,
            );
        }
        if let Some(examples) = holder.get("examples") {
            let examples_pointer = join(pointer, "examples");
            let examples = examples
                .as_object()
                .ok_or_else(|| self.error(&examples_pointer, "`examples` must be a mapping"))?;
            for (name, example) in examples {
                let location = join(&examples_pointer, name);
                let (example, at) = self.resolve(example, &location)?;
                match example.get("value") {
                    Some(value) => {
                        self.add_example(
                            location,
                            operation_id,
                            target,
                            value,
                            validator,
                            direction,
                        );
                    }
                    None if example.get("externalValue").is_some() => {}
                    None => {
                        return Err(self.error(
                            &at,
                            "an Example Object needs a `value` (or an `externalValue`)",
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    fn add_example(
        &mut self,
        location: String,
        operation_id: Option<&str>,
        target: &ExampleTarget,
        value: &Value,
        (validator, schema): (usize, Option<&str>),
        direction: Option<Direction>,
    ) {
        if self.seen_examples.insert((location.clone(), direction)) {
            self.examples.push(Example {
                location,
                operation_id: operation_id.map(str::to_owned),
                target: target.clone(),
                value: value.clone(),
                validator,
                schema: schema.map(str::to_owned),
            });
        }
    }

    /// Collects the `example` keywords of a schema and the schemas inside it, without
    /// following `$ref`s (component schemas are walked on their own).
    fn schema_examples(
        &mut self,
        schema: &'d Value,
        pointer: &str,
        directions: &[Direction],
        operation_id: Option<&str>,
    ) -> Result<(), LoadError> {
        let Value::Object(object) = schema else {
            return Ok(());
        };
        if let Some(value) = object.get("example") {
            for &direction in directions {
                let index = self.compile(schema, pointer, direction)?;
                let target = ExampleTarget::Schema { direction };
                self.add_example(
                    join(pointer, "example"),
                    operation_id,
                    &target,
                    value,
                    (index, Some(pointer)),
                    Some(direction),
                );
            }
        }
        if object.contains_key("$ref") {
            return Ok(());
        }
        let mut children: Vec<(&'d Value, String)> = Vec::new();
        for key in ["items", "additionalProperties", "not"] {
            if let Some(child) = object.get(key) {
                children.push((child, join(pointer, key)));
            }
        }
        if let Some(Value::Object(properties)) = object.get("properties") {
            let at = join(pointer, "properties");
            children.extend(
                properties
                    .iter()
                    .map(|(name, child)| (child, join(&at, name))),
            );
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = object.get(key) {
                let at = join(pointer, key);
                children.extend(
                    branches
                        .iter()
                        .enumerate()
                        .map(|(i, child)| (child, format!("{at}/{i}"))),
                );
            }
        }
        for (child, at) in children {
            self.schema_examples(child, &at, directions, operation_id)?;
        }
        Ok(())
    }

    /// Examples of `#/components/schemas`, in the directions each schema is used in.
    fn component_schema_examples(&mut self) -> Result<(), LoadError> {
        let Some(Value::Object(components)) = self.document.pointer("/components/schemas") else {
            return Ok(());
        };
        for (name, schema) in components {
            let mut directions: Vec<Direction> = [Direction::Request, Direction::Response]
                .into_iter()
                .filter(|d| self.used[slot(*d)].contains(name))
                .collect();
            if directions.is_empty() {
                directions = vec![Direction::Request, Direction::Response];
            }
            self.schema_examples(
                schema,
                &join("/components/schemas", name),
                &directions,
                None,
            )?;
        }
        Ok(())
    }

    /// Compiles, in the request direction, every `oneOf`/`anyOf` branch reachable from a
    /// request body or from an example the lint reads, keyed by the branch's pointer
    /// (`<schema>/oneOf/1`; through a `$ref`, the pointer of its target's branch).
    fn branch_validators(&mut self) -> Result<HashMap<String, usize>, LoadError> {
        let document = self.document;
        let mut pending: Vec<String> = self
            .operations
            .values()
            .filter_map(|operation| match &operation.request {
                Some(Body::Json {
                    schema: Some(schema),
                    ..
                }) => Some(schema.clone()),
                _ => None,
            })
            .collect();
        pending.extend(
            self.examples
                .iter()
                .filter(|example| crate::lint::is_linted(&example.target))
                .filter_map(|example| example.schema.clone()),
        );
        let mut seen = HashSet::new();
        let mut branches = HashMap::new();
        while let Some(pointer) = pending.pop() {
            if !seen.insert(pointer.clone()) {
                continue;
            }
            let Some(Value::Object(schema)) = crate::load::pointer(document, &pointer) else {
                continue;
            };
            if let Some(target) = schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            {
                pending.push(target.to_owned());
                continue;
            }
            if let Some(Value::Object(properties)) = schema.get("properties") {
                let at = join(&pointer, "properties");
                pending.extend(properties.keys().map(|name| join(&at, name)));
            }
            for key in ["items", "additionalProperties"] {
                if schema.get(key).is_some_and(Value::is_object) {
                    pending.push(join(&pointer, key));
                }
            }
            for key in ["allOf", "oneOf", "anyOf"] {
                let Some(Value::Array(list)) = schema.get(key) else {
                    continue;
                };
                for (i, branch) in list.iter().enumerate() {
                    let at = format!("{}/{i}", join(&pointer, key));
                    if key != "allOf" {
                        let index = self.compile(branch, &at, Direction::Request)?;
                        branches.insert(at.clone(), index);
                    }
                    pending.push(at);
                }
            }
        }
        Ok(branches)
    }

    /// Converts the schema at `pointer` for `direction`, once, for [`compile::compile`].
    fn compile(
        &mut self,
        schema: &Value,
        pointer: &str,
        direction: Direction,
    ) -> Result<usize, LoadError> {
        // A bare `$ref` shares the validator of the component it names.
        let key = match schema.as_object() {
            Some(object)
                if object.contains_key("$ref")
                    && object.get("nullable") != Some(&Value::Bool(true)) =>
            {
                match object
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix('#'))
                {
                    Some(target) => target.to_owned(),
                    None => pointer.to_owned(),
                }
            }
            _ => pointer.to_owned(),
        };
        if let Some(index) = self.cache.get(&(key.clone(), direction)) {
            return Ok(*index);
        }
        let mut refs = BTreeSet::new();
        let converted = self.converters[slot(direction)]
            .convert(schema, pointer, &mut refs)
            .map_err(|(at, message)| self.error(&at, &message))?;

        // Only the component schemas this one reaches go into its `$defs`.
        let mut reached = BTreeSet::new();
        let mut pending: Vec<String> = refs.into_iter().collect();
        while let Some(name) = pending.pop() {
            if reached.insert(name.clone()) {
                if let Some(next) = self.refs[slot(direction)].get(&name) {
                    pending.extend(next.iter().cloned());
                }
            }
        }
        self.used[slot(direction)].extend(reached.iter().cloned());
        self.roots.push(Root {
            schema: converted,
            reached,
            pointer: pointer.to_owned(),
            direction,
        });
        let index = self.roots.len() - 1;
        self.cache.insert((key, direction), index);
        Ok(index)
    }
}
