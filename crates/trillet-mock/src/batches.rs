//! Batches: a CSV upload is pre-flighted as the client does it (`trillet::preflight`),
//! then its calls run on the simulated clock, `batch_concurrency` at a time, each with
//! the outcome its row asks for (column `mock_outcome`: `completed`, the default,
//! `failed`, `busy` or `no-answer`); progress, pages of calls and cancel follow.

use serde_json::{json, Value};

use crate::calls::{self, number};
use crate::csv_rows;
use crate::reply::Reply;
use crate::resources;
use crate::state::{Batch, Call, CallState, Ctx, Outcome, State};

/// The column of a batch CSV that scripts a call's outcome.
pub const OUTCOME_COLUMN: &str = "mock_outcome";

/// Handles the batch operations; `None` for any other.
pub fn handle(state: &mut State, ctx: &Ctx<'_>) -> Option<Reply> {
    let status = ctx.route.success_status;
    let operation = ctx.route.operation_id.as_str();
    if matches!(
        operation,
        "startBatch" | "validateBatchCsv" | "previewBatchCsv"
    ) {
        return Some(upload(state, ctx, operation));
    }
    let batch_id = ctx.path_param("batchId").to_owned();
    if !matches!(
        operation,
        "getBatch" | "getBatchProgress" | "listBatchCalls" | "getBatchCall" | "cancelBatch"
    ) {
        return None;
    }
    let Some(index) = state.batches.iter().position(|b| b.id == batch_id) else {
        return Some(Reply::json(
            404,
            json!({"error": "Batch not found",
                "message": "No batch with this id exists in the workspace", "id": batch_id}),
        ));
    };
    let now = ctx.now_ms;
    Some(match operation {
        "getBatch" => {
            let batch = &state.batches[index];
            let mut progress = progress(state, batch, now);
            let (batch_status, complete) =
                (progress["status"].clone(), progress["isComplete"].clone());
            if let Some(fields) = progress.as_object_mut() {
                fields.remove("status");
                fields.remove("isComplete");
            }
            Reply::json(
                status,
                json!({
                    "id": batch.id, "status": batch_status, "isComplete": complete,
                    "totalCalls": batch.calls.len(), "progress": progress, "timestamp": now,
                }),
            )
        }
        "getBatchProgress" => Reply::json(status, progress(state, &state.batches[index], now)),
        "listBatchCalls" => {
            let batch = &state.batches[index];
            let filter = ctx.query_param("status").unwrap_or("all");
            let page = number(ctx.query_param("page"), 1).max(1);
            let limit = number(ctx.query_param("limit"), 20).clamp(1, 100);
            let matching: Vec<&Call> = batch
                .calls
                .iter()
                .map(|&i| &state.calls[i])
                .filter(|c| filter == "all" || c.state(now).name() == filter)
                .collect();
            let total = matching.len() as u64;
            let pages = total.div_ceil(limit);
            let calls: Vec<Value> = matching
                .iter()
                .skip(((page - 1) * limit) as usize)
                .take(limit as usize)
                .map(|c| batch_call(c, now))
                .collect();
            let counts = counts(state, batch, now);
            Reply::json(
                status,
                json!({
                    "calls": calls,
                    "pagination": {"page": page, "limit": limit, "total": total, "totalPages": pages,
                        "hasNext": page < pages, "hasPrev": page > 1},
                    "summary": {"total": batch.calls.len(), "waiting": counts[0], "active": counts[1],
                        "completed": counts[2], "failed": counts[3]},
                }),
            )
        }
        "getBatchCall" => {
            let job_id = ctx.path_param("jobId");
            let batch = &state.batches[index];
            match batch
                .calls
                .iter()
                .map(|&i| &state.calls[i])
                .find(|c| job_of(c) == job_id)
            {
                Some(call) => Reply::json(status, batch_call(call, now)),
                None => Reply::json(
                    404,
                    json!({"status": "not_found", "error": "Call not found",
                    "message": "No call with this job id in the batch", "id": job_id}),
                ),
            }
        }
        "cancelBatch" => {
            let batch = state.batches[index].clone();
            let before = counts(state, &batch, now);
            if batch.cancelled_ms.is_none() && before[0] + before[1] == 0 && now >= batch.start_ms {
                return Some(Reply::error(
                    400,
                    "Batch already completed",
                    "batch_completed",
                    "Every call of this batch has ended; nothing is left to cancel",
                ));
            }
            let cancelled_at = *state.batches[index].cancelled_ms.get_or_insert(now);
            for &i in &batch.calls {
                if state.calls[i].end_ms() > cancelled_at {
                    state.calls[i].cancelled_ms = Some(cancelled_at);
                }
            }
            let cancelled = batch
                .calls
                .iter()
                .filter(|&&i| state.calls[i].state(now) == CallState::Cancelled)
                .count();
            let after = counts(state, &batch, now);
            Reply::json(
                status,
                json!({
                    "batchId": batch.id, "status": "cancelled", "message": "Batch cancelled",
                    "details": {"completedCalls": after[2], "failedCalls": after[3],
                        "cancelledCalls": cancelled, "totalCalls": batch.calls.len()},
                }),
            )
        }
        _ => return None,
    })
}

fn upload(state: &mut State, ctx: &Ctx<'_>, operation: &str) -> Reply {
    let status = ctx.route.success_status;
    let Some(file) = ctx.parts.iter().find(|p| p.name == "file") else {
        return Reply::invalid("/file: the form has no `file` part (the CSV)");
    };
    let report = match trillet::preflight::check_batch_csv(file.content.as_slice()) {
        Ok(report) => report,
        Err(error) => return Reply::invalid(format!("/file: the CSV could not be read: {error}")),
    };
    let text = String::from_utf8_lossy(&file.content);
    let (columns, rows) = csv_rows::rows(&text);
    let problems: Vec<Value> = report
        .problems
        .iter()
        .map(|p| json!({"row": p.line, "field": "phone_number", "message": p.to_string()}))
        .collect();
    match operation {
        "validateBatchCsv" => {
            let bad_lines: std::collections::BTreeSet<u64> =
                report.problems.iter().map(|p| p.line).collect();
            let invalid = (bad_lines.len() as u64).min(report.rows);
            return Reply::json(
                status,
                json!({
                    "valid": report.is_valid(), "totalRows": report.rows,
                    "validRows": report.rows - invalid, "invalidRows": invalid,
                    "columns": report.columns, "errors": problems,
                }),
            );
        }
        "previewBatchCsv" => {
            let shown: Vec<Value> = rows.iter().take(10).map(|r| json!(r)).collect();
            return Reply::json(
                status,
                json!({"columns": columns, "rows": shown, "totalRows": report.rows}),
            );
        }
        _ => {}
    }
    if !report.is_valid() {
        let lines: Vec<String> = report
            .problems
            .iter()
            .take(20)
            .map(ToString::to_string)
            .collect();
        return Reply::invalid(format!(
            "/file: the CSV has {} problem(s): {}",
            report.problems.len(),
            lines.join("; ")
        ));
    }
    let agent_id = ctx
        .body
        .get("agentId")
        .and_then(Value::as_str)
        .unwrap_or("");
    let Some(agent) = resources::find(state, "Agent", agent_id).cloned() else {
        return Reply::json(
            404,
            json!({"error": "Agent not found",
            "details": "The specified agent does not exist or you don't have access to it"}),
        );
    };
    let start_ms = ctx
        .body
        .get("scheduledAt")
        .and_then(Value::as_str)
        .and_then(parse_rfc3339_ms)
        .map_or(ctx.now_ms, |at| at.max(ctx.now_ms));
    let batch_id = state.ids.next_id();
    let settings = state.settings;
    let mut indices = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let outcome = match row
            .get(OUTCOME_COLUMN)
            .map(|o| o.to_ascii_lowercase())
            .as_deref()
        {
            Some("failed") => Outcome::Failed("Call failed".to_owned()),
            Some("busy") => Outcome::Failed("Number busy".to_owned()),
            Some("no-answer") => Outcome::Failed("No answer".to_owned()),
            _ => Outcome::Completed,
        };
        let slot = i as u64 / settings.batch_concurrency.max(1);
        let call_start = start_ms + slot * settings.call_ms;
        let job_id = state.ids.next_id();
        let to = row.get("phone_number").cloned().unwrap_or_default();
        calls::place(
            state,
            &agent,
            &to,
            call_start,
            Some((batch_id.clone(), job_id, outcome)),
            row,
        );
        indices.push(state.calls.len() - 1);
    }
    let total = indices.len();
    state.batches.push(Batch {
        id: batch_id.clone(),
        agent_id: agent_id.to_owned(),
        start_ms,
        cancelled_ms: None,
        calls: indices,
    });
    Reply::json(
        status,
        json!({"batchId": batch_id, "totalCalls": total, "status": "queued",
        "message": format!("Batch created with {total} calls")}),
    )
}

fn job_of(call: &Call) -> &str {
    call.batch.as_ref().map_or("", |(_, job)| job.as_str())
}

/// Waiting, active, completed, failed.
fn counts(state: &State, batch: &Batch, now: u64) -> [u64; 4] {
    let mut counts = [0; 4];
    for &i in &batch.calls {
        match state.calls[i].state(now) {
            CallState::Waiting => counts[0] += 1,
            CallState::Active => counts[1] += 1,
            CallState::Completed => counts[2] += 1,
            CallState::Failed => counts[3] += 1,
            CallState::Cancelled => {}
        }
    }
    counts
}

/// The batch's state at `now`, as `getBatchProgress` reports it.
pub fn progress(state: &State, batch: &Batch, now: u64) -> Value {
    let [waiting, active, completed, failed] = counts(state, batch, now);
    let calls: Vec<&Call> = batch.calls.iter().map(|&i| &state.calls[i]).collect();
    let ended: Vec<&&Call> = calls
        .iter()
        .filter(|c| matches!(c.state(now), CallState::Completed | CallState::Failed))
        .collect();
    let cancelled = batch.cancelled_ms.is_some_and(|c| c <= now);
    let done = waiting + active == 0;
    let status = if cancelled {
        "cancelled"
    } else if now < batch.start_ms {
        "queued"
    } else if done {
        "completed"
    } else {
        "processing"
    };
    let last = ended.iter().map(|c| c.end_ms()).max();
    let average = (!ended.is_empty()).then(|| {
        ended
            .iter()
            .map(|c| c.duration_ms as f64 / 1000.0)
            .sum::<f64>()
            / ended.len() as f64
    });
    let mut recent: Vec<&&Call> = ended.clone();
    recent.sort_by_key(|c| std::cmp::Reverse(c.end_ms()));
    let recent: Vec<Value> = recent
        .iter()
        .take(5)
        .map(|c| {
            let mut entry = json!({"jobId": job_of(c), "status": c.state(now).name(),
                "phone_number": c.to_number, "duration": c.duration_ms as f64 / 1000.0});
            let key = if c.outcome == Outcome::Completed {
                "completedAt"
            } else {
                "failedAt"
            };
            entry[key] = json!(c.end_ms());
            if let Outcome::Failed(why) = &c.outcome {
                entry["error"] = json!(why);
            }
            entry
        })
        .collect();
    json!({
        "status": status,
        "isComplete": cancelled || (done && now >= batch.start_ms),
        "waiting": waiting, "active": active, "completed": completed, "failed": failed,
        "total": calls.len(),
        "startTime": (now >= batch.start_ms).then_some(batch.start_ms),
        "lastCompletedTime": last,
        "completedTime": if done && !cancelled && now >= batch.start_ms { last } else { None },
        "averageCallDuration": average,
        "recent_calls": recent,
    })
}

/// One call of a batch, as `listBatchCalls` and `getBatchCall` show it.
fn batch_call(call: &Call, now: u64) -> Value {
    let state = call.state(now);
    let started = now >= call.start_ms;
    let ended = matches!(state, CallState::Completed | CallState::Failed);
    let mut value = json!({
        "jobId": job_of(call),
        "status": state.name(),
        "phone_number": call.to_number,
        "startTime": started.then_some(call.start_ms),
        "endTime": ended.then_some(call.end_ms()),
        "duration": ended.then_some(call.duration_ms as f64 / 1000.0),
        "metadata": call.metadata,
    });
    match (&call.outcome, state) {
        (Outcome::Failed(why), CallState::Failed) => value["error"] = json!(why),
        (_, CallState::Cancelled) => value["error"] = json!("Batch cancelled"),
        (Outcome::Completed, CallState::Completed) => {
            value["result"] =
                json!({"callId": call.call_id, "outcome": "successful", "metadata": call.metadata});
        }
        _ => {}
    }
    value
}

/// Epoch milliseconds of an RFC 3339 UTC time (`2026-01-01T10:00:00Z`).
pub fn parse_rfc3339_ms(text: &str) -> Option<u64> {
    let text = text.strip_suffix('Z')?;
    let (date, time) = text.split_once('T')?;
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let mut t = time
        .split(':')
        .map(|p| p.split('.').next().and_then(|s| s.parse::<i64>().ok()));
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    u64::try_from(((days * 86_400) + hh * 3600 + mm * 60 + ss) * 1000).ok()
}
