//! The unknown-property lint of request bodies: a warning with a reason, never a refusal
//! (CURATION L1, L2). What is linted, and why, is documented on [`Lint`].
//!
//! Why a walker over the document's schema objects rather than a strict copy of the
//! compiled schemas with `unevaluatedProperties: false` injected: the injection would
//! have to go at each place a schema is used, never into a shared `$defs` entry (a closed
//! `allOf` part would refuse its sibling parts' properties), so every component would need
//! an open and a strict copy; a failing `oneOf` evaluates no property, so an invalid body
//! would lint every key of that object; and neither the did-you-mean (the names of all
//! `allOf` parts and of the matched branch) nor the reasons (`readOnly` is an annotation
//! the conversion drops) can be read from a validation error. The walker has all of it at
//! hand, and uses the compiled validators only to tell which `oneOf`/`anyOf` branch a value
//! matches (`SpecValidator::branches`, compiled when the document is loaded).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde_json::Value;

use crate::convert::Direction;
use crate::examples::{Example, ExampleTarget};
use crate::load::join_pointer;
use crate::report::{closest, mask_phone_numbers, mask_pointer, quoted_list, ValidationError};
use crate::validator::{Body, Operation, SpecValidator};

/// Fields a GET returns that an update body must not send back: live traffic shows the
/// server answering 500 to a PUT holding them (CURATION L2). Linted at the root of a PUT
/// or PATCH body whose schema does not declare them.
pub const READ_ONLY_IN_UPDATES: [&str; 6] = [
    "_id",
    "workspaceId",
    "status",
    "createdAt",
    "updatedAt",
    "__v",
];

/// How many known names a [`LintReason::Unknown`] shows at most.
const KNOWN_SHOWN: usize = 12;

/// One unknown property of a request body, from [`SpecValidator::lint_request`].
///
/// Request schemas are open (the live server accepts fields the docs do not list), so a
/// misspelled key validates; the lint finds it. A property of a body object is *unknown*
/// when the schemas that apply to the object declare `properties`, none of them has an
/// `additionalProperties` keyword (`true` or a schema there means a free-form map, and
/// `false` makes the validator refuse extra keys already), and none declares the name.
///
/// The schemas that apply to a value: its schema, through `$ref` (whose siblings OpenAPI
/// 3.0 ignores; `nullable` changes nothing for an object), every part of an `allOf` (so the
/// properties of all parts are known), and the `oneOf`/`anyOf` branches the value matches:
/// those whose `type` admits it and, when several do, whose validator accepts it (all the
/// type-compatible ones when none does, as for an invalid body). Objects nested in
/// properties, in the values of an `additionalProperties` schema and in arrays' `items`
/// are linted the same way.
///
/// The [`reason`](Lint::reason) is the first that holds:
/// 1. [`CopiedFromGet`](LintReason::CopiedFromGet): one of [`READ_ONLY_IN_UPDATES`] at the
///    root of a PUT or PATCH body;
/// 2. [`ReadOnly`](LintReason::ReadOnly): `readOnly` at the same place of the
///    operation's success response;
/// 3. [`OtherPageKey`](LintReason::OtherPageKey): declared at the same place by the
///    sibling operation, the create (POST `/call-flows`) of an update (PUT or PATCH
///    `/call-flows/{flowId}`) or the other way round;
/// 4. [`Misspelled`](LintReason::Misspelled): close to a declared name;
/// 5. [`Unknown`](LintReason::Unknown): none of these.
///
/// Displays as one line, `<pointer>: unknown property "<name>"<reason>`:
///
/// ```text
/// /llmModle: unknown property "llmModle"; did you mean "llmModel"?
/// /_id: unknown property "_id"; read-only: the server answers 500 when a GET is sent back as a PUT (live traffic, see CURATION L2)
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    /// JSON pointer (RFC 6901) of the unknown property in the body, phone numbers masked.
    pub pointer: String,
    /// The unknown property's name, phone numbers masked.
    pub property: String,
    /// Why it is probably a mistake.
    pub reason: LintReason,
}

/// Why a [`Lint`]'s property is probably a mistake (names in it are masked like
/// [`Lint::property`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LintReason {
    /// One of [`READ_ONLY_IN_UPDATES`] at the root of an update body.
    CopiedFromGet,
    /// `readOnly` at the same place of the operation's success response: the server
    /// sets it.
    ReadOnly,
    /// Declared at the same place by the sibling operation (create versus update).
    OtherPageKey {
        /// The operation whose body declares it (`createCallFlow`).
        sibling: String,
        /// Which page that is: `"create"` or `"update"`.
        sibling_page: &'static str,
        /// The operation that was linted (`updateCallFlow`).
        operation: String,
        /// Which page that is: `"create"` or `"update"`.
        page: &'static str,
        /// The name this operation uses there instead, when one stands out.
        instead: Option<String>,
    },
    /// Close to a name the schema declares there.
    Misspelled {
        /// The declared name it most likely misspells.
        suggestion: String,
    },
    /// None of the above; the names the schema declares there.
    Unknown {
        /// The declared names, sorted.
        known: Vec<String>,
    },
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = crate::report::shown_pointer(&self.pointer);
        write!(
            f,
            "{pointer}: unknown property {:?}{}",
            self.property, self.reason
        )
    }
}

impl fmt::Display for LintReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LintReason::CopiedFromGet => f.write_str(
                "; read-only: the server answers 500 when a GET is sent back as a PUT \
                 (live traffic, see CURATION L2)",
            ),
            LintReason::ReadOnly => f.write_str(
                "; read-only (readOnly in the response): the server sets it, do not send it",
            ),
            LintReason::OtherPageKey {
                sibling,
                sibling_page,
                operation,
                page,
                instead,
            } => {
                write!(f, "; it is {sibling}'s key (the {sibling_page} page)")?;
                match instead {
                    Some(name) => {
                        write!(f, ": {operation} (the {page} page) uses {name:?} here")
                    }
                    None => write!(f, ", not {operation}'s (the {page} page)"),
                }
            }
            LintReason::Misspelled { suggestion } => {
                write!(f, "; did you mean {suggestion:?}?")
            }
            LintReason::Unknown { known } if known.is_empty() => Ok(()),
            LintReason::Unknown { known } => {
                write!(f, "; known here: {}", quoted_list(known, KNOWN_SHOWN))
            }
        }
    }
}

/// Whether the lint reads examples of this kind: request bodies, parameters and
/// request-direction schema examples (responses are open by design, CURATION S6).
pub(crate) fn is_linted(target: &ExampleTarget) -> bool {
    matches!(
        target,
        ExampleTarget::Request
            | ExampleTarget::Parameter { .. }
            | ExampleTarget::Schema {
                direction: Direction::Request
            }
    )
}

impl SpecValidator {
    /// The unknown properties of a request body of `operation_id` (what is unknown, and
    /// why it is reported, is said on [`Lint`]): warnings, in body order. The body does not
    /// have to be valid; a multipart body is the JSON object of its form fields, as for
    /// [`SpecValidator::validate_request`].
    ///
    /// ```
    /// use serde_json::json;
    /// use trillet_spec::SpecValidator;
    ///
    /// let spec = SpecValidator::embedded();
    /// let body = json!({"name": "Front Desk", "llmModle": "gpt-4o"});
    /// let lints = spec.lint_request("updateAgent", &body).expect("a JSON body");
    /// assert_eq!(
    ///     lints[0].to_string(),
    ///     r#"/llmModle: unknown property "llmModle"; did you mean "llmModel"?"#
    /// );
    /// ```
    ///
    /// # Errors
    ///
    /// The errors of [`SpecValidator::validate_request`] other than
    /// [`ValidationError::Invalid`]: an unknown operation, a body that is not JSON, an
    /// operation without a body.
    pub fn lint_request(
        &self,
        operation_id: &str,
        body: &Value,
    ) -> Result<Vec<Lint>, ValidationError> {
        let operation = self.operation(operation_id)?;
        match &operation.request {
            Some(Body::Json { schema, .. }) => Ok(schema
                .as_deref()
                .map(|schema| self.lint_at(schema, Some((operation_id, operation)), body))
                .unwrap_or_default()),
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

    /// The unknown properties of an inline example (see [`SpecValidator::lint_request`]):
    /// request-body examples are linted like a body of their operation, parameter and
    /// request-direction schema examples against their schema alone (no reasons from
    /// other operations); response examples are not linted.
    #[must_use]
    pub fn lint_example(&self, example: &Example) -> Vec<Lint> {
        let Some(schema) = example
            .schema
            .as_deref()
            .filter(|_| is_linted(&example.target))
        else {
            return Vec::new();
        };
        let operation = match example.target {
            ExampleTarget::Request => example
                .operation_id
                .as_deref()
                .and_then(|id| Some((id, self.operations.get(id)?))),
            _ => None,
        };
        self.lint_at(schema, operation, &example.value)
    }

    fn lint_at(
        &self,
        schema: &str,
        operation: Option<(&str, &Operation)>,
        body: &Value,
    ) -> Vec<Lint> {
        let walker = Walker { spec: self };
        let Some(root) = walker.node(schema) else {
            return Vec::new();
        };
        let mut unknown: Vec<Unknown<'_>> = Vec::new();
        walker.walk(body, "", &[root], &mut |pointer, name, view| {
            if view.is_closed() && !view.properties.contains_key(name) {
                unknown.push(Unknown {
                    parent: pointer.to_owned(),
                    name: name.to_owned(),
                    known: walker.sendable_names(view),
                });
            }
        });
        if unknown.is_empty() {
            return Vec::new();
        }
        let context = operation.map(|(id, operation)| Context::new(&walker, id, operation, body));
        unknown
            .into_iter()
            .map(|unknown| {
                let reason = context
                    .as_ref()
                    .and_then(|context| context.reason(&walker, &unknown))
                    .unwrap_or_else(|| match closest(&unknown.name, &unknown.known) {
                        Some(suggestion) => LintReason::Misspelled {
                            suggestion: mask_phone_numbers(suggestion).into_owned(),
                        },
                        None => LintReason::Unknown {
                            known: unknown
                                .known
                                .iter()
                                .map(|name| mask_phone_numbers(name).into_owned())
                                .collect(),
                        },
                    });
                Lint {
                    pointer: mask_pointer(&join_pointer(&unknown.parent, &unknown.name)),
                    property: mask_phone_numbers(&unknown.name).into_owned(),
                    reason,
                }
            })
            .collect()
    }
}

/// An unknown name found by the walk, before its reason is known.
struct Unknown<'d> {
    /// Pointer of the object holding it (raw, not masked).
    parent: String,
    name: String,
    /// Names the schemas declare there, that a request may send.
    known: Vec<&'d str>,
}

/// What the reasons of an operation's lints are looked up in: the same body walked
/// against the operation's success responses and against its sibling's request body.
struct Context<'d> {
    operation: String,
    page: &'static str,
    is_update: bool,
    responses: HashMap<String, View<'d>>,
    sibling: Option<(String, &'static str, HashMap<String, View<'d>>)>,
}

fn page(method: &str) -> &'static str {
    match method {
        "post" => "create",
        _ => "update",
    }
}

impl<'d> Context<'d> {
    fn new(walker: &Walker<'d>, id: &str, operation: &Operation, body: &Value) -> Self {
        let responses = walker.views(operation.success_schemas.iter().map(String::as_str), body);
        let sibling = operation.sibling.as_deref().and_then(|sibling_id| {
            let sibling = walker.spec.operations.get(sibling_id)?;
            let Some(Body::Json {
                schema: Some(schema),
                ..
            }) = &sibling.request
            else {
                return None;
            };
            let views = walker.views(std::iter::once(schema.as_str()), body);
            Some((sibling_id.to_owned(), page(sibling.method), views))
        });
        Context {
            operation: id.to_owned(),
            page: page(operation.method),
            is_update: matches!(operation.method, "put" | "patch"),
            responses,
            sibling,
        }
    }

    fn reason(&self, walker: &Walker<'d>, unknown: &Unknown<'d>) -> Option<LintReason> {
        let name = unknown.name.as_str();
        if self.is_update && unknown.parent.is_empty() && READ_ONLY_IN_UPDATES.contains(&name) {
            return Some(LintReason::CopiedFromGet);
        }
        let read_only = self
            .responses
            .get(&unknown.parent)
            .and_then(|view| view.properties.get(name))
            .is_some_and(|nodes| nodes.iter().any(|node| walker.is_read_only(node)));
        if read_only {
            return Some(LintReason::ReadOnly);
        }
        let (sibling, sibling_page, views) = self.sibling.as_ref()?;
        let there = views.get(&unknown.parent)?;
        if !walker.sendable_names(there).contains(&name) {
            return None;
        }
        // The name this page uses instead: the closest, else the other half of a renaming
        // (this name is the only one only the sibling has, and this page has one of its own).
        let instead = closest(name, &unknown.known).copied().or_else(|| {
            let only_here: Vec<&str> = unknown
                .known
                .iter()
                .copied()
                .filter(|known| !there.properties.contains_key(known))
                .collect();
            let only_there: Vec<&str> = walker
                .sendable_names(there)
                .into_iter()
                .filter(|known| !unknown.known.contains(known))
                .collect();
            match (only_here.as_slice(), only_there.as_slice()) {
                ([here], [there]) if *there == name => Some(*here),
                _ => None,
            }
        });
        Some(LintReason::OtherPageKey {
            sibling: sibling.clone(),
            sibling_page,
            operation: self.operation.clone(),
            page: self.page,
            instead: instead.map(|name| mask_phone_numbers(name).into_owned()),
        })
    }
}

/// A schema object of the document and its pointer (without `#`).
#[derive(Clone)]
struct Node<'d> {
    schema: &'d Value,
    pointer: String,
}

/// What the schemas that apply to one value say about its properties and items.
#[derive(Clone, Default)]
struct View<'d> {
    /// Some schema declares `properties`.
    declares: bool,
    /// Some schema has an `additionalProperties` keyword.
    open: bool,
    /// The declared properties, with every schema declaring each.
    properties: BTreeMap<&'d str, Vec<Node<'d>>>,
    /// The `additionalProperties` schemas, for the values of other names.
    additional: Vec<Node<'d>>,
    /// The `items` schemas, for the items of an array.
    items: Vec<Node<'d>>,
}

impl View<'_> {
    fn is_closed(&self) -> bool {
        self.declares && !self.open
    }
}

/// Reads the document's schema objects along a value.
struct Walker<'d> {
    spec: &'d SpecValidator,
}

/// `$ref` hops followed before giving up (a cycle of `$ref`s describes nothing).
const MAX_REF_HOPS: usize = 32;

impl<'d> Walker<'d> {
    fn node(&self, pointer: &str) -> Option<Node<'d>> {
        Some(Node {
            schema: crate::load::pointer(&self.spec.document, pointer)?,
            pointer: pointer.to_owned(),
        })
    }

    /// The schema a `$ref` chain ends at (OpenAPI 3.0 ignores the siblings of `$ref`).
    fn resolve(&self, mut node: Node<'d>) -> Node<'d> {
        for _ in 0..MAX_REF_HOPS {
            let Some(target) = node
                .schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
            else {
                return node;
            };
            match self.node(target) {
                Some(next) => node = next,
                None => return node,
            }
        }
        node
    }

    fn is_read_only(&self, node: &Node<'d>) -> bool {
        let flag = |schema: &Value| schema.get("readOnly") == Some(&Value::Bool(true));
        flag(node.schema) || flag(self.resolve(node.clone()).schema)
    }

    /// The declared names of a view that a request may send (not `readOnly`), sorted.
    fn sendable_names(&self, view: &View<'d>) -> Vec<&'d str> {
        view.properties
            .iter()
            .filter(|(_, nodes)| !nodes.iter().all(|node| self.is_read_only(node)))
            .map(|(name, _)| *name)
            .collect()
    }

    /// The views of every object of `value` that has properties, by pointer, against the
    /// schemas at `roots` taken together.
    fn views<'r>(
        &self,
        roots: impl Iterator<Item = &'r str>,
        value: &Value,
    ) -> HashMap<String, View<'d>> {
        let roots: Vec<Node<'d>> = roots.filter_map(|root| self.node(root)).collect();
        let mut views = HashMap::new();
        self.walk(value, "", &roots, &mut |pointer, _, view| {
            if !views.contains_key(pointer) {
                views.insert(pointer.to_owned(), view.clone());
            }
        });
        views
    }

    /// Calls `visit` with every property of every object of `value`, in body order (its
    /// object's pointer, its name, the view of the schemas that apply to its object).
    fn walk(
        &self,
        value: &Value,
        pointer: &str,
        nodes: &[Node<'d>],
        visit: &mut dyn FnMut(&str, &str, &View<'d>),
    ) {
        if nodes.is_empty() || !(value.is_object() || value.is_array()) {
            return;
        }
        let view = self.view(nodes, value);
        match value {
            Value::Object(object) => {
                for (name, child) in object {
                    visit(pointer, name, &view);
                    let children = view
                        .properties
                        .get(name.as_str())
                        .unwrap_or(&view.additional);
                    self.walk(child, &join_pointer(pointer, name), children, visit);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{pointer}/{i}"), &view.items, visit);
                }
            }
            _ => {}
        }
    }

    fn view(&self, nodes: &[Node<'d>], value: &Value) -> View<'d> {
        let mut view = View::default();
        let mut visited = HashSet::new();
        for node in nodes {
            self.collect(node.clone(), value, &mut view, &mut visited);
        }
        view
    }

    /// Adds what `node` (and what it composes) says about `value` to `view`.
    fn collect(
        &self,
        node: Node<'d>,
        value: &Value,
        view: &mut View<'d>,
        visited: &mut HashSet<String>,
    ) {
        let node = self.resolve(node);
        if !visited.insert(node.pointer.clone()) {
            return;
        }
        let Value::Object(schema) = node.schema else {
            return;
        };
        let child = |key: &str| join_pointer(&node.pointer, key);
        if let Some(Value::Object(properties)) = schema.get("properties") {
            view.declares = true;
            let at = child("properties");
            for (name, property) in properties {
                view.properties
                    .entry(name.as_str())
                    .or_default()
                    .push(Node {
                        schema: property,
                        pointer: join_pointer(&at, name),
                    });
            }
        }
        if let Some(additional) = schema.get("additionalProperties") {
            view.open = true;
            if additional.is_object() {
                view.additional.push(Node {
                    schema: additional,
                    pointer: child("additionalProperties"),
                });
            }
        }
        if let Some(items) = schema.get("items") {
            view.items.push(Node {
                schema: items,
                pointer: child("items"),
            });
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            let Some(Value::Array(list)) = schema.get(key) else {
                continue;
            };
            let at = child(key);
            let branches: Vec<Node<'d>> = list
                .iter()
                .enumerate()
                .map(|(i, schema)| Node {
                    schema,
                    pointer: format!("{at}/{i}"),
                })
                .collect();
            let applying = if key == "allOf" {
                branches
            } else {
                self.matching(branches, value)
            };
            for branch in applying {
                self.collect(branch, value, view, visited);
            }
        }
    }

    /// The `oneOf`/`anyOf` branches that `value` matches: those whose `type` admits it,
    /// narrowed by their compiled validators when several do (a branch without one is
    /// kept); all type-compatible ones when none accepts it.
    fn matching(&self, branches: Vec<Node<'d>>, value: &Value) -> Vec<Node<'d>> {
        let candidates: Vec<Node<'d>> = branches
            .into_iter()
            .filter(|branch| admits(self.resolve(branch.clone()).schema, value))
            .collect();
        if candidates.len() < 2 {
            return candidates;
        }
        let accepted: Vec<Node<'d>> = candidates
            .iter()
            .filter(|branch| {
                self.spec
                    .branches
                    .get(&branch.pointer)
                    .is_none_or(|&index| self.spec.is_valid(index, value))
            })
            .cloned()
            .collect();
        if accepted.is_empty() {
            candidates
        } else {
            accepted
        }
    }
}

/// Whether the `type` of `schema` admits the JSON type of `value` (no `type` admits all).
fn admits(schema: &Value, value: &Value) -> bool {
    let admitted = |name: &str| match value {
        Value::Null => name == "null" || schema.get("nullable") == Some(&Value::Bool(true)),
        Value::Bool(_) => name == "boolean",
        Value::Number(n) => name == "number" || (name == "integer" && !n.is_f64()),
        Value::String(_) => name == "string",
        Value::Array(_) => name == "array",
        Value::Object(_) => name == "object",
    };
    match schema.get("type") {
        Some(Value::String(name)) => admitted(name),
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).any(admitted),
        _ => true,
    }
}
