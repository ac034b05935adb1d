//! Stage 3: adapt a copy of the document to what progenitor can express.
//!
//! First the operations progenitor cannot generate are taken out (they are hand-written,
//! see [`super::operations::hand_written_media_type`]). Then one visitor walks the nodes
//! of the document (each operation, each path's parameters, each component) and applies
//! to each node, as JSON, the patches of [`PATCHES`] whose [`Scope`] covers it, in the
//! table's order: each node goes to JSON and back once. What a patch needs to know of the
//! whole document ([`Facts`]) is learnt before any patch runs.
//!
//! The visitor works node by node on the typed document (`IndexMap`s) rather than on the
//! whole document as JSON, so the output keeps the order of paths and components whatever
//! features of serde_json happen to be enabled in the build.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use openapiv3::{OpenAPI, Operation, PathItem, ReferenceOr, SchemaKind, Type};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::error::GenError;
use super::operations::hand_written_media_type;
use edits::{
    branches_not_nullable, inline_bare_strings, lone_success_is_any_2xx, no_defaults_in_requests,
    nullable_as_double_option, plain_strings, remove_error_responses,
};
use facts::{bare_strings, request_only_schemas, Facts};
use nodes::schema_ref;

mod edits;
mod facts;
mod nodes;
#[cfg(test)]
mod tests;

/// The document as fed to progenitor, and what was learnt on the way.
#[derive(Debug)]
pub struct Prepared {
    /// The patched copy.
    pub spec: OpenAPI,
    /// The operations taken out (hand-written), in document order.
    pub removed: Vec<Removed>,
    /// The schemas used only in requests, each with its required properties in document
    /// order (for the generated `new` constructors).
    pub request_only: BTreeMap<String, Vec<String>>,
}

/// One named change of the document, applied to every node its scope covers.
pub struct Patch {
    /// How messages and tests call it.
    pub name: &'static str,
    /// The nodes it applies to.
    pub scope: Scope,
    /// The change, on the node as JSON.
    pub edit: fn(&mut Value, &Facts),
}

/// Which nodes of the document a [`Patch`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Each operation.
    Operations,
    /// Each component schema used only in requests.
    RequestOnlySchemas,
    /// Each component schema.
    ComponentSchemas,
    /// Every node: operations, path parameters and every component.
    Everywhere,
}

/// A node of the document the visitor hands to the patches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Operation,
    PathParameters,
    Schema { request_only: bool },
    Parameter,
    Response,
    RequestBody,
}

impl Scope {
    fn covers(self, node: Node) -> bool {
        match self {
            Scope::Operations => node == Node::Operation,
            Scope::RequestOnlySchemas => node == Node::Schema { request_only: true },
            Scope::ComponentSchemas => matches!(node, Node::Schema { .. }),
            Scope::Everywhere => true,
        }
    }
}

/// An operation removed from the generator's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// Its operationId.
    pub operation_id: String,
    /// The request media type progenitor cannot express.
    pub media_type: String,
}

impl fmt::Display for Removed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "removed {} ({}): hand-written in crates/trillet",
            self.operation_id, self.media_type
        )
    }
}

/// The patches, in the order they apply to a node.
pub const PATCHES: &[Patch] = &[
    Patch {
        name: "error responses removed",
        scope: Scope::Operations,
        edit: remove_error_responses,
    },
    Patch {
        name: "a lone success is any 2xx",
        scope: Scope::Operations,
        edit: lone_success_is_any_2xx,
    },
    Patch {
        name: "nullable request fields are double options",
        scope: Scope::RequestOnlySchemas,
        edit: nullable_as_double_option,
    },
    Patch {
        name: "no defaults in requests",
        scope: Scope::RequestOnlySchemas,
        edit: no_defaults_in_requests,
    },
    Patch {
        name: "plain strings",
        scope: Scope::Everywhere,
        edit: plain_strings,
    },
    Patch {
        name: "oneOf branches not nullable",
        scope: Scope::ComponentSchemas,
        edit: branches_not_nullable,
    },
    Patch {
        name: "bare strings inlined",
        scope: Scope::Everywhere,
        edit: inline_bare_strings,
    },
];

/// Takes out the hand-written operations, then applies [`PATCHES`] to a copy of `spec`.
pub fn prepare(spec: &OpenAPI) -> Result<Prepared, GenError> {
    let mut spec = spec.clone();
    let removed = remove_hand_written_operations(&mut spec);
    let doc = to_json(&spec, "#")?;
    let request_only = request_only_schemas(&doc);
    let facts = Facts {
        bare_strings: bare_strings(&doc),
    };
    let mut request_only_required = BTreeMap::new();
    if let Some(components) = &spec.components {
        for (name, schema) in &components.schemas {
            if let (true, ReferenceOr::Item(schema)) = (request_only.contains(name), schema) {
                if let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind {
                    request_only_required.insert(name.clone(), object.required.clone());
                }
            }
        }
    }
    visit(&mut spec, &request_only, &facts)?;
    if let Some(components) = spec.components.as_mut() {
        components
            .schemas
            .retain(|name, _| !facts.bare_strings.contains_key(&schema_ref(name)));
    }
    Ok(Prepared {
        spec,
        removed,
        request_only: request_only_required,
    })
}

/// The visitor: every node of the document, with the patches that cover it.
fn visit(
    spec: &mut OpenAPI,
    request_only: &BTreeSet<String>,
    facts: &Facts,
) -> Result<(), GenError> {
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let at = format!("#/paths/{}", trillet_spec::escape_pointer_segment(path));
        for (method, operation) in operations_mut(item) {
            if let Some(operation) = operation {
                apply(operation, Node::Operation, &format!("{at}/{method}"), facts)?;
            }
        }
        apply(
            &mut item.parameters,
            Node::PathParameters,
            &format!("{at}/parameters"),
            facts,
        )?;
    }
    let Some(components) = spec.components.as_mut() else {
        return Ok(());
    };
    for (name, schema) in components.schemas.iter_mut() {
        let node = Node::Schema {
            request_only: request_only.contains(name),
        };
        apply(schema, node, &schema_ref(name), facts)?;
    }
    for (name, parameter) in components.parameters.iter_mut() {
        apply(
            parameter,
            Node::Parameter,
            &format!("#/components/parameters/{name}"),
            facts,
        )?;
    }
    for (name, response) in components.responses.iter_mut() {
        apply(
            response,
            Node::Response,
            &format!("#/components/responses/{name}"),
            facts,
        )?;
    }
    for (name, body) in components.request_bodies.iter_mut() {
        apply(
            body,
            Node::RequestBody,
            &format!("#/components/requestBodies/{name}"),
            facts,
        )?;
    }
    Ok(())
}

/// The one edit helper: `node` to JSON, every patch covering it, and back.
fn apply<T: Serialize + DeserializeOwned>(
    node: &mut T,
    kind: Node,
    at: &str,
    facts: &Facts,
) -> Result<(), GenError> {
    let patches: Vec<&Patch> = PATCHES
        .iter()
        .filter(|patch| patch.scope.covers(kind))
        .collect();
    if patches.is_empty() {
        return Ok(());
    }
    let mut value = to_json(&*node, at)?;
    for patch in &patches {
        (patch.edit)(&mut value, facts);
    }
    *node = serde_json::from_value(value).map_err(|e| {
        let names: Vec<&str> = patches.iter().map(|patch| patch.name).collect();
        GenError::Patch {
            node: format!("{at} (patches: {})", names.join(", ")),
            message: e.to_string(),
        }
    })?;
    Ok(())
}

fn to_json<T: Serialize>(node: &T, at: &str) -> Result<Value, GenError> {
    serde_json::to_value(node).map_err(|e| GenError::Patch {
        node: at.to_string(),
        message: e.to_string(),
    })
}

/// The operations of a path item with their (lower-case) method.
pub fn operations_mut(item: &mut PathItem) -> [(&'static str, &mut Option<Operation>); 8] {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("options", &mut item.options),
        ("head", &mut item.head),
        ("patch", &mut item.patch),
        ("trace", &mut item.trace),
    ]
}

/// Removes the operations whose request body progenitor cannot generate (they are written
/// by hand) and a path left without operations.
fn remove_hand_written_operations(spec: &mut OpenAPI) -> Vec<Removed> {
    let components = spec.components.clone();
    let mut removed = Vec::new();
    spec.paths.paths.retain(|_, item| {
        let ReferenceOr::Item(item) = item else {
            return true;
        };
        for (_, slot) in operations_mut(item) {
            let Some(operation) = slot else { continue };
            if let Some(media_type) = hand_written_media_type(operation, components.as_ref()) {
                removed.push(Removed {
                    operation_id: operation
                        .operation_id
                        .clone()
                        .unwrap_or_else(|| "(no operationId)".into()),
                    media_type: media_type.to_string(),
                });
                *slot = None;
            }
        }
        operations_mut(item).iter().any(|(_, slot)| slot.is_some())
    });
    removed
}
