//! The generic in-memory store of the resources people script against (agents, call
//! flows, folders, knowledge bases, omni-flow agents, message flows): create, list, get,
//! update, delete, each answer kept conformant to the contract.

use serde_json::{Map, Value};

use crate::clock::rfc3339;
use crate::contract::RouteTable;
use crate::reply::Reply;
use crate::state::{Ctx, State};

/// A resource kept in memory, by the operationIds that act on it.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    /// Its name in error messages ("Agent").
    pub name: &'static str,
    /// The create operation.
    pub create: &'static str,
    /// The list operation (answers a bare array).
    pub list: &'static str,
    /// The get operation.
    pub get: &'static str,
    /// The update operation.
    pub update: Option<&'static str>,
    /// The delete operation.
    pub delete: Option<&'static str>,
    /// The path parameter of its id.
    pub id_param: &'static str,
}

/// Every stateful resource of the contract.
pub const RESOURCES: &[Resource] = &[
    Resource {
        name: "Agent",
        create: "createAgent",
        list: "listAgents",
        get: "getAgent",
        update: Some("updateAgent"),
        delete: Some("deleteAgent"),
        id_param: "agentId",
    },
    Resource {
        name: "Call flow",
        create: "createCallFlow",
        list: "listCallFlows",
        get: "getCallFlow",
        update: Some("updateCallFlow"),
        delete: Some("deleteCallFlow"),
        id_param: "flowId",
    },
    Resource {
        name: "Folder",
        create: "createFlowFolder",
        list: "listFlowFolders",
        get: "getFlowFolder",
        update: Some("updateFlowFolder"),
        delete: Some("deleteFlowFolder"),
        id_param: "folderId",
    },
    Resource {
        name: "Knowledge base",
        create: "createKnowledgeBase",
        list: "listKnowledgeBases",
        get: "getKnowledgeBase",
        update: Some("updateKnowledgeBase"),
        delete: None,
        id_param: "knowledgeBaseId",
    },
    Resource {
        name: "Omni-flow agent",
        create: "createOmniFlowAgent",
        list: "listOmniFlowAgents",
        get: "getOmniFlowAgent",
        update: Some("updateOmniFlowAgent"),
        delete: None,
        id_param: "agentId",
    },
    Resource {
        name: "Message flow",
        create: "createMessageFlow",
        list: "listMessageFlows",
        get: "getMessageFlow",
        update: Some("updateMessageFlow"),
        delete: None,
        id_param: "flowId",
    },
];

/// The resource an operation acts on, and what it does to it.
fn of_operation(operation_id: &str) -> Option<(&'static Resource, Action)> {
    RESOURCES.iter().find_map(|r| {
        let action = if operation_id == r.create {
            Action::Create
        } else if operation_id == r.list {
            Action::List
        } else if operation_id == r.get {
            Action::Get
        } else if Some(operation_id) == r.update {
            Action::Update
        } else if Some(operation_id) == r.delete {
            Action::Delete
        } else {
            return None;
        };
        Some((r, action))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    List,
    Get,
    Update,
    Delete,
}

/// Puts the documented examples of each resource (its `get` answer, the items of its
/// `list` answer) in the store, so that the ids of the contract's examples resolve as
/// they do in its other examples.
pub fn seed(state: &mut State, routes: &RouteTable) {
    for resource in RESOURCES {
        let mut examples = Vec::new();
        if let Some(example) = routes
            .by_operation(resource.get)
            .and_then(|r| r.success_body.clone())
        {
            examples.push(example);
        }
        if let Some(Value::Array(items)) = routes
            .by_operation(resource.list)
            .and_then(|r| r.success_body.clone())
        {
            examples.extend(items);
        }
        for example in examples {
            let Some(id) = example.get("_id").and_then(Value::as_str) else {
                continue;
            };
            if find(state, resource.name, id).is_none() {
                state
                    .collections
                    .entry(resource.name)
                    .or_default()
                    .push(example);
            }
        }
    }
}

/// The stored item of `resource` with id `id`.
pub fn find<'s>(state: &'s State, resource: &str, id: &str) -> Option<&'s Value> {
    state
        .collections
        .get(resource)?
        .iter()
        .find(|item| item.get("_id").and_then(Value::as_str) == Some(id))
}

/// The stored item of `resource` with id `id`, to change.
pub fn find_mut<'s>(state: &'s mut State, resource: &str, id: &str) -> Option<&'s mut Value> {
    state
        .collections
        .get_mut(resource)?
        .iter_mut()
        .find(|item| item.get("_id").and_then(Value::as_str) == Some(id))
}

/// Handles a create, list, get, update or delete of a stored resource; `None` for any
/// other operation.
pub fn handle(state: &mut State, ctx: &Ctx<'_>) -> Option<Reply> {
    let (resource, action) = of_operation(&ctx.route.operation_id)?;
    let status = ctx.route.success_status;
    let id = ctx.path_param(resource.id_param).to_owned();
    Some(match action {
        Action::Create => {
            let template = ctx
                .route
                .success_body
                .clone()
                .unwrap_or(Value::Object(Map::new()));
            let new_id = state.ids.next_id();
            let mut item = template;
            if let Value::Object(fields) = &mut item {
                fields.insert("_id".to_owned(), Value::String(new_id));
                for key in ["workspaceId"] {
                    if fields.contains_key(key) {
                        fields.insert(key.to_owned(), Value::String(ctx.workspace_id.to_owned()));
                    }
                }
                for key in ["createdAt", "updatedAt"] {
                    if fields.get(key).is_some_and(Value::is_string) {
                        fields.insert(key.to_owned(), Value::String(rfc3339(ctx.now_ms)));
                    }
                }
            }
            let item = merge_conformant(ctx, item, ctx.body, status);
            state
                .collections
                .entry(resource.name)
                .or_default()
                .push(item.clone());
            Reply::json(status, item)
        }
        Action::List => {
            // Each item conformed when it was stored: that the answer is a bare array is
            // all there is left to check, and an empty one checks it cheaply.
            if ctx.conforms(status, &Value::Array(Vec::new())) {
                let items = state
                    .collections
                    .get(resource.name)
                    .cloned()
                    .unwrap_or_default();
                Reply::json(status, Value::Array(items))
            } else {
                // A list the contract does not document as a bare array: its example.
                Reply::json(
                    status,
                    ctx.route.success_body.clone().unwrap_or(Value::Null),
                )
            }
        }
        Action::Get => match find(state, resource.name, &id) {
            Some(item) => Reply::json(status, item.clone()),
            None => Reply::not_found(resource.name, &id),
        },
        Action::Update => {
            let Some(stored) = find(state, resource.name, &id).cloned() else {
                return Some(Reply::not_found(resource.name, &id));
            };
            let mut updated = merge_conformant(ctx, stored, ctx.body, status);
            if let Some(fields) = updated.as_object_mut() {
                if fields.get("updatedAt").is_some_and(Value::is_string) {
                    fields.insert("updatedAt".to_owned(), Value::String(rfc3339(ctx.now_ms)));
                }
            }
            if let Some(slot) = find_mut(state, resource.name, &id) {
                *slot = updated.clone();
            }
            Reply::json(status, updated)
        }
        Action::Delete => {
            let items = state.collections.entry(resource.name).or_default();
            let Some(index) = items
                .iter()
                .position(|item| item.get("_id").and_then(Value::as_str) == Some(id.as_str()))
            else {
                return Some(Reply::not_found(resource.name, &id));
            };
            let removed = items.remove(index);
            if ctx.conforms(status, &removed) && removed.get("success").is_none() {
                // deleteFlowFolder answers the folder it deleted.
                if ctx
                    .route
                    .success_body
                    .as_ref()
                    .is_some_and(|b| b.get("_id").is_some())
                {
                    return Some(Reply::json(status, removed));
                }
            }
            Reply::json(
                status,
                ctx.route.success_body.clone().unwrap_or(Value::Null),
            )
        }
    })
}

/// `base` with each field of `changes` put in, one at a time, keeping only the fields
/// with which the whole still conforms to the success response (a request field may be
/// spelled differently in the response schema).
pub fn merge_conformant(ctx: &Ctx<'_>, base: Value, changes: &Value, status: u16) -> Value {
    let mut merged = base;
    let Some(changes) = changes.as_object() else {
        return merged;
    };
    for (key, value) in changes {
        if key == "_id" || has_huge_integer(value) {
            continue;
        }
        let Some(fields) = merged.as_object_mut() else {
            break;
        };
        let previous = fields.insert(key.clone(), value.clone());
        if !ctx.conforms(status, &merged) {
            let fields = merged.as_object_mut().expect("still an object");
            match previous {
                Some(previous) => fields.insert(key.clone(), previous),
                None => fields.remove(key),
            };
        }
    }
    merged
}

/// Whether `value` holds an integer too large for 64 bits (JSON allows it; it would be
/// kept as a float and sent back as `1.2e+20`, which no longer reads as an integer).
fn has_huge_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_f64()
                && n.as_f64()
                    .is_some_and(|f| f.fract() == 0.0 && f.abs() >= 9.0e15)
        }
        Value::Array(items) => items.iter().any(has_huge_integer),
        Value::Object(fields) => fields.values().any(has_huge_integer),
        _ => false,
    }
}
