//! [`SpecValidator`]: the document's operations, their compiled schemas and its examples.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::compile::{self, slot, Compiled, Root, Way};
use crate::convert::{Converter, Direction};
use crate::examples::{Example, ExampleOutcome, ExampleTarget};
use crate::load::{document_error, line_of_pointer, yaml_to_json, LoadError};
use crate::report::{edit_distance, ValidationError};

/// The OpenAPI document compiled into body validators, one per operation and direction.
///
/// Build it with [`SpecValidator::embedded`] (the copy of `openapi/trillet.yaml` compiled
/// into this crate) or [`SpecValidator::from_yaml_str`]. Every schema is converted and
/// compiled once, when the validator is built; validating is then cheap and needs `&self`
/// only, so one validator can be shared by threads.
pub struct SpecValidator {
    pub(crate) operations: BTreeMap<String, Operation>,
    /// The compiled schemas ("roots"), by index.
    pub(crate) compiled: Compiled,
    /// The direction of each root.
    directions: Vec<Direction>,
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
            .field("schemas", &self.directions.len())
            .field("examples", &self.examples.len())
            .finish_non_exhaustive()
    }
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
pub const EMBEDDED_DOCUMENT: &str = include_str!("../../../../openapi/trillet.yaml");

static EMBEDDED: OnceLock<Result<SpecValidator, LoadError>> = OnceLock::new();

/// The JSON form of [`EMBEDDED_DOCUMENT`] without its `components`, derived by `build.rs`
/// with the subset reader of `plain_yaml.rs`; empty when that reader gives up and the YAML
/// is read at run time.
const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/trillet.json"));

/// The `components` of [`EMBEDDED_DOCUMENT`] in JSON, the other half of the copy (empty
/// when the document has none).
const EMBEDDED_COMPONENTS_JSON: &str =
    include_str!(concat!(env!("OUT_DIR"), "/trillet.components.json"));

/// The embedded document, from its JSON copy; `None` to read the YAML instead. The copy
/// is within the limits [`SpecValidator::from_yaml_str`] checks: the subset reader that
/// wrote it refuses anchors, aliases and deep nesting, and the size is checked here. The
/// two halves are parsed on two cores when there are two.
pub(crate) fn embedded_json() -> Option<Value> {
    if EMBEDDED_JSON.is_empty() || crate::bounds::check_document_size(EMBEDDED_DOCUMENT).is_err() {
        return None;
    }
    let parse = |json: &str| (!json.is_empty()).then(|| serde_json::from_str::<Value>(json));
    let parallel = !EMBEDDED_COMPONENTS_JSON.is_empty()
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (rest, components) = if parallel {
        std::thread::scope(|scope| {
            let components = scope.spawn(|| parse(EMBEDDED_COMPONENTS_JSON));
            let rest = parse(EMBEDDED_JSON);
            let components = components
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (rest, components)
        })
    } else {
        (parse(EMBEDDED_JSON), parse(EMBEDDED_COMPONENTS_JSON))
    };
    let mut document = rest?.ok()?;
    if let Some(components) = components {
        document
            .as_object_mut()?
            .insert("components".to_owned(), components.ok()?);
    }
    Some(document)
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
        // `from_yaml_str` reads the embedded text from build.rs's JSON copy.
        EMBEDDED
            .get_or_init(|| Self::from_yaml_str(EMBEDDED_DOCUMENT))
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
        // The embedded document (what `cargo xtask validate` reads by default) has a JSON
        // copy from build.rs, which reads faster than its YAML; its limits are checked all
        // the same.
        let document = match (text == EMBEDDED_DOCUMENT).then(embedded_json).flatten() {
            Some(document) => document,
            None => yaml_to_json(text)?,
        };
        Self::from_document(text, document, Way::Shared)
    }

    /// Builds the validator of `document`, the JSON form of the YAML `text`.
    pub(crate) fn from_document(
        text: &str,
        document: Value,
        way: Way,
    ) -> Result<SpecValidator, LoadError> {
        compile::prepare_meta_schema();
        let mut walked = Walked::new(text, &document)?;
        let compiled = compile::compile(
            std::mem::take(&mut walked.builder.roots),
            std::mem::take(&mut walked.builder.defs),
            &walked.builder.refs,
            way,
            walked.components_meta_valid,
        )
        .map_err(|(pointer, message)| walked.builder.error(&pointer, &message))?;
        let Walked {
            builder,
            branches,
            directions,
            ..
        } = walked;
        let Builder {
            operations,
            examples,
            ..
        } = builder;
        Ok(SpecValidator {
            operations,
            compiled,
            directions,
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

    /// Whether `body` passes compiled schema `index`.
    pub(crate) fn is_valid(&self, index: usize, body: &Value) -> bool {
        self.compiled.is_valid(index, self.directions[index], body)
    }

    pub(crate) fn check(&self, index: usize, body: &Value) -> Result<(), ValidationError> {
        if self.is_valid(index, body) {
            return Ok(());
        }
        Err(ValidationError::Invalid(self.compiled.violations(
            index,
            self.directions[index],
            body,
        )))
    }
}

mod build;
mod examples;

pub(crate) use build::{Builder, Walked};
