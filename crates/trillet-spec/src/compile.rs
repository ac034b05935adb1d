//! Compiling the converted schemas into validators.
//!
//! Each direction's component schemas and the schemas of the document's bodies, parameters
//! and examples ("roots") go into one JSON Schema resource per direction,
//! `{"$defs": {"Agent": .., ":0": <root 0>, ..}}` (a root's name starts with `:`, which no
//! component name may hold), and one validator is compiled per direction, from
//! `{"properties": {":0": {"$ref": <root 0>}, ..}}`: a body of root `i` is validated as the
//! property `:i` of a one-key object ([`Compiled::is_valid`]). So no root carries a copy of
//! the components it reaches, each component is compiled once per direction instead of
//! once per root that reaches it, the meta-schema check runs once over each resource, and
//! the two directions are compiled on two cores. When anything fails that way, [`legacy`]
//! compiles each root with a `$defs` copy of the components it reaches, one after the
//! other, as this crate always did: that decides whether the document loads and which
//! error it reports, so errors do not depend on the way that is fast.

use std::collections::{BTreeSet, HashMap};

use jsonschema::{Draft, Registry, ValidationOptions, Validator};
use serde_json::{Map, Value};

use crate::convert::Direction;
use crate::report::{Reporter, Violation};

/// The base URIs of the shared resources, by direction.
const RESOURCES: [&str; 2] = ["urn:trillet-spec:request", "urn:trillet-spec:response"];

/// A converted schema waiting to be compiled.
pub(crate) struct Root {
    /// The converted schema; component `$ref`s point at `#/$defs/<name>`.
    pub(crate) schema: Value,
    /// The component schemas it names directly (see [`reached`] for the others).
    pub(crate) refs: BTreeSet<String>,
    /// Where it is in the document, for errors.
    pub(crate) pointer: String,
    pub(crate) direction: Direction,
}

/// How [`compile`] compiles: the shared way first, or (to compare them in tests) the
/// legacy way only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Way {
    Shared,
    #[cfg_attr(not(test), allow(dead_code))]
    Legacy,
}

/// The compiled roots, by their index in the order of the roots, with what their errors'
/// schema paths point into (to look names up when reporting).
pub(crate) enum Compiled {
    /// One validator per direction, over the shared resource of that direction.
    Shared {
        validators: [Validator; 2],
        resources: [Value; 2],
    },
    /// Each root compiled on its own, with the schema (and copies) it was compiled from, as
    /// [`legacy`] compiled it.
    Own(Vec<(Validator, Value)>),
}

impl Compiled {
    /// Whether `body` passes root `index`, a root of `direction`.
    pub(crate) fn is_valid(&self, index: usize, direction: Direction, body: &Value) -> bool {
        match self {
            Compiled::Shared { validators, .. } => {
                validators[slot(direction)].is_valid(&wrap(index, body))
            }
            Compiled::Own(own) => own[index].0.is_valid(body),
        }
    }

    /// Every way `body` fails root `index`, a root of `direction`, as the reporter words it.
    pub(crate) fn violations(
        &self,
        index: usize,
        direction: Direction,
        body: &Value,
    ) -> Vec<Violation> {
        match self {
            Compiled::Shared {
                validators,
                resources,
            } => {
                let wrapped = wrap(index, body);
                let prefix = format!("/{}", root_name(index));
                let reporter = Reporter {
                    schema: &resources[slot(direction)],
                    direction,
                    instance_prefix: &prefix,
                };
                reporter.violations(validators[slot(direction)].iter_errors(&wrapped))
            }
            Compiled::Own(own) => {
                let (validator, schema) = &own[index];
                let reporter = Reporter {
                    schema,
                    direction,
                    instance_prefix: "",
                };
                reporter.violations(validator.iter_errors(body))
            }
        }
    }

    /// Whether the shared way compiled the roots (the legacy way did otherwise).
    #[cfg(test)]
    pub(crate) fn is_shared(&self) -> bool {
        matches!(self, Compiled::Shared { .. })
    }
}

/// The name of root `index` in its direction's resource and validator: `:<index>`.
fn root_name(index: usize) -> String {
    format!(":{index}")
}

/// `body` as the validator of its direction takes the bodies of root `index`:
/// `{":<index>": body}`.
fn wrap(index: usize, body: &Value) -> Value {
    Value::Object(Map::from_iter([(root_name(index), body.clone())]))
}

/// The component schemas each component schema names directly, per direction.
pub(crate) type References = [HashMap<String, BTreeSet<String>>; 2];

/// Adds to `into` the component schemas `names` and everything they reach through
/// `graph` (one direction of [`References`]). The search stops at names `into` holds
/// already, so `into` must hold everything its names reach (as it does when it only ever
/// grows through this function).
pub(crate) fn reach(
    graph: &HashMap<String, BTreeSet<String>>,
    names: &BTreeSet<String>,
    into: &mut BTreeSet<String>,
) {
    let mut pending: Vec<&String> = names.iter().collect();
    while let Some(name) = pending.pop() {
        if into.insert(name.clone()) {
            pending.extend(graph.get(name).into_iter().flatten());
        }
    }
}

/// The component schemas `root` reaches, directly or not.
fn reached(root: &Root, references: &References) -> BTreeSet<String> {
    let mut reached = BTreeSet::new();
    reach(&references[slot(root.direction)], &root.refs, &mut reached);
    reached
}

/// Why a root could not be compiled: its pointer and the error, as the loader reports it.
pub(crate) type CompileError = (String, String);

pub(crate) fn slot(direction: Direction) -> usize {
    match direction {
        Direction::Request => 0,
        Direction::Response => 1,
    }
}

/// The options every validator is compiled with.
pub(crate) fn options() -> ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
}

/// Where root `index` is in its direction's resource.
fn root_pointer(index: usize) -> String {
    format!("/$defs/{}", root_name(index))
}

/// Whether every converted component schema of both directions passes the meta-schema:
/// the same as checking them inside their resource, whose `$defs` the meta-schema checks
/// one by one as schemas.
pub(crate) fn meta_valid_components(defs: &[Map<String, Value>; 2]) -> bool {
    defs.iter().flat_map(Map::values).all(meta_valid)
}

/// Starts building the meta-schema's validator on a thread of its own, once per process,
/// when there is more than one core. jsonschema builds it on first use (about a
/// millisecond) and [`compile`] needs it in any case (every `build` checks its root schema
/// with it); built meanwhile, it fills the moments a core waits for the other, and the
/// first `build` waits for it only if it is not done yet.
pub(crate) fn prepare_meta_schema() {
    static STARTED: std::sync::Once = std::sync::Once::new();
    STARTED.call_once(|| {
        if std::thread::available_parallelism().is_ok_and(|n| n.get() > 1) {
            // No thread (a limit of the system) only means the first `build` builds it.
            let builder = std::thread::Builder::new().name("meta-schema".to_owned());
            let _started = builder.spawn(|| drop(jsonschema::draft202012::meta::validator()));
        }
    });
}

/// Whether `schema` passes the 2020-12 meta-schema: [`crate::meta_check`] answers for the
/// keywords the converter writes, the meta-schema itself when that check cannot tell.
pub(crate) fn meta_valid(schema: &Value) -> bool {
    crate::meta_check::is_valid(schema)
        || jsonschema::draft202012::meta::validator().is_valid(schema)
}

/// Compiles `roots` against the converted component schemas `defs` (per direction).
/// `components_meta_valid` is [`meta_valid_components`] of `defs` if it was found
/// already; then only the roots are checked against the meta-schema.
///
/// # Errors
///
/// The first root, in order, that cannot be compiled, as [`legacy`] finds it.
pub(crate) fn compile(
    mut roots: Vec<Root>,
    defs: [Map<String, Value>; 2],
    references: &References,
    way: Way,
    components_meta_valid: Option<bool>,
) -> Result<Compiled, CompileError> {
    // Moved, not `json!`, which would serialize a copy.
    let mut resources =
        defs.map(|defs| Value::Object(Map::from_iter([("$defs".to_owned(), Value::Object(defs))])));
    for (index, root) in roots.iter_mut().enumerate() {
        if let Some(Value::Object(defs)) = resources[slot(root.direction)].get_mut("$defs") {
            defs.insert(root_name(index), std::mem::take(&mut root.schema));
        }
    }
    if let Some(validators) = (way == Way::Shared && components_meta_valid != Some(false))
        .then(|| shared(&roots, &resources, components_meta_valid.is_some()))
        .flatten()
    {
        return Ok(Compiled::Shared {
            validators,
            resources,
        });
    }
    let [request, response] = &resources;
    let defs = [request, response].map(|resource| {
        resource
            .get("$defs")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    });
    for (index, root) in roots.iter_mut().enumerate() {
        root.schema = defs[slot(root.direction)]
            .get(&root_name(index))
            .cloned()
            .unwrap_or_default();
    }
    Ok(Compiled::Own(legacy(&roots, &defs, references)?))
}

/// The fast way: `None` when the meta-schema refuses a resource or a validator does not
/// compile (then [`legacy`] decides). With `components_checked`, the component schemas
/// passed the meta-schema already and only the roots (`:N`) are checked.
fn shared(
    roots: &[Root],
    resources: &[Value; 2],
    components_checked: bool,
) -> Option<[Validator; 2]> {
    // `{"properties": {":0": {"$ref": "urn:trillet-spec:request#/$defs/:0"}, ..}}`, over
    // a registry of that direction's resource alone (no resource refers to the other).
    let build = |direction: Direction| -> Option<Validator> {
        let uri = RESOURCES[slot(direction)];
        let registry = Registry::new()
            .add(uri, &resources[slot(direction)])
            .ok()?
            .draft(Draft::Draft202012)
            .prepare()
            .ok()?;
        let properties: Map<String, Value> = roots
            .iter()
            .enumerate()
            .filter(|(_, root)| root.direction == direction)
            .map(|(index, _)| {
                let reference = format!("{uri}#{}", root_pointer(index));
                let reference = Map::from_iter([("$ref".to_owned(), Value::String(reference))]);
                (root_name(index), Value::Object(reference))
            })
            .collect();
        let schema = Map::from_iter([("properties".to_owned(), Value::Object(properties))]);
        options()
            .with_registry(&registry)
            .build(&Value::Object(schema))
            .ok()
    };
    // A resource `{"$defs": {..}}` passes the meta-schema when each of its schemas does.
    let resources_valid = || {
        resources
            .iter()
            .filter_map(|resource| resource.get("$defs").and_then(Value::as_object))
            .flat_map(|defs| defs.iter())
            .filter(|(name, _)| !components_checked || name.starts_with(':'))
            .all(|(_, schema)| meta_valid(schema))
    };
    let parallel =
        roots.len() >= 16 && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let (request, response) = if parallel {
        // Another core compiles the request direction while this one checks the
        // resources against the meta-schema, then compiles the response direction.
        std::thread::scope(|scope| {
            let request = scope.spawn(|| build(Direction::Request));
            let response = resources_valid()
                .then(|| build(Direction::Response))
                .flatten();
            (request.join().ok().flatten(), response)
        })
    } else if resources_valid() {
        (build(Direction::Request), build(Direction::Response))
    } else {
        return None;
    };
    Some([request?, response?])
}

/// The slow way, one root after the other, each with a `$defs` copy of the components it
/// reaches: what decides the errors. Returns each validator with the schema it compiled.
///
/// # Errors
///
/// The first root that does not compile.
pub(crate) fn legacy(
    roots: &[Root],
    defs: &[Map<String, Value>; 2],
    references: &References,
) -> Result<Vec<(Validator, Value)>, CompileError> {
    let options = options();
    roots
        .iter()
        .map(|root| {
            let mut schema = match &root.schema {
                Value::Object(object) => object.clone(),
                other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other.clone()]))]),
            };
            let reached = reached(root, references);
            if !reached.is_empty() {
                let copies: Map<String, Value> = reached
                    .iter()
                    .filter_map(|name| {
                        Some((name.clone(), defs[slot(root.direction)].get(name)?.clone()))
                    })
                    .collect();
                schema.insert("$defs".to_owned(), Value::Object(copies));
            }
            let schema = Value::Object(schema);
            let validator = options.build(&schema).map_err(|error| {
                let direction = root.direction;
                (
                    root.pointer.clone(),
                    format!("the schema cannot be compiled ({direction}): {error}"),
                )
            })?;
            Ok((validator, schema))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::compile::Way;
    use crate::load::yaml_to_json;
    use crate::{LoadError, SpecValidator, EMBEDDED_DOCUMENT};

    const PETSTORE: &str = include_str!("../tests/fixtures/petstore.yaml");
    const KENNELS: &str = include_str!("../tests/fixtures/lint.yaml");

    fn load(text: &str, way: Way) -> Result<SpecValidator, LoadError> {
        SpecValidator::from_document(text, yaml_to_json(text)?, way)
    }

    /// The value, and values that break it in the ways bodies go wrong.
    fn variants(value: &Value) -> Vec<Value> {
        let mut out = vec![
            value.clone(),
            Value::Null,
            json!(12345),
            json!("+14155551234"),
            json!([value]),
        ];
        if let Value::Object(object) = value {
            for key in object.keys() {
                for wrong in [json!(12345), json!({"zz": [1]}), json!("x"), Value::Null] {
                    let mut changed = object.clone();
                    changed.insert(key.clone(), wrong);
                    out.push(Value::Object(changed));
                }
                let mut missing = object.clone();
                missing.remove(key);
                out.push(Value::Object(missing));
            }
            let mut extra = object.clone();
            extra.insert("nmae".to_owned(), json!(true));
            out.push(Value::Object(extra));
        }
        out
    }

    /// Every example, and its broken variants, reports the same both ways.
    fn check_same_reports(text: &str) {
        let shared = load(text, Way::Shared).expect("loads");
        let legacy = load(text, Way::Legacy).expect("loads");
        assert!(shared.compiled.is_shared());
        assert!(!legacy.compiled.is_shared());
        assert_eq!(shared.examples().len(), legacy.examples().len());
        let mut invalid = 0;
        for example in shared.examples() {
            for value in variants(&example.value) {
                let both = [&shared, &legacy]
                    .map(|spec| format!("{:?}", spec.check(example.validator, &value)));
                assert_eq!(both[0], both[1], "{} with {value}", example.location);
                invalid += usize::from(both[0].starts_with("Err"));
            }
        }
        assert!(invalid > 0, "the variants break something");
    }

    #[test]
    fn shared_components_report_as_copied_ones() {
        check_same_reports(EMBEDDED_DOCUMENT);
        check_same_reports(PETSTORE);
        check_same_reports(KENNELS);
    }

    #[test]
    fn the_embedded_document_compiles_the_shared_way() {
        assert!(SpecValidator::embedded().compiled.is_shared());
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn vendor_extensions_change_nothing() {
        let text = format!(
            "{HEAD}x-top: 1\npaths:\n  /a:\n    x-item: [1]\n    post:\n      operationId: a\n      x-trillet-retry: safe\n      requestBody:\n        x-body: {{a: 1}}\n        content:\n          application/json:\n            x-media: true\n            schema:\n              $ref: '#/components/schemas/A'\n      responses: {{}}\ncomponents:\n  schemas:\n    A:\n      type: string\n      x-go-name: A\n"
        );
        let spec = load(&text, Way::Shared).expect("loads");
        assert!(spec.compiled.is_shared());
        assert!(spec.validate_request("a", &json!("x")).is_ok());
        assert!(spec.validate_request("a", &json!(1)).is_err());
    }

    #[test]
    fn a_broken_schema_nobody_uses_still_loads() {
        // The meta-schema refuses the shared resource; compiled one by one, as before,
        // nothing reaches it.
        let text = format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: string\n      responses: {{}}\ncomponents:\n  schemas:\n    Unused:\n      type: string\n      minLength: -1\n"
        );
        let spec = load(&text, Way::Shared).expect("loads");
        assert!(!spec.compiled.is_shared());
        assert!(spec.validate_request("a", &json!("x")).is_ok());
    }

    #[test]
    fn a_broken_schema_in_use_is_reported_as_before() {
        let text = format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/Broken'\n      responses: {{}}\ncomponents:\n  schemas:\n    Broken:\n      type: string\n      minLength: -1\n"
        );
        let errors = [Way::Shared, Way::Legacy].map(|way| match load(&text, way) {
            Ok(_) => panic!("loads"),
            Err(error) => error.to_string(),
        });
        assert_eq!(errors[0], errors[1]);
        assert!(
            errors[0].starts_with(
                "line 10: at #/paths/~1a/post/requestBody/content/application~1json/schema: the schema cannot be compiled (request): "
            ),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_broken_inline_schema_beside_sound_components_is_reported_as_before() {
        // The components pass the meta-schema (checked while the walk goes on); the root
        // does not, and is reported the legacy way.
        let text = format!(
            "{HEAD}paths:\n  /a:\n    post:\n      operationId: a\n      requestBody:\n        content:\n          application/json:\n            schema:\n              type: string\n              minLength: -1\n      responses: {{}}\ncomponents:\n  schemas:\n    Fine:\n      type: string\n"
        );
        let errors = [Way::Shared, Way::Legacy].map(|way| match load(&text, way) {
            Ok(_) => panic!("loads"),
            Err(error) => error.to_string(),
        });
        assert_eq!(errors[0], errors[1]);
        assert!(
            errors[0].contains("the schema cannot be compiled (request)"),
            "{}",
            errors[0]
        );
    }
}
