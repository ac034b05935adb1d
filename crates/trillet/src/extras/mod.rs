//! Fields, query parameters and headers the contract does not know yet: the escape hatch
//! of [`Client::with_extra_body`], [`Client::with_extra_query`] and
//! [`Client::with_extra_headers`] (what Stainless SDKs call `extra_body`, `extra_query`
//! and `extra_headers`).
//!
//! The extras live in the generated client's hook state ([`crate::transport::Transport`]),
//! and the `pre` hook applies them to every request before it is sent; the transport
//! copies the request for its retries after that hook, so every attempt carries them.
//!
//! The merge of a JSON body works on the bytes serde wrote: only the objects on the way
//! to an extra field are taken apart, every other value keeps its exact text (numbers are
//! never parsed and written again), and the typed fields keep their order, the new ones
//! coming after them.

mod merge;

use std::fmt;
use std::sync::Arc;

use merge::{add_query, merge_into_body, merge_values};
use progenitor_client::OperationInfo;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::{Map, Value};
use trillet_redact::mask_phone_numbers;

use crate::error::{Error, InvalidArgument, RedactedCause};
use crate::Client;

/// Headers that [`Client::with_extra_headers`] refuses: the credentials, which the client
/// sets and nothing may replace, and the ones that frame the request, which the client
/// and reqwest compute from the body.
const REFUSED_HEADERS: &[&str] = &[
    "x-api-key",
    "x-workspace-id",
    "host",
    "content-length",
    "content-type",
    "transfer-encoding",
    "connection",
];

/// What a client adds to each of its requests; empty unless a `with_extra_*` method made
/// the client. Cheap to clone. `Debug` shows the names only, never a value.
#[derive(Clone, Default)]
pub(crate) struct RequestExtras(Arc<Extras>);

#[derive(Clone, Default)]
struct Extras {
    /// Merged into every JSON body (never empty when a request must carry it).
    body: Map<String, Value>,
    /// Added to every URL, replacing the parameters of the same names.
    query: Vec<(String, String)>,
    /// Set on every request, replacing the headers of the same names; marked sensitive.
    headers: HeaderMap,
}

impl RequestExtras {
    /// Applies the extras to `request` of the operation of `info`; the message says why
    /// the request can't carry them (then nothing is sent).
    pub(crate) fn apply(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), String> {
        let extras = &*self.0;
        for name in extras.headers.keys() {
            request.headers_mut().remove(name);
        }
        for (name, value) in &extras.headers {
            request.headers_mut().append(name.clone(), value.clone());
        }
        if !extras.query.is_empty() {
            add_query(request.url_mut(), &extras.query);
        }
        if !extras.body.is_empty() {
            merge_into_body(request, &extras.body).map_err(|why| {
                let names = masked(extras.body.keys().map(String::as_str)).join(", ");
                let operation = match crate::transport::operation(info.operation_id) {
                    Some(op) => format!("{} ({} {})", op.operation_id, op.method, op.path),
                    None => info.operation_id.to_string(),
                };
                format!(
                    "extra body fields ({names}) can't be sent with {operation}: {why}; send \
                     it from a client without with_extra_body"
                )
            })?;
        }
        Ok(())
    }

    /// The names of the extra body fields (top level), masked.
    pub(crate) fn body_names(&self) -> Vec<String> {
        masked(self.0.body.keys().map(String::as_str))
    }

    /// The names of the extra query parameters, masked.
    pub(crate) fn query_names(&self) -> Vec<String> {
        masked(self.0.query.iter().map(|(name, _)| name.as_str()))
    }

    /// The names of the extra headers.
    pub(crate) fn header_names(&self) -> Vec<String> {
        masked(self.0.headers.keys().map(HeaderName::as_str))
    }
}

impl fmt::Debug for RequestExtras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestExtras")
            .field("body", &self.body_names())
            .field("query", &self.query_names())
            .field("headers", &self.header_names())
            .finish()
    }
}

/// Names as `Debug` shows them: phone numbers masked (a name can be one, as variables'
/// keys sometimes are), duplicates once.
fn masked<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut shown: Vec<String> = Vec::new();
    for name in names {
        let name = mask_phone_numbers(name).into_owned();
        if !shown.contains(&name) {
            shown.push(name);
        }
    }
    shown
}

impl Client {
    /// A client whose requests carry these JSON fields too, merged into the body: for the
    /// fields the live API accepts but the typed request structs don't have yet
    /// (`systemPrompt` on an agent, `speechSetting` in a call flow's `settings`, ...).
    ///
    /// `fields` must serialise to a JSON object of field names and values (anything else
    /// fails here with [`Error::InvalidArgument`]). The new client shares this one's
    /// connection pool and configuration and is cheap to make, so make one per call that
    /// needs it:
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// use serde_json::json;
    /// use trillet::types::{AgentUpdate, CallFlowSettingsUpdate, CallFlowUpdate};
    ///
    /// let rename = AgentUpdate { name: Some("Front Desk".into()), ..Default::default() };
    /// client
    ///     .with_extra_body(json!({ "systemPrompt": "You are the front desk of a dental clinic." }))?
    ///     .update_agent("676b8e123456789012345679", &rename)
    ///     .await?;
    ///
    /// // Objects merge deeply: `settings` keeps the typed `customerLocation` and gains
    /// // `speechSetting`.
    /// let flow = CallFlowUpdate {
    ///     settings: Some(CallFlowSettingsUpdate {
    ///         customer_location: Some("new york".into()),
    ///         ..Default::default()
    ///     }),
    ///     ..Default::default()
    /// };
    /// client
    ///     .with_extra_body(json!({ "settings": { "speechSetting": { "interruptionSensitivity": 0.4 } } }))?
    ///     .update_call_flow("676b8e123456789012345680", &flow)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # How the fields merge
    ///
    /// - Into the request's JSON body, at the top level; where both the body and `fields`
    ///   hold an object under the same name, the merge goes on inside it (so
    ///   `{"settings": {"speechSetting": ..}}` adds to the typed `settings`, at any
    ///   depth).
    /// - Anywhere else, **the extra value wins**: it replaces the typed one whole, arrays
    ///   included (`{"phoneNumberIds": ["a"]}` sends exactly `["a"]`, not the typed list
    ///   plus `"a"`). That is what an escape hatch is for: a value the typed field can't
    ///   hold yet (a new enum value, a wider number), or an explicit `null`.
    /// - `null` is sent as `null` (the API reads it as "clear this field"), never taken as
    ///   "remove the field" as a JSON Merge Patch would.
    /// - The typed fields are sent exactly as they would be without extras (same text,
    ///   same order); the new fields come after them. `Content-Length` follows the new
    ///   body.
    /// - Calling `with_extra_body` again on the new client merges the next `fields` into
    ///   these by the same rules (the later call wins).
    /// - The extras are not checked against the contract: that is the point. A field the
    ///   server doesn't know may be ignored or refused by it.
    ///
    /// # Requests without a JSON body
    ///
    /// The fields can only be merged into a JSON body. A request of this client that has
    /// none (a `GET` or `DELETE`, a `POST` without body such as `endActiveCall`, or a
    /// `multipart/form-data` upload such as `startBatch` or `uploadKnowledgeBaseFile`)
    /// is not sent: it fails with [`Error::InvalidArgument`] naming the operation. Use the
    /// client without extras for those (an empty `{}` adds nothing, and is never
    /// refused).
    ///
    /// Retries send the merged body again, as they send any body. `Debug` of the client
    /// shows the names of the extra fields, never their values, and nothing logs them.
    pub fn with_extra_body(&self, fields: impl Serialize) -> Result<Client, Error> {
        let fields = match serde_json::to_value(fields) {
            Ok(Value::Object(fields)) => fields,
            Ok(other) => {
                return Err(InvalidArgument::new(
                    "fields",
                    format!(
                        "the extra body fields must be a JSON object of field names and \
                         values (such as {{\"systemPrompt\": \"...\"}}), not {}",
                        kind_of(&other)
                    ),
                )
                .into())
            }
            Err(error) => {
                return Err(InvalidArgument::new(
                    "fields",
                    format!(
                        "the extra body fields can't be written as JSON ({})",
                        RedactedCause::of(&error)
                    ),
                )
                .with_next_step("pass a value that serialises to a JSON object with text keys")
                .caused_by(&error)
                .into())
            }
        };
        let mut extras = (*self.api.inner.extras.0).clone();
        merge_values(&mut extras.body, fields);
        Ok(self.with_extras(extras))
    }

    /// A client whose requests carry these query parameters too, for filters the
    /// contract doesn't list yet.
    ///
    /// Each `(name, value)` is added to the URL of every request of the new client
    /// (percent-encoded); a parameter the call sets itself under the same name is
    /// replaced (**the extra wins**, as in [`with_extra_body`](Client::with_extra_body)),
    /// and so is one of an earlier `with_extra_query`. Unlike extra body fields, extra
    /// parameters go on every request, `GET`s and uploads included. A parameter with an
    /// empty name fails with [`Error::InvalidArgument`].
    ///
    /// `Debug` of the client shows the names, never the values (a value can be a phone
    /// number), and nothing logs them.
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// use trillet::types::ListCallHistoryQuery;
    ///
    /// let calls = client
    ///     .with_extra_query([("minDuration", "60")])?
    ///     .list_call_history(&ListCallHistoryQuery::default())
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_extra_query<K, V>(
        &self,
        parameters: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Client, Error>
    where
        K: Into<String>,
        V: Into<String>,
    {
        let mut extras = (*self.api.inner.extras.0).clone();
        for (name, value) in parameters {
            let name = name.into();
            if name.is_empty() {
                return Err(InvalidArgument::new(
                    "parameters",
                    "an extra query parameter has an empty name",
                )
                .with_next_step("give every parameter a name")
                .into());
            }
            extras.query.retain(|(known, _)| *known != name);
            extras.query.push((name, value.into()));
        }
        Ok(self.with_extras(extras))
    }

    /// A client whose requests carry these headers too (a beta switch, a tracing id).
    ///
    /// Each `(name, value)` is set on every request of the new client, replacing a
    /// header of the same name that the call or an earlier `with_extra_headers` sets
    /// (several pairs of one name in `headers` are all sent). Values are marked
    /// sensitive, so reqwest and HTTP/2 never log or index them, and `Debug` of the
    /// client shows the names only.
    ///
    /// Fails with [`Error::InvalidArgument`], naming the header (never its value), on a
    /// name or value that is not valid in HTTP, and on the headers that are the client's
    /// own: the credentials `x-api-key` and `x-workspace-id` (set them with
    /// [`Client::new`] or [`Client::builder`]), and `host`, `content-length`,
    /// `content-type`, `transfer-encoding` and `connection`, which follow from the base
    /// URL and the body.
    ///
    /// ```no_run
    /// # async fn run(client: trillet::Client) -> Result<(), trillet::Error> {
    /// let agents = client
    ///     .with_extra_headers([("x-trillet-beta", "agents-v2")])?
    ///     .list_agents()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn with_extra_headers<K, V>(
        &self,
        headers: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Client, Error>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut added = HeaderMap::new();
        for (name, value) in headers {
            let name = name.as_ref();
            let shown = mask_phone_numbers(name);
            let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                InvalidArgument::new(
                    "headers",
                    format!("{shown:?} is not a valid HTTP header name"),
                )
                .with_next_step("use letters, digits and dashes only (`x-my-header`)")
            })?;
            if REFUSED_HEADERS.contains(&header.as_str()) {
                let credential = header == "x-api-key" || header == "x-workspace-id";
                let refused = InvalidArgument::new(
                    "headers",
                    format!("the extra header {header} is refused: the client sets it itself"),
                );
                return Err(if credential {
                    refused.with_next_step(
                        "pass the credentials to Client::new or Client::builder instead",
                    )
                } else {
                    refused
                        .with_next_step("leave it out: it follows from the base URL and the body")
                }
                .into());
            }
            let mut value = HeaderValue::from_str(value.as_ref()).map_err(|_| {
                InvalidArgument::new(
                    "headers",
                    format!(
                        "the value of the extra header {header} has characters not allowed \
                         in an HTTP header"
                    ),
                )
                .with_next_step("remove line breaks and other control characters from it")
            })?;
            value.set_sensitive(true);
            added.append(header, value);
        }
        let mut extras = (*self.api.inner.extras.0).clone();
        for name in added.keys() {
            extras.headers.remove(name);
        }
        for (name, value) in &added {
            extras.headers.append(name.clone(), value.clone());
        }
        Ok(self.with_extras(extras))
    }

    /// This client with these extras instead of its own (same pool and configuration).
    fn with_extras(&self, extras: Extras) -> Client {
        let mut client = self.clone();
        client.api.inner.extras = RequestExtras(Arc::new(extras));
        client
    }
}

/// What kind of JSON value this is, for messages (never the value itself).
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
