//! What a handler answers: a status, a JSON body (or none) and extra headers; and the
//! error bodies the mock sends, in the contract's `ErrorBody` shape.

use serde_json::{json, Value};

/// An answer to one request, before faults are applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The JSON body; `None` for an empty body.
    pub body: Option<Value>,
    /// Extra response headers (`Retry-After`, `Allow`).
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// A JSON answer.
    pub fn json(status: u16, body: Value) -> Reply {
        Reply {
            status,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    /// An error in the contract's `ErrorBody` shape (`error`, `message`, `code`): the short
    /// text, what is wrong and what to do, and a machine-readable code.
    pub fn error(status: u16, error: &str, code: &str, message: impl Into<String>) -> Reply {
        Reply::json(
            status,
            json!({"error": error, "message": message.into(), "code": code}),
        )
    }

    /// 400: the request contradicts the contract; `message` names the JSON pointer (or the
    /// parameter) of every problem.
    pub fn invalid(message: impl Into<String>) -> Reply {
        Reply::error(400, "Invalid request", "invalid_request", message)
    }

    /// 404: no such resource.
    pub fn not_found(what: &str, id: &str) -> Reply {
        let mut reply = Reply::error(
            404,
            &format!("{what} not found"),
            "not_found",
            format!(
                "No {} with this id exists in the workspace",
                what.to_lowercase()
            ),
        );
        if let Some(Value::Object(body)) = reply.body.as_mut() {
            body.insert("id".to_owned(), Value::String(id.to_owned()));
        }
        reply
    }

    /// Adds a response header.
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}
