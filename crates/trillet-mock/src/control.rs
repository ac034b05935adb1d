//! The mock's own endpoints, under `/__mock/`: what it received, its faults, its clock,
//! the webhooks it sent, the routes it serves.
//!
//! - `GET /__mock/requests` (`?operationId=sendCall` to filter), `DELETE` to forget them;
//! - `GET /__mock/faults`, `POST` a rule (`{"operationId": "sendCall", "fault": "503",
//!   "count": 1}`), `DELETE` to drop every rule;
//! - `GET /__mock/clock`, `POST {"advanceMs": 60000}` to move it forward;
//! - `GET /__mock/webhooks`: every webhook sent and what the receiver answered;
//! - `GET /__mock/routes`: every operation served (method, path, operationId).

use serde_json::{json, Value};

use crate::clock::rfc3339;
use crate::faults::FaultRule;
use crate::params::parse_query;
use crate::reply::Reply;
use crate::shared::{lock, Shared};

/// Answers a request to `/__mock/{rest}`.
pub fn handle(shared: &Shared, method: &str, rest: &str, query: &str, body: &[u8]) -> Reply {
    let json_body = || -> Result<Value, Reply> {
        serde_json::from_slice(body).map_err(|e| Reply::invalid(format!("body: not JSON ({e})")))
    };
    match (method, rest) {
        ("GET", "requests") => {
            let filter = parse_query(query).into_iter().find(|(n, _)| n == "operationId").map(|(_, v)| v);
            let list: Vec<Value> = lock(&shared.record)
                .iter()
                .filter(|r| filter.as_ref().is_none_or(|f| r.operation_id.as_ref() == Some(f)))
                .map(|r| r.to_json())
                .collect();
            Reply::json(200, json!({"requests": list}))
        }
        ("DELETE", "requests") => {
            lock(&shared.record).clear();
            Reply::json(200, json!({"requests": []}))
        }
        ("GET", "faults") => faults(shared),
        ("POST", "faults") => match json_body().and_then(|v| FaultRule::from_json(&v).map_err(Reply::invalid)) {
            Ok(rule) => {
                lock(&shared.faults).push(rule);
                faults(shared)
            }
            Err(reply) => reply,
        },
        ("DELETE", "faults") => {
            lock(&shared.faults).clear();
            faults(shared)
        }
        ("GET", "clock") => clock(shared),
        ("POST", "clock") => match json_body() {
            Ok(value) => match value.get("advanceMs").and_then(Value::as_u64) {
                Some(ms) => {
                    shared.clock.advance(ms);
                    clock(shared)
                }
                None => Reply::invalid("/advanceMs: expected a whole number of milliseconds, e.g. {\"advanceMs\": 60000}"),
            },
            Err(reply) => reply,
        },
        ("GET", "webhooks") => Reply::json(200, json!({"deliveries": lock(&shared.deliveries).clone()})),
        ("GET", "routes") => {
            let routes: Vec<Value> = shared
                .routes
                .routes()
                .iter()
                .map(|r| json!({"method": r.method, "path": r.template, "operationId": r.operation_id}))
                .collect();
            Reply::json(200, json!({"routes": routes}))
        }
        _ => Reply::error(404, "Not found", "not_found", format!(
            "{method} /__mock/{rest} is not a mock endpoint: requests, faults, clock, webhooks, routes")),
    }
}

fn faults(shared: &Shared) -> Reply {
    let rules: Vec<Value> = lock(&shared.faults)
        .iter()
        .map(FaultRule::to_json)
        .collect();
    Reply::json(200, json!({"faults": rules}))
}

fn clock(shared: &Shared) -> Reply {
    let now = shared.clock.now_ms();
    Reply::json(200, json!({"nowMs": now, "now": rfc3339(now)}))
}
