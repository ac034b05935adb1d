//! Calls: `sendCall` and `initiateCall` record a call (never dialled) that runs on the
//! simulated clock, and call history lists the calls placed, batch calls included.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::reply::Reply;
use crate::resources;
use crate::state::{Call, CallState, Ctx, Outcome, State};

/// The number calls come from when the agent has no phone number.
pub const DEFAULT_FROM_NUMBER: &str = "+15550100000";

/// Handles the call operations; `None` for any other.
pub fn handle(state: &mut State, ctx: &Ctx<'_>) -> Option<Reply> {
    let status = ctx.route.success_status;
    Some(match ctx.route.operation_id.as_str() {
        "sendCall" | "initiateCall" => {
            let (agent_key, to_key) = if ctx.route.operation_id == "sendCall" {
                ("agentId", "toNumber")
            } else {
                ("call_agent_id", "to")
            };
            let agent_id = ctx
                .body
                .get(agent_key)
                .and_then(Value::as_str)
                .unwrap_or("");
            let to_number = ctx.body.get(to_key).and_then(Value::as_str).unwrap_or("");
            let Some(agent) = resources::find(state, "Agent", agent_id).cloned() else {
                return Some(Reply::json(
                    404,
                    json!({"error": "Agent not found",
                        "details": "The specified agent does not exist or you don't have access to it"}),
                ));
            };
            let call = place(state, &agent, to_number, ctx.now_ms, None, BTreeMap::new());
            let body = if ctx.route.operation_id == "sendCall" {
                json!({
                    "status": "success",
                    "callId": call.call_id,
                    "roomName": call.room_name,
                    "fromNumber": call.from_number,
                    "toNumber": call.to_number,
                    "agent": {
                        "id": agent_id,
                        "name": agent.get("name").and_then(Value::as_str).unwrap_or("Agent"),
                    },
                })
            } else {
                json!({"status": "success", "call_id": call.call_id, "message": "Call initiated"})
            };
            Reply::json(status, body)
        }
        "listCallHistory" => {
            let mut records: Vec<&Call> = state
                .calls
                .iter()
                .filter(|c| ctx.now_ms >= c.start_ms)
                .collect();
            records.reverse(); // newest first
            let status_filter = ctx.query_param("status");
            records.retain(|c| {
                ctx.query_param("agentId").is_none_or(|a| a == c.agent_id)
                    && ctx
                        .query_param("batchId")
                        .is_none_or(|b| c.batch.as_ref().is_some_and(|(id, _)| id == b))
                    && status_filter.is_none_or(|s| history_status(c, ctx.now_ms) == s)
            });
            let page = number(ctx.query_param("page"), 1).max(1);
            let limit = number(ctx.query_param("limit"), 10).max(1);
            let list: Vec<Value> = records
                .iter()
                .skip(((page - 1) * limit) as usize)
                .take(limit as usize)
                .map(|c| history_record(c, ctx.now_ms, ctx.workspace_id, false))
                .collect();
            Reply::json(status, Value::Array(list))
        }
        "getCallHistory" => {
            let id = ctx.path_param("callHistoryId");
            match state
                .calls
                .iter()
                .find(|c| c.record_id == id && ctx.now_ms >= c.start_ms)
            {
                Some(call) => Reply::json(
                    status,
                    history_record(call, ctx.now_ms, ctx.workspace_id, true),
                ),
                None => Reply::not_found("Call record", id),
            }
        }
        _ => return None,
    })
}

/// Records a call of `agent` to `to_number` starting at `start_ms` (never dialled).
pub fn place(
    state: &mut State,
    agent: &Value,
    to_number: &str,
    start_ms: u64,
    batch: Option<(String, String, Outcome)>,
    metadata: BTreeMap<String, String>,
) -> Call {
    let agent_id = agent
        .get("_id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let from_number = agent
        .get("phoneNumberIds")
        .and_then(Value::as_array)
        .and_then(|ids| ids.first())
        .and_then(|first| match first {
            Value::String(id) => state
                .phone_numbers
                .iter()
                .find(|p| p.get("_id").and_then(Value::as_str) == Some(id))
                .and_then(|p| p.get("phoneNumber"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            other => other
                .get("phoneNumber")
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
        .unwrap_or_else(|| DEFAULT_FROM_NUMBER.to_owned());
    let (batch, outcome) = match batch {
        Some((batch_id, job_id, outcome)) => (Some((batch_id, job_id)), outcome),
        None => (None, Outcome::Completed),
    };
    let duration_ms = match outcome {
        Outcome::Completed => state.settings.call_ms,
        Outcome::Failed(_) => state.settings.failed_call_ms,
    };
    let call = Call {
        record_id: state.ids.next_id(),
        call_id: state.ids.next_id(),
        room_name: format!("call-{}", state.ids.next_id()),
        agent_id,
        to_number: to_number.to_owned(),
        from_number,
        batch,
        start_ms,
        duration_ms,
        outcome,
        cancelled_ms: None,
        metadata,
        started_sent: false,
        ended_sent: false,
    };
    state.calls.push(call.clone());
    call
}

/// The call history's word for a call's state.
fn history_status(call: &Call, now: u64) -> &'static str {
    match call.state(now) {
        CallState::Waiting | CallState::Active => "in-progress",
        CallState::Completed => "completed",
        CallState::Failed => "failed",
        CallState::Cancelled => "cancelled",
    }
}

/// A call record as call history shows it (`CallHistoryRecord`): the list's spelling
/// (`timestamp`, `cost` a number) or the single record's (`startTime`/`endTime`, `cost`
/// an object).
fn history_record(call: &Call, now: u64, workspace_id: &str, single: bool) -> Value {
    let seconds = |ms: u64| ms as f64 / 1000.0;
    let ended = call.end_ms().min(call.cancelled_ms.unwrap_or(u64::MAX));
    let duration = if now >= ended {
        seconds(ended - call.start_ms)
    } else {
        seconds(now - call.start_ms)
    };
    let mut record = json!({
        "_id": call.record_id,
        "workspaceId": workspace_id,
        "callId": call.call_id,
        "roomName": call.room_name,
        "agentId": call.agent_id,
        "fromPhoneNumber": call.from_number,
        "toPhoneNumber": call.to_number,
        "direction": "outbound",
        "status": history_status(call, now),
        "duration": duration,
    });
    let fields = record.as_object_mut().expect("an object");
    if single {
        fields.insert("startTime".to_owned(), json!(seconds(call.start_ms)));
        if now >= ended {
            fields.insert("endTime".to_owned(), json!(seconds(ended)));
        }
        fields.insert("cost".to_owned(), json!({"customer_charge": 0.0}));
    } else {
        fields.insert("timestamp".to_owned(), json!(seconds(call.start_ms)));
        fields.insert("cost".to_owned(), json!(0.0));
    }
    if let Some((batch_id, _)) = &call.batch {
        fields.insert("batchId".to_owned(), json!(batch_id));
    }
    record
}

/// A query number, or `default` when absent or not a number.
pub fn number(value: Option<&str>, default: u64) -> u64 {
    value.and_then(|v| v.parse().ok()).unwrap_or(default)
}
