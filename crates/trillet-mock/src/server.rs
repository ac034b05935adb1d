//! The request pipeline: match the contract's route, record, inject the fault asked
//! for, check the request like the contract, dispatch to a domain handler (or answer the
//! documented example), send.

use std::sync::atomic::Ordering;

use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response};
use serde_json::{json, Map, Value};
use trillet_spec::ValidationError;

use crate::body::MockBody;
use crate::contract::{Location, Match, RequestMedia, Route};
use crate::faults::{self, Fault, FAULT_HEADER};
use crate::multipart::{self, Part};
use crate::params;
use crate::record::{self, RecordedRequest, MAX_RECORDED};
use crate::reply::Reply;
use crate::shared::{lock, Shared};
use crate::state::Ctx;
use crate::{batches, calls, control, phones, resources};

/// The largest request body accepted: a 20 MB CSV and its form around it.
pub const MAX_REQUEST_BYTES: usize = 21 * 1024 * 1024;

/// The error that makes hyper close a connection without answering (the `reset` fault).
#[derive(Debug)]
pub struct Reset;

impl std::fmt::Display for Reset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection reset by the `reset` fault")
    }
}

impl std::error::Error for Reset {}

impl Shared {
    /// Handles one request.
    ///
    /// # Errors
    ///
    /// [`Reset`] when a `reset` fault asks for the connection to be closed unanswered.
    pub async fn handle(&self, request: Request<Incoming>) -> Result<Response<MockBody>, Reset> {
        let (head, incoming) = request.into_parts();
        let method = head.method.as_str().to_owned();
        let path = head.uri.path().to_owned();
        let query = head.uri.query().unwrap_or("").to_owned();
        let header = |name: &str| head.headers.get(name).and_then(|v| v.to_str().ok());
        let bytes = match Limited::new(incoming, MAX_REQUEST_BYTES).collect().await {
            Ok(collected) => collected.to_bytes(),
            Err(_) => {
                let reply = Reply::error(
                    413,
                    "Request too large",
                    "payload_too_large",
                    format!(
                        "the body is over {MAX_REQUEST_BYTES} bytes (a batch CSV is at most 20 MB)"
                    ),
                );
                return Ok(respond(reply, false));
            }
        };
        if let Some(rest) = path.strip_prefix("/__mock/") {
            return Ok(respond(
                control::handle(self, &method, rest, &query, &bytes),
                false,
            ));
        }
        let found = self.routes.find(&method, &path);
        let route = match &found {
            Match::Found(route, _) => Some(*route),
            _ => None,
        };
        let content_type = header("content-type").unwrap_or("").to_owned();
        let headers: Vec<(&str, &str)> = head
            .headers
            .iter()
            .filter_map(|(n, v)| Some((n.as_str(), v.to_str().ok()?)))
            .collect();
        let seq = self.seq.fetch_add(1, Ordering::SeqCst) + 1;
        let mut recorded = RecordedRequest {
            seq,
            method: method.clone(),
            path: path.clone(),
            query: trillet_redact::mask_phone_numbers(&query).into_owned(),
            operation_id: route.map(|r| r.operation_id.clone()),
            headers: record::masked_headers(headers.iter().copied()),
            body: recorded_body(&content_type, &bytes),
            status: 0,
            fault: None,
        };
        let asked = match header(FAULT_HEADER) {
            Some(text) => match faults::parse(text) {
                Ok(list) => Some((list, text.to_owned())),
                Err(problem) => {
                    let reply = Reply::invalid(format!("header {FAULT_HEADER}: {problem}"));
                    return Ok(self.finish(recorded, reply, false));
                }
            },
            None => route.and_then(|r| faults::take(&mut lock(&self.faults), &r.operation_id)),
        };
        let mut truncate = false;
        if let Some((list, text)) = asked {
            recorded.fault = Some(text);
            for fault in list {
                match fault {
                    Fault::Delay(delay) => tokio::time::sleep(delay).await,
                    Fault::Reset => {
                        self.push_record(recorded);
                        return Err(Reset);
                    }
                    Fault::Truncate => truncate = true,
                    Fault::Status {
                        status,
                        retry_after,
                    } => {
                        let mut reply = Reply::json(status, faults::error_body(status));
                        if let Some(seconds) = retry_after {
                            reply = reply.with_header("retry-after", seconds.to_string());
                        }
                        return Ok(self.finish(recorded, reply, truncate));
                    }
                }
            }
        }
        let reply = match found {
            Match::NotFound => Reply::error(404, "Not found", "not_found", format!(
                "no operation of the contract matches {method} {path} (GET /__mock/routes lists them)")),
            Match::WrongMethod(allowed) => Reply::error(405, "Method not allowed", "method_not_allowed",
                format!("{path} takes {}, not {method}", allowed.join(", ")))
                .with_header("allow", allowed.join(", ")),
            Match::Found(route, path_values) => {
                self.serve(route, &path_values, &query, &headers, &content_type, &bytes)
            }
        };
        Ok(self.finish(recorded, reply, truncate))
    }

    fn finish(
        &self,
        mut recorded: RecordedRequest,
        reply: Reply,
        truncate: bool,
    ) -> Response<MockBody> {
        recorded.status = reply.status;
        self.push_record(recorded);
        respond(reply, truncate)
    }

    fn push_record(&self, recorded: RecordedRequest) {
        let mut record = lock(&self.record);
        if record.len() >= MAX_RECORDED {
            record.remove(0);
        }
        record.push(recorded);
    }

    /// Checks a request against its operation, then answers it.
    fn serve(
        &self,
        route: &Route,
        path_values: &[(String, String)],
        query: &str,
        headers: &[(&str, &str)],
        content_type: &str,
        bytes: &Bytes,
    ) -> Reply {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
                .filter(|v| !v.trim().is_empty())
        };
        if !route.security.is_empty()
            && !route
                .security
                .iter()
                .any(|names| names.iter().all(|n| header(n).is_some()))
        {
            let needed: Vec<String> = route
                .security
                .iter()
                .map(|names| names.join(" and "))
                .collect();
            return Reply::error(
                401,
                "Unauthorized",
                "unauthorized",
                format!(
                    "header {}: missing; {} needs {} (the key from the dashboard's settings)",
                    route.security[0]
                        .iter()
                        .find(|n| header(n).is_none())
                        .map_or("x-api-key", String::as_str),
                    route.operation_id,
                    needed.join(", or ")
                ),
            );
        }
        let query_values = params::parse_query(query);
        let mut problems = Vec::new();
        for parameter in &route.parameters {
            let value = match parameter.location {
                Location::Path => path_values
                    .iter()
                    .find(|(n, _)| *n == parameter.name)
                    .map(|(_, v)| v.as_str()),
                Location::Query => query_values
                    .iter()
                    .find(|(n, _)| *n == parameter.name)
                    .map(|(_, v)| v.as_str()),
                Location::Header => header(&parameter.name),
            };
            match value {
                Some(value) => {
                    if let Err(problem) = params::check_value(parameter, value) {
                        problems.push(problem);
                    }
                }
                None if parameter.required => {
                    problems.push(format!("parameter {}: required", parameter.name))
                }
                None => {}
            }
        }
        if !problems.is_empty() {
            return Reply::invalid(problems.join("; "));
        }
        let (body, parts) = match read_body(route, content_type, bytes) {
            Ok(read) => read,
            Err(problem) => return Reply::invalid(problem),
        };
        if !body.is_null() || !parts.is_empty() {
            // Only violations refuse: an operation without a JSON schema is not checked.
            if let Err(ValidationError::Invalid(violations)) = self
                .validator
                .get()
                .validate_request(&route.operation_id, &body)
            {
                let list: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Reply::invalid(list.join("; "));
            }
        }
        let workspace_id = header("x-workspace-id").unwrap_or("").to_owned();
        let ctx = Ctx {
            route,
            path: path_values,
            query: &query_values,
            body: &body,
            parts: &parts,
            workspace_id: &workspace_id,
            now_ms: self.clock.now_ms(),
            validator: self.validator.get(),
        };
        let mut state = lock(&self.state);
        let handled = resources::handle(&mut state, &ctx)
            .or_else(|| calls::handle(&mut state, &ctx))
            .or_else(|| batches::handle(&mut state, &ctx))
            .or_else(|| phones::handle(&mut state, &ctx));
        drop(state);
        handled.unwrap_or_else(|| example_reply(route))
    }
}

/// The documented example of the operation's success response.
pub fn example_reply(route: &Route) -> Reply {
    if let Some((media_type, text)) = &route.success_text {
        return Reply {
            status: route.success_status,
            body: Some(Value::String(text.clone())),
            headers: vec![("content-type".to_owned(), media_type.clone())],
        };
    }
    Reply {
        status: route.success_status,
        body: route.success_body.clone(),
        headers: Vec::new(),
    }
}

/// The JSON body, or the fields of a multipart body; what is wrong with it otherwise.
fn read_body(
    route: &Route,
    content_type: &str,
    bytes: &Bytes,
) -> Result<(Value, Vec<Part>), String> {
    let Some((media, required)) = &route.request else {
        return Ok((Value::Null, Vec::new()));
    };
    if bytes.is_empty() {
        return if *required {
            Err("body: required by the contract".to_owned())
        } else {
            Ok((Value::Null, Vec::new()))
        };
    }
    match media {
        RequestMedia::Json => {
            if !content_type.is_empty() && !content_type.to_ascii_lowercase().contains("json") {
                return Err(format!(
                    "header content-type: expected application/json, found {content_type:?}"
                ));
            }
            serde_json::from_slice(bytes)
                .map(|v| (v, Vec::new()))
                .map_err(|e| format!("body: not JSON ({e})"))
        }
        RequestMedia::Multipart => {
            let boundary = multipart::boundary_of(content_type)
                .filter(|_| content_type.to_ascii_lowercase().starts_with("multipart/form-data"))
                .ok_or_else(|| format!("header content-type: expected multipart/form-data with a boundary, found {content_type:?}"))?;
            let parts = multipart::parse(bytes, &boundary).map_err(|e| format!("body: {e}"))?;
            let mut fields = Map::new();
            for part in &parts {
                let text = String::from_utf8_lossy(&part.content).into_owned();
                let value = match serde_json::from_str::<Value>(&text) {
                    Ok(json @ (Value::Object(_) | Value::Array(_))) if part.file_name.is_none() => {
                        json
                    }
                    _ => Value::String(text),
                };
                fields.insert(part.name.clone(), value);
            }
            Ok((Value::Object(fields), parts))
        }
        RequestMedia::Other(_) => Ok((Value::Null, Vec::new())),
    }
}

/// The body as recorded: JSON (masked), the field names and sizes of a form, or `null`.
fn recorded_body(content_type: &str, bytes: &Bytes) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    if let Ok(json) = serde_json::from_slice::<Value>(bytes) {
        return record::masked_json(&json);
    }
    if let Some(boundary) = multipart::boundary_of(content_type) {
        if let Ok(parts) = multipart::parse(bytes, &boundary) {
            let fields: Map<String, Value> = parts
                .iter()
                .map(|p| {
                    let shown = match &p.file_name {
                        Some(_) => json!({"file": p.file_name, "bytes": p.content.len()}),
                        None => Value::String(
                            trillet_redact::mask_phone_numbers(&String::from_utf8_lossy(
                                &p.content,
                            ))
                            .into_owned(),
                        ),
                    };
                    (p.name.clone(), shown)
                })
                .collect();
            return Value::Object(fields);
        }
    }
    json!({"bytes": bytes.len()})
}

/// The HTTP response of a reply.
pub fn respond(reply: Reply, truncate: bool) -> Response<MockBody> {
    let mut content_type = "application/json".to_owned();
    let mut builder = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        if name == "content-type" {
            content_type = value.clone();
        } else {
            builder = builder.header(name.as_str(), value.as_str());
        }
    }
    let bytes: Bytes = match &reply.body {
        None => Bytes::new(),
        Some(Value::String(text)) if !content_type.contains("json") => Bytes::from(text.clone()),
        Some(body) => Bytes::from(serde_json::to_vec(body).unwrap_or_default()),
    };
    if reply.body.is_some() {
        builder = builder.header("content-type", content_type);
    }
    let body = if truncate {
        MockBody::truncated(bytes)
    } else {
        MockBody::full(bytes)
    };
    builder
        .body(body)
        .unwrap_or_else(|_| Response::new(MockBody::full(Bytes::new())))
}
