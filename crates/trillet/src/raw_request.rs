//! The escape hatch for a request the contract does not describe yet (a new endpoint, a
//! beta variant of one): [`Client::request`] sends any method and path of the API
//! through the same transport as every operation (credentials, extras, per-request
//! options, retry policy, response limits, redaction, no redirects) and fails with the
//! same [`Error`].
//!
//! Whether it may be sent again is decided here, once, before anything is sent:
//!
//! - a path and method the contract describes keep the contract's `x-trillet-retry`
//!   (a request the contract marks side-effecting can't be marked idempotent: that is
//!   refused with [`Error::InvalidArgument`]);
//! - any other request is **side-effecting** (retried only on 429 or a connection that
//!   could not be opened) unless the caller says otherwise:
//!   [`RawRequest::idempotent`] for `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE`, and
//!   [`RawRequest::idempotent_despite_method`], the explicit opt-in for a `POST` or
//!   `PATCH` that only reads.

use std::borrow::Cow;
use std::fmt;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, InvalidArgument, RedactedCause};
use crate::generated::operations::OPERATIONS;
use crate::multipart::{encode_multipart, FormPart};
use crate::operation::{Operation, RetrySafety};
use crate::retry::RequestSafety;
use crate::transport::{self, Sent};
use crate::Client;

/// What the spans of a raw request name as its operation.
const RAW_OPERATION_ID: &str = "request";
/// What the spans of a raw request the contract does not describe name as its path.
const RAW_PATH: &str = "(not in the contract)";

impl Client {
    /// A request of `method` to `path` (relative to the base URL, starting with `/`, no
    /// query: add it with [`RawRequest::query`]), for what the contract does not describe
    /// yet. Send it with [`RawRequest::send`] (JSON decoded into any type) or
    /// [`RawRequest::send_bytes`].
    ///
    /// It goes through everything an operation goes through: the credentials, this
    /// client's extras and [options](Client::with_options), the retry policy, the
    /// response limits, the scrubbing of error bodies, the refusal of redirects, and
    /// [`Error`]. It is **side-effecting** (never sent again after a timeout or a 5xx)
    /// unless the contract describes it as idempotent or the caller marks it so; see
    /// [`RawRequest::idempotent`].
    ///
    /// ```no_run
    /// use serde_json::{json, Value};
    /// use trillet::{Method, ResponseMeta};
    ///
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// // A read of an endpoint the contract lacks: safe to retry, so say so.
    /// let usage = client
    ///     .request(Method::GET, "/v1/api/usage")
    ///     .query([("month", "2026-11")])
    ///     .idempotent()
    ///     .send::<Value>()
    ///     .await?;
    /// println!("{} (request id {:?})", *usage, usage.request_id());
    ///
    /// // A beta write: side-effecting, so sent again only on 429 or a failed connect.
    /// let created: Value = client
    ///     .request(Method::POST, "/v1/api/beta/templates")
    ///     .json(&json!({ "name": "Reminder" }))
    ///     .send::<Value>()
    ///     .await?
    ///     .into_inner();
    /// # Ok(()) }
    /// ```
    pub fn request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_> {
        RawRequest {
            client: self,
            method,
            path: path.into(),
            query: Vec::new(),
            body: RawBody::None,
            marked: Marked::Unmarked,
        }
    }
}

/// A request built by [`Client::request`]; nothing is sent before
/// [`send`](RawRequest::send) or [`send_bytes`](RawRequest::send_bytes). `Debug` shows the
/// method only (the path, query and body can hold identifiers and phone numbers).
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<'c> {
    client: &'c Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: RawBody,
    marked: Marked,
}

enum RawBody {
    None,
    Json(Result<Vec<u8>, Error>),
    Form(Form),
}

/// What the caller said about sending the request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Marked {
    Unmarked,
    Idempotent,
    IdempotentDespiteMethod,
}

impl<'c> RawRequest<'c> {
    /// Adds these query parameters (percent-encoded; a name given twice is sent twice).
    pub fn query<K, V>(mut self, parameters: impl IntoIterator<Item = (K, V)>) -> RawRequest<'c>
    where
        K: Into<String>,
        V: Into<String>,
    {
        self.query
            .extend(parameters.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    /// Sends `body` as JSON (`Content-Type: application/json`), replacing any body set
    /// before. A value that can't be written as JSON fails the send with
    /// [`Error::InvalidArgument`].
    pub fn json(mut self, body: &impl Serialize) -> RawRequest<'c> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            InvalidArgument::new(
                "body",
                format!(
                    "the request body can't be written as JSON ({})",
                    RedactedCause::of(&error)
                ),
            )
            .caused_by(&error)
            .into()
        });
        self.body = RawBody::Json(bytes);
        self
    }

    /// Sends `form` as `multipart/form-data`, replacing any body set before. It is
    /// encoded into bytes once, so it can be sent again when the retry policy allows.
    pub fn multipart(mut self, form: Form) -> RawRequest<'c> {
        self.body = RawBody::Form(form);
        self
    }

    /// Says the request may be sent again without harm (retried on 408, 5xx, timeouts
    /// and broken connections, like the contract's idempotent operations). Accepted for
    /// `GET`, `HEAD`, `OPTIONS`, `PUT` and `DELETE`; for any other method the send fails
    /// with [`Error::InvalidArgument`] (use
    /// [`idempotent_despite_method`](RawRequest::idempotent_despite_method)), and for a
    /// request the contract marks side-effecting too.
    pub fn idempotent(mut self) -> RawRequest<'c> {
        self.marked = Marked::Idempotent;
        self
    }

    /// Says this `POST` (or `PATCH`, or any method) may be sent again without harm: it
    /// only reads or validates, as `validateBatchCsv` does. The explicit opt-in for a
    /// method HTTP does not call idempotent; a second copy of a request that writes could
    /// act twice, so be sure. Refused for a request the contract marks side-effecting.
    pub fn idempotent_despite_method(mut self) -> RawRequest<'c> {
        self.marked = Marked::IdempotentDespiteMethod;
        self
    }

    /// Sends the request and decodes a 2xx JSON body into `T` (an empty body decodes as
    /// JSON `null`, so `()` and `Option<_>` work for a `204`). An error status is
    /// [`Error::Api`], a body that does not decode [`Error::Decode`], as for any
    /// operation.
    pub async fn send<T: DeserializeOwned>(self) -> Result<ResponseValue<T>, Error> {
        let raw = self.send_bytes().await?;
        let status = raw.status();
        let headers = raw.headers().clone();
        let bytes = raw.into_inner();
        let body: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &bytes
        };
        let value = serde_json::from_slice(body).map_err(|e| Error::from_decode(&e))?;
        Ok(ResponseValue::new(value, status, headers))
    }

    /// Sends the request and returns the bytes of a 2xx body (within
    /// [`max_response_bytes`](crate::ClientBuilder::max_response_bytes)); an error status
    /// is [`Error::Api`].
    pub async fn send_bytes(self) -> Result<ResponseValue<Vec<u8>>, Error> {
        let (safety, operation) = self.safety()?;
        let url = self.url()?;
        let api = &self.client.api;
        let mut builder = api
            .client()
            .request(self.method.clone(), url)
            .header(ACCEPT, "application/json");
        builder = match self.body {
            RawBody::None => builder,
            RawBody::Json(bytes) => builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(bytes?),
            RawBody::Form(form) => {
                let (content_type, bytes) = encode_multipart(&form.parts);
                builder.header(CONTENT_TYPE, content_type).body(bytes)
            }
        };
        let mut request = builder.build().map_err(Error::from_reqwest)?;
        let info = OperationInfo {
            operation_id: RAW_OPERATION_ID,
        };
        if let Err(error) = api.pre::<()>(&mut request, &info).await {
            return Err(Error::from_generated(error).await);
        }
        let sent = Sent {
            operation_id: operation.map_or(RAW_OPERATION_ID, |op| op.operation_id),
            path: operation.map_or(RAW_PATH, |op| op.path),
            safety,
        };
        let response = transport::send_as(api.client(), api.inner(), request, sent)
            .await
            .map_err(Error::from_reqwest)?;
        let status = response.status();
        if !status.is_success() {
            let error = progenitor_client::Error::<()>::UnexpectedResponse(response);
            return Err(Error::from_generated(error).await);
        }
        let headers = response.headers().clone();
        let bytes = response.bytes().await.map_err(Error::from_reqwest)?;
        Ok(ResponseValue::new(bytes.to_vec(), status, headers))
    }

    /// Whether the request may be sent again, and the contract's operation it is (the
    /// most careful one when several templates match).
    fn safety(&self) -> Result<(RequestSafety, Option<&'static Operation>), Error> {
        let described = OPERATIONS
            .iter()
            .filter(|op| op.method.as_str() == self.method.as_str() && op.matches_path(&self.path))
            .min_by_key(|op| op.retry == RetrySafety::Idempotent);
        let refuse = |problem: String, next: &'static str| -> Result<_, Error> {
            Err(InvalidArgument::new("request", problem)
                .with_next_step(next)
                .into())
        };
        match (described, self.marked) {
            (Some(op), Marked::Unmarked) => {
                Ok((RequestSafety::of_request(&self.method, Some(op)), Some(op)))
            }
            (Some(op), _) if op.retry == RetrySafety::SideEffecting => refuse(
                format!(
                    "{} ({} {}) is side-effecting in the contract: it can't be marked \
                     idempotent",
                    op.operation_id, op.method, op.path
                ),
                "drop .idempotent(): a second copy of it could act twice",
            ),
            (Some(op), _) => Ok((RequestSafety::Idempotent, Some(op))),
            (None, Marked::Unmarked) => Ok((RequestSafety::SideEffecting, None)),
            (None, Marked::IdempotentDespiteMethod) => Ok((RequestSafety::Idempotent, None)),
            (None, Marked::Idempotent) => {
                let idempotent_method = matches!(
                    self.method,
                    Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE
                );
                if idempotent_method {
                    Ok((RequestSafety::Idempotent, None))
                } else {
                    refuse(
                        format!(
                            "a {} is not idempotent by HTTP, so .idempotent() is refused",
                            self.method
                        ),
                        "if the request only reads or validates, say so with \
                         .idempotent_despite_method(); otherwise leave it side-effecting",
                    )
                }
            }
        }
    }

    /// The URL: the base URL and the path, which must stay on the base URL's host.
    fn url(&self) -> Result<reqwest::Url, Error> {
        let refuse = |problem: &str, next: &'static str| {
            Error::from(InvalidArgument::new("path", problem).with_next_step(next))
        };
        let path = self.path.as_str();
        if !path.starts_with('/') || path.starts_with("//") {
            return Err(refuse(
                "the path must start with one `/` and be relative to the base URL",
                "pass the path only (`/v1/api/agents`): requests go to the client's base URL",
            ));
        }
        if path.contains(['?', '#']) || path.chars().any(char::is_control) {
            return Err(refuse(
                "the path must not hold a query, a fragment or control characters",
                "add query parameters with .query([(name, value)])",
            ));
        }
        let base = self.client.base_url();
        let mut url = reqwest::Url::parse(&format!("{base}{path}"))
            .map_err(|_| refuse("the path does not make a URL", "check the path"))?;
        let base = reqwest::Url::parse(base)
            .map_err(|_| refuse("the base URL does not parse", "check the base URL"))?;
        if url.origin() != base.origin() {
            return Err(refuse(
                "the path leads to another host than the base URL's",
                "pass the path only: the credentials go to the base URL's host alone",
            ));
        }
        if !self.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        }
        Ok(url)
    }
}

impl fmt::Debug for RawRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("marked", &self.marked)
            .finish_non_exhaustive()
    }
}

/// A `multipart/form-data` body for [`RawRequest::multipart`]: text fields and files, in
/// order. `Debug` shows the part names only.
///
/// ```
/// use trillet::raw_request::Form;
///
/// let form = Form::new()
///     .text("agentId", "agent-1")
///     .file("file", "calls.csv", "text/csv", b"phone_number\n+14155551234\n".to_vec());
/// assert_eq!(form.names(), ["agentId", "file"]);
/// ```
#[derive(Default)]
pub struct Form {
    parts: Vec<FormPart>,
}

impl Form {
    /// An empty form.
    pub fn new() -> Form {
        Form::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Form {
        self.parts.push(FormPart {
            name: Cow::Owned(name.into()),
            file_name: None,
            content_type: None,
            content: value.into().into_bytes(),
        });
        self
    }

    /// Adds a file: its field name, file name, media type and content.
    pub fn file(
        mut self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        content: impl Into<Vec<u8>>,
    ) -> Form {
        self.parts.push(FormPart {
            name: Cow::Owned(name.into()),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            content: content.into(),
        });
        self
    }

    /// The names of the parts, in order.
    pub fn names(&self) -> Vec<&str> {
        self.parts.iter().map(|part| part.name.as_ref()).collect()
    }
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .names()
            .into_iter()
            .map(crate::error::mask_phone_numbers)
            .collect();
        f.debug_struct("Form").field("parts", &names).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_raw_request_and_its_form_shows_no_path_body_or_number() {
        let client = Client::new("key-1234567", "ws-1234567").expect("client");
        let request = client
            .request(Method::POST, "/v1/api/calls/+14155551234")
            .query([("to", "+14155551234")])
            .multipart(Form::new().text("+14155559876", "+14155551234"));
        let shown = format!("{request:?}");
        assert!(shown.contains("POST"), "{shown}");
        assert!(!shown.contains("555"), "{shown}");
        let form = Form::new().text("+14155559876", "secret text").file(
            "file",
            "calls.csv",
            "text/csv",
            b"+14155551234".to_vec(),
        );
        let shown = format!("{form:?}");
        assert!(shown.contains("file"), "{shown}");
        assert!(
            !shown.contains("5559876") && !shown.contains("secret text"),
            "{shown}"
        );
    }
}
