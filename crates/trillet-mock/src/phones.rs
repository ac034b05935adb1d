//! Phone numbers: `purchasePhoneNumber` adds a number to the workspace,
//! `listUserPhoneNumbers` lists them, `bindPhoneNumber` / `unbindPhoneNumber` attach one
//! to an agent (whose calls then come from it).

use serde_json::{json, Value};

use crate::reply::Reply;
use crate::resources;
use crate::state::{Ctx, State};

/// Handles the phone-number operations; `None` for any other.
pub fn handle(state: &mut State, ctx: &Ctx<'_>) -> Option<Reply> {
    let status = ctx.route.success_status;
    Some(match ctx.route.operation_id.as_str() {
        "purchasePhoneNumber" => {
            let number = ctx
                .body
                .get("phoneNumber")
                .and_then(Value::as_str)
                .unwrap_or("");
            if state
                .phone_numbers
                .iter()
                .any(|p| p.get("phoneNumber").and_then(Value::as_str) == Some(number))
            {
                return Some(Reply::error(
                    409,
                    "Phone number already owned",
                    "number_owned",
                    "This workspace already owns the number; list it with listUserPhoneNumbers",
                ));
            }
            let record = json!({
                "_id": state.ids.next_id(),
                "workspaceId": ctx.workspace_id,
                "phoneNumber": number,
                "sid": format!("PN{}", state.ids.next_id()),
                "country": ctx.body.get("country").cloned().unwrap_or(json!("US")),
                "type": ctx.body.get("type").cloned().unwrap_or(json!("local")),
                "status": "active",
            });
            state.phone_numbers.push(record);
            // The live API answers the E.164 number alone (see PurchasedPhoneNumber).
            Reply::json(status, json!({"success": true, "phoneNumber": number}))
        }
        "listUserPhoneNumbers" => Reply::json(status, Value::Array(state.phone_numbers.clone())),
        "bindPhoneNumber" | "unbindPhoneNumber" => {
            let agent_id = ctx.path_param("agentId").to_owned();
            let number_id = ctx.path_param("phoneNumberId").to_owned();
            let Some(record) = state
                .phone_numbers
                .iter()
                .find(|p| p.get("_id").and_then(Value::as_str) == Some(number_id.as_str()))
                .cloned()
            else {
                return Some(Reply::not_found("Phone number", &number_id));
            };
            let bind = ctx.route.operation_id == "bindPhoneNumber";
            let Some(agent) = resources::find_mut(state, "Agent", &agent_id) else {
                return Some(Reply::not_found("Agent", &agent_id));
            };
            let Some(fields) = agent.as_object_mut() else {
                return Some(Reply::not_found("Agent", &agent_id));
            };
            let ids = fields.entry("phoneNumberIds").or_insert_with(|| json!([]));
            if let Some(ids) = ids.as_array_mut() {
                ids.retain(|id| id.as_str() != Some(number_id.as_str()));
                if bind {
                    ids.push(Value::String(number_id.clone()));
                }
            }
            let agent = agent.clone();
            if bind {
                let body =
                    json!({"agent": agent, "phoneNumber": record, "direction": "bidirectional"});
                if ctx.conforms(status, &body) {
                    Reply::json(status, body)
                } else {
                    Reply::json(
                        status,
                        json!({"status": "success", "message": "Phone number bound"}),
                    )
                }
            } else {
                Reply::json(
                    status,
                    json!({"status": "success", "message": "Phone number released"}),
                )
            }
        }
        _ => return None,
    })
}
